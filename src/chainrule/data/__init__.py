"""Data: the embedded digits set, MNIST-format loaders, datasets, DataLoader and transforms.

- ``digits()`` — scikit-learn's bundled 8×8 digits, the default data, and
  ``train_test_split`` — a fixed, seeded split;
- ``load_mnist(path)`` / ``read_idx(path)`` — IDX files (optionally gzipped) and
  ``.npz`` archives in the MNIST, Fashion-MNIST and MedMNIST layouts;
- ``Dataset``, ``TensorDataset``, ``Subset``, ``random_split`` — PyTorch's datasets;
- ``DataLoader`` — PyTorch's signature and default collation, seeded shuffling, augmentation;
- transforms — ``Normalize``, ``RandomCrop``, ``RandomShift``,
  ``RandomHorizontalFlip``, ``GaussianNoise``, ``Compose`` (on NumPy batches).
"""

from .dataset import Dataset, Subset, TensorDataset, random_split
from .digits import digits
from .loader import DataLoader, default_collate, default_convert
from .mnist import load_mnist, read_idx
from .split import train_test_split
from .transforms import (Compose, GaussianNoise, Normalize, RandomCrop, RandomHorizontalFlip, RandomShift,
                         Transform)

__all__ = ["digits", "train_test_split", "load_mnist", "read_idx", "Dataset", "TensorDataset", "Subset",
           "random_split", "DataLoader", "default_collate", "default_convert", "Transform", "Compose", "Normalize",
           "RandomCrop", "RandomShift", "RandomHorizontalFlip", "GaussianNoise"]
