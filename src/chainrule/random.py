"""Random tensors from one seeded generator.

chainrule's own functions ``cr.random.seed``, ``normal``, ``uniform``, and PyTorch's
``cr.manual_seed``, ``randn``, ``rand``, ``randint``, ``randperm``, ``randn_like``,
``rand_like`` and ``cr.Generator`` all draw from the same global generator (unless given
a ``generator=``), so one seed makes every later draw — and everything else that draws
from it, such as shuffling, dropout and initialisation — repeat. Floating results use
the default dtype unless ``dtype`` is given.
"""

import secrets

import numpy as np

from .api import device as devices
from .core import devices as backends
from .api.shaping import sizes_of
from .core.dtypes import get_default_dtype
from .core.tensor import Tensor, array_of


class Generator(np.random.Generator):
    """PyTorch's ``torch.Generator``: a NumPy ``Generator`` (PCG64) with ``manual_seed``.

    It can be passed wherever chainrule takes a NumPy generator (``DataLoader``,
    ``random_split``, ``nn.init``, the random functions). Seeded with ``s``, it draws
    exactly what ``np.random.default_rng(s)`` draws.

    Examples
    --------
    >>> g = cr.Generator().manual_seed(42)
    >>> train, val = cr.data.random_split(range(10), [8, 2], generator=g)
    """

    def __init__(self, device="cpu"):
        devices.check(device, "Generator")
        super().__init__(np.random.PCG64())
        self.seed()

    def manual_seed(self, seed):
        """Restart the stream from ``seed`` (an int); returns the generator."""
        self.bit_generator.state = np.random.PCG64(int(seed)).state
        self._initial_seed = int(seed)
        return self

    def seed(self):
        """Restart the stream from a fresh non-deterministic seed, and return that seed."""
        seed = secrets.randbits(63)
        self.manual_seed(seed)
        return seed

    def initial_seed(self):
        """The seed the current stream started from."""
        return self._initial_seed


_generator = [Generator()]


def manual_seed(seed):
    """Seed the global generator, so that the following draws repeat; returns the generator (as PyTorch)."""
    _generator[0] = Generator().manual_seed(seed)
    return _generator[0]


def seed(value):
    """Reset the generator so that the following draws repeat (``manual_seed``, returning nothing)."""
    manual_seed(value)


def generator():
    """The NumPy ``Generator`` behind chainrule's random functions."""
    return _generator[0]


def _finish(array, dtype, requires_grad, where=devices.CPU):
    """The drawn host ``array`` as a tensor of ``dtype`` on the device ``where``: a seed draws the same
    numbers on every device."""
    data = np.asarray(array, dtype=np.dtype(dtype) if dtype is not None else get_default_dtype())
    t = Tensor._wrap(data if where.type == "cpu" else backends.to_device(data, where.type))
    if requires_grad:
        t.requires_grad = True
    return t


def normal(loc=0.0, scale=1.0, size=None, dtype=None, requires_grad=False):
    """Samples of N(loc, scale²) with shape ``size``."""
    return _finish(_generator[0].normal(loc, scale, size), dtype, requires_grad)


def uniform(low=0.0, high=1.0, size=None, dtype=None, requires_grad=False):
    """Samples of U[low, high) with shape ``size``."""
    return _finish(_generator[0].uniform(low, high, size), dtype, requires_grad)


# ------------------------------------------------------------------- PyTorch's names
def _source(generator, device, where):
    """The generator to draw from and the checked device to put the draws on."""
    return _generator[0] if generator is None else generator, devices.check(device, where)


def _floating(dtype, where):
    dtype = get_default_dtype() if dtype is None else np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"{where}: dtype must be a floating dtype, got {dtype}")
    return dtype


def randn(*size, generator=None, dtype=None, device=None, requires_grad=False):
    """Samples of the standard normal N(0, 1): ``randn(2, 3)`` or ``randn((2, 3))``."""
    rng, where = _source(generator, device, "randn")
    shape = sizes_of(size, "randn")
    return _finish(rng.standard_normal(shape), _floating(dtype, "randn"), requires_grad, where)


def rand(*size, generator=None, dtype=None, device=None, requires_grad=False):
    """Samples of the uniform distribution on [0, 1): ``rand(2, 3)`` or ``rand((2, 3))``."""
    rng, where = _source(generator, device, "rand")
    shape, dtype = sizes_of(size, "rand"), _floating(dtype, "rand")
    values = rng.random(shape, dtype=np.float32 if dtype == np.float32 else np.float64).astype(dtype)
    below_one = np.nextafter(dtype.type(1), dtype.type(0))  # rounding to a narrower dtype must not reach 1
    return _finish(np.minimum(values, below_one), dtype, requires_grad, where)


def randint(low=0, high=None, size=None, *, generator=None, dtype=None, device=None, requires_grad=False):
    """Integers drawn uniformly from [low, high), with shape ``size`` (int64 by default).

    PyTorch's two forms: ``randint(high, size)`` and ``randint(low, high, size)``.
    """
    if size is None and isinstance(high, (tuple, list)):
        low, high, size = 0, low, high
    if high is None or size is None:
        raise TypeError("randint: give high and size, as randint(high, size) or randint(low, high, size)")
    if not isinstance(size, (tuple, list)):
        raise TypeError(f"randint: size must be a tuple of ints, got {size!r}")
    if low >= high:
        raise ValueError(f"randint: low ({low}) must be smaller than high ({high})")
    rng, where = _source(generator, device, "randint")
    drawn = rng.integers(low, high, sizes_of((size,), "randint"))
    return _finish(drawn, np.int64 if dtype is None else dtype, requires_grad, where)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False):
    """A random permutation of 0 … n − 1 (int64 by default)."""
    rng, where = _source(generator, device, "randperm")
    return _finish(rng.permutation(n), np.int64 if dtype is None else dtype, requires_grad, where)


def randn_like(input, dtype=None, device=None, requires_grad=False):  # noqa: A002 (PyTorch's name)
    """``randn`` with input's shape and (unless ``dtype`` or ``device`` is given) dtype and device."""
    where = _device_of(input) if device is None else devices.check(device, "randn_like")
    return randn(np.shape(input), dtype=input.dtype if dtype is None else dtype, requires_grad=requires_grad,
               device=where)


def rand_like(input, dtype=None, device=None, requires_grad=False):  # noqa: A002
    """``rand`` with input's shape and (unless ``dtype`` or ``device`` is given) dtype and device."""
    where = _device_of(input) if device is None else devices.check(device, "rand_like")
    return rand(np.shape(input), dtype=input.dtype if dtype is None else dtype, requires_grad=requires_grad,
               device=where)


def _device_of(value):
    return backends.device_of(array_of(value))
