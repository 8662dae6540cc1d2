"""``checkpoint``: rematerialization — keep a function's inputs, recompute its insides for backward.

``cr.checkpoint(f)(*args)`` computes f(*args) without keeping any of f's intermediate
values; the backward pass runs f again on the saved inputs (under reverse mode) to get
them back. Memory falls from every intermediate of f to f's inputs, for one more forward
pass of f (``jax.checkpoint``, ``torch.utils.checkpoint``).

It is one op to every transform: the eager tape and ``grad``/``vjp`` keep only its
inputs; ``jvp`` differentiates ``f`` directly. Tensors that ``f`` reads without receiving
them and that require grad — a module's parameters — are found on the first call (and
whenever they change) and become inputs of the op too, so they get their gradients, as
in PyTorch. Inside a transform, values being differentiated must be passed as arguments;
a function closed over one is refused, since its derivative would be lost.
"""

import contextlib
import functools

import numpy as np

from .. import ops
from ..api.wrap import as_tensor
from ..core import backprop, pytree
from ..core.bind import bind
from ..core.errors import TracerError
from ..core.state import STATE, enable_grad
from ..core.tensor import Tensor, zero_like
from ..core.tracer import Tracer
from . import transforms
from .vmap import vmap
from .function import (as_inputs, input_cotangents, output_cotangents, pack_outputs, packed_dtype,
                       repack_tangents, unpack_outputs, user_primitive)


class _Read(Exception):
    """Raised out of a forward pass that read tensors requiring grad it was not given as inputs."""

    def __init__(self, tensors):
        super().__init__("internal: checkpoint inputs changed")
        self.tensors = tensors


@contextlib.contextmanager
def _tape_off_watching():
    """The eager tape off — without freezing active transforms, unlike ``no_grad``, so that a
    closed-over value being differentiated shows up as a traced output instead of vanishing —
    and a list of the tensors requiring grad that ops read."""
    previous = STATE.grad_enabled, STATE.watch
    STATE.grad_enabled, STATE.watch = False, []
    try:
        yield STATE.watch
    finally:
        STATE.grad_enabled, STATE.watch = previous


class _Call:
    """Per call: the arguments' structure and count, and the outputs' layout."""

    __slots__ = ("rebuild", "count", "layout")

    def __init__(self, rebuild, count):
        self.rebuild, self.count, self.layout = rebuild, count, None


