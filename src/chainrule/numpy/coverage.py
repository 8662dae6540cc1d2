"""How much of NumPy ``chainrule.numpy`` covers: ``docs/numpy_coverage.md``, generated.

Every public function of ``numpy``, ``numpy.linalg`` and ``numpy.fft`` is listed, with
whether ``chainrule.numpy`` (or its ``linalg``/``fft``) has it and, if so, how it
differentiates. That is not written by hand: each function is called once on a tensor that
requires grad (``PROBES`` says how, where one argument is not enough), and its answer is
read off the primitives on the tape from the result back to the input — their declared
rules (``chainrule.core.primitive.REGISTRY``) give the modes and complex support:

* derivative — "yes" if the result carries the input's gradient; otherwise why not (an
  integer or boolean result, a constant, a Python value);
* orders — "any" when a second derivative (a Hessian-vector product) runs too: every rule
  is written in chainrule's ops, so each derivative is differentiable again;
* modes — forward (every primitive on the path has a JVP rule) and reverse (a VJP rule); a
  function that changes its argument in place (``put_along_axis``) is recorded on the eager
  tape only, since values inside a transform cannot be changed in place;
* complex — "yes" if a complex input differentiates (every primitive that meets a complex
  value declares complex rules), "values only" if chainrule computes it but refuses its derivative,
  "NumPy: real only" if NumPy itself refuses complex input.

``python -m chainrule.numpy.coverage`` rewrites the file; a test fails when it is out of
date (for the NumPy version it names).
"""

import contextlib
import sys
import types
import warnings

import numpy as np

from .. import func
from .. import numpy as cnp
from ..core.tensor import Tensor

PATH = "docs/numpy_coverage.md"
MODULES = ("", "linalg", "fft")
"""NumPy's namespace and the submodules listed ("" is ``numpy`` itself)."""
IN_PLACE = frozenset({"put_along_axis", "put", "putmask", "place", "copyto", "fill_diagonal"})
"""Functions that change their argument in place, as in NumPy: recorded on the eager tape, but values
inside a transform cannot be changed in place."""


def _input(dtype=np.float64):
    """The probe input: a symmetric positive definite 4×4 matrix (so that linear algebra applies)."""
    a = np.linspace(0.2, 0.8, 16).reshape(4, 4)
    x = (a @ a.T + np.eye(4)) / 2
    return x.astype(dtype) if dtype != np.complex128 else x + 0.25j * np.cos(3 * x)


def _in_place(function):
    """A probe for an in-place function: it changes a differentiable copy of x, which it returns."""
    def probe(x):
        y = x * 1
        function(y)
        return y
    return probe


