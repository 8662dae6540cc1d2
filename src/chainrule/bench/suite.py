"""Running the suite: per workload, check the implementations agree, time them interleaved, trace memory.

The result is a plain dict (what ``latest.json`` holds); ``report`` turns it into Markdown.
"""

import importlib
import os
import statistics
import time
import traceback

import numpy as np

from . import check, hvp, lenet, machine, measure, mlp, mri, overhead, per_example, seed_cnn, vmap_forward
from .targets import evaluate
from .workload import IMPLEMENTATIONS, REFERENCE

WORKLOADS = {w.name: w for w in (seed_cnn.WORKLOAD, lenet.WORKLOAD, mlp.WORKLOAD, overhead.WORKLOAD, hvp.WORKLOAD,
                                 per_example.WORKLOAD, vmap_forward.WORKLOAD, mri.WORKLOAD)}
"""Every workload, in the report's order."""

WARMUP = 3
QUICK_ROUNDS = 3

MEMORY_METHOD = ("tracemalloc: NumPy and Python allocations of a fresh instance, from before it is built through "
                 "its second step (peak); PyTorch's own allocator is not traced")
FAULTS_METHOD = "resource.getrusage(RUSAGE_SELF).ru_minflt, difference across each timed step"

TUNING = ("OPENBLAS_THREAD_TIMEOUT", "OPENBLAS_NUM_THREADS", "GOMP_SPINCOUNT", "OMP_NUM_THREADS", "OMP_WAIT_POLICY")
"""Thread settings that change the measurements and that a user does not have after ``pip install``:
a run with any of them set is labelled as tuned (the suite measures in the default environment)."""


def load_torch():
    """``(torch module or None, note)``: whether PyTorch can take part, and why not."""
    try:
        torch = importlib.import_module("torch")
    except Exception as error:  # an ImportError, or a broken install raising anything at import
        return None, f"PyTorch skipped: `import torch` failed ({type(error).__name__}: {error})"
    return torch, f"PyTorch {torch.__version__} CPU eager, {torch.get_num_threads()} threads"


def _error(error):
    frame = traceback.extract_tb(error.__traceback__)[-1]
    return f"{type(error).__name__}: {error} (at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno})"


def run_workload(workload, implementations, size="full", rounds=None, warmup=WARMUP, memory=True, log=None):
    """Check, time and trace one workload; returns its part of the results dict."""
    log = log or (lambda message: None)
    problem = workload.make_problem(size)
    rounds = workload.rounds if rounds is None else rounds
    result = {"title": workload.title, "size": problem.description, "rounds": rounds, "warmup": warmup,
              "primitives": problem.extra.get("primitives"), "implementations": {}}
    impls = result["implementations"]
    steps, first = {}, {}
    for name in implementations:
        if name not in workload.builders:
            continue
        try:
            step = workload.builders[name](problem)
            first[name] = [np.array(a, copy=True) for a in step()]
            steps[name] = step
            impls[name] = {"status": "ok"}
        except Exception as error:  # report a broken implementation, measure the others
            impls[name] = {"status": "error", "note": _error(error)}
            log(f"  {name}: {impls[name]['note']}")

    agreement = check.compare(first, problem.outputs)
    reference = REFERENCE if REFERENCE in first else next(iter(first), None)
    for name, entry in agreement.items():
        impls[name].update(max_difference=entry["worst"], compared_with=entry["against"],
                           worst_output=entry["output"])
    for name in check.disagreeing(agreement, reference):
        impls[name].update(status="mismatch", note=(
            f"outputs differ from {reference}'s by {agreement[name]['differences'][reference]:.2g} "
            f"(scaled; limit {check.RTOL:g}), worst at {agreement[name]['output']}: not timed"))
        log(f"  {name}: {impls[name]['note']}")
        del steps[name]

    log(f"  timing {', '.join(steps)}: {warmup} warm-up steps each, then {rounds} interleaved rounds")
    samples = measure.interleaved(steps, warmup, rounds)
    for name, (seconds, faults) in samples.items():
        impls[name].update(median_ms=statistics.median(seconds) * 1e3, min_ms=min(seconds) * 1e3,
                           steps=len(seconds), minor_faults_per_step=statistics.mean(faults))
    if memory:
        for name in steps:
            if name == "torch":
                impls[name]["peak_bytes"] = None
                continue
            impls[name]["peak_bytes"] = measure.peak_memory(workload.builders[name], problem)
    return result


def run(workloads=None, against="auto", size="full", rounds=None, warmup=WARMUP, memory=True, log=None):
    """Run the suite.

    Parameters
    ----------
    workloads : list of str, optional
        Names from ``WORKLOADS`` (default: all, in order).
    against : {"auto", "torch", "none"}
        Whether PyTorch takes part: when importable, always (raising ``ImportError``
        if it is not), or never.
    size : {"full", "tiny"}
    rounds : int, optional
        Interleaved rounds per workload (default: each workload's own count).
    warmup : int
    memory : bool
        Trace peak memory (adds a fresh build and two steps per implementation).
    log : callable, optional
        Receives progress lines.

    Returns
    -------
    dict
        ``machine``, ``settings``, ``notes``, ``workloads`` (per workload and
        implementation: status, median_ms, min_ms, steps, minor_faults_per_step,
        peak_bytes, max_difference) and ``targets``.
    """
    log = log or (lambda message: None)
    names = list(WORKLOADS) if workloads is None else list(workloads)
    unknown = [n for n in names if n not in WORKLOADS]
    if unknown:
        raise ValueError(f"unknown workload(s) {', '.join(unknown)}; choose from {', '.join(WORKLOADS)}")
    torch, torch_note = (None, "PyTorch not requested (--against none)") if against == "none" else load_torch()
    if against == "torch" and torch is None:
        raise ImportError(torch_note)
    notes = [torch_note]
    tuned = [f"{k}={os.environ[k]}" for k in TUNING if os.environ.get(k) is not None]
    if tuned:
        notes.append(f"Tuned environment ({' '.join(tuned)}): not what a user has by default; the README's "
                     f"numbers come from a run without these settings (see benchmarks/README.md)")
    implementations = [i for i in IMPLEMENTATIONS if i != "torch" or torch is not None]
    started = time.time()
    results = {
        "settings": {"size": size, "warmup": warmup, "dtype": "float32", "rtol": check.RTOL,
                     "implementations": implementations, "memory": MEMORY_METHOD if memory else None,
                     "page_faults": FAULTS_METHOD,
                     "timing": "median and min of per-step perf_counter times, implementations interleaved "
                               "(order reversed every other round), garbage collector on"},
        "notes": notes,
        "workloads": {},
    }
    for name in names:
        log(f"{name}:")
        results["workloads"][name] = run_workload(WORKLOADS[name], implementations, size, rounds, warmup, memory,
                                                  log)
    results["machine"] = machine.describe(torch)
    results["seconds"] = time.time() - started
    results["targets"] = evaluate(results)
    return results
