"""The benchmark suite: chainrule against hand-written NumPy and PyTorch, side by side, in one run.

Eight workloads (``seed_cnn``, ``lenet``, ``mlp``, ``overhead``, ``hvp``, issue 11's
``per_example`` and ``vmap_forward``, issue 10's ``mri``), each a module holding its problem and
every implementation of its step; ``suite.run`` checks that the implementations agree, times them
interleaved (on the CPU or, with ``device="cuda"``, a GPU) and traces their memory; ``report``
writes Markdown and JSON; ``targets`` holds the limits of issues 5, 10, 11, 14 and 15.
Run it as ``chainrule bench`` (see ``benchmarks/README.md``).
"""

from .suite import WORKLOADS, run

__all__ = ["WORKLOADS", "run"]
