"""Data: the embedded digits set, MNIST-format loaders, DataLoader and transforms.

- ``digits()`` — scikit-learn's bundled 8×8 digits, the default data, and
  ``train_test_split`` — a fixed, seeded split;
- ``load_mnist(path)`` / ``read_idx(path)`` — IDX files (optionally gzipped) and
  ``.npz`` archives in the MNIST, Fashion-MNIST and MedMNIST layouts;
- ``DataLoader`` — seeded shuffling, batching, augmentation;
- transforms — ``Normalize``, ``RandomCrop``, ``RandomShift``,
  ``RandomHorizontalFlip``, ``GaussianNoise``, ``Compose`` (on NumPy batches).
"""

from .digits import digits
from .loader import DataLoader
from .mnist import load_mnist, read_idx
from .split import train_test_split
from .transforms import (Compose, GaussianNoise, Normalize, RandomCrop, RandomHorizontalFlip, RandomShift,
                         Transform)

__all__ = ["digits", "train_test_split", "load_mnist", "read_idx", "DataLoader", "Transform", "Compose",
           "Normalize", "RandomCrop", "RandomShift", "RandomHorizontalFlip", "GaussianNoise"]
