"""The Tensor: a NumPy array plus the bookkeeping of the eager tape.

A Tensor holds ``_data`` (an ndarray, shared with ``x.numpy()``), a
``requires_grad`` flag, ``grad`` (a Tensor once a backward pass reached it),
``_node`` (the op that produced it on the tape; ``None`` for leaves) and a
``_version`` counter bumped by every in-place change. A tensor whose array is a view
of another tensor's array (a slice, a reshape, ``detach()``) keeps that tensor as its
``_base`` and shares its version counter, as in PyTorch: changing either in place is
seen by a backward pass that saved the other. Its operators and methods
are thin calls into ``chainrule.ops``; transforms box Tensors into subclasses
(tracers) that reuse every method.
"""

import numpy as np

from .dtypes import as_array
from .errors import DtypeError, OpIndexError
from .state import STATE


class Tensor:
    __slots__ = ("_data", "_requires_grad", "grad", "_node", "_version", "_base", "__weakref__")

    __array_ufunc__ = None  # NumPy defers to our reflected operators: ndarray * Tensor -> Tensor

    def __init__(self, data, dtype=None, requires_grad=False):
        if isinstance(data, Tensor):
            data = data._data
        self._data = as_array(data, dtype)
        self._requires_grad = False
        self.grad = None
        self._node = None
        self._version = 0
        self._base = None
        if requires_grad:
            self.requires_grad = True

    @classmethod
    def _wrap(cls, array):
        """A Tensor around an ndarray, without copying or checking (internal fast path)."""
        t = object.__new__(Tensor)
        t._data = array
        t._requires_grad = False
        t.grad = None
        t._node = None
        t._version = 0
        t._base = None
        return t

    @property
    def version(self):
        """How many in-place changes this tensor (or the tensor it is a view of) has seen."""
        return self._version if self._base is None else self._base._version

    def _bump_version(self):
        owner = self if self._base is None else self._base
        owner._version += 1

    # ----------------------------------------------------------------- metadata
    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        if flag and self._data.dtype.kind not in "fc":
            raise DtypeError(
                f"requires_grad=True needs a floating dtype, but this tensor is {self._data.dtype}; "
                f"only floating tensors can require gradients (use cr.tensor(..., dtype=np.float64))")
        if not flag and self._node is not None:
            raise RuntimeError("requires_grad can only be turned off on leaf tensors; use .detach()")
        self._requires_grad = bool(flag)

    def requires_grad_(self, flag=True):
        self.requires_grad = flag
        return self

    @property
    def shape(self):
        return self._data.shape

    @property
    def dtype(self):
        return self._data.dtype

    @property
    def ndim(self):
        return self._data.ndim

    @property
    def size(self):
        return self._data.size

    def numel(self):
        return self._data.size

    @property
    def is_leaf(self):
        return self._node is None

    @property
    def grad_fn(self):
        """The tape node that produced this tensor (``None`` for leaves)."""
        return self._node

    @property
    def T(self):
        return ops.transpose(self)

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    # --------------------------------------------------------------- conversions
    def numpy(self):
        """The underlying ndarray; shares memory with the tensor (as in PyTorch)."""
        return self._data

    def item(self):
        if self._data.size != 1:
            raise ValueError(f"item(): only one-element tensors can be converted, this one has shape {self.shape}")
        return self._data.item()

    def tolist(self):
        return self._data.tolist()

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __index__(self):
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError(f"only integer tensors of one element can be used as an index (got {self.dtype}, shape {self.shape})")
        return int(self._data.item())

    def __bool__(self):
        if self._data.size != 1:
            raise ValueError(f"the truth value of a tensor of shape {self.shape} is ambiguous; use .any() or .all()")
        return bool(self._data.item())

    def detach(self):
        """A tensor sharing this one's data (and version counter), outside every gradient computation."""
        t = Tensor._wrap(self._data)
        t._base = self if self._base is None else self._base
        return t

    def astype(self, dtype):
        return ops.astype(self, np.dtype(dtype))

    def float(self):
        return self.astype(np.float32)

    def double(self):
        return self.astype(np.float64)

    def __repr__(self):
        body = np.array2string(self._data, separator=", ", prefix="tensor(")
        extras = []
        if self._data.dtype not in (np.float32, np.int64, np.bool_):
            extras.append(f"dtype={self._data.dtype}")
        if self._node is not None:
            extras.append(f"grad_fn=<{self._node.name}>")
        elif self._requires_grad:
            extras.append("requires_grad=True")
        return "tensor(" + ", ".join([body] + extras) + ")"

    __hash__ = object.__hash__

    # ----------------------------------------------------------------- autodiff
    def backward(self, gradient=None, retain_graph=False, create_graph=False):
        """Accumulate d(self)/d(leaf) into ``leaf.grad`` for every leaf requiring grad.

        ``gradient`` is the cotangent (required unless ``self`` has one element);
        ``retain_graph`` keeps the graph for another backward; ``create_graph``
        records the backward pass so that gradients can be differentiated again.
        """
        tape.backward(self, gradient, retain_graph, create_graph)

    # ---------------------------------------------------------------- operators
    def __add__(self, other):
        return bind(add_p, self, other)

    def __radd__(self, other):
        return bind(add_p, other, self)

    def __sub__(self, other):
        return bind(sub_p, self, other)

    def __rsub__(self, other):
        return bind(sub_p, other, self)

    def __mul__(self, other):
        return bind(mul_p, self, other)

    def __rmul__(self, other):
        return bind(mul_p, other, self)

    def __truediv__(self, other):
        return bind(div_p, self, other)

    def __rtruediv__(self, other):
        return bind(div_p, other, self)

    def __pow__(self, other):
        return bind(power_p, self, other)

    def __rpow__(self, other):
        return bind(power_p, other, self)

    def __matmul__(self, other):
        return ops.matmul(self, other)

    def __rmatmul__(self, other):
        return ops.matmul(other, self)

    def __neg__(self):
        return bind(neg_p, self)

    def __pos__(self):
        return self

    def __abs__(self):
        return ops.abs(self)

    def __eq__(self, other):
        return ops.equal(self, other)

    def __ne__(self, other):
        return ops.not_equal(self, other)

    def __lt__(self, other):
        return ops.less(self, other)

    def __le__(self, other):
        return ops.less_equal(self, other)

    def __gt__(self, other):
        return ops.greater(self, other)

    def __ge__(self, other):
        return ops.greater_equal(self, other)

    def __invert__(self):
        return ops.logical_not(self)

    def __and__(self, other):
        return ops.logical_and(self, other)

    def __rand__(self, other):
        return ops.logical_and(other, self)

    def __or__(self, other):
        return ops.logical_or(self, other)

    def __ror__(self, other):
        return ops.logical_or(other, self)

    def __getitem__(self, index):
        return ops.getitem(self, index)

    # In-place arithmetic mutates the tensor, as in PyTorch and NumPy.
    def __iadd__(self, other):
        return self.add_(other)

    def __isub__(self, other):
        return self.sub_(other)

    def __imul__(self, other):
        return self.mul_(other)

    def __itruediv__(self, other):
        return self.div_(other)

    # ----------------------------------------------------------------- in place
    def add_(self, other):
        """``self += other`` in place (bumps the version counter)."""
        return inplace.apply(self, "add_", np.add, ops.add, other)

    def sub_(self, other):
        """``self -= other`` in place (bumps the version counter)."""
        return inplace.apply(self, "sub_", np.subtract, ops.sub, other)

    def mul_(self, other):
        """``self *= other`` in place (bumps the version counter)."""
        return inplace.apply(self, "mul_", np.multiply, ops.mul, other)

    def div_(self, other):
        """``self /= other`` in place (bumps the version counter)."""
        return inplace.apply(self, "div_", np.true_divide, ops.div, other)

    def zero_(self):
        """Fill with zeros in place (bumps the version counter)."""
        return inplace.assign(self, "zero_", lambda old: ops.mul(old, 0), 0)

    def copy_(self, source):
        """Copy ``source`` (broadcast to this shape) into this tensor in place."""
        return inplace.assign(self, "copy_", lambda old: ops.broadcast_to(ops.astype(source, self.dtype), self.shape), source)

    def __setitem__(self, index, value):
        try:
            return inplace.assign(self, "setitem", lambda old: ops.index_update(old, value, index), value,
                                  index=index)
        except IndexError as error:
            raise OpIndexError(f"setitem: index {index!r} does not fit a tensor of shape {self.shape}: {error}") from None


