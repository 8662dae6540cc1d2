"""Stateless neural-network functions, as PyTorch's ``torch.nn.functional``.

Each function takes Tensors (or arrays, or Python data) and returns a Tensor; all are
built from chainrule primitives, so they differentiate in every mode, to any order.
Layouts are PyTorch's: ``(N, C, L)`` and ``(N, C, H, W)`` inputs, ``(C_out, C_in, k…)``
convolution weights, ``(out, in)`` linear weights. Convolution is cross-correlation.

This package is the one namespace (``cr.nn.functional``, usually imported as ``F``);
each submodule holds one kind of function.
"""

from .activation import log_softmax, relu, sigmoid, softmax, softplus, tanh
from .conv import conv1d, conv2d
from .dropout import dropout
from .linear import linear
from .loss import cross_entropy, logistic_loss, mse_loss
from .normalization import batch_norm
from .pooling import avg_pool2d, max_pool1d, max_pool2d
from .toeplitz import toeplitz

__all__ = ["relu", "sigmoid", "tanh", "softplus", "softmax", "log_softmax", "linear", "conv1d", "conv2d",
           "max_pool1d", "max_pool2d", "avg_pool2d", "dropout", "batch_norm", "cross_entropy", "mse_loss",
           "logistic_loss", "toeplitz"]
