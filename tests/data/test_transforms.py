"""Batch transforms: Normalize, RandomCrop, RandomShift, RandomHorizontalFlip, GaussianNoise, Compose."""

import numpy as np
import pytest

import chainrule as cr

BATCH = np.random.default_rng(0).uniform(0.1, 1.0, size=(16, 5, 6)).astype(np.float32)


def shift(image, dy, dx):
    """``image`` moved down by dy and right by dx, zeros coming in."""
    h, w = image.shape[-2:]
    out = np.zeros_like(image)
    out[..., max(dy, 0):h + min(dy, 0), max(dx, 0):w + min(dx, 0)] = \
        image[..., max(-dy, 0):h - max(dy, 0), max(-dx, 0):w - max(dx, 0)]
    return out


def test_normalize_with_one_mean_and_std():
    out = cr.data.Normalize(0.5, 0.25)(BATCH)
    np.testing.assert_allclose(out, (BATCH - 0.5) / 0.25, rtol=1e-6)
    assert out.dtype == np.float32


def test_normalize_per_channel():
    batch = np.ones((2, 3, 2, 2))
    out = cr.data.Normalize([0.0, 1.0, 2.0], [1.0, 2.0, 4.0])(batch)
    np.testing.assert_allclose(out[:, :, 0, 0], [[1.0, 0.0, -0.25]] * 2)
    with pytest.raises(ValueError, match=r"\(N, 3, H, W\)"):
        cr.data.Normalize([0.0, 1.0, 2.0], 1.0)(np.ones((2, 4, 2, 2)))
    with pytest.raises(ValueError, match="positive"):
        cr.data.Normalize(0.0, [1.0, 0.0])


def test_random_shift_moves_each_image_by_at_most_max_shift_with_zero_fill():
    out = cr.data.RandomShift(2, seed=0)(BATCH)
    assert out.shape == BATCH.shape
    shifts = set()
    for image, moved in zip(BATCH, out):
        found = [(dy, dx) for dy in range(-2, 3) for dx in range(-2, 3) if np.array_equal(shift(image, dy, dx), moved)]
        assert len(found) == 1
        shifts.add(found[0])
    assert len(shifts) > 3


def test_random_shift_by_zero_is_the_identity():
    np.testing.assert_array_equal(cr.data.RandomShift(0)(BATCH), BATCH)


def test_random_crop_cuts_a_window_of_the_padded_image_same_for_every_channel():
    batch = np.random.default_rng(1).uniform(size=(8, 2, 4, 4))
    out = cr.data.RandomCrop(3, padding=1, seed=2)(batch)
    assert out.shape == (8, 2, 3, 3)
    padded = np.pad(batch, ((0, 0), (0, 0), (1, 1), (1, 1)))
    for original, crop in zip(padded, out):
        offsets = [(i, j) for i in range(4) for j in range(4) if np.array_equal(original[:, i:i + 3, j:j + 3], crop)]
        assert offsets


def test_random_crop_refuses_a_window_larger_than_the_padded_image():
    with pytest.raises(ValueError, match="larger"):
        cr.data.RandomCrop((8, 8), padding=1)(BATCH)


def test_horizontal_flip_with_probability_one_and_zero():
    np.testing.assert_array_equal(cr.data.RandomHorizontalFlip(1.0)(BATCH), BATCH[..., ::-1])
    np.testing.assert_array_equal(cr.data.RandomHorizontalFlip(0.0)(BATCH), BATCH)


def test_horizontal_flip_flips_some_whole_images():
    out = cr.data.RandomHorizontalFlip(0.5, seed=3)(BATCH)
    flipped = [np.array_equal(o, b[..., ::-1]) for o, b in zip(out, BATCH)]
    kept = [np.array_equal(o, b) for o, b in zip(out, BATCH)]
    assert all(f or k for f, k in zip(flipped, kept))
    assert 0 < sum(flipped) < len(BATCH)


def test_gaussian_noise_has_the_requested_spread_and_is_seeded():
    zeros = np.zeros((200, 10, 10), dtype=np.float32)
    noise = cr.data.GaussianNoise(0.3, seed=5)(zeros)
    assert noise.dtype == np.float32
    assert abs(noise.mean()) < 0.01 and noise.std() == pytest.approx(0.3, rel=0.02)
    np.testing.assert_array_equal(cr.data.GaussianNoise(0.3, seed=5)(zeros), noise)


def test_an_explicit_generator_overrides_the_transforms_own():
    flip = cr.data.RandomHorizontalFlip(0.5, seed=0)
    a = flip(BATCH, np.random.default_rng(9))
    b = cr.data.RandomHorizontalFlip(0.5, seed=1)(BATCH, np.random.default_rng(9))
    np.testing.assert_array_equal(a, b)


def test_compose_applies_in_order_and_leaves_the_input_alone():
    before = BATCH.copy()
    out = cr.data.Compose([cr.data.RandomHorizontalFlip(1.0), cr.data.Normalize(1.0, 2.0), lambda x: x[:, :1]])(BATCH)
    np.testing.assert_allclose(out, ((BATCH[..., ::-1] - 1.0) / 2.0)[:, :1], rtol=1e-6)
    np.testing.assert_array_equal(BATCH, before)
    assert "Normalize" in repr(cr.data.Compose([cr.data.Normalize(0, 1)]))


def test_integer_batches_become_floats():
    out = cr.data.Normalize(0, 1)(np.arange(8, dtype=np.uint8).reshape(2, 2, 2))
    assert out.dtype == cr.get_default_dtype()


@pytest.mark.parametrize("transform", [cr.data.RandomShift(1), cr.data.RandomCrop(2), cr.data.RandomHorizontalFlip()])
def test_spatial_transforms_refuse_flat_batches(transform):
    with pytest.raises(ValueError, match=r"\(N, H, W\)"):
        transform(np.zeros((4, 64)))


@pytest.mark.parametrize("make", [lambda: cr.data.RandomCrop(-1), lambda: cr.data.RandomShift(1.5),
                                  lambda: cr.data.RandomHorizontalFlip(2.0), lambda: cr.data.GaussianNoise(-1)])
def test_transforms_refuse_bad_options(make):
    with pytest.raises(ValueError):
        make()
