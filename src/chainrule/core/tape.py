"""The eager tape (level 0): recording ops on tensors, and ``Tensor.backward``.

An op on tensors of which one requires grad (with grad mode on) returns a tensor
with a ``Node``: the primitive, its params, its inputs and their version counters
at that moment. ``backward`` runs the shared reverse sweep over those nodes. Without
``create_graph`` the rules run on plain arrays (the fast path: one NumPy call per
rule step); with it they run on tensors and are themselves recorded.
"""

import itertools

import numpy as np

from . import backprop
from .errors import AnomalyError, BackwardError, OpIndexError, OpTypeError, ShapeError
from .state import STATE, _grad_mode, user_site
from .tensor import Tensor


_SEQUENCE = itertools.count()


class Node:
    """One recorded application of a primitive (PyTorch's ``grad_fn``)."""

    __slots__ = ("prim", "params", "inputs", "needed", "versions", "out_version", "site", "seq")

    def __init__(self, prim, params, inputs, needed, versions, site):
        self.seq = next(_SEQUENCE)  # creation order: inputs always have smaller numbers
        self.prim = prim
        self.params = params
        self.inputs = inputs
        self.needed = needed  # which inputs belong to the graph (require grad / are this level's tracers)
        self.versions = versions
        self.out_version = 0
        self.site = site

    @property
    def name(self):
        return f"{self.prim.name}Backward"

    def __repr__(self):
        return f"<{self.name}>"


def describe_operands(raw):
    parts = []
    for a in raw:
        if isinstance(a, np.ndarray) or isinstance(a, np.generic):
            parts.append(f"{tuple(a.shape)} {a.dtype}")
        else:
            parts.append(repr(a))
    return ", ".join(parts)


_ERROR_TYPES = ((IndexError, OpIndexError), (TypeError, OpTypeError), (ValueError, ShapeError))


def op_error(prim, raw, params, error):
    """Re-raise a NumPy failure as chainrule's error naming the op, operands and call site."""
    detail = ", ".join(f"{k}={v!r}" for k, v in params.items() if k not in ("index",))
    message = (f"{prim.name}: cannot apply to operands of shapes/dtypes [{describe_operands(raw)}]"
               f"{' with ' + detail if detail else ''}: {error} (called at {user_site()})")
    for builtin, ours in _ERROR_TYPES:
        if isinstance(error, builtin):
            return ours(message)
    return error


def apply_eager(prim, args, params):
    """Evaluate ``prim`` on concrete values; record a node when a tensor input requires grad."""
    raw = []
    needed = []
    versions = []
    tensor_in = False
    record = False
    for a in args:
        if isinstance(a, Tensor):
            if isinstance(a, Tracer):  # escaped from a transform that has returned
                return bind(prim, *[lower_dead(x) for x in args], **params)
            tensor_in = True
            raw.append(a._data)
            versions.append(a._version if a._base is None else a._base._version)
            requires = a._requires_grad
            needed.append(requires)
            if requires:
                record = True
        else:
            raw.append(a)
            versions.append(0)
            needed.append(False)
    try:
        out = prim.impl(*raw, **params)
    except (ValueError, TypeError, IndexError) as error:
        raise op_error(prim, raw, params, error) from error
    if not tensor_in:
        return out
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    if STATE.anomaly and out.dtype.kind in "fc" and not np.isfinite(out).all():
        raise AnomalyError(f"detect_anomaly: {prim.name} forward produced NaN or inf (called at {user_site()})")
    result = Tensor._wrap(out)
    if out.base is not None:
        _link_view(result, out.base, args)
    if record and prim.differentiable and STATE.grad_enabled:
        result._requires_grad = True
        # tuples of numbers: CPython's garbage collector stops tracking them, which matters
        # for graphs of millions of nodes
        result._node = Node(prim, params, args, tuple(needed), None if prim.linear else tuple(versions),
                            user_site() if STATE.anomaly else None)
        if result._base is not None:
            result._node.out_version = result.version
    return result


