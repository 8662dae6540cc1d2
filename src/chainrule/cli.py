"""The ``chainrule`` command line: ``demo``, ``train``, ``evaluate``, ``gradcheck``, ``trace``, ``graph``
and ``bench``.

Run as ``chainrule COMMAND`` or ``python -m chainrule COMMAND``. A refused input — a bad
flag, file or expression — prints one line to stderr saying what and where, and exits
with status 2 (as argparse does); Ctrl-C during ``train`` prints where the last checkpoint
is and exits with status 130, the shell's code for an interrupt. No traceback either way.
"""

import argparse
import re
import sys

import numpy as np

from . import examples
from .api.device import check as check_device
from .api.wrap import as_tensor
from .expr import ExpressionError, parse
from .graph import trace
from .graph.dot import draw_with_gradient, render_dot
from .numeric import check_grad


def _short(array, limit=4):
    flat = np.asarray(array, dtype=np.float64).ravel()
    text = ", ".join(f"{v:.4f}" for v in flat[:limit])
    return f"[{text}{', ...' if flat.size > limit else ''}]" if flat.size > 1 else f"{flat[0]:.4f}"


def _table(header, rows):
    widths = [max(len(str(r[i])) for r in [header] + rows) for i in range(len(header))]
    fmt = "  ".join("{:<%d}" % w for w in widths)
    return "\n".join([fmt.format(*header), fmt.format(*("-" * w for w in widths))]
                     + [fmt.format(*r) for r in rows])


def print_three_ways(example, out):
    rows = examples.three_ways(example)
    analytic = rows[1][1]
    print(f"\n{example.name}: {example.formula}", file=out)
    value = example.f(*[as_tensor(a) for a in example.args])
    print(f"value = {float(value.item()):.3f}", file=out)
    table = []
    for method, grads, seconds in rows:
        difference = max(float(np.max(np.abs(np.asarray(g) - np.asarray(a)))) for g, a in zip(grads, analytic))
        for name, g in zip(example.names, grads):
            table.append((method, f"d/d{name}", _short(g), f"{difference:.1e}", f"{seconds * 1e3:.2f}"))
    print(_table(("method", "grad", "value", "max |diff vs analytic|", "ms"), table), file=out)
    return rows


def cmd_gradcheck(args, out=sys.stdout):
    """Numerical vs analytic vs forward- and reverse-mode AD on the lecture's examples."""
    worst = 0.0
    for make in examples.LECTURE_EXAMPLES:
        example = make()
        rows = print_three_ways(example, out)
        analytic = rows[1][1]
        for _, grads, _ in rows:
            for g, a in zip(grads, analytic):
                scale = max(1.0, float(np.max(np.abs(a))))
                worst = max(worst, float(np.max(np.abs(np.asarray(g) - a))) / scale)
        report = check_grad(example.f, *example.args, order=2)
        print(f"check_grad(order=2):\n{report}", file=out)
    tolerance = 1e-6
    print(f"\nlargest difference between the ways, relative to the gradient's scale: {worst:.1e} "
          f"({'agree' if worst < tolerance else 'DISAGREE'} within {tolerance:g})", file=out)
    return 0 if worst < tolerance else 1


def cmd_demo(args, out=sys.stdout):
    """The main job: the lecture's CNN and LeNet trained on the embedded digits."""
    from .demo import run_demo

    run_demo(args.out, quick=args.quick, out=out, device=args.device)
    return 0


INTERRUPTED = 130  # 128 + SIGINT, what a shell reports for Ctrl-C


def _refuse(command, error, err):
    """Report a refused input on one line; the exit status for it."""
    print(f"chainrule {command}: {' '.join(str(error).splitlines())}", file=err)
    return 2


def cmd_train(args, out=sys.stdout, err=sys.stderr):
    """Train a named model on MNIST-format data."""
    from .experiment import Interrupted, run_training

    try:
        run_training(args.data, model_name=args.model, epochs=args.epochs, batch_size=args.batch_size,
                     optimizer_name=args.optimizer, lr=args.lr, out_dir=args.out, resume=args.resume,
                     seed=args.seed, out=out, device=args.device)
    except (ValueError, OSError) as error:
        return _refuse("train", error, err)
    except Interrupted as interruption:
        print(f"chainrule train: {interruption}", file=err)
        return INTERRUPTED
    except KeyboardInterrupt:
        print("chainrule train: interrupted before training started", file=err)
        return INTERRUPTED
    return 0


def cmd_evaluate(args, out=sys.stdout, err=sys.stderr):
    """The test accuracy of a ``chainrule train`` checkpoint, computed as training computed it."""
    from .experiment import run_evaluation

    try:
        run_evaluation(args.checkpoint, args.data, out=out)
    except (ValueError, OSError) as error:
        return _refuse("evaluate", error, err)
    return 0