def _probes(cnp):
    """``name -> probe(x)`` for the functions one argument does not suit (x is a 4×4 tensor)."""
    ints = np.array([[0, 2], [3, 1], [1, 1], [2, 0]])
    binary = {name: (lambda f: lambda x: f(x, x[::-1]))(getattr(cnp, name)) for name in (
        "add subtract multiply divide true_divide power float_power pow maximum minimum fmax fmin arctan2 atan2 "
        "hypot logaddexp logaddexp2 floor_divide remainder mod fmod divmod copysign heaviside equal not_equal less "
        "less_equal greater greater_equal logical_and logical_or logical_xor matmul dot vdot inner outer kron "
        "tensordot allclose isclose array_equal array_equiv vecdot matvec vecmat append isin union1d intersect1d "
        "setdiff1d setxor1d ldexp").split()
        if hasattr(cnp, name)}
    stacks = {name: (lambda f: lambda x: f([x, 2 * x]))(getattr(cnp, name)) for name in (
        "concatenate concat stack vstack hstack dstack column_stack row_stack block").split() if hasattr(cnp, name)}
    special = {
        "cross": lambda x: cnp.cross(x[:, :3], x[:, 1:]),
        "rollaxis": lambda x: cnp.rollaxis(x, 1),
        "cumulative_sum": lambda x: cnp.cumulative_sum(x, axis=1),
        "cumulative_prod": lambda x: cnp.cumulative_prod(x, axis=0, include_initial=True),
        "einsum": lambda x: cnp.einsum("ij,jk->ik", x, x),
        "where": lambda x: cnp.where(x > 1.0, x, 2 * x),
        "clip": lambda x: cnp.clip(x, 0.6, 1.2),
        "take": lambda x: cnp.take(x, ints),
        "take_along_axis": lambda x: cnp.take_along_axis(x, ints, axis=1),
        "put_along_axis": _in_place(lambda y: cnp.put_along_axis(y, ints, 0.5, axis=1)),
        "put": _in_place(lambda y: cnp.put(y, [0, 5, 7], 0.5)),
        "putmask": _in_place(lambda y: cnp.putmask(y, np.eye(4, dtype=bool), [0.5, 2.0])),
        "place": _in_place(lambda y: cnp.place(y, np.eye(4, dtype=bool), [0.5, 2.0])),
        "copyto": _in_place(lambda y: cnp.copyto(y, 0.5, where=np.eye(4, dtype=bool))),
        "fill_diagonal": _in_place(lambda y: cnp.fill_diagonal(y, 0.5)),
        "meshgrid": lambda x: cnp.meshgrid(x[0], x[1, :3]),
        "fromfunction": lambda x: cnp.fromfunction(lambda i, j: i * x[0, 0] + j, (2, 3)),
        "insert": lambda x: cnp.insert(x, 1, x[0], axis=0),
        "delete": lambda x: cnp.delete(x, [0, 2], axis=1),
        "resize": lambda x: cnp.resize(x, (3, 7)),
        "trim_zeros": lambda x: cnp.trim_zeros(cnp.concatenate([np.zeros(2), x[0], np.zeros(1)])),
        "unstack": lambda x: cnp.unstack(x, axis=1),
        "block": lambda x: cnp.block([[x, x[:, :1]], [x[:1], x[:1, :1]]]),
        "bincount": lambda x: cnp.bincount(np.array([0, 2, 2, 3]), weights=x[0]),
        "digitize": lambda x: cnp.digitize(x, np.array([0.5, 1.0, 1.5])),
        "interp": lambda x: cnp.interp(x, np.array([0.0, 1.0, 2.0]), x[0, :3]),
        "convolve": lambda x: cnp.convolve(x[0], x[1, :3], "same"),
        "correlate": lambda x: cnp.correlate(x[0], x[1, :3], "full"),
        "polyval": lambda x: cnp.polyval(x[0], x),
        "polyadd": lambda x: cnp.polyadd(x[0], x[1, :2]),
        "polysub": lambda x: cnp.polysub(x[0], x[1, :2]),
        "polymul": lambda x: cnp.polymul(x[0], x[1, :2]),
        "polyder": lambda x: cnp.polyder(x[0], 2),
        "polyint": lambda x: cnp.polyint(x[0], 2, x[1, :2]),
        "poly": lambda x: cnp.poly(x[0]),
        "vander": lambda x: cnp.vander(x[0], 3),
        "apply_along_axis": lambda x: cnp.apply_along_axis(lambda v: v[:2] * v[1:3], 1, x),
        "apply_over_axes": lambda x: cnp.apply_over_axes(cnp.sum, x, [0]),
        "piecewise": lambda x: cnp.piecewise(x, [x > 1.0], [lambda v: v * v, lambda v: -v]),
        "astype": lambda x: cnp.astype(x, np.complex128),
        "empty": lambda x: cnp.empty(x.shape),
        "identity": lambda x: cnp.identity(3),
        "tri": lambda x: cnp.tri(3),
        "indices": lambda x: cnp.indices((2, 3)),
        "ix_": lambda x: cnp.ix_([0, 1], [2, 3]),
        "unique_values": lambda x: cnp.sort(cnp.unique_values(x)),  # NumPy's order is unspecified (hashing)
        "unravel_index": lambda x: cnp.unravel_index([1, 7], (2, 4)),
        "ravel_multi_index": lambda x: cnp.ravel_multi_index(([0, 1], [3, 2]), (2, 4)),
        "diag_indices": lambda x: cnp.diag_indices(3),
        "tril_indices": lambda x: cnp.tril_indices(3),
        "triu_indices": lambda x: cnp.triu_indices(3, 1),
        "broadcast_shapes": lambda x: cnp.broadcast_shapes(x.shape, (1, 4)),
        "bartlett": lambda x: cnp.bartlett(5),
        "blackman": lambda x: cnp.blackman(5),
        "hamming": lambda x: cnp.hamming(5),
        "hanning": lambda x: cnp.hanning(5),
        "kaiser": lambda x: cnp.kaiser(5, 2.0),
        "select": lambda x: cnp.select([x > 1.0, x < 0.7], [x, 2 * x], 1.0),
        "choose": lambda x: cnp.choose(np.array([0, 1, 1, 0]), [x, 2 * x]),
        "compress": lambda x: cnp.compress([True, False, True, True], x, axis=0),
        "extract": lambda x: cnp.extract(x > 1.0, x),
        "reshape": lambda x: cnp.reshape(x, (2, 8)),
        "broadcast_to": lambda x: cnp.broadcast_to(x, (2, 4, 4)),
        "expand_dims": lambda x: cnp.expand_dims(x, 1),
        "swapaxes": lambda x: cnp.swapaxes(x, 0, 1),
        "moveaxis": lambda x: cnp.moveaxis(x, 0, -1),
        "roll": lambda x: cnp.roll(x, 1, axis=0),
        "tile": lambda x: cnp.tile(x, 2),
        "repeat": lambda x: cnp.repeat(x, 2, axis=1),
        "pad": lambda x: cnp.pad(x, 1),
        "split": lambda x: cnp.split(x, 2),
        "array_split": lambda x: cnp.array_split(x, 3),
        "hsplit": lambda x: cnp.hsplit(x, 2),
        "vsplit": lambda x: cnp.vsplit(x, 2),
        "dsplit": lambda x: cnp.dsplit(x[..., None] * cnp.ones(2), 2),
        "full_like": lambda x: cnp.full_like(x, 3.0),
        "full": lambda x: cnp.full((2, 2), x[0, 0]),
        "zeros": lambda x: cnp.zeros(x.shape),
        "ones": lambda x: cnp.ones(x.shape),
        "eye": lambda x: cnp.eye(3),
        "arange": lambda x: cnp.arange(4.0),
        "linspace": lambda x: cnp.linspace(x[0, 0], x[0, 1], 5),
        "logspace": lambda x: cnp.logspace(x[0, 0], x[0, 1], 5),
        "geomspace": lambda x: cnp.geomspace(x[0, 0], x[0, 1], 5),
        "quantile": lambda x: cnp.quantile(x, 0.3, axis=0),
        "percentile": lambda x: cnp.percentile(x, [20, 60]),
        "nanquantile": lambda x: cnp.nanquantile(x, 0.3, axis=0),
        "nanpercentile": lambda x: cnp.nanpercentile(x, [20, 60]),
        "partition": lambda x: cnp.partition(x, 1),
        "argpartition": lambda x: cnp.argpartition(x, 1),
        "searchsorted": lambda x: cnp.searchsorted(np.array([0.5, 1.0, 1.5]), x),
        "lexsort": lambda x: cnp.lexsort([x[0], x[1]]),
        "broadcast_arrays": lambda x: cnp.broadcast_arrays(x, x[0]),
        "result_type": lambda x: cnp.result_type(x, np.float32),
        "linalg.matrix_power": lambda x: cnp.linalg.matrix_power(x, 3),
        "linalg.solve": lambda x: cnp.linalg.solve(x, x[::-1]),
        "linalg.vecdot": lambda x: cnp.linalg.vecdot(x, x[::-1]),
        "fft.fftfreq": lambda x: cnp.fft.fftfreq(8, x[0, 0]),
        "fft.rfftfreq": lambda x: cnp.fft.rfftfreq(8, x[0, 0]),
        "linalg.lstsq": lambda x: cnp.linalg.lstsq(x, x[::-1]),
        "linalg.matmul": lambda x: cnp.linalg.matmul(x, x[::-1]),
        "linalg.multi_dot": lambda x: cnp.linalg.multi_dot([x, x[::-1], x]),
        "linalg.outer": lambda x: cnp.linalg.outer(x[0], x[1]),
        "linalg.tensorinv": lambda x: cnp.linalg.tensorinv(cnp.reshape(x, (4, 2, 2)), ind=1),
        "linalg.tensorsolve": lambda x: cnp.linalg.tensorsolve(cnp.reshape(x, (4, 2, 2)), x[0]),
    }
    return {**binary, **stacks, **special}


