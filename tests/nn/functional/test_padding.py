"""pad: PyTorch's pad tuple (last axis first) in constant, reflect, replicate and circular modes."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.nn import functional as F

RNG = np.random.default_rng(3)


def test_pad_tuple_starts_from_the_last_axis():
    x = np.arange(6.0).reshape(1, 2, 3)
    y = F.pad(x, (1, 2, 0, 1), value=-1.0).numpy()
    np.testing.assert_array_equal(y, np.pad(x, ((0, 0), (0, 1), (1, 2)), constant_values=-1.0))


def test_negative_constant_padding_crops():
    x = np.arange(12.0).reshape(3, 4)
    np.testing.assert_array_equal(F.pad(x, (-1, 2, 0, -2)).numpy(), np.pad(x[:1, 1:], ((0, 0), (0, 2))))


@pytest.mark.parametrize("mode, numpy_mode", [("reflect", "reflect"), ("replicate", "edge"), ("circular", "wrap")])
def test_modes_match_numpys_pad(mode, numpy_mode):
    x = RNG.normal(size=(2, 1, 4, 5))
    y = F.pad(x, (2, 1, 3, 0), mode=mode).numpy()
    np.testing.assert_array_equal(y, np.pad(x, ((0, 0), (0, 0), (3, 0), (2, 1)), mode=numpy_mode))


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
def test_pad_gradient_adds_each_copy_back_onto_its_source(mode):
    x = RNG.normal(size=(1, 2, 4))
    weights = RNG.normal(size=(1, 2, 8))
    assert cr.check_grad(lambda v: (F.pad(v, (3, 1), mode=mode) * weights).sum(), x).passed


@pytest.mark.parametrize("pad, mode, match", [((4, 0), "reflect", "smaller than"), ((0, 6), "circular", "at most"),
                                              ((1,), "constant", "even length"), ((1, 1, 1, 1, 1, 1), "reflect",
                                                                                   "last 1, 2 or 3 axes"),
                                              ((1, 1), "wrap", "mode must be one of")])
def test_pad_refuses_bad_widths_and_modes_naming_them(pad, mode, match):
    with pytest.raises(ValueError, match=match):
        F.pad(np.zeros((1, 2, 4)), pad, mode=mode)


@pytest.mark.parametrize("mode", ["constant", "reflect", "replicate", "circular"])
def test_pad_matches_pytorch(against_torch, torch, mode):
    against_torch(lambda v: F.pad(v, (2, 1, 1, 3), mode=mode),
                  lambda v: torch.nn.functional.pad(v, (2, 1, 1, 3), mode=mode), RNG.normal(size=(2, 3, 4, 5)))
