"""Do the implementations compute the same step? Compared before anything is timed.

Every implementation runs its first step from the same initial parameters and data;
the arrays it reads back (loss, gradients, products) are compared with those of
every other implementation, output by output, relative to the output's scale:

    difference(a, b) = max |a − b| / max(max |a|, max |b|)

An element-wise relative test would fail on gradient entries that are zero up to
float32 rounding; scaling by the largest entry asks instead that each array agree
to about three significant digits of its own size.
"""

import numpy as np

RTOL = 1e-3
"""Largest scaled difference accepted in float32 (sums over thousands of terms, in different orders)."""


def difference(a, b):
    """``max |a − b| / max(max |a|, max |b|)`` (0 for two zero arrays); ``inf`` on a shape mismatch."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    if a.shape != b.shape:
        return float("inf")
    scale = max(float(np.abs(a).max(initial=0)), float(np.abs(b).max(initial=0)))
    if not np.isfinite(scale):
        return float("inf")
    return float(np.abs(a - b).max(initial=0)) / scale if scale > 0 else 0.0


def compare(outputs, names):
    """Pairwise agreement of implementations' first-step outputs.

    Parameters
    ----------
    outputs : dict of str to list of ndarray
        Implementation name to the arrays its first step returned, in the order of ``names``.
    names : sequence of str
        What each array is (for messages).

    Returns
    -------
    dict of str to dict
        Per implementation: ``differences`` (other implementation -> largest difference
        over the outputs), ``worst`` and ``against`` (the largest of those and with
        which implementation), ``output`` (the array where it occurs) and ``agrees``
        (within ``RTOL`` of every other implementation).
    """
    report = {name: {"differences": {}, "worst": 0.0, "against": None, "output": None, "agrees": True}
              for name in outputs}
    impls = list(outputs)
    for i, first in enumerate(impls):
        for second in impls[i + 1:]:
            worst, where = 0.0, None
            if len(outputs[first]) != len(outputs[second]):
                worst, where = float("inf"), "number of outputs"
            for label, a, b in zip(names, outputs[first], outputs[second]):
                d = difference(a, b)
                if not d <= worst:
                    worst, where = d, label
            for me, other in ((first, second), (second, first)):
                entry = report[me]
                entry["differences"][other] = worst
                if entry["against"] is None or not worst <= entry["worst"]:
                    entry.update(worst=worst, against=other, output=where)
                if not worst <= RTOL:
                    entry["agrees"] = False
    return report


def disagreeing(report, reference):
    """Implementations whose outputs differ from ``reference``'s by more than ``RTOL``."""
    if reference not in report:
        return sorted(name for name, entry in report.items() if not entry["agrees"])
    return sorted(name for name, entry in report.items()
                  if name != reference and not entry["differences"][reference] <= RTOL)
