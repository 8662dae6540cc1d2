"""``cr.autograd``: where PyTorch programs find ``Function`` (``torch.autograd.Function``).

The same class as ``cr.Function``: subclasses define staticmethods ``forward(ctx, ...)``
and ``backward(ctx, ...)`` and are called as ``MyFunction.apply(...)``.
"""

from .func.function import Function, FunctionCtx

__all__ = ["Function", "FunctionCtx"]
