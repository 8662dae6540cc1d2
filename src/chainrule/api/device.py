"""Where tensors live: ``cr.device``, the ``device=`` argument and the Tensor's device methods.

chainrule computes on the CPU with NumPy, and on a GPU with CuPy: a tensor whose data is a
CuPy array lives on ``"cuda"`` and every op runs there (NumPy's dispatch protocols carry
the NumPy code to CuPy). PyTorch's spellings are accepted wherever PyTorch takes them:
``"cpu"``, ``"cuda"``, ``"cuda:0"``, ``cr.device("cuda")``, ``zeros(3, device=d)``,
``x.to("cuda")``, ``x.cuda()``, ``x.cpu()``, ``model.to("cuda")``. A device that cannot be used
here — no CuPy, no GPU, or a device type chainrule has no backend for — raises a
``RuntimeError`` saying which.
"""

from ..core import devices as backends
from ..ops.transfer import transfer

DEVICE_TYPES = ("cpu", "cuda", "mps", "xpu", "meta")
"""The device types PyTorch programs name; "cpu" and "cuda" (with CuPy) can hold chainrule's tensors."""


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
    """``value`` (a device argument; ``None`` means the default, the CPU) as a ``device`` that can
    be used here, or raise: ``TypeError`` for something that is not a device, ``RuntimeError``
    (saying why) for one that cannot be used, naming ``where`` (the function that was given it)."""
    if value is None:
        return CPU
    if not is_device(value):
        raise TypeError(f"{where}: expected a device such as 'cpu', 'cuda' or cr.device('cpu'), got {value!r}")
    named = device(value)
    if named.type != "cpu":
        try:
            backends.backend(named.type)
        except RuntimeError as error:
            raise RuntimeError(f"{where}: {error}") from None
    return named


def place(tensor, where_to):
    """``tensor`` on the device ``where_to`` (already checked): a differentiable move, or itself."""
    return transfer(tensor, where_to.type)


# ------------------------------------------------------------------ Tensor methods
def _device(self):
    return device(backends.device_of(self._data))


def cpu(self):
    """This tensor on the CPU (itself when it is there); differentiable, as PyTorch's."""
    return place(self, CPU)


def cuda(self, device=None, non_blocking=False):  # noqa: ARG001 (PyTorch's signature)
    """This tensor on the GPU (``device`` may name one: ``0``, ``"cuda:0"``); differentiable."""
    target = "cuda" if device is None else f"cuda:{device}" if isinstance(device, int) else device
    return place(self, check(target, "Tensor.cuda"))


def install(cls):
    """``x.device``, ``x.is_cuda``, ``x.cpu()`` and ``x.cuda()`` on ``cls`` (Tensor)."""
    cls.device = property(_device, doc="Where the tensor lives: ``cr.device('cpu')`` or ``cr.device('cuda')``.")
    cls.is_cuda = property(lambda self: backends.device_of(self._data) == "cuda", doc="Whether it lives on a GPU.")
    cls.cpu = cpu
    cls.cuda = cuda
