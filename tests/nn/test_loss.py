"""Loss layers: the functional losses with PyTorch's constructors, reductions and buffers."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import nn
from chainrule.nn import functional as F

RNG = np.random.default_rng(8)


def test_loss_layers_compute_the_functional_losses_with_their_settings():
    x, t = RNG.normal(size=(4, 3)), RNG.normal(size=(4, 3))
    labels, weight = np.array([0, 2, 1, 2]), np.array([1.0, 0.5, 2.0])
    cases = [(nn.MSELoss(), F.mse_loss(x, t)), (nn.L1Loss(reduction="sum"), F.l1_loss(x, t, reduction="sum")),
             (nn.SmoothL1Loss(beta=0.5), F.smooth_l1_loss(x, t, beta=0.5)),
             (nn.HuberLoss(delta=0.3), F.huber_loss(x, t, delta=0.3))]
    for layer, expected in cases:
        np.testing.assert_allclose(layer(x, t).numpy(), expected.numpy())
    ce = nn.CrossEntropyLoss(weight=weight, ignore_index=1, label_smoothing=0.2)
    np.testing.assert_allclose(ce(x, labels).numpy(),
                               F.cross_entropy(x, labels, weight=weight, ignore_index=1, label_smoothing=0.2).numpy())
    log_p = F.log_softmax(x, dim=1)
    np.testing.assert_allclose(nn.NLLLoss(reduction="none")(log_p, labels).numpy(),
                               F.nll_loss(log_p, labels, reduction="none").numpy())
    p = F.sigmoid(x)
    y = (t > 0).astype(np.float64)
    np.testing.assert_allclose(nn.BCELoss()(p, y).numpy(), F.binary_cross_entropy(p, y).numpy())
    np.testing.assert_allclose(nn.BCEWithLogitsLoss(pos_weight=weight)(x, y).numpy(),
                               F.binary_cross_entropy_with_logits(x, y, pos_weight=weight).numpy())


def test_class_weights_are_buffers_under_pytorchs_keys():
    assert list(nn.CrossEntropyLoss(weight=[1.0, 2.0]).state_dict()) == ["weight"]
    assert list(nn.CrossEntropyLoss().state_dict()) == []
    assert list(nn.BCEWithLogitsLoss(weight=np.ones(3), pos_weight=np.ones(3)).state_dict()) == ["weight",
                                                                                               "pos_weight"]


def test_loss_layers_refuse_unknown_reductions_and_map_the_deprecated_arguments():
    with pytest.raises(ValueError, match="MSELoss: reduction"):
        nn.MSELoss(reduction="average")
    with pytest.warns(UserWarning, match="deprecated"):
        assert nn.L1Loss(size_average=False).reduction == "sum"
    assert repr(nn.MSELoss(reduction="sum")) == "MSELoss(reduction='sum')"


def test_cross_entropy_loss_gradient_matches_finite_differences():
    labels = np.array([1, 0, 2])
    loss_fn = nn.CrossEntropyLoss(weight=np.array([0.3, 1.0, 2.0]), label_smoothing=0.1)
    assert cr.check_grad(lambda v: loss_fn(v, labels), RNG.normal(size=(3, 3))).passed


@pytest.mark.parametrize("name, kwargs, integer_target", [
    ("CrossEntropyLoss", {"label_smoothing": 0.1, "ignore_index": 0}, True), ("NLLLoss", {"reduction": "sum"}, True),
    ("MSELoss", {}, False), ("L1Loss", {"reduction": "none"}, False), ("SmoothL1Loss", {"beta": 0.4}, False),
    ("HuberLoss", {"delta": 0.5}, False), ("BCEWithLogitsLoss", {}, False)])
def test_loss_layers_match_pytorch(torch, name, kwargs, integer_target):
    x = RNG.normal(size=(5, 3))
    t = RNG.integers(0, 3, size=5) if integer_target else RNG.uniform(size=(5, 3))
    expected = getattr(torch.nn, name)(**kwargs)(torch.tensor(x), torch.tensor(t)).numpy()
    np.testing.assert_allclose(getattr(nn, name)(**kwargs)(x, t).numpy(), expected, rtol=1e-10, atol=1e-12)
