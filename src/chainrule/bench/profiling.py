"""cProfile of one implementation's step: where the time of a step goes, function by function."""

import cProfile
import pstats

from .suite import WORKLOADS


def _where(key):
    filename, line, name = key
    if filename == "~":
        return name                                      # a built-in: "<method 'reduce' of 'numpy.ufunc' objects>"
    for root in ("chainrule/", "numpy/", "torch/"):
        if root in filename:
            filename = root + filename.split(root, 1)[1]
            break
    else:
        filename = filename.rsplit("/", 1)[-1]
    return f"{filename}:{line}({name})"


def profile(workload_name, implementation="chainrule eager", size="full", steps=10, warmup=2):
    """Profile ``steps`` steps after ``warmup``; returns totals and per-function rows (per step)."""
    workload = WORKLOADS[workload_name]
    step = workload.builders[implementation](workload.make_problem(size))
    for _ in range(warmup):
        step()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(steps):
        step()
    profiler.disable()
    stats = pstats.Stats(profiler).stats
    total = sum(tt for _, _, tt, _, _ in stats.values())
    rows = [{"function": _where(key), "calls": nc / steps, "self_ms": tt * 1e3 / steps,
             "self_share": tt / total if total else 0.0, "cumulative_ms": ct * 1e3 / steps}
            for key, (_, nc, tt, ct, _) in stats.items()]
    return {"workload": workload_name, "implementation": implementation, "steps": steps,
            "ms_per_step": total * 1e3 / steps, "rows": rows}


def markdown(result, top=10):
    """Two top-``top`` tables: by self time (with its share of the step) and by cumulative time."""
    rows = result["rows"]
    lines = [f"### `{result['workload']}`, {result['implementation']}: {result['ms_per_step']:.1f} ms per step "
             f"under cProfile ({result['steps']} steps)", "",
             "By self time (time in the function itself, not in what it calls):", "",
             "| share | self ms / step | cumulative ms / step | calls / step | function |",
             "|---:|---:|---:|---:|---|"]
    for row in sorted(rows, key=lambda r: r["self_ms"], reverse=True)[:top]:
        lines.append(f"| {row['self_share'] * 100:.1f}% | {row['self_ms']:.2f} | {row['cumulative_ms']:.2f} "
                     f"| {row['calls']:g} | `{row['function']}` |")
    lines += ["", "By cumulative time (the function and everything it calls):", "",
              "| cumulative ms / step | share of step | calls / step | function |", "|---:|---:|---:|---|"]
    total = result["ms_per_step"]
    for row in sorted(rows, key=lambda r: r["cumulative_ms"], reverse=True)[:top]:
        lines.append(f"| {row['cumulative_ms']:.2f} | {row['cumulative_ms'] / total * 100:.0f}% "
                     f"| {row['calls']:g} | `{row['function']}` |")
    return "\n".join(lines) + "\n"
