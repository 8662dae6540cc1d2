"""Adam and AdamW: adaptive moment estimation, with L2 or decoupled weight decay."""

import numpy as np

from .optimizer import Optimizer, _checked_options


class Adam(Optimizer):
    r"""Adam (Kingma & Ba, 2015), with PyTorch's update formulas.

    For each parameter :math:`\theta` with gradient :math:`g_t` at step t = 1, 2, ...:

    .. math::

        g_t &\leftarrow g_t + \lambda\,\theta_{t-1}                 && \text{(L2 weight decay } \lambda\text{)} \\
        m_t &= \beta_1 m_{t-1} + (1 - \beta_1)\, g_t \\
        v_t &= \beta_2 v_{t-1} + (1 - \beta_2)\, g_t^2 \\
        \hat m_t &= m_t / (1 - \beta_1^t), \qquad
        \hat v_t = v_t / (1 - \beta_2^t) \\
        \theta_t &= \theta_{t-1} - \gamma\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    with :math:`m_0 = v_0 = 0`. With ``amsgrad``, :math:`\hat v_t` is computed
    from :math:`v^{max}_t = \max(v^{max}_{t-1}, v_t)` instead of :math:`v_t`.

    Parameters
    ----------
    params : iterable of Tensor or of dict
    lr : float, default 1e-3
        The learning rate :math:`\gamma`.
    betas : (float, float), default (0.9, 0.999)
        Decay rates :math:`\beta_1, \beta_2` of the moment estimates.
    eps : float, default 1e-8
        :math:`\epsilon`, added to the denominator.
    weight_decay : float, default 0
        :math:`\lambda`, added to the gradient (L2 penalty); see :class:`AdamW`
        for the decoupled form.
    amsgrad : bool, default False

    Notes
    -----
    State per parameter: ``"step"`` (t), ``"exp_avg"`` (:math:`m_t`),
    ``"exp_avg_sq"`` (:math:`v_t`) and, with amsgrad, ``"max_exp_avg_sq"``.

    Examples
    --------
    >>> w = cr.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = cr.optim.Adam([w], lr=0.01)
    >>> (w * w).sum().backward(); opt.step()
    """

    _decoupled = False

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False):
        name = type(self).__name__
        _checked_options(name, lr=(lr, 0.0, None), eps=(eps, 0.0, None), weight_decay=(weight_decay, 0.0, None))
        beta1, beta2 = betas
        _checked_options(name, **{"betas[0]": (beta1, 0.0, 1.0), "betas[1]": (beta2, 0.0, 1.0)})
        super().__init__(params, dict(lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad))

    def _update(self, group, param, grad, state):
        lr, (beta1, beta2), weight_decay = group["lr"], group["betas"], group["weight_decay"]
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(param)
            state["exp_avg_sq"] = np.zeros_like(param)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = np.zeros_like(param)
        state["step"] += 1
        t = state["step"]
        if weight_decay != 0:
            if self._decoupled:
                param *= 1 - lr * weight_decay
            else:
                grad = grad + weight_decay * param
        exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
        exp_avg *= beta1
        exp_avg += (1 - beta1) * grad
        exp_avg_sq *= beta2
        exp_avg_sq += (1 - beta2) * grad * grad
        second = exp_avg_sq
        if group["amsgrad"]:
            second = np.maximum(state["max_exp_avg_sq"], exp_avg_sq, out=state["max_exp_avg_sq"])
        bias_correction1 = 1 - beta1 ** t
        bias_correction2 = 1 - beta2 ** t
        denominator = np.sqrt(second) / np.sqrt(bias_correction2) + group["eps"]
        param -= (lr / bias_correction1) * exp_avg / denominator


class AdamW(Adam):
    r"""Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as in PyTorch.

    The weight decay shrinks the parameter directly instead of entering the
    gradient, before the Adam step:

    .. math::

        \theta_{t-1} &\leftarrow \theta_{t-1} (1 - \gamma \lambda) \\
        \theta_t &= \theta_{t-1} - \gamma\, \hat m_t / (\sqrt{\hat v_t} + \epsilon)

    with :math:`\hat m_t, \hat v_t` computed from the raw gradient as in
    :class:`Adam`. Parameters are Adam's, but ``weight_decay`` defaults to 1e-2.

    Examples
    --------
    >>> w = cr.tensor([1.0, -2.0], requires_grad=True)
    >>> opt = cr.optim.AdamW([w], lr=0.01, weight_decay=0.1)
    """

    _decoupled = True

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
