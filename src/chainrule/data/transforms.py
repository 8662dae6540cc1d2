"""Batch transforms for data augmentation, on NumPy arrays.

Each transform takes a whole batch — shape (N, H, W) or (N, C, H, W) for the
spatial ones, any shape for the others — and returns a new array; the input is
never changed. Random transforms draw from a NumPy ``Generator``: the one passed
as ``rng`` (``DataLoader`` passes its own, so one seed fixes every draw), else
their own, made from the ``seed`` given at construction.

>>> augment = cr.data.Compose([cr.data.RandomShift(1), cr.data.GaussianNoise(0.05),
...                            cr.data.Normalize(0.5, 0.25)])
>>> loader = cr.data.DataLoader(cr.data.TensorDataset(X, y), batch_size=64, shuffle=True, seed=0,
...                            transform=augment)
"""

import numpy as np

from ..core.dtypes import get_default_dtype
from ..core.tensor import Tensor


def _float_batch(x):
    x = x._data if isinstance(x, Tensor) else np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(get_default_dtype())


def _pair(value, name):
    pair = (value, value) if np.isscalar(value) else tuple(value)
    if len(pair) != 2 or any(int(v) != v or v < 0 for v in pair):
        raise ValueError(f"{name}: expected a non-negative int or a pair of them, got {value!r}")
    return tuple(int(v) for v in pair)


class Transform:
    """Base class: ``transform(x, rng=None)`` returns the transformed batch ``x``.

    Subclasses implement ``_apply(x, rng)`` on a floating ndarray.
    """

    def __init__(self, seed=None):
        self._rng = np.random.default_rng(seed)

    def __call__(self, x, rng=None):
        return self._apply(_float_batch(x), self._rng if rng is None else rng)

    def _apply(self, x, rng):
        raise NotImplementedError

    def _spatial(self, x):
        if x.ndim not in (3, 4):
            raise ValueError(f"{type(self).__name__}: expected a batch of shape (N, H, W) or (N, C, H, W), "
                             f"got {x.shape}")
        return x


class Compose(Transform):
    r"""Apply transforms one after the other: :math:`(t_k \circ \dots \circ t_1)(x)`.

    Parameters
    ----------
    transforms : sequence of callables
        chainrule transforms (which share the ``rng`` passed to ``Compose``) or
        plain functions of one batch.
    """

    def __init__(self, transforms):
        super().__init__()
        self.transforms = list(transforms)

    def _apply(self, x, rng):
        for transform in self.transforms:
            x = transform(x, rng) if isinstance(transform, Transform) else transform(x)
        return x

    def __repr__(self):
        return "Compose([" + ", ".join(map(repr, self.transforms)) + "])"


class Normalize(Transform):
    r"""Standardize: :math:`x' = (x - \mu) / \sigma`.

    Parameters
    ----------
    mean, std : float or sequence of float
        One value for every pixel, or one per channel (axis 1 of an
        (N, C, H, W) batch).
    """

    def __init__(self, mean, std):
        super().__init__()
        self.mean = np.asarray(mean, dtype=np.float64)
        self.std = np.asarray(std, dtype=np.float64)
        if self.mean.ndim > 1 or self.std.ndim > 1:
            raise ValueError("Normalize: mean and std must be numbers or one value per channel")
        if np.any(self.std <= 0):
            raise ValueError(f"Normalize: std must be positive, got {std!r}")

    def _apply(self, x, rng):
        shaped = []
        for value in (self.mean, self.std):
            if value.size > 1 and (x.ndim != 4 or x.shape[1] != value.size):
                raise ValueError(f"Normalize: {value.size} per-channel values need a batch of shape "
                                 f"(N, {value.size}, H, W), got {x.shape}")
            shaped.append(value.reshape(-1, 1, 1) if value.size > 1 else value.reshape(()))
        mean, std = shaped
        return (x - mean.astype(x.dtype)) / std.astype(x.dtype)

    def __repr__(self):
        return f"Normalize(mean={self.mean.tolist()}, std={self.std.tolist()})"


