"""Data: the embedded digits set, MNIST-format loaders, DataLoader and transforms."""
