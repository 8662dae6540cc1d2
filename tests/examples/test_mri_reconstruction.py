"""examples/mri_reconstruction.py at a small size: its gradient is right, the loss goes down, and
the reconstruction beats the zero-filled one."""

import importlib.util
import pathlib

import numpy as np
import pytest

import chainrule as cr

PATH = pathlib.Path(__file__).resolve().parents[2] / "examples" / "mri_reconstruction.py"


@pytest.fixture(scope="module")
def mri():
    spec = importlib.util.spec_from_file_location("mri_reconstruction", PATH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_loss_gradient_matches_finite_differences(mri):
    truth, mask = mri.phantom(8), mri.sampling_mask(8)
    y = mri.measure(truth, mask)
    start = mri.zero_filled(y).numpy()
    cr.check_grad(lambda x: mri.loss(x, y, mask), start)


def test_gradient_descent_lowers_the_loss_and_beats_the_zero_filled_reconstruction(mri):
    truth, mask = mri.phantom(16), mri.sampling_mask(16)
    y = mri.measure(truth, mask)
    image, history = mri.reconstruct(y, mask, steps=30)
    assert all(later <= earlier for earlier, later in zip(history, history[1:]))
    assert history[-1] < 0.8 * history[0]
    baseline = mri.zero_filled(y).numpy()
    assert mri.relative_error(image.numpy(), truth) < mri.relative_error(baseline, truth)


def test_the_script_reports_its_result(mri, capsys):
    mri.main(["--size", "16", "--steps", "5"])
    out = capsys.readouterr().out
    assert "16×16 image" in out and "zero-filled" in out
    assert np.isfinite([float(w) for w in out.split() if w.replace(".", "", 1).isdigit()]).all()
