"""The one table of public op names, from which ``cr.X`` and the method ``x.X`` are made.

Each entry names an op of ``chainrule.ops`` (or a composition of them with PyTorch's
name and signature, from this package), how many leading arguments are arrays
(Python data there becomes tensors, lists holding tensors are stacked) and whether
the op is also a Tensor method (``x.exp()``, ``x.sum(axis=0)``), called with the tensor
as its first argument. ``cr.X`` has the op's own signature and always returns a
Tensor (or a tuple of Tensors); the method is the op itself. Exposing a new op is one
line here. NumPy-named ops whose PyTorch namesakes call the axis ``dim`` (or ``dims``)
accept that spelling too: ``cr.stack(xs, dim=1)``, ``x.squeeze(dim=0)``.
"""

import functools
import inspect

import numpy as np

from ..core.tensor import Tensor
from ..ops import elementwise, linalg, reductions, shape
from ..ops import cumulative as running, diagonals, rearrange, rounding, tensor_products, transcendental
from ..ops import indexing as selecting, sorting as ordering
from . import indexing, norm, pointwise, shaping
from .wrap import as_tensor


class PublicOp:
    __slots__ = ("name", "function", "arrays", "method")

    def __init__(self, name, function, arrays, method):
        self.name, self.function, self.arrays, self.method = name, function, arrays, method


AXIS_ALIASES = {"squeeze": "dim", "expand_dims": "dim", "flip": "dims", "concatenate": "dim", "stack": "dim"}
"""PyTorch's name for the ``axis`` argument of these NumPy-named ops."""


def accepting_alias(fn, alias):
    """``fn`` whose ``axis`` may also be given under PyTorch's name ``alias`` (a keyword-only argument)."""
    @functools.wraps(fn)
    def aliased(*args, **kwargs):
        if alias in kwargs:
            if "axis" in kwargs:
                raise TypeError(f"{fn.__name__}: give axis or {alias}, not both")
            kwargs["axis"] = kwargs.pop(alias)
        return fn(*args, **kwargs)

    signature = inspect.signature(fn)
    extra = inspect.Parameter(alias, inspect.Parameter.KEYWORD_ONLY, default=None)
    aliased.__signature__ = signature.replace(parameters=[*signature.parameters.values(), extra])
    return aliased


def _entries(module, names, arrays, method=True):
    entries = []
    for name in names.split():
        function = getattr(module, name)
        if name in AXIS_ALIASES:
            function = accepting_alias(function, AXIS_ALIASES[name])
        entries.append(PublicOp(name, function, arrays, method))
    return entries


def _renamed(module, names, arrays, method=True):
    """Entries that expose ops of ``module`` under other names: ``{"eq": "equal"}`` makes ``cr.eq`` and ``x.eq``."""
    return [PublicOp(name, getattr(module, target), arrays, method) for name, target in names.items()]


