"""interpolate: PyTorch's source-index rules for nearest, (bi)linear and area resampling."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.nn import functional as F

RNG = np.random.default_rng(6)


def test_nearest_doubling_repeats_each_pixel():
    x = np.arange(4.0).reshape(1, 1, 2, 2)
    np.testing.assert_array_equal(F.interpolate(x, scale_factor=2).numpy(), x.repeat(2, axis=2).repeat(2, axis=3))


def test_linear_without_align_corners_maps_pixel_areas():
    x = np.array([[[1.0, 2.0, 4.0]]])
    # s_j = max((j + 1/2)·(3/5) − 1/2, 0) = 0, 0.4, 1.0, 1.6, 2.2
    expected = [1.0, 1.4, 2.0, 2 + 0.6 * 2, 4.0]
    np.testing.assert_allclose(F.interpolate(x, size=5, mode="linear").numpy()[0, 0], expected, rtol=1e-12)


def test_linear_with_align_corners_keeps_the_corner_values():
    x = np.array([[[1.0, 2.0, 4.0]]])
    np.testing.assert_allclose(F.interpolate(x, size=5, mode="linear", align_corners=True).numpy()[0, 0],
                               [1.0, 1.5, 2.0, 3.0, 4.0])


def test_bilinear_and_nearest_gradients_match_finite_differences():
    x = RNG.normal(size=(1, 2, 3, 4))
    weights = RNG.normal(size=(1, 2, 5, 6))
    for mode in ("bilinear", "nearest"):
        assert cr.check_grad(lambda v: (F.interpolate(v, size=(5, 6), mode=mode) * weights).sum(), x).passed


@pytest.mark.parametrize("kwargs, match", [({"size": 4, "scale_factor": 2}, "exactly one"),
                                           ({"size": 4, "mode": "nearest", "align_corners": True}, "align_corners"),
                                           ({"size": (4, 4), "mode": "linear"}, "needs a 3-D input"),
                                           ({"size": 4, "mode": "cubic"}, "mode must be one of")])
def test_interpolate_refuses_bad_arguments(kwargs, match):
    with pytest.raises(ValueError, match=match):
        F.interpolate(np.zeros((1, 1, 2, 2)), **kwargs)


@pytest.mark.parametrize("kwargs", [{"scale_factor": 2}, {"size": (5, 7)}, {"scale_factor": (1.7, 0.6)},
                                    {"size": (7, 3), "mode": "nearest-exact"},
                                    {"scale_factor": 2, "mode": "bilinear"},
                                    {"size": (5, 9), "mode": "bilinear", "align_corners": True},
                                    {"scale_factor": 1.5, "mode": "bilinear", "recompute_scale_factor": True},
                                    {"scale_factor": (2.3, 0.7), "mode": "bilinear"}, {"size": (2, 3), "mode": "area"}])
def test_interpolate_matches_pytorch(against_torch, torch, kwargs):
    against_torch(lambda v: F.interpolate(v, **kwargs), lambda v: torch.nn.functional.interpolate(v, **kwargs),
                  RNG.normal(size=(2, 3, 4, 5)))


def test_interpolate_matches_pytorch_in_float32(torch):
    x = RNG.normal(size=(1, 2, 7, 9)).astype(np.float32)
    for kwargs in ({"scale_factor": 1.3}, {"scale_factor": 2.1, "mode": "bilinear"}):
        np.testing.assert_allclose(F.interpolate(x, **kwargs).numpy(),
                                   torch.nn.functional.interpolate(torch.tensor(x), **kwargs).numpy(),
                                   rtol=1e-5, atol=1e-6)
