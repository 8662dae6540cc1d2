"""Graph passes: dead code, common subexpressions, constant folding, identities, optimize()."""

import numpy as np
import pytest

import chainrule as cr
from chainrule.graph import Equation, Graph, Var
from chainrule.graph.passes import (eliminate_common_subexpressions, eliminate_dead_code, fold_constants,
                                    simplify_identities)
from helpers import assert_close

P = cr.primitives


def lecture_f(x1, x2):
    return cr.log(x1) + x1 * x2 - cr.sin(x2)


def f64(value):
    return np.asarray(value, dtype=np.float64)


def names(graph):
    return [node.prim.name for node in graph.nodes]


def same_values(g1, g2, *args, rtol=1e-12):
    a, b = g1(*args), g2(*args)
    a = a if isinstance(a, tuple) else (a,)
    b = b if isinstance(b, tuple) else (b,)
    assert len(a) == len(b)
    for x, y in zip(a, b):
        assert_close(x, np.asarray(y.numpy()), rtol=rtol)


# ------------------------------------------------------------------ optimize() on the lecture


def test_lecture_graph_is_already_minimal_5_nodes_before_and_after():
    g = cr.trace(lecture_f, f64(2.0), f64(5.0))
    assert len(g.nodes) == 5
    opt = g.optimize()
    assert len(opt.nodes) == 5
    assert names(opt) == names(g)


@pytest.mark.parametrize("wrt, before, after", [(0, 8, 2), (1, 9, 3), ((0, 1), 12, 5)])
def test_lecture_gradient_graph_shrinks_under_optimize(wrt, before, after):
    g = cr.trace(lecture_f, f64(2.0), f64(5.0))
    dg = g.grad(wrt)
    opt = dg.optimize()
    # the gradient graph re-traces the forward pass, whose value no output needs
    assert len(dg.nodes) == before
    assert len(opt.nodes) == after
    assert len(opt.nodes) < len(dg.nodes)
    assert "log" not in names(opt) and "sin" not in names(opt)


def test_optimized_lecture_gradient_computes_the_same_values():
    dg = cr.trace(lecture_f, f64(2.0), f64(5.0)).grad((0, 1))
    opt = dg.optimize()
    for point in [(2.0, 5.0), (0.3, -2.0), (7.0, 1.5)]:
        same_values(dg, opt, *map(f64, point))
    d1, d2 = opt(f64(2.0), f64(5.0))
    assert_close(d1, 5.5)
    assert_close(d2, 2.0 - np.cos(5.0))


def test_optimize_does_not_modify_the_original_graph():
    dg = cr.trace(lecture_f, f64(2.0), f64(5.0)).grad((0, 1))
    before = str(dg)
    dg.optimize()
    assert str(dg) == before and len(dg.nodes) == 12


def test_optimized_mlp_gradient_graph_is_smaller_and_equal():
    def loss(W1, W2, X):
        return (cr.relu(X @ W1) @ W2).sum()

    rng = np.random.default_rng(0)
    args = rng.normal(size=(4, 5)), rng.normal(size=(5, 2)), rng.normal(size=(6, 4))
    dg = cr.trace(loss, *args).grad((0, 1))
    opt = dg.optimize()
    assert len(opt.nodes) < len(dg.nodes)
    new = tuple(rng.normal(size=a.shape) for a in args)
    same_values(dg, opt, *new)


# ------------------------------------------------------------------ dead code


def test_dead_code_elimination_drops_unused_nodes():
    def f(x):
        unused = cr.exp(x) * 3.0  # noqa: F841  (recorded, reaches no output)
        return cr.sin(x)

    g = cr.trace(f, np.ones(3))
    assert names(g).count("exp") == 1 and len(g.nodes) == 3
    dce = eliminate_dead_code(g)
    assert names(dce) == ["sin"]
    same_values(g, dce, np.array([0.1, 0.2, 0.3]))


def test_dead_code_elimination_keeps_everything_live():
    g = cr.trace(lecture_f, f64(2.0), f64(5.0))
    assert len(eliminate_dead_code(g).nodes) == 5


# ------------------------------------------------------------------ common subexpressions


def test_cse_computes_a_repeated_expression_once():
    g = cr.trace(lambda x: cr.sin(x) + cr.sin(x), np.ones(3))
    assert names(g) == ["sin", "sin", "add"]
    cse = eliminate_common_subexpressions(g)
    assert names(cse) == ["sin", "add"]
    add = cse.nodes[1]
    assert add.inputs[0] is add.inputs[1] is cse.nodes[0].out
    same_values(g, cse, np.array([0.5, -1.0, 2.0]))


def test_cse_merges_chains_of_repeated_subexpressions():
    g = cr.trace(lambda x, y: cr.exp(x * y) - cr.exp(x * y), np.ones(2), np.ones(2))
    assert len(g.nodes) == 5
    cse = eliminate_common_subexpressions(g)
    assert names(cse) == ["mul", "exp", "sub"]


def test_cse_does_not_merge_different_params():
    g = cr.trace(lambda x: x.sum(axis=0).sum() + x.sum(axis=1).sum(), np.ones((2, 3)))
    cse = eliminate_common_subexpressions(g)
    assert len(cse.nodes) == len(g.nodes)
    same_values(g, cse, np.arange(6.0).reshape(2, 3))


def test_cse_does_not_merge_different_constants():
    g = cr.trace(lambda x: x * 2.0 + x * 3.0, np.ones(3))
    assert len(eliminate_common_subexpressions(g).nodes) == 3


# ------------------------------------------------------------------ constant folding


