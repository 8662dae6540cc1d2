"""The command line: `chainrule demo` and `chainrule gradcheck`, in-process and as a module."""

import io
import subprocess
import sys

import chainrule.cli as cli


def run(argv):
    out = io.StringIO()
    args = cli.build_parser().parse_args(argv)
    return args.run(args, out=out), out.getvalue()


def test_gradcheck_prints_the_three_ways_for_every_lecture_example():
    status, text = run(["gradcheck"])
    assert status == 0
    for name in ("ln_sin", "least_squares", "two_layer_relu"):
        assert name in text
    for method in ("numerical", "analytic", "forward mode", "reverse mode"):
        assert method in text
    assert "value = 11.652" in text
    assert "agree within" in text and "FAIL" not in text


def test_demo_quick_trains_both_models_and_writes_its_outputs(tmp_path):
    status, text = run(["demo", "--quick", "--out", str(tmp_path)])
    assert status == 0
    assert "gradient check" in text and "FAIL" not in text
    assert "steepest descent" in text and "LeNet test accuracy" in text
    for name in ("loss.png", "filters.png", "summary.json"):
        assert (tmp_path / name).stat().st_size > 0


def test_python_dash_m_runs_the_command_line():
    result = subprocess.run([sys.executable, "-m", "chainrule", "gradcheck"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert "two_layer_relu" in result.stdout


def test_unknown_command_exits_with_status_2():
    result = subprocess.run([sys.executable, "-m", "chainrule", "frobnicate"], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2
    assert "invalid choice" in result.stderr