TABLE = (
    _entries(elementwise, "exp log log1p sqrt sin cos tan tanh sigmoid relu softplus abs sign erf", 1)
    + _entries(elementwise, "logical_not isfinite real imag", 1, method=False)
    + _entries(elementwise, "conj", 1)
    + _entries(elementwise, "maximum minimum power", 2)
    + _entries(pointwise, "add sub mul div pow", 2)
    + _entries(pointwise, "clamp", 1)
    + _entries(elementwise, "equal not_equal less less_equal greater greater_equal logical_and logical_or", 2,
               method=False)
    + _renamed(elementwise, {"eq": "equal", "ne": "not_equal", "lt": "less", "le": "less_equal", "gt": "greater",
                             "ge": "greater_equal"}, 2)  # PyTorch's names, also methods (pred.eq(target))
    + _entries(elementwise, "where", 3, method=False)
    + _entries(elementwise, "clip", 3)
    + _entries(elementwise, "astype", 1, method=False)  # a method of its own (x.astype("float64"))
    + _entries(reductions, "sum mean var max min prod logsumexp any all argmax argmin", 1)
    + _entries(norm, "norm", 1)
    + _entries(shape, "swapaxes expand_dims squeeze broadcast_to pad flip", 1)
    + _entries(shaping, "unsqueeze t flatten chunk", 1)
    + _entries(shape, "reshape transpose", 1, method=False)  # methods of their own (x.reshape(2, 3))
    + _entries(shaping, "permute", 1, method=False)  # a method of its own (x.permute(2, 0, 1))
    + _entries(shape, "concatenate stack", 0, method=False)
    + _entries(shaping, "cat", 0, method=False)
    + _entries(indexing, "masked_fill index_select gather scatter_add", 1)
    + _entries(linalg, "matmul dot", 2)
    + _entries(linalg, "outer", 2, method=False)
    + _entries(linalg, "einsum", 0, method=False)
    + _entries(transcendental, "sinh cosh arcsin arccos arctan arcsinh arccosh arctanh log2 log10 expm1 exp2", 1)
    + _entries(transcendental, "square reciprocal cbrt sinc degrees radians deg2rad rad2deg", 1)
    + _entries(transcendental, "arctan2 hypot logaddexp logaddexp2", 2)
    + _entries(elementwise, "fmax fmin", 2)
    + _entries(elementwise, "isnan isinf", 1, method=False)
    + _entries(rounding, "floor ceil trunc rint fix round", 1)
    + _entries(rounding, "around", 1, method=False)  # NumPy's other name for round
    + _entries(rounding, "floor_divide remainder fmod", 2)
    + _entries(rounding, "mod", 2, method=False)  # NumPy's other name for remainder, and the % operator
    + _entries(reductions, "std", 1)
    + _entries(running, "cumsum cumprod", 1)
    + _entries(ordering, "argsort argpartition", 1)
    + _entries(ordering, "sort partition", 1, method=False)  # ndarray's sort in place; PyTorch's x.sort() is a method
    + _entries(selecting, "take", 1)
    + _entries(selecting, "take_along_axis", 1, method=False)
    + _entries(rearrange, "ravel", 1)
    + _entries(rearrange, "moveaxis rollaxis roll rot90 flipud fliplr tile atleast_1d atleast_2d atleast_3d", 1,
               method=False)
    + _entries(rearrange, "repeat", 1, method=False)  # x.repeat is np.repeat in NumPy but tile in PyTorch
    + _entries(diagonals, "diagonal", 1)
    + _entries(diagonals, "diag diagflat tril triu", 1, method=False)
    + _entries(tensor_products, "tensordot inner kron cross vdot", 2, method=False)
    + _entries(elementwise, "conjugate copy", 1)
    + _entries(ordering, "searchsorted", 1)
)

ALIASES = {"subtract": "sub", "multiply": "mul", "divide": "div", "negative": "neg", "neg": "neg"}
"""NumPy's spellings of the arithmetic ops (``neg`` is public under both names)."""


def _operands(head):
    """Leading array arguments as tensors: Python data becomes a tensor when no tensor or
    array is among them (so ``cr.exp(1.0)`` is a float32 tensor); otherwise only lists
    and tuples are converted, and Python numbers stay weak (``cr.maximum(x, 0.5)`` keeps
    x's dtype)."""
    if any(isinstance(a, (Tensor, np.ndarray)) for a in head):
        return tuple(as_tensor(a) if isinstance(a, (list, tuple)) else a for a in head)
    return tuple(as_tensor(a) if isinstance(a, (list, tuple, float, int)) and not isinstance(a, bool) else a
                 for a in head)


def _tensors(out):
    """A result as Tensors: a tuple (``chunk``) or named tuple (``sort``) element by element."""
    if isinstance(out, tuple):
        parts = [as_tensor(part) for part in out]
        return type(out)(*parts) if hasattr(out, "_fields") else tuple(parts)
    return as_tensor(out)


def public(fn, arrays):
    """``fn`` as a public function (see the module docstring)."""
    @functools.wraps(fn)
    def public_fn(*args, **kwargs):
        if arrays and args and not (isinstance(args[0], Tensor) and all(isinstance(a, Tensor) for a in args[1:arrays])):
            args = _operands(args[:arrays]) + args[arrays:]
        return _tensors(fn(*args, **kwargs))

    return public_fn


def public_functions():
    """``{name: function}`` for every op in the table and its aliases."""
    functions = {op.name: public(op.function, op.arrays) for op in TABLE}
    functions.update({alias: public(getattr(elementwise, target), 1 if target == "neg" else 2)
                      for alias, target in ALIASES.items()})
    return functions
