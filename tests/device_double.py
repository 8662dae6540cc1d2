"""A device-array test double: a NumPy-backed array that behaves like CuPy's where chainrule can tell.

``DeviceArray`` implements NumPy's dispatch protocols — ``__array_ufunc__`` (NEP 13),
``__array_function__`` (NEP 18) and ``like=`` (NEP 35) — by unwrapping its operands,
calling NumPy and wrapping the results, so NumPy code runs on it unchanged, as on CuPy.
Like CuPy it **refuses implicit conversion** (``np.asarray(d)`` raises) and refuses to mix
with host arrays (an ``np.ndarray`` operand raises, as CuPy's "Unsupported type"), and
its ``flags`` have no ``writeable``. So any place in chainrule that pulls data to the host
or creates a host array on the data path fails a test that runs with it.

``use_as_cuda()`` registers it as chainrule's "cuda" backend, for the device-placement API.
With ``CHAINRULE_TEST_DEVICE=cupy`` in the environment, the same names stand for CuPy instead
(``DeviceArray`` is ``cupy.ndarray``, "cuda" is chainrule's CuPy backend), so the tests that take
the ``gpu`` fixture run on a real GPU.
"""


import os

import numpy as np

import chainrule as cr
from chainrule.core import devices


class _Flags:
    __slots__ = ("c_contiguous", "f_contiguous", "owndata")

    def __init__(self, flags):
        self.c_contiguous, self.f_contiguous, self.owndata = flags.c_contiguous, flags.f_contiguous, flags.owndata


def _unwrap(value, host_ok=False):
    """The NumPy arrays behind device arrays; host arrays refused, as CuPy refuses them as operands
    (``host_ok`` for an index, which CuPy takes from the host)."""
    if isinstance(value, DeviceArray):
        return value.array
    if isinstance(value, np.ndarray) and not host_ok:
        raise TypeError(f"Unsupported type {type(value)} (a host array given to a device-array operation)")
    if isinstance(value, (list, tuple)):
        return type(value)(_unwrap(v, host_ok) for v in value)
    if isinstance(value, dict):
        return {k: _unwrap(v, host_ok) for k, v in value.items()}
    return value


def _wrap(value):
    if isinstance(value, np.ndarray):
        return DeviceArray(value)
    if isinstance(value, np.generic):  # CuPy's reductions give 0-d arrays, not scalars
        return DeviceArray(np.asarray(value))
    if isinstance(value, tuple):  # a named tuple (np.unique_counts) keeps its type, as CuPy's
        items = [_wrap(v) for v in value]
        return type(value)(*items) if hasattr(value, "_fields") else tuple(items)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    return value


def _refuse_what_cupy_lacks(name, kwargs):
    """CuPy's reductions to the largest or smallest value take no ``initial=`` (NumPy's do)."""
    if name in ("max", "min", "amax", "amin", "nanmax", "nanmin") and "initial" in kwargs:
        raise TypeError(f"{name}() got an unexpected keyword argument 'initial' (as CuPy's)")


def _defers_to(value):
    return (hasattr(value, "__array_ufunc__") and not isinstance(value, (DeviceArray, np.ndarray, np.generic))
            and value.__array_ufunc__ is not None)


