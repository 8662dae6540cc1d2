"""Where tensors live: ``cr.device``, the ``device=`` argument and the Tensor's device methods.

chainrule computes on the CPU, with NumPy. PyTorch programs name a device in many
places — ``torch.device("cpu")``, ``zeros(3, device=d)``, ``model.to("cpu")``,
``x.cpu()`` — so every spelling of the CPU is accepted wherever PyTorch takes one:
``"cpu"``, ``"cpu:0"``, ``cr.device("cpu")``. Other devices can be *named*, as in a
PyTorch build without CUDA (so ``cr.device("cuda" if cr.cuda.is_available() else "cpu")``
runs), but *using* one raises a ``RuntimeError`` saying that there is no GPU backend yet.
"""

DEVICE_TYPES = ("cpu", "cuda", "mps", "xpu", "meta")
"""The device types PyTorch programs name; only ``"cpu"`` can hold chainrule's tensors."""


class device:  # noqa: N801 (PyTorch's name)
    """A device name, as ``torch.device``: ``device("cpu")``, ``device("cuda", 0)``, ``device("cuda:1")``.

    Parameters
    ----------
    type : str or device
        ``"cpu"``, ``"cuda"``, ``"mps"``, ``"xpu"`` or ``"meta"``, optionally followed by
        ``":index"``.
    index : int, optional
        The device's number (not allowed when ``type`` already carries one).

    Examples
    --------
    >>> cr.device("cpu")
    device(type='cpu')
    >>> str(cr.device("cuda:1"))
    'cuda:1'
    """

    __slots__ = ("type", "index")

    def __init__(self, type, index=None):  # noqa: A002 (PyTorch's name)
        if isinstance(type, device):
            type, index = type.type, type.index if index is None else index
        if not isinstance(type, str):
            raise TypeError(f"device: expected a string such as 'cpu' or a cr.device, got {type!r}")
        name, colon, number = type.partition(":")
        if name not in DEVICE_TYPES:
            raise ValueError(f"device: unknown device type {name!r} in {type!r}; expected one of "
                             f"{', '.join(DEVICE_TYPES)}")
        if colon:
            if index is not None:
                raise ValueError(f"device: {type!r} already names an index; do not pass index={index!r} too")
            if not number.isdigit():
                raise ValueError(f"device: the index in {type!r} must be a non-negative integer")
            index = int(number)
        if index is not None and (isinstance(index, bool) or not isinstance(index, int) or index < 0):
            raise ValueError(f"device: index must be a non-negative integer, got {index!r}")
        self.type, self.index = name, index

    def __eq__(self, other):
        return isinstance(other, device) and (self.type, self.index) == (other.type, other.index)

    def __hash__(self):
        return hash((self.type, self.index))

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __repr__(self):
        index = "" if self.index is None else f", index={self.index}"
        return f"device(type={self.type!r}{index})"


CPU = device("cpu")


def is_device(value):
    """Whether ``value`` names a device (a ``cr.device`` or a string such as ``"cpu"`` or ``"cuda:0"``)."""
    if isinstance(value, device):
        return True
    return isinstance(value, str) and value.partition(":")[0] in DEVICE_TYPES


def check(value, where):
    """``value`` (a device argument; ``None`` means the default) as the CPU device, or raise.

    Raises ``TypeError`` for something that is not a device and ``RuntimeError`` for a
    device chainrule cannot compute on, naming ``where`` (the function that was given it).
    """
    if value is None:
        return CPU
    if not is_device(value):
        raise TypeError(f"{where}: expected a device such as 'cpu' or cr.device('cpu'), got {value!r}")
    named = device(value)
    if named.type != "cpu":
        raise RuntimeError(f"{where}: device {str(named)!r} is not available: chainrule has no GPU backend yet "
                           f"and computes on the CPU with NumPy; use device='cpu' (or leave the device out)")
    return named


# ------------------------------------------------------------------ Tensor methods
def cpu(self):
    """This tensor: it already lives on the CPU (PyTorch returns the tensor itself too)."""
    return self


def refuse_cuda(device, where):
    """``x.cuda(device)`` and ``module.cuda(device)``: always a ``RuntimeError`` (no GPU backend yet)."""
    check("cuda" if device is None else f"cuda:{device}" if isinstance(device, int) else device, where)


def cuda(self, device=None, non_blocking=False):  # noqa: ARG001 (PyTorch's signature)
    """Refused: chainrule has no GPU backend yet (raises ``RuntimeError``)."""
    refuse_cuda(device, "Tensor.cuda")


def install(cls):
    """``x.device``, ``x.is_cuda``, ``x.cpu()`` and ``x.cuda()`` on ``cls`` (Tensor)."""
    cls.device = property(lambda self: CPU, doc="Where the tensor lives: always the CPU, ``cr.device('cpu')``.")
    cls.is_cuda = property(lambda self: False, doc="False: chainrule has no GPU backend yet.")
    cls.cpu = cpu
    cls.cuda = cuda

