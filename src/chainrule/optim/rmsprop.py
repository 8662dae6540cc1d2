"""RMSprop: gradients scaled by a running root-mean-square (Hinton's lecture 6e)."""

import numpy as np

from .optimizer import Optimizer, _checked_options


class RMSprop(Optimizer):
    r"""RMSprop, with PyTorch's update formulas.

    For each parameter :math:`\theta` with gradient :math:`g_t` at step t:

    .. math::

        g_t &\leftarrow g_t + \lambda\,\theta_{t-1}                 && \text{(weight decay } \lambda\text{)} \\
        v_t &= \alpha\, v_{t-1} + (1 - \alpha)\, g_t^2 \\
        \tilde v_t &= v_t - \bar g_t^2, \quad
        \bar g_t = \alpha\, \bar g_{t-1} + (1 - \alpha)\, g_t  && \text{(centered; else } \tilde v_t = v_t\text{)} \\
        b_t &= \mu\, b_{t-1} + g_t / (\sqrt{\tilde v_t} + \epsilon), \quad
        \theta_t = \theta_{t-1} - \gamma\, b_t                  && \text{(momentum } \mu > 0\text{)} \\
        \theta_t &= \theta_{t-1} - \gamma\, g_t / (\sqrt{\tilde v_t} + \epsilon)   && \text{(otherwise)}

    with :math:`v_0 = \bar g_0 = b_0 = 0`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
    lr : float, default 1e-2
        The learning rate :math:`\gamma`.
    alpha : float, default 0.99
        Smoothing constant :math:`\alpha`.
    eps : float, default 1e-8
    weight_decay : float, default 0
    momentum : float, default 0
    centered : bool, default False
        Normalize by an estimate of the gradient's variance instead of its
        second moment.

    Notes
    -----
    State per parameter: ``"step"``, ``"square_avg"`` (:math:`v_t`), and
    ``"momentum_buffer"`` (:math:`b_t`) / ``"grad_avg"`` (:math:`\bar g_t`)
    when momentum / centered.

    Examples
    --------
    >>> w = cr.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = cr.optim.RMSprop([w], lr=0.01, momentum=0.9, centered=True)
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False):
        _checked_options("RMSprop", lr=(lr, 0.0, None), alpha=(alpha, 0.0, None), eps=(eps, 0.0, None),
                         weight_decay=(weight_decay, 0.0, None), momentum=(momentum, 0.0, None))
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, weight_decay=weight_decay, momentum=momentum,
                                      centered=centered))

    def _update(self, group, param, grad, state):
        alpha, momentum, weight_decay = group["alpha"], group["momentum"], group["weight_decay"]
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(param)
            if momentum > 0:
                state["momentum_buffer"] = np.zeros_like(param)
            if group["centered"]:
                state["grad_avg"] = np.zeros_like(param)
        state["step"] += 1
        if weight_decay != 0:
            grad = grad + weight_decay * param
        square_avg = state["square_avg"]
        square_avg *= alpha
        square_avg += (1 - alpha) * grad * grad
        if group["centered"]:
            grad_avg = state["grad_avg"]
            grad_avg *= alpha
            grad_avg += (1 - alpha) * grad
            denominator = np.sqrt(square_avg - grad_avg * grad_avg)
        else:
            denominator = np.sqrt(square_avg)
        denominator += group["eps"]
        if momentum > 0:
            buffer = state["momentum_buffer"]
            buffer *= momentum
            buffer += grad / denominator
            param -= group["lr"] * buffer
        else:
            param -= group["lr"] * grad / denominator
