"""Pieces shared by the hand-written NumPy implementations (backprop without a framework)."""

import math

import numpy as np


def cross_entropy_forward_backward(logits, labels):
    """Mean cross-entropy of integer labels and its gradient in the logits.

        L = −(1/N) Σ_n log softmax(z_n)[y_n],    ∂L/∂z = (softmax(z) − onehot(y)) / N

    Returns ``(loss, dL/dz, softmax(z))``.
    """
    n = len(logits)
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    rows = np.arange(n, like=logits)  # created where the logits are (on a GPU too)
    loss = -log_probs[rows, labels].mean()
    probs = np.exp(log_probs)
    dlogits = probs.copy()
    dlogits[rows, labels] -= 1
    return loss, dlogits / n, probs


# ------------------------------------------------------------- convolutions by im2col
# What a careful engineer writes for the convolutional workloads: activations kept in the
# layout (C, N, *S) from layer to layer — the product below yields it, so no transposing copy
# is made between layers, only one at the flatten — the im2col matrix built one kernel tap at a
# time, one matrix product per layer and direction, and the input gradient accumulated tap by
# tap. Stride 1, no padding (the caller pads).
def _window(tap, positions):
    """The slice of a (C, N, *S) array that kernel tap ``tap`` reads for all output positions."""
    return (slice(None), slice(None)) + tuple(slice(t, t + p) for t, p in zip(tap, positions))


def conv_forward(h, w, b):
    """``(columns, z)``: z = w ⋆ h + b for h of shape (C, N, *S); z of shape (O, N, *P).

    columns[(c, k), (n, p)] = h[c, n, p + k], so z = W (O × C·|K|) @ columns.
    """
    kernel = w.shape[2:]
    positions = tuple(s - k + 1 for s, k in zip(h.shape[2:], kernel))
    columns = np.empty(h.shape[:1] + kernel + h.shape[1:2] + positions, h.dtype, like=h)
    for tap in np.ndindex(*kernel):
        columns[(slice(None),) + tap] = h[_window(tap, positions)]
    columns = columns.reshape(math.prod(columns.shape[:1 + len(kernel)]), -1)
    z = w.reshape(len(w), -1) @ columns + b[:, None]
    return columns, z.reshape((len(w), h.shape[1]) + positions)


def conv_backward(dz, columns, w, input_shape=None):
    """``(dw, db, dh)`` of ``conv_forward`` from dz of shape (O, N, *P): dW = dz @ columnsᵀ,
    db = Σ dz; dh (shape ``input_shape``) only when given, accumulated per kernel tap as
    dh[c, n, p + k] += Σ_o w[o, c, k] dz[o, n, p]."""
    rows = dz.reshape(len(dz), -1)
    dw = (rows @ columns.T).reshape(w.shape)
    db = rows.sum(axis=1)
    if input_shape is None:
        return dw, db, None
    dh = np.zeros(input_shape, dz.dtype, like=dz)
    for tap in np.ndindex(*w.shape[2:]):
        dh[_window(tap, dz.shape[2:])] += (w[(slice(None), slice(None)) + tap].T @ rows).reshape(
            w.shape[1:2] + dz.shape[1:])
    return dw, db, dh
