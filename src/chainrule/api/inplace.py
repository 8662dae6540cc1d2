"""In-place changes of tensors: ``add_``, ``mul_``, ``copy_``, ``x[i] = v`` ...

Each bumps the tensor's version counter, so a backward pass that needs the old
value raises instead of silently using the new one (PyTorch's rule). When the
change itself must be recorded (grad mode on and something requires grad), the
new value is computed out of place from a snapshot that keeps the old node, and
the tensor adopts the new node, which remembers the snapshot (``replaced``): ops that
used the tensor before the change keep their history (PyTorch's rebase of
``grad_fn``), ops after it see the change. A view (a slice, a reshape) cannot be
changed in place while recording: its base's history would be left behind.
"""

import numpy as np

from .. import ops
from ..core import devices
from ..core.errors import BackwardError, OpIndexError, OpTypeError, ShapeError, TracerError
from ..core.state import STATE
from ..core.tensor import Tensor, array_of
from ..core.tracer import Tracer
from ..ops.transfer import transfer
from .pointwise import scaled


def _recording(target, source):
    return STATE.grad_enabled and (target._requires_grad or (isinstance(source, Tensor) and source._requires_grad))


def _refuse_tracer(target, name):
    if isinstance(target, Tracer):
        raise TracerError(f"{name}: values traced by a transform cannot be changed in place; "
                          f"write `y = ...` (a new value) instead")


def apply(target, name, ufunc, op, other):
    """``target ufunc= other`` in place; ``op`` is the recorded out-of-place twin."""
    _refuse_tracer(target, name)
    if _recording(target, other):
        return assign(target, name, lambda old: op(old, other), other)
    raw = other._data if isinstance(other, Tensor) else other
    try:
        ufunc(target._data, raw, out=target._data, casting="same_kind")
    except (TypeError, ValueError) as error:
        kind = ShapeError if isinstance(error, ValueError) else OpTypeError
        raise kind(f"{name}: cannot update a tensor of shape {target.shape} and dtype {target.dtype} in place "
                   f"with {np.shape(raw)} {np.result_type(raw)}: {error}") from None
    target._bump_version()
    return target


def assign(target, name, compute, source, index=None):
    """Overwrite ``target`` with ``compute(old)``; records the change when needed."""
    _refuse_tracer(target, name)
    recording = _recording(target, source)
    if recording and target._node is None and target._requires_grad:
        raise BackwardError(
            f"{name}: a leaf tensor that requires grad cannot be changed in place while gradients are "
            f"recorded; wrap the update in `with cr.no_grad():`")
    if not recording and index is not None:
        target._data[ops.concrete_index(index)] = source._data if isinstance(source, Tensor) else source
        target._bump_version()
        return target
    old = target
    if recording:
        if target._base is not None:
            raise BackwardError(
                f"{name}: this tensor is a view of another (a slice, a reshape), and changing a view in place "
                f"while gradients are recorded would leave the other's history behind; change the base tensor "
                f"(base[index] = value) or compute a new tensor instead")
        old = Tensor._wrap(target._data.copy())
        old._requires_grad = target._requires_grad
        old._node = target._node
        old._version = target.version
    new = compute(old)
    new_data = array_of(new)
    if np.broadcast_shapes(new_data.shape, target.shape) != target.shape:
        raise ShapeError(f"{name}: a value of shape {new_data.shape} does not fit in place into shape {target.shape}")
    try:
        np.copyto(target._data, new_data, casting="same_kind")
    except TypeError as error:
        raise OpTypeError(f"{name}: cannot write {new_data.dtype} into a {target.dtype} tensor in place: {error}") from None
    target._bump_version()
    if recording:
        target._node = new._node if isinstance(new, Tensor) else None
        target._requires_grad = target._node is not None
        if target._node is not None:
            target._node.out_version = target.version
            target._node.replaced = old  # consumers recorded before this change still see the old history
    return target


# ---------------------------------------------------------------------------- methods
def add_(self, other, *, alpha=1):
    """``self += alpha * other`` in place (bumps the version counter)."""
    return apply(self, "add_", np.add, ops.add, scaled(other, alpha))


def sub_(self, other, *, alpha=1):
    """``self -= alpha * other`` in place (bumps the version counter)."""
    return apply(self, "sub_", np.subtract, ops.sub, scaled(other, alpha))


def mul_(self, other):
    """``self *= other`` in place (bumps the version counter)."""
    return apply(self, "mul_", np.multiply, ops.mul, other)


def div_(self, other):
    """``self /= other`` in place (bumps the version counter)."""
    return apply(self, "div_", np.true_divide, ops.div, other)


def zero_(self):
    """Fill with zeros in place (bumps the version counter)."""
    return assign(self, "zero_", lambda old: ops.mul(old, 0), 0)


def copy_(self, source):
    """Copy ``source`` (broadcast to this shape; from any device, as PyTorch's) into this tensor in place."""
    if isinstance(source, Tensor):
        source = transfer(source, devices.device_of(self._data))
    elif not isinstance(source, (int, float, complex, bool)):
        source = devices.placed_like(source, self._data)
    return assign(self, "copy_", lambda old: ops.broadcast_to(ops.astype(source, self.dtype), self.shape), source)


def setitem(self, index, value):
    """``self[index] = value`` in place (bumps the version counter)."""
    try:
        assign(self, "setitem", lambda old: ops.index_update(old, value, index), value, index=index)
    except IndexError as error:
        raise OpIndexError(f"setitem: index {index!r} does not fit a tensor of shape {self.shape}: {error}") from None


def install(cls):
    """The in-place methods and operators of ``cls`` (Tensor): ``x.add_(y)``, ``x += y``, ``x[i] = v`` …"""
    for method in (add_, sub_, mul_, div_, zero_, copy_):
        setattr(cls, method.__name__, method)
    cls.__iadd__, cls.__isub__, cls.__imul__, cls.__itruediv__ = add_, sub_, mul_, div_
    cls.__setitem__ = setitem