class DeviceArray:
    """A NumPy array behind the interface of a device array (see the module docstring)."""

    __slots__ = ("array",)

    def __init__(self, array):
        if not isinstance(array, np.ndarray):
            raise TypeError(f"DeviceArray holds an np.ndarray, got {type(array).__name__}")
        self.array = array

    # ------------------------------------------------------------------ protocols
    def __array__(self, dtype=None, copy=None):
        raise TypeError("Implicit conversion to a NumPy array is not allowed. Please use `.get()` to construct "
                        "a NumPy array explicitly.")

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        if any(_defers_to(value) for value in inputs):  # another array type with its own protocol: its turn
            return NotImplemented
        if method == "at":  # ufunc.at(array, index, values): the index may come from the host
            target, index, *values = inputs
            getattr(ufunc, method)(_unwrap(target), _unwrap(index, host_ok=True), *_unwrap(values), **kwargs)
            return None
        return _wrap(getattr(ufunc, method)(*_unwrap(inputs), **_unwrap(kwargs)))

    def __array_function__(self, func, types, args, kwargs):
        if not all(issubclass(t, (DeviceArray, np.ndarray)) for t in types):
            return NotImplemented
        kwargs = {k: v for k, v in kwargs.items() if k != "like"}
        _refuse_what_cupy_lacks(func.__name__, kwargs)
        creating = func in (np.asarray, np.array, np.asanyarray)  # copies host data to the device, as CuPy's
        return _wrap(func(*_unwrap(args, host_ok=creating), **_unwrap(kwargs)))

    def get(self):
        """A host copy (CuPy's spelling)."""
        return self.array.copy()

    # ------------------------------------------------------------------ metadata
    shape = property(lambda self: self.array.shape)
    dtype = property(lambda self: self.array.dtype)
    ndim = property(lambda self: self.array.ndim)
    size = property(lambda self: self.array.size)
    nbytes = property(lambda self: self.array.nbytes)
    itemsize = property(lambda self: self.array.itemsize)
    strides = property(lambda self: self.array.strides)
    flags = property(lambda self: _Flags(self.array.flags))
    base = property(lambda self: None if self.array.base is None else DeviceArray(self.array.base)
                    if isinstance(self.array.base, np.ndarray) else self.array.base)
    T = property(lambda self: DeviceArray(self.array.T))
    real = property(lambda self: DeviceArray(self.array.real))
    imag = property(lambda self: DeviceArray(self.array.imag))

    def __len__(self):
        return len(self.array)

    def __repr__(self):
        return f"DeviceArray({self.array!r})"

    def item(self):
        return self.array.item()

    def tolist(self):
        return self.array.tolist()

    def __bool__(self):
        return bool(self.array)

    def __float__(self):
        return float(self.array)

    def __int__(self):
        return int(self.array)

    def __index__(self):
        return self.array.__index__()

    def __iter__(self):
        return (self[i] for i in range(len(self)))

    # ------------------------------------------------------------------ methods
    def _method(name):  # noqa: N805 (a helper building methods)
        def method(self, *args, **kwargs):
            _refuse_what_cupy_lacks(name, kwargs)
            return _wrap(getattr(self.array, name)(*_unwrap(args), **_unwrap(kwargs)))
        method.__name__ = name
        return method

    for _name in ("reshape", "transpose", "swapaxes", "squeeze", "ravel", "flatten", "sum", "mean", "prod", "max",
                  "min", "any", "all", "argmax", "argmin", "astype", "copy", "conj", "conjugate", "cumsum",
                  "clip", "dot", "var", "std", "fill", "nonzero", "take", "repeat", "round", "view"):
        locals()[_name] = _method(_name)
    del _name, _method

    def __getitem__(self, index):
        return _wrap(self.array[_unwrap(index, host_ok=True)])

    def __setitem__(self, index, value):
        self.array[_unwrap(index, host_ok=True)] = _unwrap(value)

    # ------------------------------------------------------------------ operators (through the ufuncs)
    def _binary(ufunc, reflected=False):  # noqa: N805
        if reflected:
            return lambda self, other: ufunc(other, self)
        return lambda self, other: ufunc(self, other)

    __add__, __radd__ = _binary(np.add), _binary(np.add, True)
    __sub__, __rsub__ = _binary(np.subtract), _binary(np.subtract, True)
    __mul__, __rmul__ = _binary(np.multiply), _binary(np.multiply, True)
    __truediv__, __rtruediv__ = _binary(np.true_divide), _binary(np.true_divide, True)
    __floordiv__, __rfloordiv__ = _binary(np.floor_divide), _binary(np.floor_divide, True)
    __mod__, __rmod__ = _binary(np.remainder), _binary(np.remainder, True)
    __pow__, __rpow__ = _binary(np.power), _binary(np.power, True)
    __matmul__, __rmatmul__ = _binary(np.matmul), _binary(np.matmul, True)
    __and__, __rand__ = _binary(np.logical_and), _binary(np.logical_and, True)
    __or__, __ror__ = _binary(np.logical_or), _binary(np.logical_or, True)
    __eq__, __ne__ = _binary(np.equal), _binary(np.not_equal)
    __lt__, __le__ = _binary(np.less), _binary(np.less_equal)
    __gt__, __ge__ = _binary(np.greater), _binary(np.greater_equal)
    del _binary
    __hash__ = None

    def __neg__(self):
        return np.negative(self)

    def __pos__(self):
        return self

    def __abs__(self):
        return np.absolute(self)

    def __invert__(self):
        return np.invert(self)

    def __iadd__(self, other):
        np.add(self.array, _unwrap(other), out=self.array)
        return self

    def __isub__(self, other):
        np.subtract(self.array, _unwrap(other), out=self.array)
        return self

    def __imul__(self, other):
        np.multiply(self.array, _unwrap(other), out=self.array)
        return self

    def __itruediv__(self, other):
        np.true_divide(self.array, _unwrap(other), out=self.array)
        return self


def to_device(value):
    """``value`` (an array, a number) as a DeviceArray; other values unchanged."""
    if isinstance(value, (np.ndarray, np.generic)):
        return DeviceArray(np.array(value))
    return value


def on_device(tree):
    """Every array in nested tuples/lists/dicts as a DeviceArray."""
    if isinstance(tree, (list, tuple)):
        return type(tree)(on_device(v) for v in tree)
    if isinstance(tree, dict):
        return {k: on_device(v) for k, v in tree.items()}
    return to_device(tree)


def host(value):
    """The NumPy array behind a tensor or DeviceArray (for comparisons in tests)."""
    if isinstance(value, cr.Tensor):
        value = value._data
    return value.get() if isinstance(value, DeviceArray) else np.asarray(value)


def use_as_cuda(monkeypatch):
    """Make the double chainrule's "cuda" backend for the duration of a test."""
    monkeypatch.setitem(devices.BACKENDS, "cuda", devices.Backend("cuda", DeviceArray, to_device, DeviceArray.get))


if os.environ.get("CHAINRULE_TEST_DEVICE") == "cupy":  # the same tests on a real GPU (CuPy), not the double
    import cupy

    DeviceArray = cupy.ndarray  # noqa: F811 (the real device array replaces the double)

    def to_device(value):  # noqa: F811
        return cupy.asarray(value) if isinstance(value, (np.ndarray, np.generic)) else value

    def host(value):  # noqa: F811
        if isinstance(value, cr.Tensor):
            value = value._data
        return cupy.asnumpy(value) if isinstance(value, cupy.ndarray) else np.asarray(value)

    def use_as_cuda(monkeypatch):  # noqa: F811, ARG001 (chainrule's own CuPy backend)
        devices.backend("cuda")


__all__ = ["DeviceArray", "to_device", "on_device", "host", "use_as_cuda"]