_METHOD_NAMES = (
    "exp log log1p sqrt sin cos tan tanh sigmoid relu softplus abs sign "
    "maximum minimum clip power "
    "sum mean var max min prod logsumexp any all argmax argmin "
    "matmul dot swapaxes expand_dims squeeze broadcast_to flip flatten pad"
).split()


def attach_methods(ops_module):
    """Give Tensor a method for every op in ``_METHOD_NAMES`` (called once ``ops`` is loaded):
    the op's function itself, with the tensor as its first argument."""
    for name in _METHOD_NAMES:
        setattr(Tensor, name, getattr(ops_module, name))

    def reshape(self, *shape):
        """``x.reshape(2, 3)`` or ``x.reshape((2, 3))``, as in NumPy."""
        return ops_module.reshape(self, shape[0] if len(shape) == 1 else shape)

    def transpose(self, *axes):
        """``x.transpose()``, ``x.transpose(1, 0, 2)`` or ``x.transpose((1, 0, 2))``."""
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return ops_module.transpose(self, axes or None)

    Tensor.reshape = reshape
    Tensor.view = reshape
    Tensor.transpose = transpose


from .. import ops  # noqa: E402  (ops build on Tensor; ops/__init__ calls attach_methods)
from ..ops.elementwise import add_p, div_p, mul_p, neg_p, power_p, sub_p  # noqa: E402
from . import inplace, tape  # noqa: E402
from .primitive import bind  # noqa: E402  (arithmetic operators bind their primitive directly)

__all__ = ["Tensor", "STATE"]
