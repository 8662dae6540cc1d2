"""`chainrule train` and `chainrule evaluate` on MNIST-format data: training, checkpoints that carry
what inference needs, exact resume, clear errors."""

import io
import json

import numpy as np
import pytest

import chainrule as cr
from chainrule.cli import build_parser
from chainrule.experiment import run_evaluation, run_training
from helpers import digits_npz


@pytest.fixture(scope="module")
def npz(tmp_path_factory):
    return digits_npz(tmp_path_factory.mktemp("data"), train=240, test=80)


def quiet():
    return io.StringIO()


@pytest.mark.parametrize("model,optimizer,lr", [("lenet", "adam", 3e-3), ("mlp", "sgd", 0.05),
                                                ("seed-cnn", "steepest", 0.5)])
def test_each_model_trains_and_writes_a_checkpoint(npz, tmp_path, model, optimizer, lr):
    summary = run_training(npz, model_name=model, epochs=3, optimizer_name=optimizer, lr=lr, out_dir=str(tmp_path),
                           out=quiet(), verbose=False)
    assert summary["epochs"] == 3
    assert summary["history"]["loss"][-1] < summary["history"]["loss"][0]
    checkpoint = str(tmp_path / "checkpoint.safetensors")
    state = cr.load(checkpoint)
    assert state["epoch"] == 3 and "model" in state and "optimizer" in state

    # the checkpoint alone rebuilds the model with its preprocessing: the same test accuracy, exactly
    pipeline = cr.models.load(checkpoint)
    X_test, y_test = cr.data.load_mnist(npz)["test"]
    outputs = pipeline(X_test)
    assert cr.train.accuracy(outputs, pipeline.preprocess.targets(y_test)) == summary["test_accuracy"]
    assert run_evaluation(checkpoint, npz, out=quiet())["test_accuracy"] == summary["test_accuracy"]


def test_the_checkpoint_records_the_preprocessing_and_the_construction_arguments(npz, tmp_path):
    run_training(npz, model_name="lenet", epochs=1, lr=3e-3, batch_size=32, seed=4, out_dir=str(tmp_path),
                 out=quiet(), verbose=False)
    X_train, _ = cr.data.load_mnist(npz)["train"]
    config = cr.load(str(tmp_path / "checkpoint.safetensors"))["config"]
    assert config == {"model": "lenet", "arguments": {"in_channels": 1, "image_size": 8, "classes": 10},
                      "preprocess": {"mean": float(X_train.mean()), "std": float(X_train.std()), "shape": [8, 8]},
                      "training": {"optimizer": "adam", "lr": 3e-3, "batch_size": 32, "seed": 4}}


@pytest.fixture(scope="module")
def mlp_checkpoint(npz, tmp_path_factory):
    out_dir = tmp_path_factory.mktemp("mlp")
    run_training(npz, model_name="mlp", epochs=2, lr=0.05, optimizer_name="sgd", out_dir=str(out_dir), out=quiet(),
                 verbose=False)
    return out_dir / "checkpoint.safetensors"


def test_loaded_pipelines_standardize_raw_images_where_the_bare_network_does_not(npz, mlp_checkpoint):
    pipeline = cr.models.load(mlp_checkpoint)
    X_test, _ = cr.data.load_mnist(npz)["test"]
    mean, std = pipeline.preprocess.mean, pipeline.preprocess.std
    np.testing.assert_array_equal(pipeline(X_test).numpy(),
                                  pipeline.network(cr.tensor(((X_test - mean) / std).astype(np.float32))).numpy())
    assert not np.allclose(pipeline(X_test).numpy(), pipeline.network(cr.tensor(X_test)).numpy())
    assert not pipeline.training and isinstance(pipeline, cr.nn.Module)


@pytest.mark.parametrize("edit, match", [
    (lambda c: c.pop("config"), "not a checkpoint of `chainrule train`"),
    (lambda c: c["config"].update(model="resnet"), "unknown model 'resnet'"),
    (lambda c: c["config"]["arguments"].update(in_features=10 ** 12), r"in_features between 1 and 262144"),
    (lambda c: c["config"]["arguments"].update(classes="10"), "classes between 1 and 65536, got '10'"),
    (lambda c: c["config"]["preprocess"].update(std=0.0), "std must be a finite positive number"),
    (lambda c: c["config"]["preprocess"].pop("mean"), "config is incomplete"),
    (lambda c: c["config"]["arguments"].update(classes=3), "stored weights do not fit mlp"),
], ids=["no-config", "unknown-model", "huge-argument", "string-argument", "zero-std", "no-mean", "wrong-shape"])
def test_models_load_refuses_a_damaged_config_naming_the_file(mlp_checkpoint, tmp_path, edit, match):
    state = cr.load(mlp_checkpoint)
    edit(state)
    cr.save(state, tmp_path / "edited.safetensors")
    with pytest.raises(ValueError, match=f"cr.models.load: .*edited.safetensors: .*{match}"):
        cr.models.load(tmp_path / "edited.safetensors")


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
    resumed = json.loads((tmp_path / "b" / "summary.json").read_text())
    assert resumed["train_seconds"] >= sum(resumed["history"]["seconds"])  # all three epochs, not the last one


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