NOT_COVERED = {
    "integer and bit operations: nothing to differentiate": (
        "bitwise_and bitwise_count bitwise_invert bitwise_left_shift bitwise_not bitwise_or bitwise_right_shift "
        "bitwise_xor gcd lcm invert left_shift right_shift packbits unpackbits"),
    "floating-point representation: integer or piecewise-constant results": "frexp nextafter spacing",
    "histograms: integer counts (the bin edges would differentiate; not yet)": (
        "histogram histogram2d histogramdd histogram_bin_edges"),
    "need a least-squares solve or eigenvalues (linear algebra)": "polyfit roots",
    "not yet": "polydiv i0 einsum_path",
    "text, files and printing": (
        "array2string array_repr array_str base_repr binary_repr format_float_positional format_float_scientific "
        "frombuffer fromfile fromiter fromregex fromstring genfromtxt load loadtxt save savetxt savez "
        "savez_compressed set_printoptions get_printoptions printoptions info show_config show_runtime test "
        "get_include"),
    "dtypes, memory, error state and iteration: no values to differentiate": (
        "can_cast common_type isdtype issubdtype min_scalar_type mintypecode promote_types typename "
        "may_share_memory shares_memory isfortran iterable setbufsize getbufsize seterr geterr seterrcall "
        "geterrcall nested_iters frompyfunc from_dlpack mask_indices"),
    "dates and times": "busday_count busday_offset datetime_as_string datetime_data is_busday isnat",
    "the matrix class (NumPy discourages it)": "asmatrix bmat",
}
"""Why NumPy functions chainrule.numpy leaves to NumPy are not covered, by group (listed in the document)."""


