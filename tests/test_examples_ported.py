"""The PyTorch programs of examples/ run on chainrule at a small size and learn; where PyTorch is
installed, each runs there too with only its imports renamed back (so the list of changed lines,
"none", is true), and the deterministic fit gives PyTorch's numbers."""

import importlib.util
import pathlib
import types

import numpy as np
import pytest

import chainrule as cr

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"
IMPORTS_BACK_TO_TORCH = [("from chainrule.data import", "from torch.utils.data import"),
                         ("import chainrule as torch", "import torch"),
                         ("import chainrule.", "import torch."), ("from chainrule.", "from torch.")]


def load(name):
    """The example as chainrule runs it."""
    spec = importlib.util.spec_from_file_location(f"example_{name}", EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_with_torch(name):
    """The example's source with its imports renamed back to PyTorch's, and nothing else changed."""
    source = (EXAMPLES / f"{name}.py").read_text(encoding="utf-8")
    for ours, theirs in IMPORTS_BACK_TO_TORCH:
        source = source.replace(ours, theirs)
    assert not any(line.startswith(("import chainrule", "from chainrule")) for line in source.splitlines())
    module = types.ModuleType(f"torch_example_{name}")
    exec(compile(source, f"{name}.py (PyTorch)", "exec"), module.__dict__)
    return module


def write_idx(path, array):
    """An IDX file of unsigned bytes: magic (0, 0, 8, ndim), the sizes big-endian, then the data."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    path.write_bytes(header + array.astype(np.uint8).tobytes())


@pytest.fixture(scope="module")
def idx_folder(tmp_path_factory):
    """Tiny MNIST-format files whose class is the position of a bright bar (learnable in a few steps)."""
    folder = tmp_path_factory.mktemp("mnist")
    rng = np.random.default_rng(0)
    for prefix, count in (("train", 64), ("t10k", 32)):
        labels = rng.integers(0, 10, count)
        images = rng.integers(0, 40, (count, 28, 28))
        for image, label in zip(images, labels):
            image[2 + 2 * label:4 + 2 * label, 4:24] = 255
        write_idx(folder / f"{prefix}-images-idx3-ubyte", images)
        write_idx(folder / f"{prefix}-labels-idx1-ubyte", labels)
    return folder


# ------------------------------------------------------------------------- polynomial fit
@pytest.mark.parametrize("part", ["fit_with_tensors", "fit_with_autograd", "fit_with_custom_function",
                                  "fit_with_nn_and_optim"])
def test_each_polynomial_fit_lowers_the_loss(part, capsys):
    fit = getattr(load("polynomial_fit"), part)
    cr.manual_seed(0)
    first, _ = fit(steps=1)
    cr.manual_seed(0)
    last, coefficients = fit(steps=300)
    assert np.isfinite(coefficients).all() and last < first
    assert "Result: y =" in capsys.readouterr().out


def test_the_legendre_fit_gives_pytorchs_numbers(torch, capsys):
    ours = load("polynomial_fit").fit_with_custom_function(steps=200)
    theirs = load_with_torch("polynomial_fit").fit_with_custom_function(steps=200)
    np.testing.assert_allclose(ours[0], theirs[0], rtol=1e-5)
    np.testing.assert_allclose(ours[1], theirs[1], rtol=1e-4, atol=1e-6)


# ------------------------------------------------------------------------- LeNet on IDX files
def test_lenet_trains_checkpoints_and_resumes(idx_folder, tmp_path, capsys):
    lenet = load("lenet_mnist")
    checkpoint = tmp_path / "lenet.pt"
    common = ["--data", str(idx_folder), "--batch-size", "16", "--lr", "0.05", "--save-model", str(checkpoint)]
    model, first = lenet.main(common + ["--epochs", "1"])
    saved = cr.load(checkpoint)
    assert saved["epoch"] == 1 and set(saved["model"]) == set(model.state_dict())
    _, second = lenet.main(common + ["--epochs", "2", "--resume", str(checkpoint)])
    assert "Train Epoch: 2" in capsys.readouterr().out and cr.load(checkpoint)["epoch"] == 2
    assert len(first) == len(second) == 1 and second[0][0] < first[0][0]  # the test loss falls


def test_lenet_reads_gzipped_idx_files(idx_folder, tmp_path, capsys):
    import gzip
    for path in idx_folder.iterdir():
        (tmp_path / (path.name + ".gz")).write_bytes(gzip.compress(path.read_bytes()))
    dataset = load("lenet_mnist").MNISTFiles(str(tmp_path), train=False)
    image, label = dataset[3]
    assert len(dataset) == 32 and image.shape == (1, 28, 28) and image.dtype == np.float32 and 0 <= label < 10


# ------------------------------------------------------------------------- denoising
def test_denoising_raises_the_psnr(capsys):
    before, after = load("denoise").main(["--epochs", "3", "--train-images", "64", "--test-images", "16",
                                          "--size", "16", "--features", "8", "--lr", "1e-2", "--sigma", "0.2"])
    assert after > before + 1.0


# ------------------------------------------------------------------------- the same files on PyTorch
@pytest.mark.parametrize("name, run", [
    ("polynomial_fit", lambda m, folder: m.fit_with_nn_and_optim(steps=5)),
    ("lenet_mnist", lambda m, folder: m.main(["--data", str(folder), "--epochs", "1", "--dry-run"])),
    ("denoise", lambda m, folder: m.main(["--epochs", "1", "--train-images", "16", "--size", "8"]))])
def test_each_example_is_a_pytorch_program_up_to_its_imports(torch, idx_folder, name, run, capsys):
    run(load_with_torch(name), idx_folder)
