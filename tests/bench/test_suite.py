"""The benchmark suite at tiny size: every workload runs, and its implementations agree.

Correctness, not speed: each implementation's first step (loss, gradients, products)
must match hand-written NumPy's from the same weights and data. PyTorch is never
needed here (it is left out of every run).
"""

import io
import json

import numpy as np
import pytest

import chainrule.cli as cli
from chainrule.bench import WORKLOADS, check, report, suite
from chainrule.bench.targets import TARGETS, evaluate
from chainrule.bench.workload import REFERENCE

NUMPY_BASED = ("numpy", "chainrule eager", "chainrule jit")


def numpy_based(workload):
    """The implementations of ``workload`` that need no PyTorch, in the report's order."""
    return [impl for impl in workload.builders if impl != "torch"]


@pytest.fixture(scope="module")
def tiny_results():
    return suite.run(against="none", size="tiny", rounds=1, warmup=0)


@pytest.mark.parametrize("name", list(WORKLOADS))
def test_every_implementation_of_a_workload_agrees_with_hand_written_numpy(name):
    workload = WORKLOADS[name]
    problem = workload.make_problem("tiny")
    outputs = {impl: [np.array(a, copy=True) for a in workload.builders[impl](problem)()]
               for impl in numpy_based(workload)}
    for impl, arrays in outputs.items():
        assert len(arrays) == len(problem.outputs), impl
        for label, got, expected in zip(problem.outputs, arrays, outputs[REFERENCE]):
            assert got.shape == expected.shape, (impl, label)
            assert got.dtype == np.float32, (impl, label, got.dtype)
            assert check.difference(got, expected) <= check.RTOL, (impl, label, check.difference(got, expected))


@pytest.mark.parametrize("name", ["seed_cnn", "mlp"])
def test_a_step_updates_the_parameters_and_leaves_the_problem_untouched(name):
    workload = WORKLOADS[name]
    problem = workload.make_problem("tiny")
    initial = [p.copy() for p in problem.params.values()]
    for impl in NUMPY_BASED:
        step = workload.builders[impl](problem)
        first = [np.array(a, copy=True) for a in step()]
        second = step()
        assert first[0] != second[0], impl                        # the loss moved: the update happened
    for before, after in zip(initial, problem.params.values()):
        np.testing.assert_array_equal(before, after)


def test_the_hvp_numpy_r_operator_matches_finite_differences_of_the_gradient():
    workload = WORKLOADS["hvp"]
    problem = workload.make_problem("tiny")
    params = [p.astype(np.float64) for p in problem.params.values()]
    directions = [v.astype(np.float64) for v in problem.extra["directions"]]
    outputs = workload.builders["numpy"](problem)()
    half = len(outputs) // 2

    def gradient(shift):
        import chainrule as cr
        from chainrule.bench.mlp import mlp_loss

        moved = [p + shift * v for p, v in zip(params, directions)]
        return [g.numpy() for g in cr.grad(mlp_loss, argnums=tuple(range(half)))(*moved, *problem.data.values())]

    eps = 1e-7  # small enough that no ReLU input crosses its kink (float64)
    numerical = [(a - b) / (2 * eps) for a, b in zip(gradient(eps), gradient(-eps))]
    for got, expected in zip(outputs[half:], numerical):
        assert check.difference(got, expected) <= 1e-3


def test_the_tiny_suite_checks_times_and_traces_every_numpy_based_implementation(tiny_results):
    assert list(tiny_results["workloads"]) == list(WORKLOADS)
    for name, workload in tiny_results["workloads"].items():
        impls = workload["implementations"]
        assert list(impls) == numpy_based(WORKLOADS[name]), name
        for impl, row in impls.items():
            assert row["status"] == "ok", (name, impl, row.get("note"))
            assert row["max_difference"] <= check.RTOL, (name, impl)
            assert row["steps"] == 1 and row["median_ms"] > 0 and row["min_ms"] > 0
            assert row["minor_faults_per_step"] >= 0
            assert row["peak_bytes"] > 0
    assert tiny_results["workloads"]["overhead"]["primitives"] == 300


