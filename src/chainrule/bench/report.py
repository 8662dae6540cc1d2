"""The suite's results as Markdown (a table per run, the targets) and as JSON."""

import json
import math

from . import machine
from .targets import EAGER, JIT, LOOP, NUMPY, TORCH, VMAP

SHORT = {NUMPY: "NumPy (hand-written)", EAGER: "chainrule eager", VMAP: "chainrule vmap", JIT: "chainrule jit",
         LOOP: "chainrule loop", TORCH: "PyTorch eager"}
ON_DEVICE = {NUMPY: "CuPy (hand-written)", TORCH: "PyTorch CUDA eager"}
"""On a GPU the hand-written NumPy code runs on CuPy arrays, and PyTorch on its CUDA device."""


def on_device(results):
    """Whether the run computed on a GPU (``chainrule bench --device cuda``)."""
    return results["settings"].get("device", "cpu") != "cpu"


def names(results):
    """Each implementation's name in the report, for the device the run used."""
    return {**SHORT, **ON_DEVICE} if on_device(results) else SHORT


def _number(value):
    """About three significant digits: 1234, 123, 12.3, 1.23, 0.123."""
    if value is None or not math.isfinite(value):
        return "—"
    size = abs(value)
    if size >= 100:
        return f"{value:.0f}"
    if size >= 10:
        return f"{value:.1f}"
    if size >= 1:
        return f"{value:.2f}"
    return f"{value:.3g}"


def _ratio(a, b):
    return None if a is None or not b else a / b


def _mib(value):
    return None if value is None else value / 2 ** 20


def results_table(results):
    """One row per workload and implementation."""
    short = names(results)
    lines = [f"| workload | implementation | median ms | min ms | × {short[NUMPY].split()[0]} | × PyTorch | peak MiB "
             f"| × NumPy peak "
             "| minor faults / step | gradients vs others |",
             "|---|---|---:|---:|---:|---:|---:|---:|---:|---|"]
    for name, workload in results["workloads"].items():
        impls = workload["implementations"]
        numpy_row, torch_row = impls.get(NUMPY, {}), impls.get(TORCH, {})
        for impl, row in impls.items():
            if row["status"] != "ok":
                lines.append(f"| {name} | {short[impl]} | — | — | — | — | — | — | — | {row['status']}: {row['note']} |")
                continue
            if row.get("max_difference") is None or row.get("compared_with") is None:
                agreement = "not compared"
            else:
                agreement = f"≤ {row['max_difference']:.1e}"
            peak = row.get("peak_bytes")
            lines.append(
                f"| {name} | {short[impl]} | {_number(row['median_ms'])} | {_number(row['min_ms'])} "
                f"| {_number(_ratio(row['median_ms'], numpy_row.get('median_ms')))} "
                f"| {_number(_ratio(row['median_ms'], torch_row.get('median_ms')))} "
                f"| {_number(_mib(peak)) if peak is not None else '—'} "
                f"| {_number(_ratio(peak, numpy_row.get('peak_bytes')))} "
                f"| {_number(row['minor_faults_per_step'])} | {agreement} |")
    return "\n".join(lines)


def derived_table(results):
    """Per-op cost on ``overhead`` and the HVP's cost relative to one ``mlp`` step."""
    short = names(results)
    lines = []
    overhead = results["workloads"].get("overhead")
    if overhead and overhead.get("primitives"):
        count = overhead["primitives"]
        cells = [f"{short[i]} {_number(r['median_ms'] * 1e3 / count)} µs"
                 for i, r in overhead["implementations"].items() if r.get("median_ms") is not None]
        lines.append(f"- `overhead`, per primitive (median step / {count}, forward and backward): "
                     + "; ".join(cells))
    hvp, mlp = results["workloads"].get("hvp"), results["workloads"].get("mlp")
    if hvp and mlp:
        cells = []
        for impl, row in hvp["implementations"].items():
            ratio = _ratio(row.get("median_ms"), mlp["implementations"].get(impl, {}).get("median_ms"))
            if ratio is not None:
                cells.append(f"{short[impl]} {_number(ratio)}×")
        lines.append("- `hvp` (gradient and Hessian-vector product) / one `mlp` training step, same implementation: "
                     + "; ".join(cells))
    per_example = results["workloads"].get("per_example")
    if per_example and mlp:
        batched = mlp["implementations"].get(EAGER, {}).get("median_ms")
        cells = [f"{short[impl]} {_number(_ratio(row.get('median_ms'), batched))}×"
                 for impl, row in per_example["implementations"].items() if row.get("median_ms") is not None]
        lines.append("- `per_example` (a gradient per example, batch 128) / one batched `mlp` eager step: "
                     + "; ".join(cells))
    return "\n".join(lines)


def targets_table(results):
    """Each target with its measured value; those the run could not measure are listed after the table."""
    lines = ["| workload | target | measured | limit | result |", "|---|---|---:|---:|---|"]
    unmeasured = []
    gpu = on_device(results)
    for row in results["targets"]:
        label = row["target"].replace("NumPy", "CuPy").replace("PyTorch", "PyTorch CUDA") if gpu else row["target"]
        if row["measured"] is None:
            unmeasured.append(f"{row['workload']} {row['target']}")
            continue
        verdict = "met" if row["met"] else f"**missed** by {(row['over'] - 1) * 100:.0f}%"
        lines.append(f"| {row['workload']} | {label} | {_number(row['measured'])} | ≤ {row['limit']:g} "
                     f"| {verdict} |")
    if unmeasured:
        lines += ["", f"Not measured in this run (an implementation is missing): {', '.join(unmeasured)}."]
    return "\n".join(lines)


def markdown(results):
    """The whole report: machine, settings, results, derived numbers, targets, notes."""
    settings = results["settings"]
    sizes = "; ".join(f"`{name}` {w['size']}, {w['rounds']} rounds" for name, w in results["workloads"].items())
    parts = [
        "# chainrule benchmark",
        "",
        f"Machine: {machine.summary(results['machine'])}.",
        "",
        f"float32, fixed seeds; {settings['size']} sizes: {sizes}. One step = forward + backward + parameter "
        f"update, gradients read back as NumPy arrays (`overhead`: gradient w.r.t. the input; `hvp`: gradient and "
        f"Hessian-vector product, no update; `per_example`: the per-example gradients, no update; `vmap_forward`: "
        f"the scores only). Times: {settings['timing']}, after {settings['warmup']} warm-up "
        f"steps. Peak memory: {settings['memory'] or 'not measured'}. Minor page faults: {settings['page_faults']}. "
        f"Gradients of every implementation are compared with every other's on the first step, from the same "
        f"weights and data (largest difference scaled by the output's size; limit {settings['rtol']:g}). "
        f"The run took {results['seconds']:.0f} s.",
        "",
        results_table(results),
        "",
    ]
    derived = derived_table(results)
    if derived:
        parts += [derived, ""]
    issues = "issue 15, on a GPU" if on_device(results) else "issues 5, 10, 11 and 14"
    parts += [f"## Targets ({issues})", "", targets_table(results), ""]
    measured = [r for r in results["targets"] if r["met"] is not None]
    met = [r for r in measured if r["met"]]
    parts += [f"{len(met)} of {len(measured)} measured targets met; {len(measured) - len(met)} missed.", ""]
    if results["notes"]:
        parts += ["## Notes", ""] + [f"- {note}" for note in results["notes"]] + [""]
    return "\n".join(parts)


def to_json(results):
    return json.dumps(results, indent=2, ensure_ascii=False, default=float) + "\n"