from .primitive import bind, lower_dead  # noqa: E402
from .tracer import Tracer  # noqa: E402


def _same_value(value):
    return value


def _link_view(result, owner, args):
    """Make ``result`` share the version counter of the input tensor whose memory it views."""
    for a in args:
        if isinstance(a, Tensor) and (a._data is owner or a._data.base is owner):
            result._base = a if a._base is None else a._base
            return


def _check_versions(value, node):
    for position, (a, saved) in enumerate(zip(node.inputs, node.versions)):
        if isinstance(a, Tensor) and a.version != saved:
            _raise_modified(node, f"argument {position} (now at version {a.version}, saved at version {saved})")
    if value.version != node.out_version:
        _raise_modified(node, "its output")


def _raise_modified(node, which):
    raise BackwardError(
        f"{node.prim.name}: one of the tensors needed for gradient computation has been modified by "
        f"an in-place operation: {which}. Avoid changing it in place before backward, or clone it first.")


def backward(root, gradient=None, retain_graph=False, create_graph=False):
    """Eager reverse mode: accumulate cotangents into ``.grad`` of the leaves.

    As in PyTorch, ``create_graph=True`` also retains the graph (the recorded backward
    pass refers to it).
    """
    from .tracer import Tracer

    if isinstance(root, Tracer):
        raise BackwardError("backward() on a value traced by a transform; use cr.grad or cr.vjp inside transforms")
    if not root._requires_grad:
        raise BackwardError("backward: this tensor does not require grad and has no grad_fn; "
                            "create its inputs with requires_grad=True")
    seed = _seed(root, gradient, create_graph)
    value_of = _same_value if create_graph else None
    with _grad_mode(create_graph):
        leaves = backprop.sweep(root, seed, value_of, release=not (retain_graph or create_graph),
                                check=_check_versions)
        _accumulate(leaves, create_graph, None if create_graph else seed)


def _seed(root, gradient, create_graph):
    if gradient is None:
        if root._data.size != 1:
            raise BackwardError(
                f"backward: grad can be implicitly created only for outputs with one element; this output "
                f"has shape {root.shape}. Pass gradient= (the cotangent, of shape {root.shape}).")
        seed = np.ones(root.shape, root.dtype)
    elif isinstance(gradient, Tensor):
        if create_graph:
            seed = gradient
        else:
            seed = gradient._data
    else:
        seed = np.asarray(gradient, dtype=root.dtype)
    if seed.shape != root.shape:
        raise ShapeError(f"backward: gradient has shape {tuple(seed.shape)} but the output has shape {root.shape}")
    if seed.dtype != root.dtype:
        seed = seed.astype(root.dtype) if not isinstance(seed, Tensor) else seed.astype(root.dtype)
    if create_graph and not isinstance(seed, Tensor):
        seed = Tensor._wrap(seed)
    return seed


def _accumulate(leaves, create_graph, seed=None):
    """Add each leaf's cotangent to its ``.grad``.

    A new ``.grad`` must not share memory with another gradient or with the seed the
    user passed (in-place changes of one would change the other): it is copied when
    its memory was already handed out in this pass, or is read-only (a broadcast).
    A view of a freshly computed array (a transpose, a reshape) is kept as it is.
    """
    handed_out = set() if seed is None else {id(seed if seed.base is None else seed.base)}
    for leaf, ct in leaves:
        if ct is None:
            if leaf.grad is None:
                leaf.grad = Tensor._wrap(np.zeros(leaf.shape, leaf.dtype))
            continue
        if create_graph:
            leaf.grad = ct if leaf.grad is None else leaf.grad + ct
            continue
        if type(ct) is not np.ndarray:
            ct = np.asarray(ct)
        if leaf.grad is None:
            owner = ct if ct.base is None else ct.base
            if not ct.flags.writeable or id(owner) in handed_out:
                ct = ct.copy()
                owner = ct
            handed_out.add(id(owner))
            leaf.grad = Tensor._wrap(ct)
        else:
            leaf.grad = Tensor._wrap(leaf.grad._data + ct)
