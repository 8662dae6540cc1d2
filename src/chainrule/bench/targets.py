"""The speed and memory targets (issues 5, 11 and 14), and how a run measures up to them.

Ratios of medians on one machine in one run, never absolute times:

* eager chainrule / hand-written NumPy ≤ 1.2 on the training workloads (seed_cnn, lenet, mlp), ≤ 1.3
  on hvp, ≤ 2.5 on overhead;
* eager chainrule / PyTorch ≤ 1.0 on seed_cnn, mlp, hvp; ≤ 1.3 on lenet; ≤ 0.5 on overhead;
* jit chainrule / hand-written NumPy ≤ 1.05 on those five, and jit never slower than eager;
* per-op cost on overhead ≤ 3 µs per primitive, forward and backward together (eager);
* peak memory of a training step ≤ 1.5 × hand-written NumPy's (chainrule eager and jit);
* per-example gradients (issue 11): vmap(grad) ≤ 3 × one batched gradient (the ``mlp`` eager
  step, a ratio across workloads) and ≥ 10 × faster than a loop of single-example gradients;
  vmap of the seed CNN's forward ≤ 1.2 × its natively batched forward;
* issue 10: eager chainrule / hand-written NumPy ≤ 1.3 on mri (the MRI reconstruction's gradient step).
"""

EAGER, VMAP, JIT, LOOP, NUMPY, TORCH = ("chainrule eager", "chainrule vmap", "chainrule jit", "chainrule loop",
                                        "numpy", "torch")
TRAINING = ("seed_cnn", "lenet", "mlp")
FIVE = ("seed_cnn", "lenet", "mlp", "hvp", "overhead")


class Target:
    """One limit: ``measure(results) <= limit``.

    ``kind`` is ``"time"`` (ratio of median step times of ``numerator`` and ``denominator``),
    ``"memory"`` (ratio of peak memory) or ``"per-op"`` (the numerator's median step over the
    workload's primitive count, in µs). The denominator is measured in ``other_workload``
    when given (a ratio across workloads), else in the same workload.
    """

    def __init__(self, kind, workload, numerator, denominator, limit, other_workload=None):
        self.kind, self.workload, self.numerator, self.denominator, self.limit = (
            kind, workload, numerator, denominator, limit)
        self.other_workload = other_workload

    @property
    def label(self):
        if self.kind == "per-op":
            return f"{self.numerator}: µs per primitive"
        what = "peak memory" if self.kind == "memory" else "time"
        short = {EAGER: "eager", VMAP: "vmap", JIT: "jit", LOOP: "loop", NUMPY: "NumPy", TORCH: "PyTorch"}
        other = f" ({self.other_workload})" if self.other_workload else ""
        return f"{what} {short[self.numerator]} / {short[self.denominator]}{other}"

    def measure(self, workloads):
        """The measured value from the run's ``workloads``, or ``None`` when the run lacks what it needs."""
        mine = workloads.get(self.workload)
        if mine is None:
            return None
        top = mine["implementations"].get(self.numerator, {})
        if self.kind == "per-op":
            median = top.get("median_ms")
            primitives = mine.get("primitives")
            return None if median is None or not primitives else median * 1e3 / primitives
        key = "peak_bytes" if self.kind == "memory" else "median_ms"
        other = workloads.get(self.other_workload or self.workload, {}).get("implementations", {})
        a, b = top.get(key), other.get(self.denominator, {}).get(key)
        return None if a is None or not b else a / b


def _targets():
    targets = []
    for workload, limit in (("seed_cnn", 1.2), ("lenet", 1.2), ("mlp", 1.2), ("hvp", 1.3), ("overhead", 2.5),
                            ("mri", 1.3)):
        targets.append(Target("time", workload, EAGER, NUMPY, limit))
    for workload, limit in (("seed_cnn", 1.0), ("lenet", 1.3), ("mlp", 1.0), ("hvp", 1.0), ("overhead", 0.5)):
        targets.append(Target("time", workload, EAGER, TORCH, limit))
    for workload in FIVE:
        targets.append(Target("time", workload, JIT, NUMPY, 1.05))
    for workload in FIVE:
        targets.append(Target("time", workload, JIT, EAGER, 1.0))
    targets.append(Target("per-op", "overhead", EAGER, None, 3.0))
    for workload in TRAINING:
        for impl in (EAGER, JIT):
            targets.append(Target("memory", workload, impl, NUMPY, 1.5))
    targets.append(Target("time", "per_example", VMAP, EAGER, 3.0, other_workload="mlp"))
    targets.append(Target("time", "per_example", VMAP, LOOP, 0.1))
    targets.append(Target("time", "vmap_forward", VMAP, EAGER, 1.2))
    return tuple(targets)


TARGETS = _targets()


def evaluate(results):
    """Every target whose workload ran: ``{workload, target, measured, limit, met, over}``, where
    ``over`` is measured / limit (above 1 by as much as the target is missed)."""
    rows = []
    for target in TARGETS:
        if target.workload not in results["workloads"]:
            continue
        measured = target.measure(results["workloads"])
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
