"""Neural networks: modules, layers, functional ops, initialization — PyTorch's API on chainrule.

``Module`` and ``Parameter`` give PyTorch's model protocol (``parameters()``,
``state_dict()`` with its keys, ``train()``/``eval()``); the layers keep PyTorch's
constructor signatures, defaults, initializations and weight layouts, so weights
copied from PyTorch give the same outputs. ``functional`` holds the stateless
functions (convolutions, pooling, losses, ``toeplitz``), ``init`` the initializers,
``utils`` gradient clipping.
"""

from . import functional, init, utils
from .activation import ELU, GELU, LeakyReLU, LogSoftmax, ReLU, Sigmoid, SiLU, Softmax, Softplus, Tanh
from .batchnorm import BatchNorm1d, BatchNorm2d
from .container import ModuleDict, ModuleList, ParameterList, Sequential
from .conv import Conv1d, Conv2d, ConvTranspose1d, ConvTranspose2d
from .dropout import Dropout
from .embedding import Embedding
from .flatten import Flatten
from .linear import Identity, Linear
from .loss import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, HuberLoss, L1Loss, MSELoss, NLLLoss, SmoothL1Loss
from .module import IncompatibleKeys, Module, StateDictError
from .normalization import GroupNorm, LayerNorm
from .parameter import Parameter
from .pooling import AdaptiveAvgPool1d, AdaptiveAvgPool2d, AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d
from .upsampling import Upsample

__all__ = ["Module", "Parameter", "StateDictError", "IncompatibleKeys", "functional", "init", "utils",
           "Linear", "Identity", "Conv1d", "Conv2d", "ConvTranspose1d", "ConvTranspose2d", "MaxPool1d", "MaxPool2d",
           "AvgPool1d", "AvgPool2d", "AdaptiveAvgPool1d", "AdaptiveAvgPool2d", "Upsample", "ReLU", "Sigmoid", "Tanh",
           "Softplus", "GELU", "LeakyReLU", "ELU", "SiLU", "Softmax", "LogSoftmax", "Dropout", "BatchNorm1d",
           "BatchNorm2d", "LayerNorm", "GroupNorm", "Embedding", "Flatten", "Sequential", "ModuleList", "ModuleDict",
           "ParameterList", "MSELoss", "L1Loss", "SmoothL1Loss", "HuberLoss", "NLLLoss", "CrossEntropyLoss",
           "BCELoss", "BCEWithLogitsLoss"]