def cmd_bench(args, out=sys.stdout, err=sys.stderr):
    """The benchmark suite: chainrule eager and jit, hand-written NumPy and PyTorch, interleaved."""
    from .bench.command import run_command

    return run_command(args, out, err)


def _expression_graph(args, err):
    """The parsed expression traced at the ``--at`` values (float64), or an exit status."""
    try:
        expression = parse(args.expression)
    except ExpressionError as error:
        print(f"chainrule {args.command}: refused expression: {error}", file=err)
        return None, None, 2
    try:
        if args.at is None:
            values = [1.0] * len(expression.variables)
        else:
            values = expression.bind_values(args.at)
    except ValueError as error:
        print(f"chainrule {args.command}: {error}", file=err)
        return None, None, 2
    if not expression.variables:
        print(f"chainrule {args.command}: the expression has no variables to differentiate", file=err)
        return None, None, 2
    graph = trace(expression, *[np.float64(v) for v in values], names=expression.variables)
    return expression, graph, 0


def _show(table, fmt, out):
    if fmt == "markdown":
        print(table.to_markdown() + "\n", file=out)
    elif fmt == "latex":
        print(table.to_latex() + "\n", file=out)
    elif fmt == "text" and out.isatty():
        try:
            from rich.console import Console
        except ImportError:
            print(f"{table}\n", file=out)
        else:
            Console(file=out).print(table.to_rich())
    else:
        print(f"{table}\n", file=out)


def cmd_trace(args, out=sys.stdout, err=sys.stderr):
    """The primal, tangent and adjoint traces of an expression at a point."""
    expression, graph, status = _expression_graph(args, err)
    if status:
        return status
    wrt = args.wrt or expression.variables[0]
    if wrt not in expression.variables:
        print(f"chainrule trace: --wrt {wrt} is not a variable of the expression "
              f"({', '.join(expression.variables)})", file=err)
        return 2
    for table in (graph.primal_table(), graph.tangent_table(wrt=expression.variables.index(wrt)),
                  graph.adjoint_table()):
        _show(table, args.format, out)
    return 0


def cmd_graph(args, out=sys.stdout, err=sys.stderr):
    """A picture of the expression's computational graph (and of its gradient graph)."""
    expression, graph, status = _expression_graph(args, err)
    if status:
        return status
    wrt = tuple(range(len(expression.variables)))
    dot = draw_with_gradient(graph, wrt=wrt) if args.with_gradient else graph.to_dot(values=args.at is not None)
    try:
        render_dot(dot, args.out)
    except OSError as error:
        return _refuse("graph", f"cannot write {args.out}: {error.strerror or error}", err)
    except (RuntimeError, ValueError) as error:
        return _refuse("graph", error, err)
    print(f"wrote {args.out}", file=out)
    return 0


def device_flag(text):
    """The ``--device`` flag's value, checked now: "cpu", or "cuda" where CuPy and a GPU are there."""
    try:
        return str(check_device(text, "--device"))
    except (TypeError, RuntimeError) as error:
        raise argparse.ArgumentTypeError(str(error).removeprefix("--device: ")) from None  # argparse names it


def _add_device(command):
    command.add_argument("--device", type=device_flag, default="cpu", metavar="DEVICE",
                         help="where to compute: cpu, or cuda for a GPU (needs CuPy: pip install "
                              "'chainrule[cuda]') (default: %(default)s)")


