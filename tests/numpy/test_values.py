"""chainrule.numpy gives NumPy's results: the same values, shapes and (for floating inputs) dtypes,
for the calls NumPy users write."""

import warnings

import numpy as np
import pytest

import chainrule as cr
import chainrule.numpy as cnp

RNG = np.random.default_rng(0)
A = RNG.normal(size=(3, 4))
B = RNG.normal(size=(2, 3, 4))
V = RNG.normal(size=4)
M = RNG.normal(size=(4, 4))
NANS = np.where(RNG.uniform(size=(3, 4)) < 0.3, np.nan, A)
C = A + 1j * RNG.normal(size=(3, 4))
I2 = np.array([[0, 2], [3, 1], [1, 1]])

CALLS = [  # (name, args, kwargs)
    ("cumsum", (B,), {"axis": 1}), ("cumprod", (A,), {}), ("cumsum", (C,), {"axis": 0}),
    ("cumulative_sum", (V,), {"include_initial": True}), ("cumulative_prod", (A,), {"axis": 1}),
    ("diff", (B,), {"n": 2, "axis": 2}), ("diff", (V,), {"prepend": 0.0, "append": [1.0, 2.0]}), ("ediff1d", (A,), {}),
    ("ediff1d", (V,), {"to_begin": [9.0], "to_end": 7.0}), ("trapezoid", (A,), {"dx": 0.5}),
    ("trapezoid", (A,), {"x": V}), ("trace", (B,), {"offset": 1, "axis1": 1, "axis2": 2}), ("trace", (M,), {}),
    ("std", (A,), {"axis": 0, "ddof": 1}), ("var", (C,), {"axis": 1}), ("mean", (A,), {"where": A > 0}),
    ("var", (A,), {"where": A > -1, "axis": 1}), ("average", (B,), {"axis": 2, "weights": np.abs(V)}),
    ("median", (B,), {"axis": (0, 2)}), ("quantile", (np.arange(10).reshape(2, 5), 0.3), {"axis": 1}), ("median", (A,), {"keepdims": True}), ("quantile", (A,), {"q": [0.2, 0.9]}),
    ("percentile", (B,), {"q": 30, "axis": 1, "method": "nearest"}), ("ptp", (A,), {"axis": 1}),
    ("nansum", (NANS,), {"axis": 0}), ("nanmean", (NANS,), {}), ("nanmax", (NANS,), {"axis": 1}),
    ("nanmin", (NANS,), {"axis": 0, "keepdims": True}), ("nanprod", (NANS,), {}), ("nanstd", (NANS,), {"axis": 1}),
    ("nanvar", (NANS,), {"ddof": 1}), ("nancumsum", (NANS,), {"axis": 1}), ("nancumprod", (NANS,), {}),
    ("nanmedian", (NANS,), {"axis": 1}), ("nanargmax", (NANS,), {"axis": 1}), ("nanquantile", (NANS,), {"q": 0.4}),
    ("count_nonzero", (np.round(A),), {"axis": 1}),
    ("ravel", (B,), {}), ("tile", (A, (2, 1, 2)), {}), ("repeat", (A, [1, 2, 0]), {"axis": 0}), ("repeat", (A, 2), {}),
    ("roll", (B, (1, -2)), {"axis": (0, 2)}), ("roll", (A, 5), {}), ("rot90", (B, 3, (2, 1)), {}), ("flipud", (A,), {}),
    ("fliplr", (A,), {}), ("moveaxis", (B, [0, 2], [2, 0]), {}), ("rollaxis", (B, 2, 1), {}),
    ("atleast_3d", (V,), {}), ("atleast_2d", (np.float64(3.0),), {}), ("vstack", ([A, V],), {}),
    ("hstack", ([V, V],), {}),
    ("dstack", ([A, A],), {}), ("column_stack", ([V, M],), {}), ("append", (A, A), {"axis": 0}),
    ("diag", (V, 1), {}), ("diag", (M, -1), {}), ("diagflat", (A,), {}), ("diagonal", (B, 1, 2, 0), {}),
    ("tril", (B, -1), {}), ("triu", (A, 1), {}), ("kron", (A, M[:2]), {}), ("inner", (A, B), {}),
    ("tensordot", (B, A, ([1, 2], [0, 1])), {}), ("tensordot", (M, M, 1), {}), ("cross", (B[..., :3], A[..., 1:]), {}),
    ("cross", (A[:2], M[:3]), {"axisa": 0, "axisb": 0}), ("vdot", (C, C), {}), ("outer", (V, A), {}),
    ("einsum", ("ijk,jk->i", B, A), {}), ("einsum", (B, [0, 1, 2], A, [1, 2], [0]), {}),
    ("einsum", (B, [Ellipsis, 2], V, [2], [Ellipsis]), {}),
    ("select", ([A > 0.5, A < -0.5], [A, 2 * A], -1.0), {}), ("take", (A, I2), {}),
    ("take", (A, [0, 5], 1), {"mode": "wrap"}),
    ("take_along_axis", (A, np.argsort(A, axis=1), 1), {}), ("choose", ([0, 1, 1, 0], [V, 2 * V]), {}),
    ("compress", ([True, False, True], A), {"axis": 0}), ("extract", (A > 0, A), {}), ("clip", (A, -0.5, 0.5), {}),
    ("sort", (B,), {"axis": 1}), ("sort", (C,), {}), ("angle", (C,), {"deg": True}), ("real", (C,), {}),
    ("imag", (C,), {}),
    ("conjugate", (C,), {}), ("nan_to_num", (np.array([np.nan, np.inf, -np.inf, 1.0]),), {"posinf": 9.0}),
    ("nan_to_num", (np.array([np.nan + 1j * np.inf]),), {}), ("sinc", (A,), {}), ("fix", (3 * A,), {}),
    ("around", (A, 2), {}), ("float_power", (np.abs(A), 2.5), {}), ("heaviside", (np.round(A), 0.5), {}),
    ("copysign", (A, -V), {}), ("fabs", (A,), {}), ("divmod", (A, 0.3), {}), ("modf", (3 * A,), {}),
    ("logical_xor", (A > 0, A < 0.5), {}), ("signbit", (np.array([-0.0, 0.0, -1.0]),), {}),
    ("linspace", (V, 2 * V, 3), {"axis": 1, "retstep": True}), ("logspace", (np.float64(0.0), np.float64(2.0), 3), {}),
    ("geomspace", (np.float64(1.0), np.float64(1000.0), 4), {}), ("isclose", (A, A + 1e-9), {}),
    ("iscomplex", (C,), {}), ("isreal", (A,), {}),
    ("broadcast_arrays", (A, V), {}), ("split", (B, [1, 3], 2), {}), ("array_split", (A, 3, 1), {}),
    ("meshgrid", (V, A[0, :3]), {"indexing": "ij"}), ("insert", (A, [1, 3], -V[:2], 1), {}), ("delete", (B, 1, 1), {}),
    ("resize", (A, (5, 5)), {}), ("block", ([[A, A], [B[0], B[1]]],), {}), ("unstack", (B,), {"axis": 2}),
    ("permute_dims", (B, (2, 0, 1)), {}), ("matrix_transpose", (B,), {}), ("vecdot", (C, C), {}),
    ("matvec", (M, V), {}), ("vecmat", (V, M), {}), ("cov", (A,), {"aweights": np.abs(V[:3]), "rowvar": False}),
    ("corrcoef", (A, -A[::-1]), {}), ("bincount", ([0, 3, 3, 1],), {"weights": V}),
    ("digitize", (A, [-1.0, 0.0, 1.0]), {}),
    ("convolve", (V, A[0, :3]), {"mode": "same"}), ("correlate", (C[0], V), {"mode": "full"}),
    ("interp", (A, [-1.0, 0.0, 2.0], [1.0, -2.0, 0.5]), {}), ("unwrap", (np.cumsum(3 * A, axis=1),), {}),
    ("gradient", (B, 0.5, V[:3], np.arange(4.0)), {}), ("gradient", (A, V[:3], 2.0), {"edge_order": 2}),
    ("polyval", (V, A), {}), ("poly", (V,), {}),
    ("polyint", (V, 2), {}), ("polyder", (V,), {}), ("polymul", (V, A[0]), {}), ("vander", (V, 3), {}),
    ("unique", (np.round(A),), {"return_counts": True, "return_inverse": True}),
    ("isin", (np.round(A), [0.0, 1.0]), {}),
    ("union1d", (np.round(A), np.round(V)), {}), ("setdiff1d", (np.round(A), [0.0]), {}), ("sort_complex", (V,), {}),
    ("apply_along_axis", (np.cumsum, 1, A), {}), ("piecewise", (A, [A < 0], [np.sin, np.cos]), {}),
    ("ldexp", (A, [1, -2, 3, 0]), {}), ("acos", (A / 3,), {}), ("atan2", (A, V), {}), ("pow", (np.abs(A), V), {}),
    ("tri", (3, 4, 1), {}), ("tril_indices", (4, -1), {}), ("unravel_index", ([3, 7], (2, 4)), {}),
]


