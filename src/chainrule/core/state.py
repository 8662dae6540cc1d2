"""The switches of the autodiff machinery, kept per thread (as PyTorch keeps grad mode).

``STATE`` holds, for the calling thread: whether the eager tape records (grad mode),
whether anomaly detection is on, how many transform levels ``no_grad`` froze, the
stack of active transform levels, and the default floating dtype. A new thread starts
with the defaults: grad mode on, no transforms, float32.

``no_grad`` turns off recording on the eager tape (level 0), as in PyTorch, and —
as PyTorch's function transforms do — for the transforms already active when it is
entered: inside ``cr.grad(f)``, what ``f`` computes under ``no_grad`` is a constant
to that ``grad``. A transform started inside a ``no_grad`` block differentiates as
usual. ``stop_gradient`` cuts a value out of every level.
"""

import contextlib
import os
import sys
import threading

import numpy as np


class _ThreadState(threading.local):
    """Initialised anew in every thread that reads it."""

    def __init__(self):
        self.grad_enabled = True
        self.anomaly = False
        self.frozen_levels = 0  # transform levels up to this one do not differentiate (no_grad)
        self.traces = []  # active transform levels, innermost last
        self.default_dtype = np.dtype(np.float32)
        self.watch = None  # a list: the tape is off, and tensors requiring grad that ops read are noted here


STATE = _ThreadState()


@contextlib.contextmanager
def grad_mode(enabled):
    """Recording on (``enabled``) or off for the duration of the block, in this thread."""
    previous = STATE.grad_enabled, STATE.frozen_levels
    STATE.grad_enabled = enabled
    STATE.frozen_levels = 0 if enabled else len(STATE.traces)
    try:
        yield
    finally:
        STATE.grad_enabled, STATE.frozen_levels = previous


def no_grad():
    """Context manager: operations inside are not recorded for ``backward``.

    >>> with cr.no_grad():
    ...     w.sub_(0.1 * w.grad)          # an optimizer step
    """
    return grad_mode(False)


def enable_grad():
    """Context manager: recording on, even inside ``no_grad``."""
    return grad_mode(True)


def is_grad_enabled():
    """Whether the eager tape records in this thread."""
    return STATE.grad_enabled


@contextlib.contextmanager
def detect_anomaly():
    """Context manager: the first op whose forward or backward yields NaN or inf raises.

    The ``RuntimeError`` names the op and the line of user code that created it.
    Costs one ``isfinite`` check per op, so use it for debugging only.
    """
    previous = STATE.anomaly
    STATE.anomaly = True
    try:
        yield
    finally:
        STATE.anomaly = previous


_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def user_site():
    """``file:line in function`` of the innermost caller outside chainrule."""
    frame = sys._getframe(1)
    while frame is not None:
        filename = os.path.abspath(frame.f_code.co_filename)
        if not filename.startswith(_PACKAGE_DIR + os.sep) and "contextlib" not in filename:
            return f"{frame.f_code.co_filename}:{frame.f_lineno} in {frame.f_code.co_name}"
        frame = frame.f_back
    return "<unknown>"
