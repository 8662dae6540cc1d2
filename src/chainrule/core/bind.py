"""``bind``: the single path by which every op is applied.

``bind(prim, *args, **params)`` hands the application to the innermost active
transform level among the arguments (each level re-binds one level down); at level 0
it evaluates the primitive's implementation on the arrays and, when a tensor input
requires grad and grad mode is on, records a ``TapeNode`` for ``backward``. A tracer
whose transform has already returned counts as the value it wraps. A view used after its
base was changed in place is first given its base's new history.
"""

import numpy as np

from .errors import AnomalyError, ChainruleError, OpIndexError, OpTypeError, ShapeError
from .state import STATE, user_site
from .tape import TapeNode
from .tensor import Tensor
from .tracer import Tracer, lower_dead


def bind(prim, *args, **params):
    """Apply ``prim``: at the innermost live transform level among ``args``, else eagerly (level 0)."""
    raw, needed, versions = [], [], []
    top = None
    tensor_in = record = False
    for a in args:
        if isinstance(a, Tensor):
            if type(a) is not Tensor and isinstance(a, Tracer):
                trace = a._trace
                if not trace.alive:
                    return bind(prim, *[lower_dead(x) for x in args], **params)
                if top is None or trace.level > top.level:
                    top = trace
                continue
            tensor_in = True
            raw.append(a._data)
            if a._base is None:
                versions.append(a._version)
            else:
                if a._node is not None and a._node.out_version != a._base._version:
                    _refresh_view(a)
                versions.append(a._base._version)
            needed.append(a._requires_grad)
            if a._requires_grad:
                record = True
        else:
            raw.append(a)
            versions.append(0)
            needed.append(False)
    if top is not None:
        return top.process(prim, args, params)
    try:
        out = prim.impl(*raw, **params)
    except ChainruleError:
        raise
    except (ValueError, TypeError, IndexError) as error:
        raise op_error(prim, raw, params, error) from error
    if not tensor_in:
        return out
    if type(out) is not np.ndarray:
        out = np.asarray(out)
    state = STATE.__dict__  # this thread's switches: one lookup, where each attribute of STATE costs one
    anomaly = state["anomaly"]
    if anomaly and out.dtype.kind in "fc" and not np.isfinite(out).all():
        raise AnomalyError(f"detect_anomaly: {prim.name} forward produced NaN or inf (called at {user_site()})")
    result = _new(Tensor)  # Tensor._wrap, inlined: this runs once per op
    result._init(out)
    if out.base is not None:
        _link_view(result, out.base, args)
    if record and prim.differentiable and state["grad_enabled"]:
        if not prim.complex_rules and out.dtype.kind == "c":
            raise prim.refuse_complex()
        result._requires_grad = True
        # tuples of numbers: CPython's garbage collector stops tracking them, which matters
        # for graphs of millions of nodes
        result._node = TapeNode(prim, params, args, tuple(needed), tuple(versions) if prim.reads_values else None,
                                user_site() if anomaly else None)
        if result._base is not None:
            result._node.out_version = result.version
    elif record and state["watch"] is not None:  # the tape is off, and a checkpoint asks what was read
        state["watch"].extend(a for a, need in zip(args, needed) if need)
    return result


_new = object.__new__


def _refresh_view(view):
    """A view (a slice, a reshape) whose base was changed in place after it was taken holds
    the new values, so its history is taken again from the base's current one — ops using it
    from now on see the change (PyTorch regenerates a view's ``grad_fn`` the same way). Ops
    that used it before reach the old history through ``replaced``."""
    node = view._node
    for source in node.inputs:
        if isinstance(source, Tensor) and source._base is not None and source._node is not None \
                and source._node.out_version != source._base._version:
            _refresh_view(source)
    fresh = bind(node.prim, *node.inputs, **node.params)
    before = Tensor._wrap(view._data)
    before._node, before._base, before._requires_grad = node, view._base, True
    fresh._node.replaced = before
    fresh._node.out_version = view._base._version
    view._node = fresh._node


def _link_view(result, owner, args):
    """Make ``result`` share the version counter of the input tensor whose memory it views."""
    for a in args:
        if isinstance(a, Tensor) and (a._data is owner or a._data.base is owner):
            result._base = a if a._base is None else a._base
            return


def describe_operands(raw):
    parts = []
    for a in raw:
        if isinstance(a, (np.ndarray, np.generic)):
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
