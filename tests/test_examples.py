"""The lecture's examples: the closed forms agree with AD, and the three ways agree."""

import numpy as np
import pytest

import chainrule as cr
from chainrule import examples


@pytest.mark.parametrize("make", examples.LECTURE_EXAMPLES, ids=lambda m: m.__name__)
def test_three_ways_agree(make):
    example = make()
    rows = examples.three_ways(example)
    assert [r[0].split()[0] for r in rows] == ["numerical", "analytic", "AD", "AD"]
    analytic = rows[1][1]
    for _, grads, seconds in rows:
        assert seconds >= 0
        for g, a in zip(grads, analytic):
            np.testing.assert_allclose(g, a, rtol=1e-6, atol=1e-8)


def test_ln_sin_example_has_the_lectures_value_and_derivative():
    example = examples.ln_sin()
    assert example.f(*[cr.tensor(a) for a in example.args]).item() == pytest.approx(11.652, abs=5e-4)
    assert example.analytic(*example.args)[0] == pytest.approx(5.5)