class checkpoint:  # noqa: N801 (a decorator, as jax.checkpoint)
    """``f`` recomputed in the backward pass instead of keeping its intermediates.

    >>> block = cr.checkpoint(lambda h: cr.relu(h @ W1) @ W2)
    >>> loss = block(x).sum(); loss.backward()     # W1, W2 get gradients; h @ W1 is recomputed
    """

    def __init__(self, fun):
        functools.update_wrapper(self, fun, updated=())
        self.fun = fun
        self.read = []  # tensors requiring grad that fun reads without receiving them
        name = f"checkpoint({getattr(fun, '__name__', type(fun).__name__)})"
        self._prim = user_primitive(name, self._forward, self._vjp, self._jvp)
        self._prim.batch = self._batch

    def _run(self, call, values):
        return self.fun(*call.rebuild(list(values)))

    def _forward(self, *raw, call):
        with _tape_off_watching() as read:
            out = self._run(call, as_inputs(raw[:call.count]))
        known = {id(t) for t in self.read}
        new = [t for t in dict.fromkeys(read) if id(t) not in known]
        if new:
            raise _Read(self.read + new)
        if any(isinstance(o, Tracer) for o in pytree.flatten(out)[0]):
            raise TracerError(f"{self._prim.name}: the function uses values that a transform is differentiating "
                              f"without receiving them as arguments; pass them as arguments so that their "
                              f"derivative is not lost")
        packed, call.layout = pack_outputs(out, self._prim.name)
        return packed

    def _vjp(self, needed, g, ans, *args, call):
        grads = output_cotangents(g, call.layout)
        if not isinstance(g, Tensor):
            cotangents = self._recomputed_cotangents(args, grads, call)
        else:  # rules on tensors (create_graph, transforms): the cotangents must stay functions of args
            with enable_grad():
                out, vjp_fn = transforms.vjp(lambda *xs: self._run(call, xs), *as_inputs(args[:call.count]))
                cotangents = list(vjp_fn(grads[0] if call.layout is None else grads))
                if not isinstance(g, Tracer) and any(needed[call.count:]):
                    cotangents += self._sweep(out, grads, lambda value: value, [id(t) for t in self.read])
        cotangents += [None] * (len(args) - len(cotangents))
        return input_cotangents(cotangents, args, g, self._prim.name)

    def _recomputed_cotangents(self, args, grads, call):
        """The eager backward: f once more on fresh leaves with the tape on, and one sweep from
        Σ out·g to them and to the tensors f read."""
        leaves = [as_tensor(a) for a in args[:call.count]]
        for leaf in leaves:
            if leaf.dtype.kind in "fc":
                leaf.requires_grad = True
        with enable_grad():
            out = self._run(call, leaves)
            return self._sweep(out, grads, None, [id(leaf) for leaf in leaves] + [id(t) for t in self.read])

    @staticmethod
    def _sweep(out, grads, value_of, wanted):
        """Cotangents, from Σ out·g, of the tape leaves whose ids are ``wanted`` (None if not reached);
        called with the tape on, so that Σ out·g is recorded."""
        roots = [(o * as_tensor(gi)).sum() for o, gi in zip(pytree.flatten(out)[0], grads) if o.requires_grad]
        if not roots:
            return [None] * len(wanted)
        root = sum(roots[1:], roots[0])
        seed = np.ones_like(root._data)
        reached = backprop.sweep(root, seed if value_of is None else Tensor._wrap(seed), value_of, release=value_of is None)
        by_id = {id(leaf): ct for leaf, ct in reached}
        return [by_id.get(key) for key in wanted]

    def _jvp(self, tangents, ans, *args, call):
        if any(t is not None for t in tangents[call.count:]):
            raise TracerError(f"{self._prim.name}: forward mode through tensors the function reads without "
                              f"receiving them; pass them as arguments")
        inputs = args[:call.count]
        filled = tuple(zero_like(a) if t is None else t for t, a in zip(tangents, inputs))
        out = transforms.jvp(lambda *xs: self._run(call, xs), tuple(inputs), filled)[1]
        return out if call.layout is None else repack_tangents(out, call.layout)

    def _batch(self, args, dims, params):
        """Under vmap: the checkpoint of the function mapped over the batch."""
        call = params["call"]
        inputs, axes = args[:call.count], dims[:call.count]
        mapped = vmap(lambda *xs: self._run(call, xs), in_axes=tuple(axes))
        out = checkpoint(mapped)(*inputs)
        if not isinstance(out, (tuple, list)):
            return out, 0
        size = out[0].shape[0]  # several outputs: packed example by example, as the primitive packs them
        call.layout = [(tuple(o.shape[1:]), o.dtype) for o in out]
        return ops.concatenate([ops.reshape(ops.astype(o, packed_dtype(call.layout)), (size, -1)) for o in out],
                               axis=1), 0

    def __call__(self, *args):
        leaves, rebuild = pytree.flatten(args)
        leaves = [as_tensor(leaf) if not isinstance(leaf, (int, float, str, type(None))) else leaf for leaf in leaves]
        while True:
            call = _Call(rebuild, len(leaves))
            try:
                out = bind(self._prim, *leaves, *self.read, call=call)
            except _Read as found:  # first call, or f reads other tensors now: they become inputs too
                self.read = found.tensors
                continue
            return out if call.layout is None else unpack_outputs(out, call.layout)