def numpy_functions(module):
    """The public functions (ufuncs included) of a NumPy module, by name."""
    found = {name: getattr(module, name) for name in dir(module) if not name.startswith("_")}
    return sorted(name for name, value in found.items()
                  if callable(value) and not isinstance(value, (type, types.ModuleType)))


def _submodule(root, path):
    for part in filter(None, path.split(".")):
        root = getattr(root, part, None)
    return root


def _leaves(out):
    if isinstance(out, (tuple, list)):
        return [leaf for item in out for leaf in _leaves(item)]
    return [out]


def _nodes(outputs):
    """The tape nodes from the outputs back to the leaves."""
    seen, found, stack = set(), [], [o._node for o in outputs if isinstance(o, Tensor) and o._node is not None]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        found.append(node)
        stack.extend(a._node for a in node.inputs if isinstance(a, Tensor) and a._node is not None)
        if node.replaced is not None and node.replaced._node is not None:
            stack.append(node.replaced._node)
    return found


def _meets_complex(node):
    return any(isinstance(a, Tensor) and a.dtype.kind == "c" for a in node.inputs)


class Row:
    """One NumPy function in the table."""

    def __init__(self, name, supported, derivative="", orders="", modes="", complex_="", note=""):
        self.name, self.supported, self.derivative = name, supported, derivative
        self.orders, self.modes, self.complex, self.note = orders, modes, complex_, note

    def cells(self):
        return [f"`{self.name}`", "✓" if self.supported else "—", self.derivative, self.orders, self.modes,
                self.complex]


def _scalar(out):
    """A real number from a probe's floating outputs, to differentiate."""
    total = 0
    for leaf in _leaves(out):
        if isinstance(leaf, Tensor) and leaf.dtype.kind in "fc":
            total = total + (leaf.sum().real if leaf.dtype.kind == "c" else leaf.sum())
    return total


def _describe_without_gradient(outputs):
    values = [o for o in outputs if o is not None]
    if not values or not all(isinstance(o, Tensor) for o in values):
        return "no: a Python value"
    if all(o.dtype.kind in "biu" for o in values):
        return "no: integer or boolean result"
    return "no: a constant of the input"


def _modes(prims):
    forward = all(p.jvp is not None for p in prims if p.differentiable)
    reverse = all(p.vjp is not None for p in prims if p.differentiable)
    return ", ".join(m for m, ok in (("forward", forward), ("reverse", reverse)) if ok) or "—"


def _second_order_runs(probe):
    direction = np.ones((4, 4))
    try:
        func.hvp(lambda v: _scalar(probe(v)), (_input(),), (direction,))
    except Exception:  # noqa: BLE001 (any failure means: no second order)
        return False
    return True


def _complex_support(probe, numpy_function):
    z = _input(np.complex128)
    try:
        with _quiet():
            out = probe(Tensor(z, requires_grad=True))
    except TypeError as error:
        if "complex" in str(error) and "differentiating" in str(error):
            return "values only"
        return "NumPy: real only" if _numpy_refuses_complex(numpy_function, probe) else "no"
    except Exception:  # noqa: BLE001 (NumPy's own errors for complex input)
        return "NumPy: real only" if _numpy_refuses_complex(numpy_function, probe) else "no"
    outputs = [o for o in _leaves(out) if isinstance(o, Tensor)]
    if not any(o.requires_grad for o in outputs):
        return "values only" if any(o.dtype.kind == "c" for o in outputs) else "—"
    complex_nodes = [n for n in _nodes(outputs) if _meets_complex(n)]
    return "yes" if all(n.prim.complex_rules for n in complex_nodes) else "values only"


def _numpy_refuses_complex(numpy_function, probe):
    if numpy_function is None:
        return True
    try:
        with _quiet():
            numpy_function(_input(np.complex128))
    except Exception:  # noqa: BLE001
        return True
    return False


