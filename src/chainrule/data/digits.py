"""The embedded default image set: scikit-learn's bundled 8×8 handwritten digits."""

import functools

import numpy as np

from ..core.dtypes import get_default_dtype


@functools.lru_cache(maxsize=1)
def _raw_digits():
    try:
        from sklearn.datasets import load_digits
    except ImportError as error:
        raise ImportError("cr.data.digits() needs scikit-learn (pip install 'chainrule[full]')") from error
    bunch = load_digits()
    images, target = bunch.images, bunch.target
    images.setflags(write=False)
    target.setflags(write=False)
    return images, target


def digits(dtype=None):
    r"""The 1,797 8×8 handwritten digits bundled with scikit-learn (no network).

    Pixel intensities, integers 0–16 in the source, are scaled to [0, 1]:
    :math:`X = \text{pixels} / 16`.

    Parameters
    ----------
    dtype : numpy dtype, optional
        Floating dtype of the images; chainrule's default dtype (float32 unless
        changed) when omitted.

    Returns
    -------
    X : ndarray, shape (1797, 8, 8)
        Images, one per row, in [0, 1] (reshape to (N, 1, 8, 8) for ``Conv2d`` or
        to (N, 64) for ``Linear``).
    y : ndarray of int64, shape (1797,)
        The digit shown, 0–9.

    Examples
    --------
    >>> X, y = cr.data.digits()
    >>> X.shape, X.dtype, y[:5]
    ((1797, 8, 8), dtype('float32'), array([0, 1, 2, 3, 4]))
    """
    images, target = _raw_digits()
    dtype = get_default_dtype() if dtype is None else np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"digits: dtype must be floating, got {dtype}")
    return (images / 16.0).astype(dtype), target.astype(np.int64)
