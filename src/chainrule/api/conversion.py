"""Dtypes and casts with PyTorch's names: ``cr.float32`` …, ``x.to(...)``, ``x.type(...)``, ``x.long()`` ….

chainrule's dtypes *are* NumPy's: ``cr.float32`` is ``np.dtype("float32")``, so
``x.dtype == cr.float32`` and ``x.dtype == np.float32`` both hold, and every function
that takes a dtype takes either spelling. PyTorch's short names (``cr.float``,
``cr.long`` …) are the same objects.

A cast to a floating or complex dtype is differentiable (the cotangent is cast back); a
cast to an integer or boolean dtype gives a tensor outside every gradient computation,
as in PyTorch.
"""

import numpy as np

from .. import ops
from ..core.tensor import Tensor
from . import device as devices

DTYPES = {name: np.dtype(name) for name in ("float16", "float32", "float64", "int8", "int16", "int32", "int64",
                                            "uint8", "bool", "complex64", "complex128")}
"""The dtype names of ``cr`` (NumPy dtypes, named as in PyTorch)."""

SHORT_NAMES = {"half": "float16", "float": "float32", "double": "float64", "short": "int16", "int": "int32",
               "long": "int64", "cfloat": "complex64", "cdouble": "complex128"}
"""PyTorch's other spellings of the same dtypes (``torch.long`` is ``torch.int64``)."""

_TENSOR_TYPES = {"float16": "HalfTensor", "float32": "FloatTensor", "float64": "DoubleTensor",
                 "int8": "CharTensor", "int16": "ShortTensor", "int32": "IntTensor", "int64": "LongTensor",
                 "uint8": "ByteTensor", "bool": "BoolTensor", "complex64": "ComplexFloatTensor",
                 "complex128": "ComplexDoubleTensor"}
_BY_TENSOR_TYPE = {tensor_type: name for name, tensor_type in _TENSOR_TYPES.items()}


def public_dtypes():
    """``{name: dtype}`` for every dtype name of ``cr``, short names included."""
    names = dict(DTYPES)
    names.update({short: DTYPES[full] for short, full in SHORT_NAMES.items()})
    return names


def as_dtype(value, where):
    """``value`` (a dtype, a NumPy type or a dtype name) as a NumPy dtype; ``TypeError`` naming ``where`` if not."""
    try:
        return np.dtype(value)
    except TypeError:
        raise TypeError(f"{where}: expected a dtype such as cr.float32 or np.float64, got {value!r}") from None


def cast(x, dtype):
    """x as ``dtype``: differentiable to a floating or complex dtype, detached to any other (as in PyTorch)."""
    if x.dtype == dtype:
        return x
    if dtype.kind not in "fc":
        x = ops.stop_gradient(x)
    return ops.astype(x, dtype)


def parse_to(args, kwargs, where):
    """The ``(device, dtype, copy)`` that ``to``'s three forms name (None: keep it); a device that
    cannot be used here raises.

    PyTorch's forms: ``to(dtype, non_blocking=False, copy=False)``,
    ``to(device=None, dtype=None, non_blocking=False, copy=False)`` and
    ``to(other, non_blocking=False, copy=False)`` (``other``'s device and dtype).
    """
    kwargs = dict(kwargs)
    target_device, dtype = kwargs.pop("device", None), kwargs.pop("dtype", None)
    copy = kwargs.pop("copy", False)
    kwargs.pop("non_blocking", None)
    kwargs.pop("memory_format", None)
    if kwargs:
        raise TypeError(f"{where}: unexpected keyword argument {next(iter(kwargs))!r}")
    args = list(args)
    if args and isinstance(args[0], Tensor):
        other = args.pop(0)
        target_device, dtype = other.device, other.dtype
    else:
        if args and (args[0] is None or devices.is_device(args[0])):
            target_device = args.pop(0)
        if args and not isinstance(args[0], bool):
            dtype = args.pop(0)
    if len(args) > 2 or not all(isinstance(a, bool) for a in args):
        raise TypeError(f"{where}: expected (device, dtype, non_blocking, copy), (dtype, non_blocking, copy) or "
                        f"(tensor, non_blocking, copy); got the extra arguments {tuple(args)!r}")
    if len(args) == 2:
        copy = args[1]
    target = None if target_device is None else devices.check(target_device, where)
    return target, None if dtype is None else as_dtype(dtype, where), bool(copy)


# ------------------------------------------------------------------ Tensor methods
def to(self, *args, **kwargs):
    """This tensor on a device and/or with a dtype, as PyTorch's ``Tensor.to``.

    ``x.to(cr.float64)``, ``x.to("cuda")``, ``x.to("cpu", cr.float64)``,
    ``x.to(device="cuda", dtype=...)``, ``x.to(other)`` (other's device and dtype). Returns
    ``x`` itself when nothing changes (unless ``copy=True``); moves and casts are
    differentiable.
    """
    target, dtype, copy = parse_to(args, kwargs, "Tensor.to")
    moved = self if target is None else devices.place(self, target)
    if dtype is not None and dtype != moved.dtype:
        return cast(moved, dtype)
    return moved.clone() if copy and moved is self else moved


def type(self, dtype=None, non_blocking=False):  # noqa: A001 (PyTorch's name)
    """Without ``dtype``: the type's name (``"chainrule.FloatTensor"``); with one: the tensor cast to it.

    ``dtype`` may be a dtype or a type name (``"chainrule.DoubleTensor"``; PyTorch's
    ``"torch.DoubleTensor"`` is read the same way).
    """
    if dtype is None:
        return "chainrule." + _TENSOR_TYPES.get(self.dtype.name, self.dtype.name)
    if isinstance(dtype, str) and dtype.rpartition(".")[2] in _BY_TENSOR_TYPE:
        dtype = _BY_TENSOR_TYPE[dtype.rpartition(".")[2]]
    return cast(self, as_dtype(dtype, "Tensor.type"))


def _cast_method(name, dtype):
    def method(self):
        return cast(self, dtype)

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"``x.to(cr.{dtype.name})``." + (" Differentiable." if dtype.kind in "fc" else "")
    return method


def install(cls):
    """``to``, ``type`` and the casts ``half float double short int long bool cfloat cdouble`` on ``cls``."""
    cls.to = to
    cls.type = type
    for short, full in list(SHORT_NAMES.items()) + [("bool", "bool")]:
        setattr(cls, short, _cast_method(short, DTYPES[full]))
