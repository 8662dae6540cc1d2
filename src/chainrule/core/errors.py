"""chainrule's exceptions: each subclasses the builtin a user would catch."""


class ChainruleError(Exception):
    """Base of chainrule's own errors (their messages already name the op and the values)."""


class ShapeError(ChainruleError, ValueError):
    """Operands whose shapes do not fit the op; the message names op and shapes."""


class OpTypeError(ChainruleError, TypeError):
    """An operand of a type or dtype the op cannot take."""


class OpIndexError(ChainruleError, IndexError):
    """An index out of range or of the wrong kind."""


class DtypeError(ChainruleError, TypeError, RuntimeError):
    """A dtype that cannot take part, e.g. ``requires_grad`` on an integer tensor."""


class BackwardError(ChainruleError, RuntimeError):
    """A backward pass that cannot run: released graph, in-place change, bad gradient."""


class AnomalyError(ChainruleError, RuntimeError):
    """NaN or inf produced under ``detect_anomaly()``."""


class TracerError(ChainruleError, TypeError):
    """A traced value used where a concrete one is needed (``if``, ``float()``)."""


class GradientCheckError(ChainruleError, AssertionError):
    """AD and finite differences disagree; the message names input, index and values."""


class UndefinedRuleError(ChainruleError, NotImplementedError):
    """An op that does not define the rule a mode of differentiation needs (a user
    ``Function`` without ``jvp`` in forward mode); the message names the op."""
