"""Stateless neural-network functions, as PyTorch's ``torch.nn.functional``.

Each function takes Tensors (or arrays, or Python data) and returns a Tensor; all are
built from chainrule primitives, so they differentiate in every mode, to any order.
Layouts are PyTorch's: ``(N, C, L)`` and ``(N, C, H, W)`` inputs, ``(C_out, C_in, k…)``
convolution weights, ``(out, in)`` linear weights. Convolution is cross-correlation.

This package is the one namespace (``cr.nn.functional``, usually imported as ``F``);
each submodule holds one kind of function.
"""

from .activation import elu, gelu, leaky_relu, log_softmax, relu, sigmoid, silu, softmax, softplus, tanh
from .conv import conv1d, conv2d, conv_transpose1d, conv_transpose2d
from .dropout import dropout
from .linear import linear
from .loss import (binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, huber_loss, l1_loss,
                   logistic_loss, mse_loss, nll_loss, smooth_l1_loss)
from .normalization import batch_norm, group_norm, layer_norm, normalize
from .padding import pad
from .pooling import adaptive_avg_pool1d, adaptive_avg_pool2d, avg_pool1d, avg_pool2d, max_pool1d, max_pool2d
from .sparse import embedding, one_hot
from .toeplitz import toeplitz
from .upsampling import interpolate

__all__ = ["relu", "sigmoid", "tanh", "softplus", "gelu", "leaky_relu", "elu", "silu", "softmax", "log_softmax",
           "linear", "conv1d", "conv2d", "conv_transpose1d", "conv_transpose2d", "pad", "interpolate",
           "max_pool1d", "max_pool2d", "avg_pool1d", "avg_pool2d", "adaptive_avg_pool1d", "adaptive_avg_pool2d",
           "dropout", "batch_norm", "layer_norm", "group_norm", "normalize", "embedding", "one_hot",
           "cross_entropy", "nll_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits", "mse_loss",
           "l1_loss", "smooth_l1_loss", "huber_loss", "logistic_loss", "toeplitz"]
