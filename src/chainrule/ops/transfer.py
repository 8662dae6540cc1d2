"""Moving a value between devices (``x.to("cuda")``, ``x.cpu()``) as a differentiable op.

    transfer(x, device) = x, held on ``device``;   x̄ = ḡ moved back to x's device

so a loss computed on the GPU from CPU data sends its gradient back to the CPU, and the
other way round (PyTorch's ``to`` is differentiable the same way).
"""

from ..core import devices
from ..core.bind import bind
from ..core.tensor import array_of
from . import samples
from .declare import Math, broadcasting, primitive

transfer_p = primitive(
    "transfer", lambda x, device: devices.to_device(x, device), linear="all", batch=broadcasting(0),
    vjp=(lambda g, ans, x, device: transfer(g, devices.device_of(array_of(x))),),
    math=Math("{0} on device", tangent=("{d} on device",), adjoint=("{d} back on x's device",)),
    samples=samples.uniform(((2, 3),), params={"device": "cpu"}))


def transfer(x, device):
    """``x`` on device type ``device`` ("cpu", "cuda"): itself when it is there already."""
    if devices.device_of(array_of(x)) == device:
        return x
    return bind(transfer_p, x, device=device)
