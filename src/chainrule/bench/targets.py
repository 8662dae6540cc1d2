"""The speed and memory targets of issues 5 and 10, and how a run measures up to them.

Ratios of medians on one machine in one run, never absolute times:

* eager chainrule / hand-written NumPy ≤ 1.3 on seed_cnn, lenet, mlp, hvp; ≤ 2.5 on overhead;
* eager chainrule / PyTorch ≤ 1.0 on seed_cnn, mlp, hvp; ≤ 0.3 on overhead; ≤ 1.3 on lenet;
* jit chainrule / hand-written NumPy ≤ 1.05 on every workload;
* per-op cost on overhead ≤ 4 µs per primitive, forward and backward together (eager);
* peak memory of a training step ≤ 1.5 × hand-written NumPy's (chainrule eager and jit);
* issue 10: eager chainrule / hand-written NumPy ≤ 1.3 on mri (the MRI reconstruction's gradient step).
"""

EAGER, JIT, NUMPY, TORCH = "chainrule eager", "chainrule jit", "numpy", "torch"
TRAINING = ("seed_cnn", "lenet", "mlp")


class Target:
    """One limit: ``measure(results) <= limit``.

    ``kind`` is ``"time"`` (ratio of median step times of ``numerator`` and
    ``denominator``), ``"memory"`` (ratio of peak memory) or ``"per-op"`` (the
    numerator's median step over the workload's primitive count, in µs).
    """

    def __init__(self, kind, workload, numerator, denominator, limit):
        self.kind, self.workload, self.numerator, self.denominator, self.limit = (
            kind, workload, numerator, denominator, limit)

    @property
    def label(self):
        if self.kind == "per-op":
            return f"{self.numerator}: µs per primitive"
        what = "peak memory" if self.kind == "memory" else "time"
        short = {EAGER: "eager", JIT: "jit", NUMPY: "NumPy", TORCH: "PyTorch"}
        return f"{what} {short[self.numerator]} / {short[self.denominator]}"

    def measure(self, workload_result):
        """The measured value, or ``None`` when the run lacks what it needs."""
        impls = workload_result["implementations"]
        top = impls.get(self.numerator, {})
        if self.kind == "per-op":
            median = top.get("median_ms")
            primitives = workload_result.get("primitives")
            return None if median is None or not primitives else median * 1e3 / primitives
        key = "peak_bytes" if self.kind == "memory" else "median_ms"
        a, b = top.get(key), impls.get(self.denominator, {}).get(key)
        return None if a is None or not b else a / b


def _targets():
    targets = []
    for workload, limit in (("seed_cnn", 1.3), ("lenet", 1.3), ("mlp", 1.3), ("hvp", 1.3), ("overhead", 2.5),
                            ("mri", 1.3)):
        targets.append(Target("time", workload, EAGER, NUMPY, limit))
    for workload, limit in (("seed_cnn", 1.0), ("lenet", 1.3), ("mlp", 1.0), ("hvp", 1.0), ("overhead", 0.3)):
        targets.append(Target("time", workload, EAGER, TORCH, limit))
    for workload in ("seed_cnn", "lenet", "mlp", "hvp", "overhead"):
        targets.append(Target("time", workload, JIT, NUMPY, 1.05))
    targets.append(Target("per-op", "overhead", EAGER, None, 4.0))
    for workload in TRAINING:
        for impl in (EAGER, JIT):
            targets.append(Target("memory", workload, impl, NUMPY, 1.5))
    return tuple(targets)


TARGETS = _targets()


def evaluate(results):
    """Every target whose workload ran: ``{workload, target, measured, limit, met, over}``, where
    ``over`` is measured / limit (above 1 by as much as the target is missed)."""
    rows = []
    for target in TARGETS:
        workload = results["workloads"].get(target.workload)
        if workload is None:
            continue
        measured = target.measure(workload)
        rows.append({"workload": target.workload, "target": target.label, "kind": target.kind,
                     "numerator": target.numerator, "denominator": target.denominator,
                     "measured": measured, "limit": target.limit,
                     "met": None if measured is None else measured <= target.limit,
                     "over": None if measured is None else measured / target.limit})
    return rows


def furthest(rows, implementation=EAGER, count=2):
    """The ``count`` workloads whose time targets for ``implementation`` are missed by most (largest over)."""
    worst = {}
    for row in rows:
        if row["numerator"] != implementation or row["kind"] == "memory" or row["over"] is None:
            continue
        worst[row["workload"]] = max(worst.get(row["workload"], 0.0), row["over"])
    return sorted(worst, key=worst.get, reverse=True)[:count]
