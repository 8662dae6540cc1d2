"""Fixtures shared by every test directory."""

import pytest


@pytest.fixture
def torch():
    """PyTorch as a reference; a test that takes it is skipped where PyTorch is not installed (as in CI)."""
    return pytest.importorskip("torch")
