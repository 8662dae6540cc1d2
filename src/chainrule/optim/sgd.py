"""Stochastic gradient descent with momentum, dampening, Nesterov and weight decay."""

from .optimizer import Optimizer, _checked_options, required


class SGD(Optimizer):
    r"""Stochastic gradient descent, with PyTorch's update formulas.

    For each parameter :math:`\theta` with gradient :math:`g_t` at step t:

    .. math::

        g_t &\leftarrow g_t + \lambda\,\theta_{t-1}                       && \text{(weight decay } \lambda\text{)} \\
        b_t &= g_t \ \text{ if } t = 1, \quad
        b_t = \mu\, b_{t-1} + (1 - \tau)\, g_t \ \text{ otherwise}        && \text{(momentum } \mu > 0\text{)} \\
        g_t &\leftarrow g_t + \mu\, b_t \ \text{ (Nesterov) } \quad \text{or} \quad g_t \leftarrow b_t \\
        \theta_t &= \theta_{t-1} - \gamma\, g_t

    with learning rate :math:`\gamma` and dampening :math:`\tau`. Without
    momentum the update is plain :math:`\theta_t = \theta_{t-1} - \gamma g_t`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
        Parameters, or parameter groups (see :class:`Optimizer`).
    lr : float
        The learning rate :math:`\gamma` (required).
    momentum : float, default 0
    dampening : float, default 0
    weight_decay : float, default 0
        L2 penalty :math:`\lambda`, added to the gradient.
    nesterov : bool, default False
        Nesterov momentum; needs ``momentum > 0`` and ``dampening == 0``.

    Notes
    -----
    State per parameter: ``"momentum_buffer"`` (:math:`b_t`) when ``momentum > 0``.

    Examples
    --------
    >>> w = cr.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = cr.optim.SGD([w], lr=0.1, momentum=0.9)
    >>> (w * w).sum().backward(); opt.step(); opt.zero_grad()
    """

    def __init__(self, params, lr=required, momentum=0, dampening=0, weight_decay=0, nesterov=False):
        _checked_options("SGD", lr=(lr, 0.0, None), momentum=(momentum, 0.0, None),
                         weight_decay=(weight_decay, 0.0, None))
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("SGD: Nesterov momentum requires momentum > 0 and zero dampening")
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, weight_decay=weight_decay,
                                      nesterov=nesterov))

    def _update(self, group, param, grad, state):
        lr, momentum, weight_decay = group["lr"], group["momentum"], group["weight_decay"]
        if weight_decay != 0:
            grad = grad + weight_decay * param
        if momentum != 0:
            buffer = state.get("momentum_buffer")
            if buffer is None:
                buffer = state["momentum_buffer"] = grad.copy()
            else:
                buffer *= momentum
                buffer += (1 - group["dampening"]) * grad
            grad = grad + momentum * buffer if group["nesterov"] else buffer
        param -= lr * grad
