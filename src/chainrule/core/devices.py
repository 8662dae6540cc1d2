"""Devices: which array library holds a tensor's data.

A tensor's data is a NumPy array (it lives on the CPU) or a *device array*: an array of any
other type that implements NumPy's dispatch protocols (``__array_function__``,
``__array_ufunc__``) — CuPy's arrays on a GPU, or a test double. NumPy code runs on such
arrays unchanged, so the engine keeps them as they are: it never converts them implicitly
(``np.asarray``) and creates new arrays like its inputs (``np.zeros_like``, ``like=``).

A *backend* names a device type and knows how to move arrays there and back:
``BACKENDS["cuda"]`` is CuPy's, created on first use (importing chainrule never imports CuPy).
"""

import numpy as np


class Backend:
    """A device type: its array type, how arrays move to it and back to the host, and how many
    devices of the type there are."""

    __slots__ = ("name", "array_type", "to_device", "to_host", "count")

    def __init__(self, name, array_type, to_device, to_host, count=lambda: 1):
        self.name, self.array_type, self.to_device, self.to_host = name, array_type, to_device, to_host
        self.count = count


def _cupy_backend():
    try:
        import cupy
    except ImportError as error:
        raise RuntimeError("device 'cuda' needs CuPy, which is not installed: pip install 'chainrule[cuda]' "
                           f"(and a CUDA GPU) ({error})") from None
    try:
        count = cupy.cuda.runtime.getDeviceCount()
    except Exception as error:  # CUDA driver or runtime missing: CuPy raises its own error types
        raise RuntimeError(f"device 'cuda': CuPy is installed but no GPU can be used ({error})") from None
    if count == 0:
        raise RuntimeError("device 'cuda': CuPy is installed but this machine has no GPU")
    return Backend("cuda", cupy.ndarray, cupy.asarray, cupy.asnumpy, cupy.cuda.runtime.getDeviceCount)


BACKENDS = {}
"""Device type -> Backend, filled on first use ("cuda": CuPy)."""

_FACTORIES = {"cuda": _cupy_backend}


def backend(name):
    """The backend of device type ``name`` ("cuda"), created on first use; RuntimeError saying why
    when it cannot be used (CuPy missing, no GPU)."""
    found = BACKENDS.get(name)
    if found is None:
        factory = _FACTORIES.get(name)
        if factory is None:
            raise RuntimeError(f"device {name!r}: chainrule has no backend for it (it computes on 'cpu', or on "
                               f"'cuda' with CuPy)")
        found = BACKENDS[name] = factory()
    return found


def available(name):
    """Whether device type ``name`` can be used here."""
    try:
        backend(name)
    except RuntimeError:
        return False
    return True


def is_device_array(value):
    """Whether ``value`` is an array of another library than NumPy that NumPy's protocols reach."""
    return (not isinstance(value, np.ndarray) and hasattr(value, "__array_function__") and hasattr(value, "shape")
            and hasattr(value, "dtype") and not hasattr(value, "_requires_grad"))


def device_of(array):
    """The device type holding ``array``: "cpu" for NumPy's, else the name of its backend."""
    if isinstance(array, (np.ndarray, np.generic)):
        return "cpu"
    for found in BACKENDS.values():
        if isinstance(array, found.array_type):
            return found.name
    return "cuda"  # an array type that implements NumPy's protocols but no registered backend claims


def to_host(array):
    """``array`` as a NumPy array: copied from its device, explicitly."""
    if not is_device_array(array):
        return np.asarray(array)
    for found in BACKENDS.values():
        if isinstance(array, found.array_type):
            return found.to_host(array)
    raise TypeError(f"cannot copy an array of type {type(array).__name__} to the host: no backend knows it")


def to_device(array, name):
    """``array`` on device type ``name`` ("cpu" or a backend's)."""
    if name == "cpu":
        return to_host(array)
    target = backend(name)
    if isinstance(array, target.array_type):
        return array
    return target.to_device(to_host(array))


def placed_like(value, like):
    """``value`` (an array, a scalar or nested lists) on the device of the array ``like``: copied to
    ``like``'s device (NEP 35's ``like=``) or to the host, explicitly; itself when it is already there."""
    if not is_device_array(like):
        return to_host(value) if is_device_array(value) else value
    if isinstance(value, type(like)):
        return value
    return np.asarray(to_host(value) if is_device_array(value) else value, like=like)


def like(value):
    """``value`` as NEP 35's ``like=`` argument: itself when it is a device array, else None (NumPy)."""
    return value if is_device_array(value) else None


def contiguous(array):
    """``array`` in C order on its own device (``np.ascontiguousarray`` dispatched by ``like=``)."""
    return np.ascontiguousarray(array, like=like(array))
