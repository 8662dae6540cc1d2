"""NumPy's dispatch protocols on Tensor: a NumPy function called on tensors runs chainrule's.

* ``__array_function__`` (NEP 18): ``numpy.sum(t)``, ``numpy.stack([t, u])`` run the
  function of the same name in ``chainrule.numpy`` (and its submodules), so the result
  carries the gradient; a NumPy function chainrule does not implement raises
  ``TypeError`` naming it (and chainrule's spelling, where there is one) — it never
  silently converts the tensor to an array and drops the gradient.
* ``__array_ufunc__`` (NEP 13): ``numpy.sin(t)``, ``ndarray * t``, ``numpy.add.reduce(t)``
  run chainrule's ops, and SciPy's special-function ufuncs (``scipy.special.erf(t)``) those of
  ``chainrule.scipy.special``; ``out=`` (an in-place write) is refused.

Implicit conversion to an array (``numpy.asarray(t)``) of a tensor that requires grad
raises instead (``chainrule.core.tensor``), as PyTorch does.
"""

import sys
import types

import numpy as np

from .. import numpy as cnp
from ..scipy import special as cspecial
from .names import public_functions

_REDUCTIONS = {"add": cnp.sum, "multiply": cnp.prod, "maximum": cnp.max, "minimum": cnp.min,
               "logical_and": cnp.all, "logical_or": cnp.any}
"""``ufunc.reduce`` of these ufuncs is the reduction of the same name."""


def _counterparts(ours, theirs, table):
    """Map every function of NumPy's module ``theirs`` that ``ours`` implements, recursing into submodules."""
    for name in dir(ours):
        if name.startswith("_"):
            continue
        mine, numpy_value = getattr(ours, name), getattr(theirs, name, None)
        if mine is numpy_value:  # NumPy's own (its random module, dtypes): nothing to dispatch
            continue
        if isinstance(mine, types.ModuleType) and isinstance(numpy_value, types.ModuleType):
            _counterparts(mine, numpy_value, table)
        elif callable(mine) and callable(numpy_value) and not isinstance(numpy_value, (type, np.ufunc)):
            table[numpy_value] = mine
    return table


FUNCTIONS = _counterparts(cnp, np, {})
"""NumPy function -> chainrule's differentiable version."""

UFUNCS = {ufunc: getattr(cnp, ufunc.__name__) for ufunc in vars(np).values()
          if isinstance(ufunc, np.ufunc) and getattr(cnp, ufunc.__name__, ufunc) is not ufunc}
"""NumPy ufunc -> chainrule's function of the same name (not NumPy's own, which chainrule.numpy hands out for
the names it does not define)."""


_PUBLIC = public_functions()


def _numpy_name(func):
    return f"{getattr(func, '__module__', None) or 'numpy'}.{getattr(func, '__name__', repr(func))}"


def _refusal(what, name):
    spelling = f"; chainrule has cr.{name}" if name in _PUBLIC else ""
    return TypeError(f"{what} is not implemented for chainrule tensors, and converting them to arrays would drop their "
                     f"gradient{spelling}. Use a chainrule function (chainrule.numpy has NumPy's names), or call it "
                     f"on t.detach().numpy() if no gradient is wanted")


def array_function(self, func, types_, args, kwargs):
    """NEP 18: run chainrule's version of ``func`` or refuse."""
    implementation = FUNCTIONS.get(func)
    if implementation is None:
        raise _refusal(_numpy_name(func), getattr(func, "__name__", ""))
    return implementation(*args, **kwargs)


def _is_scipy_special(ufunc):
    special = sys.modules.get("scipy.special")  # loaded if one of its ufuncs is being called
    return special is not None and getattr(special, ufunc.__name__, None) is ufunc


def _ufunc_implementation(ufunc):
    """chainrule's function for a NumPy ufunc, or for one of SciPy's special functions; None if there is none."""
    if ufunc in UFUNCS:
        return UFUNCS[ufunc]
    if _is_scipy_special(ufunc):
        return getattr(cspecial, ufunc.__name__, None)
    return None


def array_ufunc(self, ufunc, method, *inputs, **kwargs):
    """NEP 13: a ufunc on tensors is chainrule's op of the same name."""
    name = f"{'scipy.special' if _is_scipy_special(ufunc) else 'numpy'}.{ufunc.__name__}"
    if kwargs.get("out") is not None:
        raise TypeError(f"{name}(..., out=...) writes in place into an array, which would drop the gradient of the "
                        f"tensors involved; use the result (y = {name}(...)) or a tensor's in-place method "
                        f"(t.add_(...))")
    implementation = _ufunc_implementation(ufunc)
    if method == "__call__" and implementation is not None:
        dtype = kwargs.pop("dtype", None)
        if kwargs:
            raise TypeError(f"{name}: {', '.join(kwargs)}= is not supported on chainrule tensors")
        result = implementation(*inputs)
        return result if dtype is None else result.astype(dtype)
    if method == "reduce" and ufunc.__name__ in _REDUCTIONS:
        kwargs.setdefault("axis", 0)
        return _REDUCTIONS[ufunc.__name__](*inputs, **kwargs)
    raise _refusal(f"{name}{'' if method == '__call__' else '.' + method}", ufunc.__name__)
