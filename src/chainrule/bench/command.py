"""``chainrule bench``: run the suite, print the Markdown report, write latest.md / latest.json."""

import os

from . import profiling, report, suite
from .targets import EAGER, FIVE, TRAINING, furthest

LARGE = TRAINING + ("hvp",)
"""The workloads whose batch grows at size "large"."""

PROFILE_STEPS = {"overhead": 200, "mlp": 20, "hvp": 20}
"""Steps profiled per workload (default 10): enough for short steps to add up."""


def _write(path, text, out):
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(text)
    print(f"wrote {path}", file=out)


def _profiles(results, size):
    """Markdown with the cProfile tables of the eager step of the two workloads furthest from their targets."""
    names = furthest(results["targets"], EAGER, count=2)
    parts = ["# Where the eager step's time goes", "",
             "cProfile of the chainrule eager step of the two workloads whose time targets are missed by the "
             "largest factor in the accompanying run (`latest.md`). cProfile adds a fixed cost to every Python "
             "call, so shares of many-call functions are inflated; read the ranking, not the absolute times.", ""]
    for name in names:
        missed = [r for r in results["targets"] if r["workload"] == name and r["numerator"] == EAGER
                  and r["kind"] != "memory" and r["over"] is not None]
        parts.append(f"## `{name}`: " + "; ".join(f"{r['target']} {r['measured']:.2f} (limit {r['limit']:g})"
                                                  for r in missed))
        parts.append("")
        parts.append(profiling.markdown(profiling.profile(name, EAGER, size, steps=PROFILE_STEPS.get(name, 10))))
    return "\n".join(parts)


def run_command(args, out, err):
    """The ``bench`` subcommand; returns the exit status (1 when an implementation failed or disagreed)."""
    names = args.workloads or (list(LARGE) if args.large else list(FIVE) if args.device != "cpu"
                               else list(suite.WORKLOADS))
    unknown = [n for n in names if n not in suite.WORKLOADS]
    if unknown:
        print(f"chainrule bench: unknown workload(s) {', '.join(unknown)}; choose from "
              f"{', '.join(suite.WORKLOADS)}", file=err)
        return 2
    if args.repeat is not None and args.repeat < 1:
        print("chainrule bench: --repeat must be at least 1", file=err)
        return 2
    size = "tiny" if args.quick else "large" if args.large else "full"
    rounds = args.repeat if args.repeat is not None else (suite.QUICK_ROUNDS if args.quick else None)
    try:
        results = suite.run(names, against=args.against or "auto", size=size, rounds=rounds, device=args.device,
                            warmup=1 if args.quick else suite.WARMUP, log=lambda line: print(line, file=err))
    except ImportError as error:
        print(f"chainrule bench: --against torch: {error}", file=err)
        return 2
    text = report.markdown(results)
    print(text, file=out)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
        _write(os.path.join(args.out, "latest.md"), text, out)
        _write(os.path.join(args.out, "latest.json"), report.to_json(results), out)
    if args.profile:
        profiles = _profiles(results, size)
        if args.out:
            _write(os.path.join(args.out, "profile.md"), profiles, out)
        else:
            print(profiles, file=out)
    failed = [(w, i) for w, result in results["workloads"].items()
              for i, row in result["implementations"].items() if row["status"] != "ok"]
    return 1 if failed else 0
