"""``bind``: the single path by which every op is applied.

``bind(prim, *args, **params)`` hands the application to the innermost active
transform level among the arguments (each level re-binds one level down); at level 0
it evaluates the primitive's implementation on the arrays and, when a tensor input
requires grad and grad mode is on, records a ``TapeNode`` for ``backward``. A tracer
whose transform has already returned counts as the value it wraps. A view used after its
base was changed in place is first given its base's new history.
"""

import numpy as np

from .devices import device_of, is_device_array
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
        moved = _constants_moved(args, raw)
        if moved is None:
            raise op_error(prim, raw, params, error) from error
        args, raw = moved
        try:
            out = prim.impl(*raw, **params)
        except (ValueError, TypeError, IndexError) as again:
            raise op_error(prim, raw, params, again) from again
    if not tensor_in:
        return out
    if type(out) is not np.ndarray and not is_device_array(out):  # a NumPy scalar or a number
        out = np.asarray(out)
    state = STATE.__dict__  # this thread's switches: one lookup, where each attribute of STATE costs one
    anomaly = state["anomaly"]
    if anomaly and out.dtype.kind in "fc" and not np.isfinite(out).all():
        raise AnomalyError(f"detect_anomaly: {prim.name} forward produced NaN or inf (called at {user_site()})")
    result = _new(Tensor)  # Tensor._wrap, inlined: this runs once per op
    result._init(out)
    if out.base is not None:
        _link_view(result, out.base, args)
    if record and prim.differentiable and state["grad_enabled"] and out.dtype.kind in "fc":  # integers: no gradient
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


def _constants_moved(args, raw):
    """``(args, raw)`` with the host constants copied to the one device the other operands are on,
    or None when that does not apply. A constant is a value no gradient flows to: a NumPy array, a
    tensor that does not require grad (JAX, too, moves such values to where they are used). A host
    tensor that requires grad is refused (the op raises naming both devices): its gradient would
    have to come back across devices unasked, and it is most often a parameter left behind by
    ``model.to(device)``. Tried only after the array library refused the operands, so the ordinary
    path pays nothing for it."""
    places = {device_of(a) for a in raw if isinstance(a, np.ndarray) or is_device_array(a)}
    if len(places) != 2 or "cpu" not in places:
        return None
    device = next(a for a in raw if is_device_array(a))
    moved_args, moved_raw = [], []
    for a, r in zip(args, raw):
        if isinstance(r, np.ndarray):
            if isinstance(a, Tensor) and a._requires_grad:
                return None
            r = np.asarray(r, like=device)
            a = Tensor._wrap(r) if isinstance(a, Tensor) else r
        moved_args.append(a)
        moved_raw.append(r)
    return tuple(moved_args), moved_raw


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
        elif is_device_array(a):
            parts.append(f"{tuple(a.shape)} {a.dtype} on {device_of(a)}")
        else:
            parts.append(repr(a))
    return ", ".join(parts)


_ERROR_TYPES = ((IndexError, OpIndexError), (TypeError, OpTypeError), (ValueError, ShapeError))


def op_error(prim, raw, params, error):
    """Re-raise a NumPy failure as chainrule's error naming the op, operands and call site."""
    places = sorted({device_of(a) for a in raw if isinstance(a, np.ndarray) or is_device_array(a)})
    if len(places) > 1:
        return OpTypeError(f"{prim.name}: operands are on different devices ({' and '.join(places)}); move them to "
                           f"one with .to(device) (called at {user_site()})")
    detail = ", ".join(f"{k}={v!r}" for k, v in params.items() if k not in ("index",))
    message = (f"{prim.name}: cannot apply to operands of shapes/dtypes [{describe_operands(raw)}]"
               f"{' with ' + detail if detail else ''}: {error} (called at {user_site()})")
    for builtin, ours in _ERROR_TYPES:
        if isinstance(error, builtin):
            return ours(message)
    return error
