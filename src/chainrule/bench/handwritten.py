"""Pieces shared by the hand-written NumPy implementations (backprop without a framework)."""

import numpy as np


def cross_entropy_forward_backward(logits, labels):
    """Mean cross-entropy of integer labels and its gradient in the logits.

        L = −(1/N) Σ_n log softmax(z_n)[y_n],    ∂L/∂z = (softmax(z) − onehot(y)) / N

    Returns ``(loss, dL/dz, softmax(z))``.
    """
    n = len(logits)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    loss = -log_probs[np.arange(n), labels].mean()
    probs = np.exp(log_probs)
    dlogits = probs.copy()
    dlogits[np.arange(n), labels] -= 1
    return loss, dlogits / n, probs
