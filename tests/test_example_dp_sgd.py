"""examples/dp_sgd.py: per-example gradients (vmap of grad), clipped and noised, train the digits MLP."""

import pathlib
import sys

import numpy as np

import chainrule as cr

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "examples"))
import dp_sgd  # noqa: E402


def test_each_example_contributes_at_most_the_clip_norm():
    grads = {"w": cr.tensor(np.array([[3.0, 4.0], [0.3, 0.4]])), "b": cr.tensor(np.array([[0.0], [0.0]]))}
    mean, norms = dp_sgd.clipped_mean(grads, clip=1.0)
    np.testing.assert_allclose(norms.numpy(), [5.0, 0.5])
    np.testing.assert_allclose(mean["w"].numpy(), ([0.6, 0.8] + np.array([0.3, 0.4])) / 2)   # the first clipped


def test_dp_sgd_learns_the_digits():
    _, losses, accuracy, _ = dp_sgd.train(steps=60, batch_size=32)
    assert np.mean(losses[-10:]) < 0.7 * np.mean(losses[:10])
    assert accuracy > 0.6
