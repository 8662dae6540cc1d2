"""``cr.cuda``: PyTorch's ``torch.cuda`` queries.

PyTorch programs ask before they choose a device
(``device = "cuda" if torch.cuda.is_available() else "cpu"``): a GPU is available when
CuPy is installed and finds one (``pip install 'chainrule[cuda]'``).
"""

from .core import devices


def is_available():
    """Whether tensors can be put on a GPU here (CuPy installed, a GPU present)."""
    return devices.available("cuda")


def device_count():
    """How many GPUs CuPy sees (0 without CuPy)."""
    return devices.backend("cuda").count() if is_available() else 0