def _graph_with_constant_subtree():
    """y = x * exp(0) + neg(2): hand-made, since tracing never records all-constant nodes."""
    x = Var(1, (3,), np.float64)
    c1 = Var(2, (), np.float64)
    c2 = Var(3, (), np.float64)
    m = Var(4, (3,), np.float64)
    y = Var(5, (3,), np.float64)
    nodes = [
        Equation(P["exp"], [np.float64(0.0)], {}, c1),   # 0-d constants are immutable NumPy scalars in graphs
        Equation(P["neg"], [np.float64(2.0)], {}, c2),
        Equation(P["mul"], [x, c1], {}, m),
        Equation(P["add"], [m, c2], {}, y),
    ]
    return Graph([x], nodes, [y], (np.ones(3),))


def test_constant_folding_evaluates_all_constant_nodes():
    g = _graph_with_constant_subtree()
    assert len(g.nodes) == 4
    folded = fold_constants(g)
    assert names(folded) == ["mul", "add"]
    mul, add = folded.nodes
    assert float(np.asarray(mul.inputs[1])) == 1.0
    assert float(np.asarray(add.inputs[1])) == -2.0
    x = np.array([1.0, -2.0, 4.0])
    assert_close(folded(x), x - 2.0)
    same_values(g, folded, x)


def test_optimize_folds_then_removes_the_resulting_identity():
    g = _graph_with_constant_subtree()
    opt = g.optimize()
    assert names(opt) == ["add"]  # exp(0) -> 1, x*1 -> x, neg(2) -> -2
    x = np.array([0.5, 0.0, 3.0])
    assert_close(opt(x), x - 2.0)


# ------------------------------------------------------------------ identities

IDENTITIES = {
    "x*1": lambda x: x * 1.0,
    "1*x": lambda x: 1.0 * x,
    "x+0": lambda x: x + 0.0,
    "0+x": lambda x: 0.0 + x,
    "x-0": lambda x: x - 0.0,
    "x/1": lambda x: x / 1.0,
    "neg(neg x)": lambda x: -(-x),
}


@pytest.mark.parametrize("name", sorted(IDENTITIES))
def test_identity_is_removed(name):
    g = cr.trace(IDENTITIES[name], np.ones(3))
    assert len(g.nodes) >= 1
    simple = simplify_identities(g)
    opt = eliminate_dead_code(simple)
    assert len(opt.nodes) == 0
    assert opt.outputs[0] is opt.inputs[0]
    x = np.array([1.5, -2.0, 0.25])
    assert_close(opt(x), x)
    same_values(g, opt, x)


def test_identities_inside_a_larger_expression():
    g = cr.trace(lambda x: cr.exp(-(-(x * 1.0 + 0.0))), np.ones(2))
    assert len(g.nodes) == 5
    opt = g.optimize()
    assert names(opt) == ["exp"]
    x = np.array([0.3, -1.0])
    assert_close(opt(x), np.exp(x))


def test_multiplication_by_an_array_of_ones_is_kept_since_the_array_may_change():
    ones = np.ones(3)  # captured by the function: a later in-place change must be seen
    g = cr.trace(lambda x: x * ones, np.ones(3)).optimize()
    assert [n.prim.name for n in g.nodes] == ["mul"]
    ones *= 2.0
    assert_close(g(np.ones(3)), [2.0, 2.0, 2.0])


def test_nodes_on_array_constants_are_not_folded():
    x, c, y = Var(1, (2,), np.float64), Var(2, (2,), np.float64), Var(3, (2,), np.float64)
    table = np.array([1.0, 2.0])
    g = Graph([x], [Equation(P["exp"], [table], {}, c), Equation(P["mul"], [x, c], {}, y)], [y], [np.ones(2)])
    assert names(fold_constants(g)) == ["exp", "mul"]


def test_a_scalar_identity_is_removed():
    g = cr.trace(lambda x: x * 1.0 + 0.0, np.ones(3))
    assert len(g.optimize().nodes) == 0


def test_broadcasting_multiplication_by_ones_is_kept():
    # x * ones((2, 3)) changes the shape: it is not an identity
    g = cr.trace(lambda x: x * np.ones((2, 3)), np.ones(3))
    opt = g.optimize()
    assert len(opt.nodes) == 1
    x = np.array([1.0, 2.0, 3.0])
    out = opt(x)
    assert out.shape == (2, 3)
    assert_close(out, np.broadcast_to(x, (2, 3)))


def test_single_negation_is_kept():
    g = cr.trace(lambda x: -x, np.ones(3))
    assert names(g.optimize()) == ["neg"]


def test_multiplication_by_two_is_not_an_identity():
    g = cr.trace(lambda x: x * 2.0 + 1.0, np.ones(3))
    assert len(g.optimize().nodes) == 2


def test_optimize_reaches_a_fixed_point():
    g = cr.trace(lambda x, y: (cr.sin(x) * 1.0 + cr.sin(x)) * (y + 0.0) - -(-(y * y)), np.ones(3), np.ones(3))
    opt = g.optimize()
    again = opt.optimize()
    assert len(again.nodes) == len(opt.nodes)
    assert names(opt).count("sin") == 1
    rng = np.random.default_rng(2)
    args = rng.normal(size=3), rng.normal(size=3)
    same_values(g, opt, *args)


def test_equal_but_distinct_captured_arrays_are_not_merged():
    b1, b2 = np.zeros(3), np.zeros(3)  # e.g. two biases, equal only at trace time
    g = cr.trace(lambda x: (x + b1) * (x + b2), np.ones(3)).optimize()
    assert [n.prim.name for n in g.nodes].count("add") == 2
    b2 += 1.0  # an in-place update (an optimizer step) of the second array
    assert_close(g(np.ones(3)), [2.0, 2.0, 2.0])
