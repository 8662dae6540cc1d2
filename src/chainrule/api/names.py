"""The one table of public op names, from which ``cr.X`` and the method ``x.X`` are made.

Each entry names an op of ``chainrule.ops``, how many leading arguments are arrays
(Python data there becomes tensors, lists holding tensors are stacked) and whether
the op is also a Tensor method (``x.exp()``, ``x.sum(axis=0)``), called with the tensor
as its first argument. ``cr.X`` has the op's own signature and always returns a
Tensor; the method is the op itself. Exposing a new op is one line here.
"""

import functools

import numpy as np

from ..core.tensor import Tensor
from ..ops import elementwise, linalg, reductions, shape
from ..ops import cumulative, diagonals, indexing, rearrange, rounding, sorting, tensor_products, transcendental
from .wrap import as_tensor


class PublicOp:
    __slots__ = ("name", "function", "arrays", "method")

    def __init__(self, name, function, arrays, method):
        self.name, self.function, self.arrays, self.method = name, function, arrays, method


def _entries(module, names, arrays, method=True):
    return [PublicOp(name, getattr(module, name), arrays, method) for name in names.split()]


TABLE = (
    _entries(elementwise, "exp log log1p sqrt sin cos tan tanh sigmoid relu softplus abs sign erf", 1)
    + _entries(elementwise, "logical_not isfinite real imag", 1, method=False)
    + _entries(elementwise, "conj", 1)
    + _entries(elementwise, "maximum minimum power", 2)
    + _entries(elementwise, "add sub mul div equal not_equal less less_equal greater greater_equal logical_and "
                            "logical_or", 2, method=False)
    + _entries(elementwise, "where", 3, method=False)
    + _entries(elementwise, "clip", 3)
    + _entries(elementwise, "astype", 1, method=False)  # a method of its own (x.astype("float64"))
    + _entries(reductions, "sum mean var max min prod logsumexp any all argmax argmin", 1)
    + _entries(shape, "swapaxes expand_dims squeeze broadcast_to pad flip flatten", 1)
    + _entries(shape, "reshape transpose", 1, method=False)  # methods of their own (x.reshape(2, 3))
    + _entries(shape, "concatenate stack", 0, method=False)
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
    + _entries(cumulative, "cumsum cumprod", 1)
    + _entries(sorting, "argsort argpartition", 1)
    + _entries(sorting, "sort partition", 1, method=False)  # in place on ndarray; PyTorch's x.sort() adds indices
    + _entries(indexing, "take", 1)
    + _entries(indexing, "take_along_axis", 1, method=False)
    + _entries(rearrange, "ravel", 1)
    + _entries(rearrange, "moveaxis rollaxis roll rot90 flipud fliplr tile atleast_1d atleast_2d atleast_3d", 1,
               method=False)
    + _entries(rearrange, "repeat", 1, method=False)  # x.repeat is np.repeat in NumPy but tile in PyTorch
    + _entries(diagonals, "diagonal", 1)
    + _entries(diagonals, "diag diagflat tril triu", 1, method=False)
    + _entries(tensor_products, "tensordot inner kron cross vdot", 2, method=False)
    + _entries(elementwise, "conjugate copy", 1)
    + _entries(sorting, "searchsorted", 1)
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


def public(fn, arrays):
    """``fn`` as a public function (see the module docstring)."""
    @functools.wraps(fn)
    def public_fn(*args, **kwargs):
        if arrays and args and not (isinstance(args[0], Tensor) and all(isinstance(a, Tensor) for a in args[1:arrays])):
            args = _operands(args[:arrays]) + args[arrays:]
        return as_tensor(fn(*args, **kwargs))

    return public_fn


def public_functions():
    """``{name: function}`` for every op in the table and its aliases."""
    functions = {op.name: public(op.function, op.arrays) for op in TABLE}
    functions.update({alias: public(getattr(elementwise, target), 1 if target == "neg" else 2)
                      for alias, target in ALIASES.items()})
    return functions