class RandomCrop(Transform):
    r"""Zero-pad by ``padding``, then cut a random ``size`` window from each image.

    For image n, with the padded image :math:`\tilde x`, offsets
    :math:`(i_n, j_n)` are drawn uniformly from
    :math:`\{0..\tilde H - h\} \times \{0..\tilde W - w\}` and

    .. math:: x'_n[a, b] = \tilde x_n[i_n + a,\ j_n + b], \quad 0 \le a < h,\ 0 \le b < w,

    the same window for every channel of an image.

    Parameters
    ----------
    size : int or (int, int)
        Output height and width (h, w).
    padding : int or (int, int), default 0
        Zeros added on each side of the height and width.
    seed : int, optional
    """

    def __init__(self, size, padding=0, seed=None):
        super().__init__(seed)
        self.size = _pair(size, "RandomCrop size")
        self.padding = _pair(padding, "RandomCrop padding")

    def _apply(self, x, rng):
        return _random_crop(self._spatial(x), self.size, self.padding, rng)

    def __repr__(self):
        return f"RandomCrop(size={self.size}, padding={self.padding})"


class RandomShift(Transform):
    r"""Translate each image by a random whole number of pixels, filling with zeros.

    Shifts :math:`(d_y, d_x)` are drawn uniformly from
    :math:`\{-s..s\}^2` per image: a :class:`RandomCrop` of the image's own
    size after zero padding by :math:`s`.

    Parameters
    ----------
    max_shift : int
        :math:`s`, the largest shift in pixels along each axis.
    seed : int, optional
    """

    def __init__(self, max_shift, seed=None):
        super().__init__(seed)
        self.max_shift = _pair(max_shift, "RandomShift max_shift")

    def _apply(self, x, rng):
        x = self._spatial(x)
        return _random_crop(x, x.shape[-2:], self.max_shift, rng)

    def __repr__(self):
        return f"RandomShift(max_shift={self.max_shift})"


def _random_crop(x, size, padding, rng):
    n, (h, w), (ph, pw) = x.shape[0], size, padding
    planes = x.reshape((n, -1) + x.shape[-2:])
    padded = np.pad(planes, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    if h > padded.shape[2] or w > padded.shape[3]:
        raise ValueError(f"crop size {(h, w)} is larger than the padded image {padded.shape[2:]}")
    windows = np.lib.stride_tricks.sliding_window_view(padded, (h, w), axis=(2, 3))
    rows = rng.integers(0, padded.shape[2] - h + 1, size=n)
    cols = rng.integers(0, padded.shape[3] - w + 1, size=n)
    out = windows[np.arange(n), :, rows, cols]
    return out.reshape(x.shape[:-2] + (h, w))


class RandomHorizontalFlip(Transform):
    r"""Mirror each image left–right with probability ``p``: :math:`x'[a, b] = x[a, W - 1 - b]`.

    Parameters
    ----------
    p : float, default 0.5
    seed : int, optional
    """

    def __init__(self, p=0.5, seed=None):
        super().__init__(seed)
        if not 0 <= p <= 1:
            raise ValueError(f"RandomHorizontalFlip: p must be in [0, 1], got {p!r}")
        self.p = p

    def _apply(self, x, rng):
        x = self._spatial(x)
        flip = rng.random(x.shape[0]) < self.p
        out = x.copy()
        out[flip] = x[flip][..., ::-1]
        return out

    def __repr__(self):
        return f"RandomHorizontalFlip(p={self.p})"


class GaussianNoise(Transform):
    r"""Add independent noise: :math:`x' = x + \varepsilon`, :math:`\varepsilon \sim \mathcal N(0, \sigma^2)`.

    Parameters
    ----------
    std : float
        :math:`\sigma`.
    seed : int, optional
    """

    def __init__(self, std, seed=None):
        super().__init__(seed)
        if not std >= 0:
            raise ValueError(f"GaussianNoise: std must be non-negative, got {std!r}")
        self.std = std

    def _apply(self, x, rng):
        return x + rng.normal(0.0, self.std, size=x.shape).astype(x.dtype)

    def __repr__(self):
        return f"GaussianNoise(std={self.std})"
