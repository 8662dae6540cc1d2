"""Transform levels: each active transform owns a level and boxes values once per level.

``new_level(TraceClass)`` pushes a trace on this thread's stack; values that enter
the transform are wrapped in that trace's tracer (a ``Tensor`` subclass, so user code
sees ordinary tensors). ``bind`` hands every op to the innermost trace among its
arguments, which unboxes its own tracers, re-binds the op one level down, and boxes
the result. A value from an outer level is a constant to an inner one — which is why
nested derivatives never confuse their perturbations.
"""

import contextlib

from .errors import TracerError
from .state import STATE
from .tensor import Tensor, array_of


class Trace:
    """One active transform. Subclasses implement ``process(prim, args, params)``.

    ``stages`` is true for traces that record a program to run later (``cr.trace``,
    ``cr.jit``): code with side effects at call time (random draws, running statistics)
    must not run under them, since it would run once, at trace time.
    """

    stages = False

    def __init__(self, level):
        self.level = level
        self.alive = True

    def process(self, prim, args, params):  # pragma: no cover - abstract
        raise NotImplementedError

    @property
    def frozen(self):
        """Whether ``no_grad`` (entered inside this transform) makes its ops constants."""
        return self.level <= STATE.frozen_levels


class Tracer(Tensor):
    """A value boxed at one transform level; ``_primal`` is the value one level down."""

    __slots__ = ("_trace", "_primal")

    def __init__(self, trace, primal):
        self._init(array_of(primal))
        self._trace = trace
        self._primal = primal

    def __repr__(self):
        return f"{type(self).__name__}(level={self._trace.level}, shape={self.shape}, dtype={self.dtype})"

    def _concrete(self, what, convert):
        """A conversion to a plain value: refused while the transform is differentiating this value
        (the derivative would be dropped); after the transform has returned, the value's own."""
        if not self._trace.alive:
            value = lower_dead(self)
            return convert(value if isinstance(value, Tensor) else Tensor._wrap(array_of(value)))
        raise TracerError(f"{what} of a value that a transform (cr.grad, cr.jvp, ...) is differentiating would drop "
                          f"its derivative; use x.detach() for the value without its derivative, or chainrule "
                          f"functions to keep it")

    def __float__(self):
        return self._concrete("float()", float)

    def __int__(self):
        return self._concrete("int()", int)

    def item(self):
        return self._concrete(".item()", Tensor.item)

    def tolist(self):
        return self._concrete(".tolist()", Tensor.tolist)

    def numpy(self):
        return self._concrete(".numpy()", Tensor.numpy)

    def __array__(self, dtype=None, copy=None):
        return self._concrete("conversion to a NumPy array", lambda value: value.__array__(dtype, copy))


@contextlib.contextmanager
def new_level(trace_class, *args):
    """Push a fresh trace of ``trace_class`` for the duration of a transform."""
    traces = STATE.traces
    trace = trace_class(len(traces) + 1, *args)
    traces.append(trace)
    try:
        yield trace
    finally:
        traces.pop()
        trace.alive = False


def staging():
    """Whether a program is being recorded for later runs (inside ``cr.trace`` or ``cr.jit``)."""
    return any(trace.stages for trace in STATE.traces)


def lower_dead(value):
    """A tracer whose transform has returned behaves as the value it wraps."""
    while isinstance(value, Tracer) and not value._trace.alive:
        value = value._primal
    return value
