"""Products with NumPy's signatures: dot, vdot, inner, outer, tensordot, kron, cross, einsum.

``einsum`` takes both of NumPy's forms: the subscripts string (``einsum("ij,jk->ik", a, b)``)
and the sublists (``einsum(a, [0, 1], b, [1, 2], [0, 2])``, integers naming the axes and
``...`` the broadcast ones), which are spelled out as the string.
"""

import string

from .. import ops
from ._adapt import operand, refuse_out


def dot(a, b, out=None):
    refuse_out("dot", out)
    return ops.dot(operand(a), operand(b))


def vdot(a, b, /):
    """Σ conj(a)·b over the flattened arrays."""
    return ops.vdot(operand(a), operand(b))


def inner(a, b, /):
    """Σ over the last axes of a and b (a product when either is a scalar)."""
    return ops.inner(operand(a), operand(b))


def outer(a, b, out=None):
    refuse_out("outer", out)
    return ops.outer(operand(a), operand(b))


def tensordot(a, b, axes=2):
    """Σ over ``axes`` of a and b paired (the last ``axes`` of a with the first of b when an int)."""
    return ops.tensordot(operand(a), operand(b), axes)


def kron(a, b):
    """The Kronecker product: blocks a_ij·b."""
    return ops.kron(operand(a), operand(b))


def cross(a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
    """The cross product of 2- or 3-vectors."""
    return ops.cross(operand(a), operand(b), axisa, axisb, axisc, axis)


def _sublist_subscripts(operands):
    """``(subscripts, arrays)`` for einsum's sublist form: ``a, [0, 1], b, [1, 2], [0, 2]``."""
    arrays, terms = [], []
    items = list(operands)
    output = items.pop() if len(items) % 2 == 1 else None

    def letters(sublist):
        spelled = []
        for axis in sublist:
            if axis is Ellipsis:
                spelled.append("...")
            elif isinstance(axis, int) and 0 <= axis < len(string.ascii_letters):
                spelled.append(string.ascii_letters[axis])
            else:
                raise ValueError(f"einsum: sublist entries must be ints in [0, 52) or Ellipsis, got {axis!r}")
        return "".join(spelled)

    for array, sublist in zip(items[0::2], items[1::2]):
        arrays.append(array)
        terms.append(letters(sublist))
    subscripts = ",".join(terms) + ("" if output is None else "->" + letters(output))
    return subscripts, arrays


def einsum(*operands, out=None, optimize=False, dtype=None, casting="safe", order="K"):
    """Einstein summation, in the subscripts form or the sublist form (see the module docstring)."""
    refuse_out("einsum", out)
    if not operands:
        raise TypeError("numpy.einsum: needs the subscripts and at least one operand")
    if isinstance(operands[0], str):
        subscripts, arrays = operands[0], operands[1:]
    else:
        subscripts, arrays = _sublist_subscripts(operands)
    return ops.einsum(subscripts, *[operand(a, dtype) for a in arrays])


def matvec(x1, x2, /):
    """The matrix-vector products x1 @ x2 over broadcast leading axes: (…, m, n) × (…, n) → (…, m)."""
    matrix, vector = operand(x1), operand(x2)
    return ops.matmul(matrix, ops.expand_dims(vector, -1))[..., 0]


def vecmat(x1, x2, /):
    """The vector-matrix products conj(x1) @ x2 over broadcast leading axes: (…, n) × (…, n, m) → (…, m)."""
    vector, matrix = operand(x1), operand(x2)
    return ops.matmul(ops.expand_dims(ops.conj(vector), -2), matrix)[..., 0, :]
