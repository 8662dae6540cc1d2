"""Neural networks: modules, layers, functional ops, initialization — PyTorch's API on chainrule.

``Module`` and ``Parameter`` give PyTorch's model protocol (``parameters()``,
``state_dict()`` with its keys, ``train()``/``eval()``); the layers keep PyTorch's
constructor signatures, defaults, initializations and weight layouts, so weights
copied from PyTorch give the same outputs. ``functional`` holds the stateless
functions (convolutions, pooling, losses, ``toeplitz``), ``init`` the initializers.
"""

from . import functional, init
from .activation import ReLU, Sigmoid, Softplus, Tanh
from .batchnorm import BatchNorm1d, BatchNorm2d
from .container import Sequential
from .conv import Conv1d, Conv2d
from .dropout import Dropout
from .flatten import Flatten
from .linear import Linear
from .module import IncompatibleKeys, Module, StateDictError
from .parameter import Parameter
from .pooling import AvgPool2d, MaxPool1d, MaxPool2d

__all__ = ["Module", "Parameter", "StateDictError", "IncompatibleKeys", "functional", "init", "Linear", "Conv1d",
           "Conv2d", "MaxPool1d", "MaxPool2d", "AvgPool2d", "ReLU", "Sigmoid", "Tanh", "Softplus", "Dropout",
           "BatchNorm1d", "BatchNorm2d", "Flatten", "Sequential"]
