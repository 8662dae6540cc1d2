"""Measuring steps: interleaved wall-clock times with page faults, and peak memory.

Times: after warm-up, the implementations take turns, one step each per round, the
order reversed every other round (A B C D, D C B A, …), so that drifts of the
machine (frequency, other load, caches) fall on all of them alike. Each step is
timed alone with ``time.perf_counter``; the garbage collector stays on, as in a
real training loop. Minor page faults are the process's ``ru_minflt`` (from
``resource.getrusage``) before and after each step: memory that the allocator
returned to the system and that the step had to fault back in.

Peak memory: ``tracemalloc``, on a fresh instance after the timing (tracing slows
every allocation, so it never overlaps the timing). It counts the memory allocated
through Python's and NumPy's allocators — NumPy reports its array buffers to it —
from just before the implementation is built: its copy of the parameters, any
buffers and optimizer state it keeps, and the largest set of temporaries alive at
once during one step (the second one, after a first step that compiles or warms
up). The shared input data is not counted. PyTorch allocates through its own
allocator, which tracemalloc does not see, so no figure is given for it.
"""

import gc
import resource
import time
import tracemalloc

from ..core import devices


def _minor_faults():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def synchronizer(device):
    """What waits for a device's queued work to finish (None on the CPU, where a step's work is done
    when it returns): a GPU step is timed to its completion, not to the launch of its kernels. One
    device-wide wait covers CuPy's and PyTorch's streams alike."""
    return None if device == "cpu" else devices.backend(device).synchronize


def interleaved(steps, warmup, rounds, sync=None):
    """Time ``steps`` (name -> callable) in turns; ``{name: (seconds per step, minor faults per step)}``.
    ``sync``, when given, is called after each step, inside its timing (see ``synchronizer``)."""
    sync = sync or (lambda: None)
    for step in steps.values():
        for _ in range(warmup):
            step()
        sync()
    names = list(steps)
    samples = {name: ([], []) for name in names}
    gc.collect()
    for r in range(rounds):
        for name in (names if r % 2 == 0 else names[::-1]):
            step = steps[name]
            faults = _minor_faults()
            start = time.perf_counter()
            step()
            sync()
            seconds = time.perf_counter() - start
            faults = _minor_faults() - faults
            samples[name][0].append(seconds)
            samples[name][1].append(faults)
    return samples


def peak_memory(build, problem):
    """Peak bytes traced by ``tracemalloc`` for building ``build(problem)`` and running two steps
    (the peak taken over the second step only), above what was allocated before."""
    gc.collect()
    tracemalloc.start()
    try:
        base = tracemalloc.get_traced_memory()[0]
        step = build(problem)
        step()
        tracemalloc.reset_peak()
        step()
        return tracemalloc.get_traced_memory()[1] - base
    finally:
        tracemalloc.stop()
