"""Steepest descent with the lecture's stopping rule.

The loop from the lecture (BME 590L, "Backpropagation")::

    while previous_step_size > precision and iters < max_iters:
        prev_W = cur_W
        cur_W -= gamma * differential_dL(CNN_model, prev_W)
        previous_step_size = abs(cur_W - prev_W)
        iters += 1

with ``abs`` of the (many-parameter) change read as its global Euclidean norm.
"""

import math

import numpy as np

from ..core.state import enable_grad, no_grad
from .optimizer import Optimizer, _checked_options


class SteepestDescent(Optimizer):
    r"""Full-batch steepest descent that stops by itself, as in the lecture.

    Each ``step()`` applies, once, to every parameter :math:`W` with a gradient

    .. math::

        W \leftarrow W - \gamma\, \frac{\partial L}{\partial W}

    and records ``previous_step_size``, the global L2 (Euclidean) norm of the
    change over all parameters taken together,

    .. math::

        \|\Delta W\|_2 = \gamma \sqrt{\textstyle\sum_{W} \sum_{ij} (\partial L / \partial W_{ij})^2},

    which is :math:`\infty` before the first step. The descent goes on
    ``while previous_step_size > precision and iters < max_iters``; once that
    condition fails the optimizer is ``stopped`` and further ``step()`` calls
    change nothing.

    Parameters
    ----------
    params : iterable of Tensor or of dict
    step_size : float
        :math:`\gamma`, the lecture's ``gamma``. It is kept as each group's
        ``"lr"`` so that learning-rate schedulers apply to it.
    precision : float, default 1e-6
        Stop once a step's norm is at most this.
    max_iters : int, default 10_000
        Stop after this many steps.

    Attributes
    ----------
    iters : int
        Steps taken so far.
    previous_step_size : float
        :math:`\|\Delta W\|_2` of the last step (``inf`` before the first).
    stopped : bool
    stop_reason : {None, "precision", "max_iters"}
        Which condition ended the loop; ``"precision"`` wins when both hold.

    Raises
    ------
    FloatingPointError
        From ``step()`` when the step is not finite (the descent diverged); the
        parameters keep their last finite values.

    Examples
    --------
    Least squares, :math:`L(w) = \frac{1}{N}\|Xw - y\|^2`:

    >>> w = cr.zeros(3, requires_grad=True)
    >>> opt = cr.optim.SteepestDescent([w], step_size=0.1, precision=1e-8)
    >>> def closure():
    ...     opt.zero_grad()
    ...     loss = ((X @ w - y) ** 2).mean()
    ...     loss.backward()
    ...     return loss
    >>> losses = opt.run(closure)
    >>> opt.stop_reason, opt.iters
    """

    def __init__(self, params, step_size, precision=1e-6, max_iters=10_000):
        _checked_options("SteepestDescent", step_size=(step_size, 0.0, None), precision=(precision, 0.0, None),
                         max_iters=(max_iters, 0, None))
        super().__init__(params, dict(lr=step_size))
        self.precision = precision
        self.max_iters = int(max_iters)
        self.iters = 0
        self.previous_step_size = math.inf
        self.stopped = False
        self.stop_reason = None

    def _check_stop(self):
        """Evaluate the lecture's loop condition; record why it failed, if it did."""
        if self.stopped:
            return
        if not self.previous_step_size > self.precision:
            self.stopped, self.stop_reason = True, "precision"
        elif not self.iters < self.max_iters:
            self.stopped, self.stop_reason = True, "max_iters"

    def step(self, closure=None):
        """Take one step ``W -= step_size * dL/dW`` unless the descent has stopped.

        Returns the closure's loss (``None`` without a closure, or when stopped:
        then the closure is not called).
        """
        self._check_stop()
        if self.stopped:
            return None
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            moves = [(p, group["lr"] * p.grad._data) for group in self.param_groups for p in group["params"]
                     if p.grad is not None]
            if not moves:
                raise RuntimeError("SteepestDescent.step: no parameter has a gradient; call loss.backward() "
                                   "(or pass a closure that does) before step()")
            norm = math.sqrt(sum(float(np.vdot(move, move).real) for _, move in moves))
            if not math.isfinite(norm):
                raise FloatingPointError(f"SteepestDescent: step {self.iters + 1} has norm {norm}; the descent "
                                         f"diverged (parameters left at their last finite values); "
                                         f"try a smaller step_size")
            for p, move in moves:
                p._data -= move
                p._bump_version()
        self.previous_step_size = norm
        self.iters += 1
        self._check_stop()
        return loss

    def run(self, closure):
        """Run the lecture's whole loop and return the loss history.

        Parameters
        ----------
        closure : callable
            Zeroes the gradients, computes the loss, calls ``backward`` and
            returns the loss; called once per step.

        Returns
        -------
        list of float
            The loss before each step taken (one entry per iteration).
        """
        history = []
        self._check_stop()
        while not self.stopped:
            history.append(float(self.step(closure)))
        return history

    def state_dict(self):
        """PyTorch's layout plus ``"progress"``: iters, previous_step_size, stopped, stop_reason."""
        state = super().state_dict()
        state["progress"] = {"iters": self.iters, "previous_step_size": self.previous_step_size,
                             "stopped": self.stopped, "stop_reason": self.stop_reason,
                             "precision": self.precision, "max_iters": self.max_iters}
        return state

    def load_state_dict(self, state_dict):
        """Restore the parameter groups and the loop's progress saved by ``state_dict()``."""
        if "progress" not in state_dict:
            raise ValueError("SteepestDescent.load_state_dict: the state dict has no 'progress' entry "
                             "(was it saved from another optimizer?)")
        super().load_state_dict(state_dict)
        progress = state_dict["progress"]
        self.iters = int(progress["iters"])
        self.previous_step_size = float(progress["previous_step_size"])
        self.stopped = bool(progress["stopped"])
        self.stop_reason = progress["stop_reason"]
        self.precision = float(progress["precision"])
        self.max_iters = int(progress["max_iters"])
