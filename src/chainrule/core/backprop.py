"""The reverse sweep shared by eager ``backward``, the ``vjp`` transform and adjoint traces.

Values form a DAG through ``value._node.inputs``. Every node carries a sequence number
``seq`` that grows with creation time, so a node's inputs always have smaller numbers
than the node itself. The sweep therefore processes values in decreasing ``seq`` order
from a heap: when a value comes out, every consumer of it has already passed its
cotangent on (as in PyTorch's engine). No recursion — a chain of a million ops is fine —
and no separate pass to count consumers. An input whose node is *newer* than its consumer
was changed in place after it was used; the sweep follows it back to what it was.

The sweep only adds cotangents up: each primitive's VJP already returns them shaped
and typed like its arguments (see ``chainrule.ops.declare``).
"""

import heapq

import numpy as np

from .errors import AnomalyError, BackwardError
from .hooks import run_tensor_hooks
from .state import STATE
from .tensor import Tensor, array_of

RELEASED = (
    "Trying to backward through the graph a second time (or to read values that a backward "
    "pass already freed). Specify retain_graph=True on the first backward call if you need to "
    "backward through the graph again.")


def sweep(root, seed, value_of, release=False, check=None, on_cotangent=None):
    """Propagate ``seed`` from ``root`` to every tracked value it depends on.

    The graph is given by ``value._node``: a node's ``inputs`` and its ``needed`` flags,
    which mark the inputs that belong to the same graph (set when the node was recorded).

    Parameters
    ----------
    value_of : callable or None
        The value a rule sees for an input (tensor or lower-level value); ``None`` for
        the fast path, where rules see the arrays inside the tensors.
    release : bool
        Drop each node's inputs after use (eager ``retain_graph=False``).
    check : callable, optional
        ``check(value, node)`` before the rule of a node that reads values (version counters).
    on_cotangent : callable, optional
        ``on_cotangent(value, ct)`` once a value's cotangent is complete (adjoint traces).

    Returns
    -------
    list of (leaf, cotangent or None)
        Every tracked value without a node that the sweep reached.
    """
    cotangents = {id(root): seed}  # the values reached and not yet processed: their cotangent so far
    heap, leaves = [], []
    if root._node is None:
        leaves.append(root)
    else:
        heap.append((-root._node.seq, root))
    anomaly = STATE.anomaly
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        value = pop(heap)[1]
        ct = cotangents.pop(id(value))
        if value._hooks and ct is not None:
            ct = run_tensor_hooks(value, ct)
        if on_cotangent is not None:
            on_cotangent(value, ct)
        node = value._node
        inputs, needed, seq = node.inputs, node.needed, node.seq
        if inputs is None:
            raise BackwardError(f"{node.name}: {RELEASED}")
        if ct is None:  # reached, but nothing flows back through it: its inputs are still reached
            contributions = (None,) * len(inputs)
        else:
            if check is not None and node.versions is not None:
                check(value, node)
            if value_of is None:  # the fast path: rules on the arrays inside the tensors
                args, ans = [], value._data
                for a in inputs:
                    args.append(a._data if isinstance(a, Tensor) else a)
            else:
                args, ans = [value_of(a) for a in inputs], value_of(value)
            contributions = node.prim.vjp(needed, ct, ans, args, node.params)
        if release:
            node.inputs = None
        for position, a in enumerate(inputs):
            if not needed[position]:
                continue
            source = a._node
            if source is not None and source.seq > seq:  # changed in place after this node used it
                a = as_it_was(a, seq)
                source = a._node
            c = contributions[position]
            if c is not None and anomaly:
                check_finite(node, c, f"backward (gradient of argument {position})")
            key = id(a)
            if key in cotangents:
                if c is not None:
                    previous = cotangents[key]
                    cotangents[key] = c if previous is None else previous + c
                continue
            cotangents[key] = c  # reached for the first time
            if source is None:
                leaves.append(a)
            else:
                push(heap, (-source.seq, a))
    return [_finish(leaf, cotangents.pop(id(leaf)), on_cotangent) for leaf in leaves]


def as_it_was(value, seq):
    """The tensor that ``value`` was when the node numbered ``seq`` read it.

    An in-place change gives a tensor a newer node (PyTorch's rebase of ``grad_fn``); a
    node recorded before the change must still see the old history. Every input of a node
    was created before it, so a newer node on an input means such a change: its
    ``replaced`` tensor holds the previous state, and so on back in time.
    """
    while value._node is not None and value._node.seq > seq:
        value = value._node.replaced
    return value


def _finish(leaf, ct, on_cotangent):
    if leaf._hooks and ct is not None:
        ct = run_tensor_hooks(leaf, ct)
    if on_cotangent is not None:
        on_cotangent(leaf, ct)
    return leaf, ct


def check_finite(node, value, phase):
    data = array_of(value)
    if data.dtype.kind in "fc" and not np.isfinite(data).all():
        where = f"; the op was created at {node.site}" if getattr(node, "site", None) else ""
        raise AnomalyError(f"detect_anomaly: {node.prim.name} {phase} produced NaN or inf{where}")
