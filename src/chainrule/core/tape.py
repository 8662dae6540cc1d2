"""The eager tape (level 0): the nodes recorded by ops on tensors, and ``backward``.

An op on tensors of which one requires grad (with grad mode on) returns a tensor
with a ``TapeNode``: the primitive, its params, its inputs and their version counters
at that moment (see ``bind``). ``backward`` runs the shared reverse sweep over those
nodes. Without ``create_graph`` the rules run on plain arrays (the fast path: one NumPy
call per rule step); with it they run on tensors and are themselves recorded.
"""

import itertools

import numpy as np

from . import backprop
from .dtypes import as_array
from .errors import BackwardError, ShapeError
from .state import grad_mode
from .tensor import Tensor
from .tracer import Tracer

_SEQUENCE = itertools.count()


class TapeNode:
    """One recorded application of a primitive (PyTorch's ``grad_fn``).

    ``replaced`` is set on the node of an in-place change: a tensor holding what the changed
    tensor was before (its old node and a copy of its old values). Consumers recorded before
    the change reach the old history through it (see ``backprop.sweep``).
    """

    __slots__ = ("prim", "params", "inputs", "needed", "versions", "out_version", "site", "seq", "replaced")

    def __init__(self, prim, params, inputs, needed, versions, site):
        self.seq = next(_SEQUENCE)  # creation order: inputs always have smaller numbers
        self.prim = prim
        self.params = params
        self.inputs = inputs
        self.needed = needed  # which inputs belong to the graph (require grad / are this level's tracers)
        self.versions = versions  # input versions when recorded (None if the VJP reads no values)
        self.out_version = 0
        self.site = site
        self.replaced = None

    @property
    def name(self):
        return f"{self.prim.name}Backward"

    def __repr__(self):
        return f"<{self.name}>"


def _check_versions(value, node):
    """Raise if a value the node's VJP reads was changed in place after it was recorded."""
    prim = node.prim
    unread = prim.unread_inputs
    if unread != "all":
        for position, saved in enumerate(node.versions):
            a = node.inputs[position]
            if isinstance(a, Tensor) and position not in unread:
                now = a._version if a._base is None else a._base._version
                if now != saved:
                    _raise_modified(node, f"argument {position} (now at version {now}, saved at version {saved})")
    if prim.reads_output and (value._version if value._base is None else value._base._version) != node.out_version:
        _raise_modified(node, "its output")


def _raise_modified(node, which):
    raise BackwardError(
        f"{node.prim.name}: one of the tensors needed for gradient computation has been modified by "
        f"an in-place operation: {which}. Avoid changing it in place before backward, or clone it first.")


def _as_is(value):
    return value


def backward(root, gradient=None, retain_graph=False, create_graph=False):
    """Eager reverse mode: accumulate cotangents into ``.grad`` of the leaves.

    As in PyTorch, ``create_graph=True`` also retains the graph (the recorded backward
    pass refers to it).
    """
    if isinstance(root, Tracer):
        raise BackwardError("backward() on a value traced by a transform; use cr.grad or cr.vjp inside transforms")
    if not root._requires_grad:
        raise BackwardError("backward: this tensor does not require grad and has no grad_fn; "
                            "create its inputs with requires_grad=True")
    seed = _seed(root, gradient, create_graph)
    value_of = _as_is if create_graph else None
    with grad_mode(create_graph):
        leaves = backprop.sweep(root, seed, value_of, release=not (retain_graph or create_graph),
                                check=_check_versions)
        _accumulate(leaves, create_graph, None if create_graph else seed)


def _seed(root, gradient, create_graph):
    if gradient is None:
        if root._data.size != 1 or root.dtype.kind == "c":
            raise BackwardError(
                f"backward: grad can be implicitly created only for real outputs with one element; this output "
                f"has shape {root.shape} and dtype {root.dtype}. Pass gradient= (of shape {root.shape}).")
        seed = np.ones_like(root._data)
    elif isinstance(gradient, Tensor):
        seed = gradient if create_graph else gradient._data
    else:
        seed = as_array(gradient, root.dtype)
    if seed.dtype.kind == "c":  # PyTorch's gradient= is the conjugate of the cotangent the rules take
        seed = seed.conj()
    if seed.shape != root.shape:
        raise ShapeError(f"backward: gradient has shape {tuple(seed.shape)} but the output has shape {root.shape}")
    if seed.dtype != root.dtype:
        seed = seed.astype(root.dtype)
    if create_graph and not isinstance(seed, Tensor):
        seed = Tensor._wrap(seed)
    return seed


def _accumulate(leaves, create_graph, seed=None):
    """Add each leaf's cotangent to its ``.grad``.

    The rules' cotangent of a complex leaf z = x + iy is ∂L/∂x − i·∂L/∂y (JAX's convention);
    ``.grad`` holds its conjugate ∂L/∂x + i·∂L/∂y, as PyTorch does, so that a step
    z − lr·z.grad goes downhill.

    A new ``.grad`` must not share memory with another gradient or with the seed the
    user passed (in-place changes of one would change the other): it is copied when
    its memory was already handed out in this pass, or is read-only (a broadcast).
    A view of a freshly computed array (a transpose, a reshape) is kept as it is.
    """
    handed_out = set() if seed is None else {id(seed if seed.base is None else seed.base)}
    for leaf, ct in leaves:
        if ct is not None and ct.dtype.kind == "c":  # .grad is PyTorch's conjugate Wirtinger gradient
            ct = ct.conj()
        if ct is None:
            if leaf.grad is None:
                leaf.grad = Tensor._wrap(np.zeros_like(leaf._data))
            continue
        if create_graph:
            leaf.grad = ct if leaf.grad is None else leaf.grad + ct
            continue
        if leaf.grad is not None:
            leaf.grad = Tensor._wrap(leaf.grad._data + ct)
            continue
        owner = ct if ct.base is None else ct.base
        if not getattr(ct.flags, "writeable", True) or id(owner) in handed_out:  # device arrays: no such flag
            ct = ct.copy()
            owner = ct
        handed_out.add(id(owner))
        leaf.grad = Tensor._wrap(ct)
