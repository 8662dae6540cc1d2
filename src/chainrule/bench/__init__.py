"""The benchmark suite: chainrule against hand-written NumPy and PyTorch, side by side, in one run.

Seven workloads (``seed_cnn``, ``lenet``, ``mlp``, ``overhead``, ``hvp``, and issue 11's
``per_example`` and ``vmap_forward``), each a module holding its problem and every
implementation of its step; ``suite.run`` checks that the implementations agree, times them
interleaved and traces their memory; ``report`` writes Markdown and JSON; ``targets`` holds
the limits of issues 5, 11 and 14.
Run it as ``chainrule bench`` (see ``benchmarks/README.md``).
"""

from .suite import WORKLOADS, run

__all__ = ["WORKLOADS", "run"]
