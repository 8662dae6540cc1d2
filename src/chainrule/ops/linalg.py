"""Products: matmul and einsum (primitives); dot and outer (compositions).

For C = A @ B with cotangent Ḡ:  Ā = Ḡ Bᵀ,  B̄ = Aᵀ Ḡ  — batched over leading axes
(summed back where A or B was broadcast), with 1-D operands treated as NumPy does
(a row vector on the left, a column vector on the right). A cotangent is laid out in
memory like its operand, so that W's gradient through ``x @ W.T`` is contiguous.
"""

import string

import numpy as np

from ..core.bind import bind
from ..core.errors import ShapeError
from ..core.tensor import Tensor, array_of
from . import samples
from .declare import Math, batch_to_front, primitive, rebinding
from .elementwise import mul
from .shape import broadcast_to, expand_dims, reshape, squeeze, sum_to


def _as_matrices(g, a, b):
    """Operands and cotangent with 1-D operands promoted to matrices."""
    g_shape = g.shape
    if b.ndim == 1:  # the product dropped b's column axis: put it back last
        g_shape = g_shape + (1,)
    if a.ndim == 1:  # the product dropped a's row axis: put it back second to last
        g_shape = g_shape[:-1] + (1,) + g_shape[-1:]
    a2 = a if a.ndim > 1 else reshape(a, (1,) + a.shape)
    b2 = b if b.ndim > 1 else reshape(b, b.shape + (1,))
    return reshape(g, g_shape), a2, b2


def _is_transposed(value):
    """Whether a 2-D value is stored column-major (a transposed view, as W.T in ``linear``)."""
    data = value._data if isinstance(value, Tensor) else value
    return data.ndim == 2 and data.flags.f_contiguous and not data.flags.c_contiguous


def _matmul_vjp_a(g, ans, a, b):
    if a.ndim == 2 and b.ndim == 2 and _is_transposed(a):
        return (b @ g.T).T  # the same values, laid out like a: its transpose's cotangent comes out contiguous
    g2, a2, b2 = _as_matrices(g, a, b)
    return reshape(sum_to(g2 @ b2.swapaxes(-1, -2), a2.shape), a.shape)


def _matmul_vjp_b(g, ans, a, b):
    if a.ndim == 2 and b.ndim == 2 and _is_transposed(b):
        return (g.T @ a).T  # laid out like b (see above): W.T's cotangent becomes a contiguous dW
    g2, a2, b2 = _as_matrices(g, a, b)
    return reshape(sum_to(a2.swapaxes(-1, -2) @ g2, b2.shape), b.shape)


def _matmul_batch(prim, args, dims, params):
    """Batching for matmul: 1-D operands are made matrices first (a row on the left, a column on
    the right, as NumPy reads them), the batch axis goes in front ahead of every operand's own
    leading axes, and the axes added for 1-D operands are dropped from the product.

    Two shapes get a cheaper form of the same product. A batched A times an unbatched matrix B
    is one product with the batch folded into A's rows, (B·…·M, K) @ (K, N), where NumPy would
    loop over the batch. A contraction of length K = 1 (the per-example outer products of
    ``vmap(grad)``: W̄ = Ḡᵀ x for one example) is the broadcast product A ⊙ B, C[…, i, j] =
    A[…, i, 0] · B[…, 0, j], several times faster than matmul on stacks of 1-wide matrices."""
    (a, b), (da, db) = args, dims
    a_vector = a.ndim - (da is not None) == 1
    b_vector = b.ndim - (db is not None) == 1
    a = batch_to_front(a, da) if da is not None else a
    b = batch_to_front(b, db) if db is not None else b
    if a_vector:
        a = expand_dims(a, a.ndim - 1)
    if b_vector:
        b = expand_dims(b, b.ndim)
    if db is None and b.ndim == 2 and not a_vector:
        rows = reshape(a, (-1, a.shape[-1]))
        out = reshape(bind(prim, rows, b), a.shape[:-1] + b.shape[-1:])
        return (squeeze(out, out.ndim - 1) if b_vector else out), 0
    lead = max(a.ndim - (da is not None), b.ndim - (db is not None)) - 2
    if da is not None:
        a = reshape(a, a.shape[:1] + (1,) * (lead - (a.ndim - 3)) + a.shape[1:])
    if db is not None:
        b = reshape(b, b.shape[:1] + (1,) * (lead - (b.ndim - 3)) + b.shape[1:])
    outer = a.shape[-1] == 1 and a.dtype == b.dtype and not (a_vector or b_vector)
    out = mul(a, b) if outer else bind(prim, a, b)
    if b_vector:
        out = squeeze(out, out.ndim - 1)
    if a_vector:
        out = squeeze(out, out.ndim - 1 if b_vector else out.ndim - 2)
    return out, 0


