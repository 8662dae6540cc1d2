"""dropout: the scaled mask, eval mode, and no freezing into jitted code."""

import numpy as np

import chainrule as cr
from chainrule.nn import functional as F


def test_dropout_scales_kept_elements_and_is_identity_in_eval():
    x = np.ones((200, 50))
    cr.random.seed(3)
    y = F.dropout(x, p=0.2).numpy()
    assert set(np.unique(y)) == {0.0, 1.25}
    assert abs((y == 0).mean() - 0.2) < 0.02
    np.testing.assert_array_equal(F.dropout(x, p=0.2, training=False).numpy(), x)
    np.testing.assert_array_equal(F.dropout(x, p=1.0).numpy(), np.zeros_like(x))
    cr.random.seed(3)
    np.testing.assert_array_equal(F.dropout(x, p=0.2).numpy(), y)


def test_dropout_gradient_is_the_scaled_mask():
    x = cr.tensor(np.ones(100), requires_grad=True)
    y = F.dropout(x, p=0.5)
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.numpy())
