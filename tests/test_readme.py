"""The README's tour runs as written."""

import pathlib
import re

README = pathlib.Path(__file__).resolve().parents[1] / "README.md"


def _python_blocks():
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def test_the_tour_in_the_readme_runs(tmp_path, monkeypatch):
    tour = _python_blocks()[0]
    assert "cr.check_grad" in tour and "MultiplyGate" in tour
    monkeypatch.chdir(tmp_path)  # the tour saves a checkpoint
    namespace = {}
    exec(compile(tour, "README.md", "exec"), namespace)  # the project's own documentation
    assert (tmp_path / "model.safetensors").exists()
    assert namespace["history"].epochs == 5


def test_the_transforms_section_runs():
    (section,) = [block for block in _python_blocks() if "cr.vmap(cr.grad(loss)" in block]
    namespace = {}
    exec(compile(section, "README.md", "exec"), namespace)  # the project's own documentation
    assert set(namespace["per_example"]) == set(namespace["params"])
    assert namespace["per_example"]["0.weight"].shape == (8, 16, 3)
    np = namespace["np"]
    np.testing.assert_allclose(namespace["h"].grad.numpy(), [12.0, 24.0])


def test_the_chainrule_numpy_example_in_the_readme_runs():
    (block,) = [b for b in _python_blocks() if "import chainrule.numpy as np" in b and "np.fft" in b]
    namespace = {}
    exec(compile(block, "README.md", "exec"), namespace)  # the project's own documentation
    x = namespace["np"].linspace(0.0, 1.0, 8)
    assert abs(namespace["cr"].grad(namespace["energy"])(x).numpy() - 16 * x.numpy()).max() < 1e-4



def _run_the_gpu_section():
    (block,) = [b for b in _python_blocks() if 'device = "cuda" if cr.cuda.is_available()' in b]
    namespace = {}
    exec(compile(block, "README.md", "exec"), namespace)  # the project's own documentation
    return str(namespace["loss"].device), str(namespace["model"][0].weight.grad.device)


def test_the_gpu_section_runs_on_the_device(gpu):
    assert _run_the_gpu_section() == ("cuda", "cuda")


def test_the_gpu_section_runs_without_a_gpu(no_gpu):
    assert _run_the_gpu_section() == ("cpu", "cpu")