matmul_p = primitive(
    "matmul", np.matmul, multilinear=(0, 1), batch=rebinding(_matmul_batch),
    vjp=(_matmul_vjp_a, _matmul_vjp_b),
    math=Math("{0} @ {1}", tangent=("{d} @ {1}", "{0} @ {d}"), adjoint=("{d} @ {1}ᵀ", "{0}ᵀ @ {d}"),
              names=("A", "B")),
    samples=lambda rng: samples.uniform(  # every rank combination NumPy's matmul allows
        ((2, 3), (3, 4)), ((3,), (3, 4)), ((2, 3), (3,)), ((3,), (3,)), ((2, 2, 3), (3, 4)), ((2, 3), (2, 3, 4)),
        ((2, 1, 2, 3), (3, 3, 2)), ((3,), (2, 3, 4)), ((2, 4, 3), (3,)), ((2, 1, 3), (1, 3, 2)))(rng)
    + [((rng.normal(size=(3, 2)).T, rng.normal(size=(4, 3)).T), {})])  # column-major operands


def matmul(a, b):
    """Matrix product with NumPy's batching and 1-D rules.   Ā = Ḡ Bᵀ, B̄ = Aᵀ Ḡ."""
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        raise ShapeError(f"matmul: operands must have at least one dimension, got shapes {np.shape(a)} and {np.shape(b)}; "
                         f"use * for scalars")
    return bind(matmul_p, a, b)


def dot(a, b):
    """NumPy's dot: a product for scalars, matmul up to 2-D, a sum over a's last and b's
    second-to-last axis beyond."""
    a_nd, b_nd = np.ndim(a), np.ndim(b)
    if a_nd == 0 or b_nd == 0:
        return mul(a, b)
    if a_nd <= 2 and b_nd <= 2:
        return matmul(a, b)
    letters = iter(string.ascii_letters)
    a_sub = [next(letters) for _ in range(a_nd)]
    b_sub = [next(letters) for _ in range(b_nd)]
    b_sub[-2 if b_nd > 1 else -1] = a_sub[-1]
    out = a_sub[:-1] + [s for i, s in enumerate(b_sub) if i != (b_nd - 2 if b_nd > 1 else b_nd - 1)]
    return einsum(f"{''.join(a_sub)},{''.join(b_sub)}->{''.join(out)}", a, b)


def outer(a, b):
    """Outer product of the flattened inputs: out[i, j] = a_i · b_j."""
    return mul(reshape(a, (-1, 1)), reshape(b, (1, -1)))


# ----------------------------------------------------------------------------- einsum
def _parse_einsum(subscripts, shapes):
    """Explicit subscripts (``"ij,jk->ik"``) with any ``...`` spelled out in letters."""
    subscripts = subscripts.replace(" ", "")
    if "->" in subscripts:
        inputs, output = subscripts.split("->")
    else:
        inputs, output = subscripts, None
    terms = inputs.split(",")
    if len(terms) != len(shapes):
        raise ValueError(f"einsum: subscripts {subscripts!r} name {len(terms)} operand(s) but {len(shapes)} were given")
    used = set(subscripts) - set(".,->")
    free = iter(c for c in string.ascii_letters if c not in used)
    ellipsis_ndim = 0
    for term, shape in zip(terms, shapes):
        if "..." in term:
            ellipsis_ndim = max(ellipsis_ndim, len(shape) - (len(term) - 3))
    ellipsis = "".join(next(free) for _ in range(ellipsis_ndim))
    expanded = []
    for term, shape in zip(terms, shapes):
        if "..." in term:
            term = term.replace("...", ellipsis[ellipsis_ndim - (len(shape) - (len(term) - 3)):])
        if len(term) != len(shape):
            raise ShapeError(f"einsum: subscript {term!r} does not match an operand of shape {shape}")
        expanded.append(term)
    if output is None:
        counts = {}
        for term in expanded:
            for c in term:
                counts[c] = counts.get(c, 0) + 1
        output = ellipsis + "".join(sorted(c for c, n in counts.items() if n == 1 and c not in ellipsis))
    else:
        output = output.replace("...", ellipsis)
    return ",".join(expanded) + "->" + output


