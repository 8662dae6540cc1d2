"""Learning-rate schedulers: ``StepLR`` and ``CosineAnnealingLR`` (PyTorch's protocol).

A scheduler owns an optimizer; building it records each group's starting rate as
``group["initial_lr"]`` (the base rate η₀) and sets epoch 0. Each ``step()``
advances one epoch and writes the new rate into every group's ``"lr"``. Rates are
updated recursively from the current ``"lr"`` (PyTorch's "chainable" form), so
that schedulers compose and a rate changed by hand carries on from its new value.
Call ``optimizer.step()`` before ``scheduler.step()`` in each epoch. To resume,
build a new scheduler and ``load_state_dict`` the saved one.
"""

import math

from .optimizer import Optimizer


class LRScheduler:
    """Base class: ``step()``, ``get_last_lr()``, ``state_dict()``, ``load_state_dict()``.

    A subclass implements ``_next_lr(group_lr, base_lr)``, the rate of epoch
    ``self.last_epoch`` given the group's rate in the epoch before.
    """

    def __init__(self, optimizer):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"{type(self).__name__}: expected a chainrule optimizer, got {type(optimizer).__name__}")
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def step(self):
        """Advance one epoch and set every group's learning rate."""
        self.last_epoch += 1
        for group, base_lr in zip(self.optimizer.param_groups, self.base_lrs):
            group["lr"] = self._next_lr(group["lr"], base_lr)
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self):
        """The learning rates (one per group) set by the last ``step()`` or at construction."""
        return list(self._last_lr)

    def state_dict(self):
        """Everything but the optimizer: ``last_epoch``, ``base_lrs``, the options, the last rates."""
        return {key: value for key, value in self.__dict__.items() if key != "optimizer"}

    def load_state_dict(self, state_dict):
        """Restore a state from ``state_dict()`` (the optimizer's rates come from its own state dict)."""
        self.__dict__.update({key: value for key, value in state_dict.items() if key != "optimizer"})

    def _next_lr(self, group_lr, base_lr):
        raise NotImplementedError

    def __repr__(self):
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, last_lr={self._last_lr})"


class StepLR(LRScheduler):
    r"""Multiply the learning rate by ``gamma`` every ``step_size`` epochs.

    .. math::

        \eta_t = \eta_{t-1} \cdot \begin{cases} \gamma & t \bmod s = 0 \\ 1 & \text{otherwise} \end{cases}
        \qquad\text{so alone}\qquad \eta_t = \eta_0\, \gamma^{\lfloor t / s \rfloor}

    Parameters
    ----------
    optimizer : Optimizer
    step_size : int
        The period :math:`s`, in epochs (``scheduler.step()`` calls).
    gamma : float, default 0.1

    Examples
    --------
    >>> opt = cr.optim.SGD([w], lr=1.0)
    >>> sched = cr.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    >>> for epoch in range(4):
    ...     opt.step(); sched.step()
    >>> sched.get_last_lr()
    [0.25]
    """

    def __init__(self, optimizer, step_size, gamma=0.1):
        if int(step_size) != step_size or step_size < 1:
            raise ValueError(f"StepLR: step_size must be a positive integer, got {step_size!r}")
        self.step_size = int(step_size)
        self.gamma = gamma
        super().__init__(optimizer)

    def _next_lr(self, group_lr, base_lr):
        return group_lr * self.gamma if self.last_epoch % self.step_size == 0 else group_lr


class CosineAnnealingLR(LRScheduler):
    r"""Anneal the learning rate along a cosine from its base value to ``eta_min``.

    PyTorch's recursive rule, with :math:`T_{cur} = t - 1`:

    .. math::

        \eta_t = \begin{cases}
            \eta_{min} + (\eta_{t-1} - \eta_{min})
                \dfrac{1 + \cos(\pi t / T_{max})}{1 + \cos(\pi (t - 1) / T_{max})}
                & T_{cur} \neq (2k + 1) T_{max} \\[2ex]
            \eta_{t-1} + (\eta_0 - \eta_{min}) \dfrac{1 - \cos(\pi / T_{max})}{2}
                & T_{cur} = (2k + 1) T_{max}
        \end{cases}

    which, when this scheduler alone sets the rate, is the closed form

    .. math::

        \eta_t = \eta_{min} + \tfrac{1}{2} (\eta_0 - \eta_{min}) (1 + \cos(\pi t / T_{max})),

    reaching :math:`\eta_{min}` at :math:`t = T_{max}` and rising again after it
    (SGDR without restarts).

    Parameters
    ----------
    optimizer : Optimizer
    T_max : int
        Half period, in epochs.
    eta_min : float, default 0

    Examples
    --------
    >>> sched = cr.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=10)
    """

    def __init__(self, optimizer, T_max, eta_min=0.0):
        if T_max <= 0:
            raise ValueError(f"CosineAnnealingLR: T_max must be positive, got {T_max!r}")
        self.T_max = T_max
        self.eta_min = eta_min
        super().__init__(optimizer)

    def _next_lr(self, group_lr, base_lr):
        t, T, eta_min = self.last_epoch, self.T_max, self.eta_min
        if (t - 1 - T) % (2 * T) == 0:
            return group_lr + (base_lr - eta_min) * (1 - math.cos(math.pi / T)) / 2
        return eta_min + (group_lr - eta_min) * (1 + math.cos(math.pi * t / T)) / (1 + math.cos(math.pi * (t - 1) / T))
