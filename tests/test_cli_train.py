"""`chainrule train` and `chainrule evaluate` on the command line: every refused input is one line on
stderr and exit status 2, checked before any training; Ctrl-C and SIGKILL lose nothing."""

import io
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

import chainrule as cr
from chainrule.cli import build_parser
from chainrule.experiment import run_training
from helpers import digits_npz

SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.fixture(scope="module")
def npz(tmp_path_factory):
    return digits_npz(tmp_path_factory.mktemp("data"), train=64, test=32)


def run(argv):
    args = build_parser().parse_args(argv)
    out, err = io.StringIO(), io.StringIO()
    return args.run(args, out=out, err=err), out.getvalue(), err.getvalue()


def refused(argv, match):
    """Run ``argv``; it must exit with 2 and one line on stderr matching ``match``, having trained nothing."""
    status, out, err = run(argv)
    assert status == 2, (out, err)
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    assert match in err, err
    assert "epoch 1" not in out
    return err


def train_args(npz, out_dir, *extra):
    return ["train", "--data", npz, "--model", "mlp", "--optimizer", "sgd", "--lr", "0.05", "--out", str(out_dir),
            *extra]


@pytest.mark.parametrize("flag, value, match", [
    ("--epochs", "-3", "--epochs must be a positive integer, got -3"),
    ("--epochs", "0", "--epochs must be a positive integer, got 0"),
    ("--seed", "-1", "--seed must be a non-negative integer, got -1"),
    ("--batch-size", "0", "--batch-size must be a positive integer, got 0"),
    ("--lr", "nan", "--lr must be a positive number, got nan"),
])
def test_bad_settings_are_refused_naming_the_flag(npz, tmp_path, flag, value, match):
    refused(train_args(npz, tmp_path / "run", flag, value), match)
    assert not (tmp_path / "run" / "checkpoint.safetensors").exists()


def test_an_output_path_that_is_a_file_is_refused(npz, tmp_path):
    (tmp_path / "taken").write_text("not a directory")
    refused(train_args(npz, tmp_path / "taken"), f"--out {tmp_path / 'taken'} exists and is not a directory")


def test_a_checkpoint_path_that_is_a_directory_is_refused_before_training(npz, tmp_path):
    (tmp_path / "run" / "checkpoint.safetensors").mkdir(parents=True)
    refused(train_args(npz, tmp_path / "run"), "checkpoint.safetensors exists and is not a regular file")
    assert not (tmp_path / "run" / "summary.json").exists()


def test_resuming_from_a_checkpoint_that_is_not_a_training_checkpoint_is_refused(npz, tmp_path):
    (tmp_path / "run").mkdir()
    cr.save({"weights": np.ones(3)}, tmp_path / "run" / "checkpoint.safetensors")
    refused(train_args(npz, tmp_path / "run", "--resume"),
            "is not a checkpoint of `chainrule train` (it lacks model, optimizer, epoch, history")


def test_resuming_with_other_settings_is_refused_naming_them(npz, tmp_path):
    assert run(train_args(npz, tmp_path, "--epochs", "1"))[0] == 0
    refused(train_args(npz, tmp_path, "--epochs", "2", "--resume", "--lr", "0.01", "--seed", "3"),
            "other settings (--lr (0.05 there, 0.01 here); --seed (0 there, 3 here))")


def test_negative_labels_are_refused_naming_the_split(tmp_path):
    path = tmp_path / "negative.npz"
    np.savez(path, x_train=np.zeros((4, 8, 8), np.uint8), y_train=np.array([0, 1, -3, 2]),
             x_test=np.zeros((2, 8, 8), np.uint8), y_test=np.array([0, 1]))
    refused(train_args(str(path), tmp_path / "run"), "negative.npz: the train split: label -3 is negative")


def test_data_that_is_not_there_is_refused(tmp_path):
    refused(train_args(str(tmp_path / "missing.npz"), tmp_path / "run"), "no such file")


def test_evaluate_reproduces_the_accuracy_training_reported(npz, tmp_path):
    status, out, _ = run(train_args(npz, tmp_path, "--epochs", "2"))
    assert status == 0
    reported = out.splitlines()[-1].split()[2]  # "test accuracy 0.xxx; wrote ..."
    status, out, err = run(["evaluate", "--checkpoint", str(tmp_path / "checkpoint.safetensors"), "--data", npz])
    assert status == 0, err
    assert out.startswith(f"test accuracy {reported.rstrip(';')} ")
    assert f"training reported {reported.rstrip(';')} after epoch 2" in out


def test_evaluate_refuses_data_of_another_shape_and_files_that_are_not_checkpoints(npz, tmp_path):
    assert run(train_args(npz, tmp_path, "--epochs", "1"))[0] == 0
    other = tmp_path / "other.npz"
    np.savez(other, x_test=np.zeros((2, 5, 5), np.uint8), y_test=np.array([0, 1]))
    checkpoint = str(tmp_path / "checkpoint.safetensors")
    assert "other.npz: test images of shape (5, 5), but the model" in refused(
        ["evaluate", "--checkpoint", checkpoint, "--data", str(other)], "(8, 8)")
    refused(["evaluate", "--checkpoint", npz, "--data", npz], "digits.npz is not a valid safetensors file")


def test_train_help_describes_every_option_with_its_default():
    text = build_parser()._subparsers._group_actions[0].choices["train"].format_help()
    for flag, default in (("--model", "lenet"), ("--epochs", "10"), ("--batch-size", "64"), ("--optimizer", "adam"),
                          ("--lr", "0.001"), ("--seed", "0"), ("--out", "runs/train"), ("--device", "cpu")):
        assert flag in text and f"(default: {default})" in " ".join(text.split()), flag
    assert "--resume" in text and "uninterrupted" in text