def build_parser():
    parser = argparse.ArgumentParser(prog="chainrule", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    demo = commands.add_parser("demo", help="the main job: the lecture's CNN learning from the embedded digits")
    demo.add_argument("--out", default="runs/demo", help="output directory (default runs/demo)")
    demo.add_argument("--quick", action="store_true", help="a small step budget (for tests)")
    _add_device(demo)
    demo.set_defaults(run=cmd_demo)
    commands.add_parser("gradcheck", help="numerical vs analytic vs AD on the lecture's examples"
                        ).set_defaults(run=cmd_gradcheck)
    tracer = commands.add_parser("trace", help="primal, tangent and adjoint traces of an expression")
    tracer.add_argument("expression", help='e.g. "ln(x1) + x1*x2 - sin(x2)"')
    tracer.add_argument("--at", nargs="+", metavar="NAME=VALUE", required=True, help="the point, e.g. x1=2 x2=5")
    tracer.add_argument("--wrt", help="the variable seeded in the tangent trace (default: the first)")
    tracer.add_argument("--format", choices=("text", "markdown", "latex"), default="text")
    tracer.set_defaults(run=cmd_trace)
    grapher = commands.add_parser("graph", help="draw an expression's computational graph")
    grapher.add_argument("expression")
    grapher.add_argument("--out", required=True, help="FILE.svg, FILE.png or FILE.dot")
    grapher.add_argument("--at", nargs="+", metavar="NAME=VALUE", help="values shown in the picture")
    grapher.add_argument("--with-gradient", action="store_true", help="draw the gradient graph beside it")
    grapher.set_defaults(run=cmd_graph)
    trainer = commands.add_parser(
        "train", help="train a model on MNIST-format data (IDX files or .npz)",
        description="Train a model on MNIST-format data, checkpointing every epoch to OUT/checkpoint.safetensors "
                    "(atomically; with the preprocessing and the model's construction arguments, so that "
                    "`chainrule evaluate` and cr.models.load need nothing else).")
    trainer.add_argument("--data", required=True, metavar="PATH",
                         help="a directory of IDX files (optionally .gz) or an .npz archive (MNIST, Fashion-MNIST, "
                              "MedMNIST or Keras layout) with a training and a test (or validation) split")
    trainer.add_argument("--model", choices=("seed-cnn", "lenet", "mlp"), default="lenet",
                         help="seed-cnn: the lecture's 1-D CNN on even vs odd labels; lenet: LeNet-5; "
                              "mlp: 512-512 perceptron (default: %(default)s)")
    trainer.add_argument("--epochs", type=int, default=10, metavar="N",
                         help="epochs to train in all, counting those a resumed run already did "
                              "(default: %(default)s)")
    trainer.add_argument("--batch-size", type=int, default=64, metavar="B",
                         help="examples per step; steepest uses the whole training split (default: %(default)s)")
    trainer.add_argument("--optimizer", choices=("sgd", "adam", "steepest"), default="adam",
                         help="sgd (momentum 0.9), adam, or the lecture's full-batch steepest descent "
                              "(default: %(default)s)")
    trainer.add_argument("--lr", type=float, default=1e-3, metavar="X",
                         help="learning rate (the step size for steepest) (default: %(default)s)")
    trainer.add_argument("--seed", type=int, default=0, metavar="S",
                         help="seeds the initial weights and the batch order (default: %(default)s)")
    trainer.add_argument("--out", default="runs/train", metavar="DIR",
                         help="directory for checkpoint.safetensors and summary.json (default: %(default)s)")
    _add_device(trainer)
    trainer.add_argument("--resume", action="store_true",
                         help="continue from OUT/checkpoint.safetensors, to exactly the parameters an "
                              "uninterrupted run reaches; the other flags must be those of the first run")
    trainer.set_defaults(run=cmd_train)
    evaluator = commands.add_parser(
        "evaluate", help="the test accuracy of a `chainrule train` checkpoint",
        description="Rebuild the model of a `chainrule train` checkpoint with its preprocessing (cr.models.load) "
                    "and compute its loss and accuracy on the test split of PATH (the validation split when "
                    "there is no test split), exactly as training computed them.")
    evaluator.add_argument("--checkpoint", required=True, metavar="PATH", help="OUT/checkpoint.safetensors of a run")
    evaluator.add_argument("--data", required=True, metavar="PATH", help="MNIST-format data, as for train")
    evaluator.set_defaults(run=cmd_evaluate)
    bench = commands.add_parser("bench", help="time chainrule against hand-written NumPy and PyTorch, side by side")
    bench.add_argument("--workloads", nargs="+", metavar="NAME",
                       help="seed_cnn lenet mlp overhead hvp mri (default: all)")
    bench.add_argument("--against", choices=("torch", "none"),
                       help="PyTorch: required (torch) or left out (none); default: included when importable")
    bench.add_argument("--repeat", type=int, metavar="N", help="interleaved timing rounds per workload")
    bench.add_argument("--quick", action="store_true", help="tiny sizes, 3 rounds: a smoke test, not a measurement")
    bench.add_argument("--out", help="directory for latest.md and latest.json (and profile.md)")
    bench.add_argument("--profile", action="store_true",
                       help="cProfile the eager step of the two workloads furthest from their targets")
    bench.set_defaults(run=cmd_bench)
    return parser


_LONG_OPTION = re.compile(r"--[A-Za-z][-A-Za-z]*(=.*)?", re.S)


def expression_last(argv):
    """``argv`` with an expression that starts with a minus (``trace "-x^2" --at x=2``) moved
    behind ``--``, where argparse reads it as the expression instead of an unknown option.

    Every token of ``trace`` or ``graph`` that starts with "-" and is neither ``-h`` nor
    shaped like a long option (``--at``, ``--out=g.dot``) is such an expression.
    """
    if len(argv) < 2 or argv[0] not in ("trace", "graph") or "--" in argv:
        return argv
    for i, token in enumerate(argv[1:], start=1):
        if token.startswith("-") and token != "-h" and not _LONG_OPTION.fullmatch(token):
            return argv[:i] + argv[i + 1:] + ["--", token]
    return argv


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser().parse_args(expression_last(argv))
    return args.run(args)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