@contextlib.contextmanager
def _quiet():
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def probe_row(qualified, name, ours, numpy_function, probes):
    """The table row of one NumPy function that chainrule has."""
    probe = probes.get(qualified, ours)
    x = Tensor(_input(), requires_grad=True)
    try:
        with _quiet():
            out = probe(x)
    except Exception as error:  # noqa: BLE001 (reported in the row: the probe needs writing)
        return Row(qualified, True, "not probed", note=f"{type(error).__name__}: {error}")
    outputs = [o for o in _leaves(out)]
    tensors = [o for o in outputs if isinstance(o, Tensor)]
    if not any(t.requires_grad for t in tensors):
        return Row(qualified, True, _describe_without_gradient(outputs), "—", "—", "—")
    prims = {node.prim for node in _nodes(tensors)}
    with _quiet():
        complex_ = _complex_support(probe, numpy_function)
        if qualified in IN_PLACE:
            return Row(qualified, True, "yes", "any", "reverse (eager tape: in place)", complex_)
        orders = "any" if _second_order_runs(probe) else "1"
    return Row(qualified, True, "yes", orders, _modes(prims), complex_)


def rows():
    """Every NumPy function of ``MODULES`` with its row (see the module docstring)."""
    probes = _probes(cnp)
    table = []
    for path in MODULES:
        numpy_module, ours = _submodule(np, path), _submodule(cnp, path)
        for name in numpy_functions(numpy_module):
            qualified = f"{path}.{name}" if path else name
            mine = getattr(ours, name, None) if ours is not None else None
            if not callable(mine) or mine is getattr(numpy_module, name):
                table.append(Row(qualified, False))
            else:
                table.append(probe_row(qualified, name, mine, getattr(numpy_module, name), probes))
    return table


_HEADER = """# NumPy coverage of `chainrule.numpy`

Generated by `python -m chainrule.numpy.coverage` with NumPy {version}; do not edit by hand.
`import chainrule.numpy as np` gives NumPy's functions under their own names and signatures,
returning tensors that carry gradients. Each function listed here as present was called on a
tensor that requires grad, and its derivative is read off the primitives it recorded:

- **derivative**: "yes" if the result carries the input's gradient, otherwise why not;
- **orders**: "any" if a second derivative (a Hessian-vector product) runs: every rule is written
  in chainrule's own ops, so every derivative can be differentiated again;
- **modes**: forward mode (`cr.jvp`) and reverse mode (`backward`, `cr.grad`);
- **complex**: "yes" if complex inputs differentiate (JAX's convention for `cr.grad`, PyTorch's
  for `.grad`), "values only" if chainrule computes it but refuses the derivative, "NumPy: real
  only" where NumPy refuses complex input itself.

{summary}

| NumPy function | chainrule.numpy | derivative | orders | modes | complex |
|---|---|---|---|---|---|
"""


def _missing_section(table):
    """The functions left to NumPy, grouped by why."""
    missing = [r.name for r in table if not r.supported]
    reasons = {name: reason for reason, names in NOT_COVERED.items() for name in names.split()}
    groups = {reason: [] for reason in NOT_COVERED}
    for name in missing:
        submodule = name.split(".")[0] if "." in name else None
        reason = reasons.get(name.split(".")[-1], f"not yet in `chainrule.numpy.{submodule}`" if submodule else "not yet")
        groups.setdefault(reason, []).append(name)
    lines = ["", "## Left to NumPy, and why", "",
             "`chainrule.numpy.X` for these is NumPy's own function: it computes on arrays as NumPy does, and given "
             "tensors it raises `TypeError` naming itself rather than drop a gradient.", ""]
    for reason, names in groups.items():
        if names:
            lines.append(f"- **{reason}**: " + ", ".join(f"`{n}`" for n in names))
    return lines


def coverage():
    """The text of ``docs/numpy_coverage.md``."""
    table = rows()
    present = [r for r in table if r.supported]
    differentiable = [r for r in present if r.derivative == "yes"]
    summary = (f"{len(present)} of the {len(table)} functions of `numpy`, `numpy.linalg` and `numpy.fft` are "
               f"in `chainrule.numpy`; {len(differentiable)} of them differentiate, "
               f"{sum(r.complex == 'yes' for r in differentiable)} also for complex inputs.")
    lines = [_HEADER.format(version=np.__version__, summary=summary).rstrip("\n")]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in table]
    lines += _missing_section(table)
    return "\n".join(lines) + "\n"


def main(argv=None):
    path = (argv or sys.argv[1:] or [PATH])[0]
    text = coverage()
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