# ---------------------------------------------------------------- signals


def start_training(npz, out_dir, epochs):
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    child = subprocess.Popen([sys.executable, "-m", "chainrule", *train_args(npz, out_dir, "--epochs", str(epochs))],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env)
    checkpoint = out_dir / "checkpoint.safetensors"
    deadline = time.monotonic() + 60
    while not checkpoint.exists():
        assert child.poll() is None and time.monotonic() < deadline, child.stderr.read() if child.poll() else ""
        time.sleep(0.01)
    return child


def test_ctrl_c_prints_where_the_last_checkpoint_is_and_how_to_resume(npz, tmp_path):
    child = start_training(npz, tmp_path, epochs=10_000)
    child.send_signal(signal.SIGINT)
    _, err = child.communicate(timeout=60)
    assert child.returncode == 130
    assert len(err.splitlines()) == 1, err
    epoch = cr.load(tmp_path / "checkpoint.safetensors")["epoch"]
    assert f"the last checkpoint, of epoch {epoch}, is {tmp_path / 'checkpoint.safetensors'}" in err
    assert "--resume" in err


def test_resume_after_sigkill_reaches_the_parameters_of_an_uninterrupted_run(npz, tmp_path):
    child = start_training(npz, tmp_path / "killed", epochs=10_000)
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    done = cr.load(tmp_path / "killed" / "checkpoint.safetensors")["epoch"]

    def train(out_dir, resume):
        status, _, err = run(train_args(npz, out_dir, "--epochs", str(done + 2), *(["--resume"] if resume else [])))
        assert status == 0, err
        return cr.load(out_dir / "checkpoint.safetensors")

    resumed, uninterrupted = train(tmp_path / "killed", True), train(tmp_path / "whole", False)
    assert resumed["epoch"] == uninterrupted["epoch"] == done + 2
    for key, value in uninterrupted["model"].items():
        np.testing.assert_array_equal(resumed["model"][key].numpy(), value.numpy())
    assert resumed["history"]["loss"] == uninterrupted["history"]["loss"]
    assert sorted(os.listdir(tmp_path / "killed")) == ["checkpoint.safetensors", "summary.json"]


def test_run_training_refuses_before_training_in_python_too(npz, tmp_path):
    with pytest.raises(ValueError, match="--epochs must be a positive integer"):
        run_training(npz, epochs=-3, out_dir=str(tmp_path), out=io.StringIO(), verbose=False)


@pytest.mark.parametrize("edit, match", [
    (lambda state: state.update(history=[1, 2]), "is damaged (AttributeError"),
    (lambda state: state.update(config="lenet"), "other settings (--model"),
    (lambda state: state.update(epoch=-1), "records epoch -1"),
], ids=["history-not-a-dict", "config-not-a-dict", "negative-epoch"])
def test_resuming_from_a_damaged_training_checkpoint_is_refused(npz, tmp_path, edit, match):
    assert run(train_args(npz, tmp_path, "--epochs", "1"))[0] == 0
    state = cr.load(tmp_path / "checkpoint.safetensors")
    edit(state)
    cr.save(state, tmp_path / "checkpoint.safetensors")
    refused(train_args(npz, tmp_path, "--epochs", "2", "--resume"), match)


def test_labels_beyond_what_a_model_can_hold_are_refused_naming_the_data(tmp_path):
    path = tmp_path / "many.npz"
    np.savez(path, x_train=np.zeros((2, 8, 8), np.uint8), y_train=np.array([0, 10 ** 9]),
             x_test=np.zeros((1, 8, 8), np.uint8), y_test=np.array([0]))
    refused(train_args(str(path), tmp_path / "run"), "many.npz: mlp needs classes between 1 and 65536, got 1000000001")


def test_an_output_directory_that_cannot_be_written_is_refused_before_training(npz, tmp_path, monkeypatch):
    import tempfile

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "TemporaryFile", refuse)  # as root, chmod would not stop a write
    refused(train_args(npz, tmp_path), f"--out {tmp_path}: cannot write there (Permission denied)")


# ---------------------------------------------------------------- devices


@pytest.mark.parametrize("command", ["train", "demo"])
def test_a_device_that_cannot_be_used_is_refused_saying_why(command, no_gpu, capsys):
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args([command, "--device", "cuda"] + (["--data", "x.npz"] if command == "train" else []))
    assert stopped.value.code == 2
    assert "argument --device: device 'cuda' needs CuPy" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--device", "tpu"])
    assert "argument --device: expected a device such as 'cpu', 'cuda'" in capsys.readouterr().err


def test_training_on_the_device_reaches_the_cpus_parameters_and_resumes_on_the_cpu(npz, tmp_path, gpu):
    from device_double import DeviceArray

    on_cpu = run_training(npz, "mlp", epochs=2, batch_size=16, optimizer_name="sgd", lr=0.05,
                          out_dir=str(tmp_path / "cpu"), out=io.StringIO(), verbose=False)
    status, out, err = run(train_args(npz, tmp_path / "cuda", "--epochs", "1", "--batch-size", "16", "--device",
                                      "cuda"))
    assert status == 0, err
    status, out, err = run(train_args(npz, tmp_path / "cuda", "--epochs", "2", "--batch-size", "16", "--resume"))
    assert status == 0, err
    assert out.splitlines()[-1].split()[2] == f"{on_cpu['test_accuracy']:.3f};"
    first, second = (cr.load(tmp_path / run_dir / "checkpoint.safetensors")["model"] for run_dir in ("cpu", "cuda"))
    for key in first:
        assert not isinstance(second[key]._data, DeviceArray)
        np.testing.assert_allclose(second[key].numpy(), first[key].numpy(), rtol=1e-5, atol=1e-6)
