"""``vmap``: a function of one example, run on a whole batch at once (JAX's semantics).

``vmap(f, in_axes, out_axes)(*args)`` opens a batching level: each argument with a mapped
axis is boxed in a ``BatchTracer`` that carries the batched value and where its batch axis
is, and shows ``f`` the shape of a single example. Every op on such tracers is handed to
its primitive's batching rule (declared with the primitive: elementwise ops broadcast,
reductions and shape ops shift their axes, matmul and convolutions fold the batch into
axes they already have), which runs the op once on the whole batch, one level down. So
vmap composes with every other transform in either order: ``vmap(grad(f))`` gives
per-example gradients, ``grad(lambda x: vmap(f)(x).sum())`` differentiates through it,
``jit(vmap(f))`` compiles the batched program.

A primitive without a batching rule (a user ``Function``, a ``custom_vjp``) runs in a loop
over the batch, with a one-time warning naming it.
"""

import warnings

import numpy as np

from .. import ops
from ..api.wrap import as_tensor
from ..core import pytree
from ..core.errors import ShapeError
from ..core.tracer import Trace, Tracer, new_level
from ..ops.declare import batch_by_loop

_WARNED = set()


class BatchTracer(Tracer):
    """A batched value one level down (``_primal``) with its batch axis at ``_batch_axis``.

    Its own array (``_data``) is a view of the first example, so that ``shape``, ``ndim``
    and ``dtype`` are those of one example, as ``f`` expects."""

    __slots__ = ("_batch_axis",)

    def __init__(self, trace, value, batch_axis):
        super().__init__(trace, value)
        data = self._data
        self._data = (data[(slice(None),) * batch_axis + (0,)] if data.shape[batch_axis]
                      else np.empty(data.shape[:batch_axis] + data.shape[batch_axis + 1:], data.dtype))
        self._batch_axis = batch_axis


class BatchTrace(Trace):
    def __init__(self, level, size):
        super().__init__(level)
        self.size = size

    def process(self, prim, args, params):
        values, dims = [], []
        for a in args:
            if isinstance(a, BatchTracer) and a._trace is self:
                values.append(a._primal)
                dims.append(a._batch_axis)
            else:
                values.append(a)
                dims.append(None)
        rule = prim.batch
        if rule is None:
            if prim.name not in _WARNED:
                _WARNED.add(prim.name)
                warnings.warn(f"vmap: {prim.name} has no batching rule, so it runs in a loop over the batch",
                              RuntimeWarning, stacklevel=2)
            rule = batch_by_loop(prim)
        out, out_axis = rule(values, dims, params)
        return BatchTracer(self, out, out_axis)


def _axes_for(spec, tree, what):
    """One axis (or None) per leaf of ``tree``: ``spec`` is an int, None, or a prefix of the
    tree's structure (a tuple/list per sequence, a dict per dict), as in JAX."""
    if spec is None or isinstance(spec, int):
        return [spec] * len(pytree.flatten(tree)[0])
    if isinstance(spec, (tuple, list)) and isinstance(tree, (tuple, list)) and len(spec) == len(tree):
        return [axis for s, t in zip(spec, tree) for axis in _axes_for(s, t, what)]
    if isinstance(spec, dict) and isinstance(tree, dict) and set(spec) == set(tree):
        return [axis for key in tree for axis in _axes_for(spec[key], tree[key], what)]
    raise ValueError(f"vmap: {what}={spec!r} does not match the structure of the values it describes")


def _normalized(axis, ndim, what):
    if not -ndim <= axis < ndim:
        raise ShapeError(f"vmap: {what} axis {axis} is out of range for a value of {ndim} dimension(s)")
    return axis % ndim


def _move_axis(value, source, target):
    if source == target:
        return value
    order = [i for i in range(value.ndim) if i != source]
    order.insert(target, source)
    return ops.transpose(value, tuple(order))


def vmap(f, in_axes=0, out_axes=0, axis_size=None):
    """``f`` mapped over an axis of its arguments, as ``jax.vmap``.

    Parameters
    ----------
    f : callable
        A function of one example; it may return a tensor or a tuple/list/dict of them.
    in_axes : int, None, or a tuple/dict prefix of the arguments
        The batch axis of each argument (None: the argument is shared by every example).
    out_axes : int, None, or a prefix of the outputs
        Where the batch axis goes in each output (None: the output must not depend on
        the example, and is returned once).
    axis_size : int, optional
        The batch size, needed only when no argument is mapped.

    >>> cr.vmap(lambda x, w: x @ w, in_axes=(0, None))(xs, w)       # each row times w
    >>> cr.vmap(cr.grad(loss), in_axes=(None, 0, 0))(params, X, y)  # per-example gradients
    """
    def mapped(*args):
        spec = tuple(in_axes) if isinstance(in_axes, list) else in_axes
        if isinstance(spec, tuple) and len(spec) != len(args):
            raise ValueError(f"vmap: in_axes has {len(spec)} entries for {len(args)} positional arguments")
        leaves, rebuild = pytree.flatten(args)
        axes = _axes_for(spec, args, "in_axes")
        leaves = [as_tensor(leaf) if axis is not None else leaf for leaf, axis in zip(leaves, axes)]
        axes = [None if axis is None else _normalized(axis, leaf.ndim, "in_axes") for leaf, axis in zip(leaves, axes)]
        sizes = {leaf.shape[axis] for leaf, axis in zip(leaves, axes) if axis is not None}
        if axis_size is not None:
            sizes.add(axis_size)
        if len(sizes) != 1:
            raise ValueError(f"vmap: the mapped axes have different sizes {sorted(sizes)}" if sizes else
                             "vmap: no argument is mapped (all in_axes are None); give axis_size")
        size = sizes.pop()
        with new_level(BatchTrace, size) as trace:
            boxes = [BatchTracer(trace, leaf, axis) if axis is not None else leaf for leaf, axis in zip(leaves, axes)]
            out = f(*rebuild(boxes))
            out_leaves, out_rebuild = pytree.flatten(out)
            targets = _axes_for(out_axes, out, "out_axes")
            results = [_unbatched(o, target, trace) for o, target in zip(out_leaves, targets)]
        return out_rebuild(results)

    mapped.__name__ = f"vmap({getattr(f, '__name__', 'f')})"
    return mapped


def _unbatched(out, target, trace):
    """An output of the mapped function as a value of the calling level, batch axis at ``target``."""
    if isinstance(out, BatchTracer) and out._trace is trace:
        value, axis = out._primal, out._batch_axis
    else:
        value, axis = as_tensor(out), None
    if target is None:
        if axis is not None:
            raise ValueError("vmap: out_axes=None for an output that depends on the mapped axis")
        return as_tensor(value)
    if axis is None:  # the same for every example: repeat it along the batch
        value = ops.broadcast_to(ops.expand_dims(value, 0), (trace.size,) + tuple(value.shape))
        axis = 0
    value = as_tensor(value)
    return _move_axis(value, axis, _normalized(target, value.ndim, "out_axes"))


__all__ = ["vmap", "BatchTracer", "BatchTrace"]