def _einsum_impl(*operands, subscripts):
    return np.einsum(subscripts, *operands, optimize=len(operands) > 2)


def _unused_letters(subscripts):
    return iter(c for c in string.ascii_letters if c not in subscripts)


def _embed_diagonal(ct, unique, target, sizes, subscripts):
    """Place ``ct`` (indexed by ``unique``) on the diagonals that ``target`` repeats: 'i' -> 'ii'."""
    fresh = _unused_letters(subscripts)
    seen, letters, pairs, eyes = set(), [], [], []
    for c in target:
        if c in seen:
            d = next(fresh)
            letters.append(d)
            pairs.append(c + d)
            eyes.append(np.eye(sizes[c], dtype=ct.dtype, like=array_of(ct)))
        else:
            seen.add(c)
            letters.append(c)
    return einsum_explicit(",".join([unique] + pairs) + "->" + "".join(letters), ct, *eyes)


def _einsum_vjp(needed, g, ans, *operands, subscripts):
    inputs, output = subscripts.split("->")
    terms = inputs.split(",")
    cts = []
    for k, need in enumerate(needed):
        if not need:
            cts.append(None)
            continue
        others = [t for j, t in enumerate(terms) if j != k]
        available = set(output).union(*others) if others else set(output)
        target = terms[k]
        sizes = dict(zip(target, operands[k].shape))
        unique = "".join(dict.fromkeys(target))
        kept = "".join(c for c in unique if c in available)
        spec = ",".join([output] + others) + "->" + kept
        ct = einsum_explicit(spec, g, *[o for j, o in enumerate(operands) if j != k])
        if kept != unique:  # indices summed in operand k alone: the cotangent is constant along them
            shape = tuple(sizes[c] for c in unique)
            ct = broadcast_to(reshape(ct, tuple(sizes[c] if c in available else 1 for c in unique)), shape)
        if unique != target:
            ct = _embed_diagonal(ct, unique, target, sizes, subscripts)
        cts.append(ct)
    return cts


def _einsum_batch(prim, args, dims, params):
    """Batching for einsum: a new index letter for the batch axis, in front of every batched
    operand's subscripts and of the output's."""
    inputs, output = params["subscripts"].split("->")
    letter = next(_unused_letters(params["subscripts"]))
    terms, operands = [], []
    for term, a, d in zip(inputs.split(","), args, dims):
        terms.append(term if d is None else letter + term)
        operands.append(a if d is None else batch_to_front(a, d))
    return bind(prim, *operands, subscripts=",".join(terms) + "->" + letter + output), 0


einsum_p = primitive(
    "einsum", _einsum_impl, multilinear="all", batch=rebinding(_einsum_batch),
    vjp_joint=_einsum_vjp,
    math=Math("einsum({0}, …)", tangent=("einsum with {d} in this operand",) * 2,
              adjoint=("einsum of {d} with the other operands",) * 2, names=("A", "B", "C")),
    samples=samples.explicit(
        lambda rng: ((rng.normal(size=(2, 3)), rng.normal(size=(3, 4))), {"subscripts": "ij,jk->ik"}),
        lambda rng: ((rng.normal(size=(2, 3)), rng.normal(size=(3,)), rng.normal(size=(2,))),
                     {"subscripts": "ij,j,i->"}),
        lambda rng: ((rng.normal(size=(2, 3, 4)),), {"subscripts": "abc->ca"}),
        lambda rng: ((rng.normal(size=(2, 3)), rng.normal(size=(4,))), {"subscripts": "ij,k->ijk"}),
        lambda rng: ((rng.normal(size=(3, 3)), rng.normal(size=(3, 2))), {"subscripts": "ii,ij->j"}),
        lambda rng: ((rng.normal(size=(3, 3)),), {"subscripts": "ii->i"})))


def einsum_explicit(subscripts, *operands):
    return bind(einsum_p, *operands, subscripts=subscripts)


def einsum(subscripts, *operands):
    """Einstein summation, as ``np.einsum`` (explicit or implicit output, ``...``).

    The VJP for operand k is another einsum: the cotangent contracted with the other
    operands onto operand k's indices (broadcast over indices only operand k had, and
    placed on the diagonal where operand k repeats an index, as in ``"ii->"``).
    """
    if not isinstance(subscripts, str):
        raise TypeError("einsum: the first argument must be the subscripts string, e.g. 'ij,jk->ik'")
    explicit = _parse_einsum(subscripts, [np.shape(o) for o in operands])
    return einsum_explicit(explicit, *operands)
