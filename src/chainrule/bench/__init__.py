"""The benchmark suite: chainrule against hand-written NumPy and PyTorch, side by side, in one run.

Five workloads (``seed_cnn``, ``lenet``, ``mlp``, ``overhead``, ``hvp``), each a module
holding its problem and every implementation of its step; ``suite.run`` checks that
the implementations agree, times them interleaved and traces their memory;
``report`` writes Markdown and JSON; ``targets`` holds issue 5's limits.
Run it as ``chainrule bench`` (see ``benchmarks/README.md``).
"""

from .suite import WORKLOADS, run

__all__ = ["WORKLOADS", "run"]