def test_targets_without_pytorch_are_measured_and_the_rest_left_open(tiny_results):
    rows = evaluate(tiny_results)
    assert len(rows) == len(TARGETS)
    for row in rows:
        if "torch" in (row["numerator"], row["denominator"]):
            assert row["measured"] is None and row["met"] is None
        else:
            assert row["measured"] > 0 and row["met"] == (row["measured"] <= row["limit"])


def test_the_report_has_a_row_per_implementation_and_round_trips_through_json(tiny_results):
    text = report.markdown(tiny_results)
    for name, workload in WORKLOADS.items():
        for impl in numpy_based(workload):
            assert f"| {name} | {report.SHORT[impl]} |" in text
    assert "## Targets (issues 5, 10, 11 and 14)" in text and "Not measured in this run" in text
    assert json.loads(report.to_json(tiny_results))["settings"]["size"] == "tiny"


def test_a_mismatching_implementation_is_named_and_not_timed():
    outputs = {"numpy": [np.ones(3, np.float32)], "chainrule eager": [np.ones(3, np.float32) * 1.01]}
    agreement = check.compare(outputs, ("d w",))
    assert check.disagreeing(agreement, "numpy") == ["chainrule eager"]
    assert agreement["chainrule eager"]["output"] == "d w"


def test_chainrule_bench_quick_writes_markdown_and_json(tmp_path):
    out, err = io.StringIO(), io.StringIO()
    args = cli.build_parser().parse_args(["bench", "--quick", "--workloads", "overhead", "mlp", "--against", "none",
                                          "--repeat", "2", "--out", str(tmp_path)])
    assert args.run(args, out=out, err=err) == 0, err.getvalue()
    assert "| overhead | chainrule jit |" in out.getvalue()
    saved = json.loads((tmp_path / "latest.json").read_text())
    assert list(saved["workloads"]) == ["overhead", "mlp"]
    assert saved["workloads"]["mlp"]["implementations"]["chainrule eager"]["steps"] == 2
    assert (tmp_path / "latest.md").read_text().startswith("# chainrule benchmark")


def test_chainrule_bench_refuses_an_unknown_workload():
    err = io.StringIO()
    args = cli.build_parser().parse_args(["bench", "--workloads", "resnet"])
    assert args.run(args, out=io.StringIO(), err=err) == 2
    assert "unknown workload(s) resnet" in err.getvalue()


def test_on_a_device_every_implementation_keeps_its_work_there_and_agrees(gpu):
    """The five workloads with the device double as "cuda" (tests/device_double.py): the hand-written
    NumPy code, chainrule eager and jit all run on device arrays, agree, and are timed."""
    from chainrule.bench.command import run_command

    out, err = io.StringIO(), io.StringIO()
    args = cli.build_parser().parse_args(["bench", "--quick", "--device", "cuda", "--against", "none",
                                          "--repeat", "1"])
    assert run_command(args, out, err) == 0, err.getvalue()
    text = out.getvalue()
    for name in ("seed_cnn", "lenet", "mlp", "overhead", "hvp"):
        for implementation in ("CuPy (hand-written)", "chainrule eager", "chainrule jit"):
            assert f"| {name} | {implementation} | " in text, (name, implementation)
    assert "mismatch" not in text and "error" not in text
    assert "Device 'cuda': " in text
    assert "| hvp | time jit / CuPy |" in text and "≤ 1.1" in text  # the device targets (issue 15)


def test_the_large_size_multiplies_the_training_batches():
    from chainrule.bench import lenet, mlp, seed_cnn
    from chainrule.bench.workload import LARGE

    for workload in (seed_cnn, lenet, mlp):
        full, large = workload.make_problem("full"), workload.make_problem("large")
        assert len(large.data["x"]) == LARGE * len(full.data["x"])
        np.testing.assert_array_equal(large.data["x"][:len(full.data["x"])], full.data["x"])
