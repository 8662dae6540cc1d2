"""Gradient clipping, in place: ``clip_grad_norm_`` (rescale to a global norm) and ``clip_grad_value_``."""

import math

import numpy as np

from ...core.state import no_grad
from ...core.tensor import Tensor


def _gradients(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def _norm(values, norm_type):
    """‖values‖_p of an array's elements (the largest |value| for p = ∞), a 0-d array on its device."""
    if norm_type == math.inf:
        return np.abs(values).max() if values.size else np.abs(values).sum()  # CuPy's max takes no initial=
    return np.sum(np.abs(values) ** norm_type) ** (1 / norm_type)


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Rescale the gradients of ``parameters`` in place so that their global norm is at most ``max_norm``.

        total = ‖(‖g_1‖_p, …, ‖g_k‖_p)‖_p   (the p-norm of all gradients as one vector)
        g_i  ← g_i · min(1, max_norm / (total + 10⁻⁶))

    as PyTorch's ``clip_grad_norm_``. Parameters without a gradient are skipped.

    Parameters
    ----------
    parameters : Tensor or iterable of Tensors
    max_norm : float
    norm_type : float
        p; ``float("inf")`` for the largest absolute value.
    error_if_nonfinite : bool
        Raise if the total norm is NaN or infinite (otherwise the gradients become NaN).
    foreach : None
        Accepted for PyTorch's signature.

    Returns
    -------
    Tensor
        The total norm before clipping (0-d, in the gradients' dtype).

    Examples
    --------
    >>> model = cr.nn.Linear(3, 1)
    >>> model(cr.ones(2, 3)).sum().backward()
    >>> total = cr.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    """
    grads = _gradients(parameters)
    norm_type = float(norm_type)
    if not grads:
        return Tensor(np.array(0.0, np.float32))
    dtype = np.result_type(*[g.dtype for g in grads])
    norms = np.stack([_norm(g._data, norm_type).astype(dtype) for g in grads])  # on the gradients' device
    total = _norm(norms, norm_type)
    if error_if_nonfinite and not np.isfinite(total.item()):
        raise RuntimeError(f"clip_grad_norm_: the total norm of order {norm_type} of the gradients is "
                           f"{total.item()}, so they cannot be clipped; pass error_if_nonfinite=False to clip anyway")
    coefficient = np.minimum(float(max_norm) / (total + 1e-6), 1.0)  # no copy to the host, as PyTorch's
    with no_grad():
        for g in grads:
            g.mul_(coefficient)
    return Tensor._wrap(total)


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clip every gradient element of ``parameters`` to [−clip_value, clip_value], in place, as PyTorch's
    ``clip_grad_value_``. Parameters without a gradient are skipped; returns None."""
    clip_value = float(clip_value)
    with no_grad():
        for g in _gradients(parameters):
            g.copy_(np.clip(g._data, -clip_value, clip_value))
