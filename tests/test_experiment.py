"""`chainrule train` on MNIST-format data: training, checkpoints, exact resume, clear errors."""

import io

import numpy as np
import pytest

import chainrule as cr
from chainrule.cli import build_parser
from chainrule.experiment import run_training


@pytest.fixture(scope="module")
def npz(tmp_path_factory):
    X, y = cr.data.digits()
    images = (X * 255).astype(np.uint8)
    path = tmp_path_factory.mktemp("data") / "digits.npz"
    np.savez(path, x_train=images[:240], y_train=y[:240], x_test=images[240:320], y_test=y[240:320])
    return str(path)


def quiet():
    return io.StringIO()


@pytest.mark.parametrize("model,optimizer,lr", [("lenet", "adam", 3e-3), ("mlp", "sgd", 0.05),
                                                ("seed-cnn", "steepest", 0.5)])
def test_each_model_trains_and_writes_a_checkpoint(npz, tmp_path, model, optimizer, lr):
    summary = run_training(npz, model_name=model, epochs=3, optimizer_name=optimizer, lr=lr, out_dir=str(tmp_path),
                           out=quiet(), verbose=False)
    assert summary["epochs"] == 3
    assert summary["history"]["loss"][-1] < summary["history"]["loss"][0]
    state = cr.load(str(tmp_path / "checkpoint.safetensors"))
    assert state["epoch"] == 3 and "model" in state and "optimizer" in state


def test_resume_reproduces_the_uninterrupted_run_exactly(npz, tmp_path):
    run_training(npz, model_name="lenet", epochs=3, lr=3e-3, out_dir=str(tmp_path / "a"), out=quiet(), verbose=False)
    run_training(npz, model_name="lenet", epochs=2, lr=3e-3, out_dir=str(tmp_path / "b"), out=quiet(), verbose=False)
    run_training(npz, model_name="lenet", epochs=3, lr=3e-3, out_dir=str(tmp_path / "b"), resume=True, out=quiet(),
                 verbose=False)
    a = cr.load(str(tmp_path / "a" / "checkpoint.safetensors"))
    b = cr.load(str(tmp_path / "b" / "checkpoint.safetensors"))
    assert set(a["model"]) == set(b["model"])
    for key in a["model"]:
        np.testing.assert_array_equal(a["model"][key].numpy(), b["model"][key].numpy())
    assert a["history"]["loss"] == b["history"]["loss"]


def test_train_command_reports_bad_data_and_missing_checkpoint(npz, tmp_path):
    bad = tmp_path / "bad.npz"
    bad.write_bytes(b"not an archive")
    err = io.StringIO()
    args = build_parser().parse_args(["train", "--data", str(bad), "--out", str(tmp_path / "o")])
    assert args.run(args, out=quiet(), err=err) == 2
    assert "bad.npz" in err.getvalue()

    only_train = tmp_path / "train_only.npz"
    np.savez(only_train, x_train=np.zeros((4, 8, 8), np.uint8), y_train=np.zeros(4, np.int64))
    with pytest.raises(ValueError, match="test"):
        run_training(str(only_train), out_dir=str(tmp_path / "o"), out=quiet(), verbose=False)
    with pytest.raises(FileNotFoundError, match="checkpoint"):
        run_training(npz, out_dir=str(tmp_path / "empty"), resume=True, out=quiet(), verbose=False)