def _values(result):
    if isinstance(result, (tuple, list)):
        return [_values(r) for r in result]
    return result.numpy() if isinstance(result, cr.Tensor) else result


def _assert_same(ours, theirs):
    if isinstance(theirs, (tuple, list)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _assert_same(a, b)
        return
    theirs = np.asarray(theirs)
    assert np.shape(ours) == theirs.shape
    np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12, equal_nan=True)
    if theirs.dtype.kind in "fc":
        assert np.asarray(ours).dtype == theirs.dtype


@pytest.mark.parametrize("name, args, kwargs", CALLS, ids=[f"{c[0]}-{i}" for i, c in enumerate(CALLS)])
def test_the_result_is_numpys(name, args, kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        theirs = getattr(np, name)(*args, **kwargs)
        ours = getattr(cnp, name)(*args, **kwargs)
    _assert_same(_values(ours), theirs)


def test_r_and_c_join_arrays_slices_and_numbers_as_numpys():
    a = cr.tensor(V, requires_grad=True)
    for ours, theirs in ((cnp.r_[a, 0:3, 5.0], np.r_[V, 0:3, 5.0]), (cnp.c_[a, a], np.c_[V, V]),
                         (cnp.r_["0,2,0", a, a], np.r_["0,2,0", V, V]), (cnp.r_[-1:1:5j], np.r_[-1:1:5j]),
                         (cnp.r_["1,2", M, a[:, None]], np.r_["1,2", M, V[:, None]])):
        _assert_same(ours.numpy(), theirs)
    cnp.r_[a, 2 * a].sum().backward()
    np.testing.assert_array_equal(a.grad.numpy(), np.full(4, 3.0))


def test_one_argument_where_nonzero_and_argwhere_give_integer_indices():
    t = cr.tensor(A, requires_grad=True)
    for ours, theirs in ((cnp.where(t > 0), np.where(A > 0)), (cnp.nonzero(t > 0), np.nonzero(A > 0))):
        _assert_same(_values(ours), theirs)
        assert all(i.dtype == np.int64 and not i.requires_grad for i in ours)
    _assert_same(cnp.argwhere(t > 0).numpy(), np.argwhere(A > 0))
    _assert_same(cnp.flatnonzero(t > 0).numpy(), np.flatnonzero(A > 0))
    np.testing.assert_allclose(t[cnp.nonzero(t > 0)].numpy(), A[A > 0])


def test_searchsorted_is_recorded_so_jit_searches_again_for_new_values():
    f = cr.jit(lambda v: cnp.searchsorted(np.sort(V), v))
    for values in (A, -A):
        np.testing.assert_array_equal(f(values).numpy(), np.searchsorted(np.sort(V), values))


def test_functions_whose_result_is_read_off_the_values_refuse_inside_jit():
    for f in (cnp.nonzero, cnp.argwhere, cnp.flatnonzero, cnp.unique, lambda v: cnp.allclose(v, v),
              lambda v: cnp.extract(v > 0, v)):
        with pytest.raises(cr.TracerError, match="read off the values"):
            cr.jit(lambda v: f(v) if not isinstance(f(v), tuple) else f(v)[0])(A)


def test_put_along_axis_changes_a_tensor_in_place_and_records_it():
    x = cr.tensor(A, requires_grad=True)
    v = cr.tensor(np.ones((3, 1)), requires_grad=True)
    y = x * 2
    assert cnp.put_along_axis(y, np.argmax(A, axis=1)[:, None], v, axis=1) is None
    expected = 2 * A
    np.put_along_axis(expected, np.argmax(A, axis=1)[:, None], 1.0, axis=1)
    np.testing.assert_array_equal(y.numpy(), expected)
    y.sum().backward()
    mask = np.zeros_like(A)
    np.put_along_axis(mask, np.argmax(A, axis=1)[:, None], 1.0, axis=1)
    np.testing.assert_array_equal(x.grad.numpy(), 2 * (1 - mask))
    np.testing.assert_array_equal(v.grad.numpy(), np.ones((3, 1)))
    with pytest.raises(TypeError, match="NumPy array would drop"):
        cnp.put_along_axis(A.copy(), np.zeros((3, 1), int), cr.tensor(np.ones((3, 1)), requires_grad=True), 1)


def test_predicates_answer_with_python_values():
    assert cnp.allclose(cr.tensor(A), A + 1e-10) is True and cnp.array_equal(A, A) is True
    assert cnp.array_equal(A, A[:2]) is False and cnp.array_equiv(A, A[0:1]) is False
    assert cnp.array_equiv(np.ones((2, 3)), np.ones(3)) is True
    assert cnp.iscomplexobj(cr.tensor(C)) and cnp.isrealobj(A) and not cnp.iscomplexobj([1.0])
    assert cnp.isscalar(1.5) and not cnp.isscalar(cr.tensor(1.5))
    assert (cnp.shape(cr.tensor(B)), cnp.ndim(B), cnp.size(B, 1)) == ((2, 3, 4), 3, 3)


def test_numpys_constants_dtypes_and_random_module_pass_through():
    assert cnp.pi == np.pi and cnp.float64 is np.float64 and cnp.newaxis is None and cnp.random is np.random
    assert cnp.inf == np.inf and np.isnan(cnp.nan)


def test_numpy_functions_called_on_tensors_dispatch_to_chainrule_numpy():
    x = cr.tensor(A, requires_grad=True)
    for out in (np.cumsum(x, axis=1), np.median(x), np.sort(x), np.roll(x, 1), np.tensordot(x, A, 2), x % 0.5,
                np.nanmean(x), np.quantile(x, 0.5), np.kron(x, A), np.cosh(x), np.hypot(x, x), np.trace(x)):
        assert isinstance(out, cr.Tensor) and out.requires_grad


def test_errors_name_the_function_and_the_problem():
    with pytest.raises(ValueError, match="equal division"):
        cnp.split(A, 3, axis=1)
    with pytest.raises(ValueError, match="order must be non-negative"):
        cnp.diff(A, -1)
    with pytest.raises(ValueError, match="either both or neither"):
        cnp.where(A > 0, A)
    with pytest.raises(ValueError, match="method"):
        cnp.quantile(A, 0.5, method="weibull")
    with pytest.raises(TypeError, match="real numbers"):
        cnp.quantile(C, 0.5)
    with pytest.raises(ZeroDivisionError, match="sum to zero"):
        cnp.average(A, axis=1, weights=[1.0, -1.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="All-NaN"):
        cnp.nanargmax(np.full((2, 2), np.nan), axis=0)
    with pytest.raises(ValueError, match="incompatible dimensions"):
        cnp.cross(A, A)
    with pytest.raises(ValueError, match="shape-mismatch"):
        cnp.tensordot(A, A, 1)
