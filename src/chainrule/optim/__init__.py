"""Optimizers and learning-rate schedulers (PyTorch's protocol and formulas)."""
