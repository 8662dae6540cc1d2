"""Set routines with NumPy's signatures: unique (and NumPy 2's unique_all, unique_counts,
unique_inverse, unique_values), isin, union1d, intersect1d, setdiff1d, setxor1d.

Which elements are kept is read off the values now (so not inside ``cr.trace``/``cr.jit``);
the kept values are then gathered from the input, so they carry its gradient (each value's
gradient goes to its first occurrence). Indices, inverses and counts are integers. ``isin``
compares every pair, so it needs nothing of the values in advance.
"""

import numpy as np

from .. import ops
from ._adapt import concrete, operand


def _first_occurrences(x, name):
    """The flattened input and, for each sorted unique value, the position of its first occurrence."""
    flat = ops.reshape(operand(x), (-1,))
    _, first = np.unique(concrete(flat, name), return_index=True)
    return flat, first


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None, *, equal_nan=True,
           sorted=True):  # noqa: A002 (NumPy's name)
    """The sorted unique elements (or slices along ``axis``), optionally with the index of each first
    occurrence, the inverse that rebuilds ``ar`` and the counts, as ``np.unique``."""
    x = operand(ar)
    values = concrete(x, "unique")
    found = np.unique(values, return_index=True, return_inverse=return_inverse, return_counts=return_counts,
                      axis=axis, equal_nan=equal_nan)
    first = found[1]
    kept = ops.take(x, first, axis=axis)
    extras = [operand(first)] if return_index else []
    extras += [operand(part) for part in found[2:]]
    return (kept, *extras) if extras else kept


def unique_values(x):
    """The unique elements of x, in NumPy's order."""
    flat, first = _first_occurrences(x, "unique_values")
    data = concrete(flat, "unique_values")
    return ops.take(flat, first[np.searchsorted(data[first], np.unique_values(data))])


def _named(numpy_result, values):
    """NumPy's named tuple with our values (gathered, differentiable) and its integer fields as tensors."""
    fields = {name: operand(getattr(numpy_result, name)) for name in numpy_result._fields if name != "values"}
    fields["values"] = values
    return type(numpy_result)(**fields)


def unique_all(x):
    """``(values, indices, inverse_indices, counts)`` of the unique elements, as NumPy 2's ``unique_all``."""
    flat, first = _first_occurrences(x, "unique_all")
    result = np.unique_all(concrete(operand(x), "unique_all"))
    return _named(result, ops.take(flat, first))


def unique_counts(x):
    """``(values, counts)`` of the unique elements."""
    flat, first = _first_occurrences(x, "unique_counts")
    return _named(np.unique_counts(concrete(operand(x), "unique_counts")), ops.take(flat, first))


def unique_inverse(x):
    """``(values, inverse_indices)`` of the unique elements."""
    flat, first = _first_occurrences(x, "unique_inverse")
    return _named(np.unique_inverse(concrete(operand(x), "unique_inverse")), ops.take(flat, first))


def isin(element, test_elements, assume_unique=False, invert=False, *, kind=None):
    """Whether each element of ``element`` is in ``test_elements`` (boolean tensor of element's shape)."""
    x = operand(element)
    tests = ops.reshape(operand(test_elements), (-1,))
    found = ops.any(ops.equal(ops.expand_dims(x, -1), tests), axis=-1)
    return ops.logical_not(found) if invert else found


def union1d(ar1, ar2):
    """The sorted unique values found in either array."""
    joined = ops.concatenate([ops.reshape(operand(ar1), (-1,)), ops.reshape(operand(ar2), (-1,))])
    return unique(joined)


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    """The sorted unique values found in both arrays (with the indices of their first occurrences in each)."""
    flat1, first1 = _first_occurrences(ar1, "intersect1d")
    flat2, first2 = _first_occurrences(ar2, "intersect1d")
    values1, values2 = concrete(flat1, "intersect1d")[first1], concrete(flat2, "intersect1d")[first2]
    common, in1, in2 = np.intersect1d(values1, values2, assume_unique=True, return_indices=True)
    values = ops.take(flat1, first1[in1])
    if return_indices:
        return values, operand(first1[in1]), operand(first2[in2])
    return values


def setdiff1d(ar1, ar2, assume_unique=False):
    """The sorted unique values of ar1 that are not in ar2."""
    flat, first = _first_occurrences(ar1, "setdiff1d")
    keep = ~np.isin(concrete(flat, "setdiff1d")[first], concrete(operand(ar2), "setdiff1d"))
    return ops.take(flat, first[keep])


def setxor1d(ar1, ar2, assume_unique=False):
    """The sorted unique values found in exactly one of the arrays."""
    flat1, first1 = _first_occurrences(ar1, "setxor1d")
    flat2, first2 = _first_occurrences(ar2, "setxor1d")
    values1, values2 = concrete(flat1, "setxor1d")[first1], concrete(flat2, "setxor1d")[first2]
    only1, only2 = ~np.isin(values1, values2), ~np.isin(values2, values1)
    joined = ops.concatenate([ops.take(flat1, first1[only1]), ops.take(flat2, first2[only2])])
    return ops.take(joined, np.argsort(np.concatenate([values1[only1], values2[only2]]), kind="stable"))
