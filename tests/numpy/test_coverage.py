"""docs/numpy_coverage.md is generated from chainrule.numpy and the registry, and kept up to date."""

import pathlib
import re

import numpy as np
import pytest

from chainrule.numpy import coverage

ROOT = pathlib.Path(__file__).resolve().parents[2]
ISSUE_NAMES = """cosh sinh arcsin arccos arctan arctan2 arcsinh arccosh arctanh log2 log10 expm1 exp2 logaddexp logaddexp2
hypot sinc square reciprocal fabs fmin fmax mod remainder floor ceil round rint trunc degrees radians deg2rad rad2deg
nan_to_num std var mean average median cumsum cumprod diff trace prod nansum nanmean nanmax nanmin ptp ravel tile repeat
roll rot90 flipud fliplr moveaxis rollaxis atleast_1d atleast_2d atleast_3d vstack hstack dstack column_stack row_stack
split array_split hsplit vsplit dsplit append diag diagonal tril triu kron inner tensordot cross select einsum sort
argsort partition take take_along_axis put_along_axis where nonzero argmax argmin clip real imag conj conjugate angle abs
iscomplexobj isrealobj iscomplex isreal allclose isclose array_equal shape ndim size array asarray linspace arange zeros
ones eye full zeros_like ones_like full_like""".split()


@pytest.fixture(scope="module")
def rows():
    return {row.name: row for row in coverage.rows()}


def test_the_coverage_table_is_up_to_date():
    on_disk = (ROOT / coverage.PATH).read_text(encoding="utf-8")
    generated_with = re.search(r"with NumPy (\S+);", on_disk).group(1)
    if generated_with != np.__version__:
        pytest.skip(f"docs/numpy_coverage.md lists NumPy {generated_with}'s functions; NumPy {np.__version__} is installed")
    assert on_disk == coverage.coverage(), "docs/numpy_coverage.md is out of date: run `python -m chainrule.numpy.coverage`"


def test_every_function_the_issue_names_is_covered(rows):
    missing = [name for name in ISSUE_NAMES if not rows[name].supported]
    assert not missing


def test_every_chainrule_numpy_function_is_probed(rows):
    unprobed = {name: row.note for name, row in rows.items() if row.supported and "." not in name and row.note}
    assert not unprobed, f"add a probe to chainrule.numpy.coverage for: {unprobed}"


@pytest.mark.parametrize("name, derivative, complex_", [
    ("sin", "yes", "yes"), ("arctan2", "yes", "NumPy: real only"), ("argsort", "no: integer or boolean result", "—"),
    ("allclose", "no: a Python value", "—"), ("zeros_like", "no: a constant of the input", "—"),
    ("cumprod", "yes", "yes"), ("sign", "yes", "values only"), ("sort", "yes", "yes"),
])
def test_rows_read_the_derivative_off_the_recorded_primitives(rows, name, derivative, complex_):
    row = rows[name]
    assert (row.derivative, row.complex) == (derivative, complex_)
    if derivative == "yes":
        assert (row.orders, row.modes) == ("any", "forward, reverse")


def test_numpy_functions_chainrule_lacks_are_listed_as_missing(rows):
    assert not rows["histogram"].supported and not rows["frexp"].supported
    assert len(rows) == sum(len(coverage.numpy_functions(getattr(np, m) if m else np)) for m in coverage.MODULES)
