"""The README's chainrule.numpy example runs as written."""

import pathlib
import re

import pytest

README = pathlib.Path(__file__).resolve().parents[2] / "README.md"


def test_the_readmes_chainrule_numpy_example_runs():
    pytest.importorskip("scipy")
    section = README.read_text(encoding="utf-8").split("## NumPy code, differentiated: `chainrule.numpy`")[1]
    example = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace = {}
    exec(compile(example, "README.md", "exec"), namespace)  # the project's own documentation
    assert namespace["z"].grad is not None and namespace["z"].grad.dtype.kind == "c"
