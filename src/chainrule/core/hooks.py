"""Hooks on tensors: user functions that see (and may replace) a gradient as backward computes it.

``tensor.register_hook(fn)`` calls ``fn(grad)`` when the gradient with respect to that
tensor is complete — before it flows on to the tensor's inputs, or, for a leaf, before
it is added to ``.grad`` — and uses what ``fn`` returns instead, unless that is None
(PyTorch's semantics, on the eager tape). ``tensor.retain_grad()`` keeps the gradient of
a non-leaf in its ``.grad``. Each registration returns a ``RemovableHandle``.
"""

import itertools

from .dtypes import as_array
from .errors import BackwardError, ShapeError
from .tensor import Tensor

_KEYS = itertools.count()


class RemovableHandle:
    """Returned by every ``register_*hook``: ``handle.remove()`` unregisters the hook (also as a
    context manager: the hook is removed when the ``with`` block ends)."""

    def __init__(self, hooks):
        self._hooks = hooks
        self.id = next(_KEYS)

    def remove(self):
        self._hooks.pop(self.id, None)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


def _hooks_of(tensor, who):
    if not tensor._requires_grad:
        raise BackwardError(f"{who}: the tensor does not require grad, so no gradient will reach it")
    if tensor._hooks is None:
        tensor._hooks = {}
    return tensor._hooks


def register_hook(tensor, hook):
    """Call ``hook(grad)`` whenever the gradient with respect to ``tensor`` is computed; a
    returned tensor replaces the gradient. Returns a handle with ``.remove()``."""
    handle = RemovableHandle(_hooks_of(tensor, "register_hook"))
    tensor._hooks[handle.id] = hook
    return handle


_RETAIN = "retain_grad"


def retain_grad(tensor):
    """Keep the gradient of a non-leaf tensor in its ``.grad`` (accumulated, as for leaves), as the
    other hooks leave it: this one always runs last (PyTorch's order)."""
    if tensor._node is None:
        return  # a leaf keeps its gradient anyway

    def keep(grad):
        tensor.grad = grad if tensor.grad is None else tensor.grad + grad

    _hooks_of(tensor, "retain_grad")[_RETAIN] = keep


def retains_grad(tensor):
    """Whether ``retain_grad()`` was called on this non-leaf tensor."""
    return bool(tensor._hooks) and _RETAIN in tensor._hooks


def run_tensor_hooks(tensor, ct):
    """``ct`` after every hook registered on ``tensor``, in registration order. Hooks receive and
    return Tensors; a cotangent that came as a plain array (the eager fast path) goes back one."""
    raw = not isinstance(ct, Tensor)
    grad = Tensor._wrap(ct) if raw else ct
    ordered = [hook for key, hook in tensor._hooks.items() if key != _RETAIN]
    for hook in ordered + ([tensor._hooks[_RETAIN]] if _RETAIN in tensor._hooks else []):
        replaced = hook(grad)
        if replaced is None:
            continue
        if not isinstance(replaced, Tensor):
            replaced = Tensor._wrap(as_array(replaced, tensor.dtype))
        if replaced.shape != tensor.shape:
            raise ShapeError(f"hook {getattr(hook, '__name__', hook)!r} returned a gradient of shape {replaced.shape} "
                             f"for a tensor of shape {tensor.shape}")
        grad = replaced
    return grad._data if raw else grad
