"""PyTorch's random functions draw from chainrule's one generator: manual_seed repeats them (and
cr.random's), Generator is a seedable NumPy generator, and each function has PyTorch's signature."""

import numpy as np
import pytest

import chainrule as cr


def test_manual_seed_repeats_every_draw_and_returns_the_generator():
    g = cr.manual_seed(3)
    first = (cr.randn(2, 3), cr.rand(4), cr.randint(10, (5,)), cr.randperm(6), cr.random.normal(size=2))
    assert cr.random.generator() is g and g.initial_seed() == 3
    cr.manual_seed(3)
    second = (cr.randn(2, 3), cr.rand(4), cr.randint(10, (5,)), cr.randperm(6), cr.random.normal(size=2))
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a.numpy(), b.numpy())
    cr.random.seed(3)
    np.testing.assert_array_equal(cr.randn(2, 3).numpy(), first[0].numpy())


def test_shapes_and_dtypes_follow_pytorch():
    assert cr.randn(2, 3).shape == cr.randn((2, 3)).shape == (2, 3) and cr.randn(2).dtype == np.float32
    assert cr.rand(3, dtype=cr.float64).dtype == np.float64 and cr.randn().shape == ()
    assert cr.randint(10, (3,)).dtype == np.int64 and cr.randperm(4).dtype == np.int64
    assert cr.randint(2, 5, (100,)).numpy().min() >= 2 and cr.randint(2, 5, (100,)).numpy().max() < 5
    assert sorted(cr.randperm(7).tolist()) == list(range(7))
    assert cr.randn_like(cr.zeros(2, dtype=cr.float64)).dtype == np.float64
    assert cr.randn(3, requires_grad=True).requires_grad


def test_rand_stays_below_one_in_every_floating_dtype():
    for dtype in (cr.float16, cr.float32, cr.float64):
        values = cr.rand(2000, dtype=dtype, generator=cr.Generator().manual_seed(0)).numpy()
        assert values.dtype == dtype and values.min() >= 0 and values.max() < 1


def test_a_generator_draws_as_numpys_default_rng_with_the_same_seed():
    g = cr.Generator().manual_seed(42)
    np.testing.assert_array_equal(cr.randn(5, generator=g, dtype=cr.float64).numpy(),
                                  np.random.default_rng(42).standard_normal(5))
    assert isinstance(g, np.random.Generator)
    train, val = cr.data.random_split(range(10), [8, 2], generator=cr.Generator().manual_seed(1))
    again, _ = cr.data.random_split(range(10), [8, 2], generator=cr.Generator().manual_seed(1))
    assert list(train) == list(again)


def test_generator_seed_restarts_from_a_fresh_seed_it_reports():
    g = cr.Generator()
    seed = g.seed()
    assert g.initial_seed() == seed
    np.testing.assert_array_equal(g.random(3), cr.Generator().manual_seed(seed).random(3))


@pytest.mark.parametrize("call, kind, match", [
    (lambda: cr.randn(2, dtype=cr.int64), TypeError, "randn: dtype must be a floating dtype"),
    (lambda: cr.randint(5), TypeError, "randint: give high and size"),
    (lambda: cr.randint(0, 5, 3), TypeError, "randint: size must be a tuple"),
    (lambda: cr.randint(5, 5, (2,)), ValueError, "randint: low \\(5\\) must be smaller than high"),
    (lambda: cr.randn(2.5), TypeError, "randn: sizes must be integers"),
    (lambda: cr.Generator(device="cuda"), RuntimeError, "Generator: device 'cuda' needs CuPy")])
def test_bad_arguments_are_refused_naming_the_function(call, kind, match, no_gpu):
    with pytest.raises(kind, match=match):
        call()


def test_the_call_forms_of_pytorch_give_the_same_shapes_and_dtypes(torch):
    for ours, theirs in ((cr.randint(10, (3, 2)), torch.randint(10, (3, 2))),
                         (cr.randint(2, 10, (4,)), torch.randint(2, 10, (4,))),
                         (cr.randn(2, 3), torch.randn(2, 3)), (cr.rand((2, 3)), torch.rand((2, 3))),
                         (cr.randperm(5), torch.randperm(5))):
        assert ours.shape == tuple(theirs.shape) and ours.dtype.name == str(theirs.dtype).split(".")[1]


def test_draws_on_the_device_are_the_cpus_draws_and_like_functions_follow_their_input(gpu):
    from device_double import DeviceArray, host

    draws = {}
    for device in ("cpu", "cuda"):
        cr.manual_seed(5)
        draws[device] = [cr.randn(2, 3, device=device), cr.rand(4, device=device),
                         cr.randint(0, 9, (3,), device=device), cr.randperm(5, device=device)]
    for on_device, on_cpu in zip(draws["cuda"], draws["cpu"]):
        assert isinstance(on_device._data, DeviceArray) and on_device.dtype == on_cpu.dtype
        np.testing.assert_array_equal(host(on_device), on_cpu.numpy())
    assert isinstance(cr.randn_like(draws["cuda"][0])._data, DeviceArray)
    assert isinstance(cr.rand_like(draws["cuda"][0], device="cpu")._data, np.ndarray)
