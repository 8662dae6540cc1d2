"""``cr.cuda``: PyTorch's ``torch.cuda`` queries, answered for a library without a GPU backend.

PyTorch programs ask before they choose a device
(``device = "cuda" if torch.cuda.is_available() else "cpu"``); chainrule answers that no
GPU is available, so such programs choose the CPU and run unchanged.
"""


def is_available():
    """False: chainrule has no GPU backend yet."""
    return False


def device_count():
    """0: chainrule has no GPU backend yet."""
    return 0
