"""``chainrule train`` and ``chainrule evaluate``: a named model on the user's MNIST-format data.

The data (``cr.data.load_mnist``: an IDX directory or an ``.npz``) must hold a training
split and a test (or validation) split, with labels that are class indices 0, 1, 2, ...
``seed-cnn`` learns "even vs odd" from each image read as a 1-D signal (the lecture's
binary task, logistic loss); ``lenet`` and ``mlp`` learn the classes with cross-entropy.
``steepest`` takes one full-batch step per epoch. Inputs are standardized with the
training split's mean and standard deviation (``cr.models.Preprocess``).

After every epoch the model, the optimizer, the epoch, the history, the training time so
far and the run's config — the model's name and construction arguments, the preprocessing,
the optimizer, learning rate, batch size and seed — are saved to ``checkpoint.safetensors``
in the output directory (atomically). ``--resume`` continues from it, and refuses a
checkpoint whose config differs from the run's; since each epoch's batch order comes from
``seed`` and the epoch number, a resumed run ends with exactly the parameters of an
uninterrupted one. ``evaluate`` rebuilds the model from the checkpoint alone
(``cr.models.load``) and reproduces the test accuracy that training reported.

Everything that can be checked before training is: the settings, the output directory,
the data. Ctrl-C stops with ``Interrupted``, whose message says where the last checkpoint is.
"""

import json
import math
import os
import sys
import tempfile
import time

import numpy as np

from . import data, optim
from .io import load, remove_stale_temporaries, save
from .models import ARCHITECTURES, Preprocess, build, from_checkpoint
from .nn import functional as F
from .random import seed as seed_random
from .train import History, evaluate, fit

MODELS = tuple(ARCHITECTURES)
OPTIMIZERS = ("sgd", "adam", "steepest")
CHECKPOINT = "checkpoint.safetensors"
LOSSES = {"seed-cnn": F.logistic_loss, "lenet": F.cross_entropy, "mlp": F.cross_entropy}
_CHECKPOINT_KEYS = ("model", "optimizer", "epoch", "history", "train_seconds", "config")


class Interrupted(Exception):
    """Training stopped by Ctrl-C; the message says where the last checkpoint is and how to resume."""


def _check_settings(model_name, optimizer_name, epochs, batch_size, lr, seed):
    """Refuse settings that cannot train, naming the command-line flag."""
    if model_name not in MODELS:
        raise ValueError(f"--model must be one of {', '.join(MODELS)}, got {model_name!r}")
    if optimizer_name not in OPTIMIZERS:
        raise ValueError(f"--optimizer must be one of {', '.join(OPTIMIZERS)}, got {optimizer_name!r}")
    for flag, value, least in (("--epochs", epochs, 1), ("--batch-size", batch_size, 1), ("--seed", seed, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < least:
            kind = "a positive" if least else "a non-negative"
            raise ValueError(f"{flag} must be {kind} integer, got {value!r}")
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
        raise ValueError(f"--lr must be a positive number, got {lr!r}")


def _prepare_output(out_dir):
    """Make ``out_dir`` (refusing a file there, a checkpoint path that is not a file, a read-only
    directory) before any training; returns the checkpoint's path."""
    if os.path.exists(out_dir) and not os.path.isdir(out_dir):
        raise ValueError(f"--out {out_dir} exists and is not a directory")
    checkpoint = os.path.join(out_dir, CHECKPOINT)
    for path in (checkpoint, os.path.join(out_dir, "summary.json")):
        if os.path.lexists(path) and not os.path.isfile(path):
            raise ValueError(f"{path} exists and is not a regular file; move it away or choose another --out")
    os.makedirs(out_dir, exist_ok=True)
    try:
        with tempfile.TemporaryFile(dir=out_dir):  # can the checkpoints be written?
            pass
    except OSError as error:
        raise OSError(f"--out {out_dir}: cannot write there ({error.strerror})") from None
    return checkpoint


def _split_labels(labels, where):
    if labels.ndim != 1:
        raise ValueError(f"{where}: labels of shape {labels.shape}; training needs one class index per image")
    if len(labels) == 0:
        raise ValueError(f"{where}: holds no images")
    if labels.min() < 0:
        raise ValueError(f"{where}: label {labels.min()} is negative; labels must be class indices 0, 1, 2, ...")
    return labels


def _splits(path, train=True):
    """``(train, test)`` splits of ``path``, each ``(images, labels)``; the test split is the validation
    split when there is no test split. With ``train=False`` the training split is not required."""
    splits = data.load_mnist(path)
    if not isinstance(splits, dict):
        raise ValueError(f"{path}: a single IDX file; expected a directory of IDX files or an .npz with "
                         f"training and test splits")
    if train and "train" not in splits:
        raise ValueError(f"{path}: expected a training split")
    name = "test" if "test" in splits else "val"
    if name not in splits:
        raise ValueError(f"{path}: expected a test (or validation) split beside the training split")
    for split in ("train", name) if train else (name,):
        _split_labels(splits[split][1], f"{path}: the {split} split")
    return splits.get("train"), splits[name]


def _arguments(model_name, x, classes):
    """The construction arguments of ``model_name`` for inputs ``x`` and ``classes`` classes."""
    if model_name == "seed-cnn":
        return {"length": x.shape[2]}
    if model_name == "lenet":
        return {"in_channels": x.shape[1], "image_size": x.shape[-1], "classes": classes}
    return {"in_features": math.prod(x.shape[1:]), "classes": classes}


def _optimizer(name, params, lr):
    if name == "sgd":
        return optim.SGD(params, lr=lr, momentum=0.9)
    if name == "adam":
        return optim.Adam(params, lr=lr)
    return optim.SteepestDescent(params, step_size=lr)


def _differences(recorded, config):
    """What differs between a checkpoint's config and this run's, in the words of the flags."""
    names = {"model": "--model", "arguments": "the data's image shape or classes", "preprocess": "--data"}
    found = [names[key] for key in names if recorded.get(key) != config[key]]
    recorded_training = recorded.get("training") if isinstance(recorded.get("training"), dict) else {}
    for key, value in config["training"].items():
        if recorded_training.get(key) != value:
            found.append(f"--{key.replace('_', '-')} ({recorded_training.get(key)!r} there, {value!r} here)")
    return found


def _resume(checkpoint, config, model, optimizer):
    """Load the checkpoint to resume from into ``model`` and ``optimizer``; returns the epoch it
    records, the training seconds so far and the history. Refused unless it is a `chainrule train`
    checkpoint of a run with this config."""
    remove_stale_temporaries(checkpoint)
    if not os.path.exists(checkpoint):
        raise FileNotFoundError(f"--resume: no checkpoint at {checkpoint}")
    state = load(checkpoint)
    missing = [key for key in _CHECKPOINT_KEYS if key not in state]
    if missing:
        raise ValueError(f"--resume: {checkpoint} is not a checkpoint of `chainrule train` (it lacks "
                         f"{', '.join(missing)})")
    differences = _differences(state["config"] if isinstance(state["config"], dict) else {}, config)
    if differences:
        raise ValueError(f"--resume: {checkpoint} was trained with other settings ({'; '.join(differences)}); "
                         f"resume with the same flags, or train into another --out")
    if type(state["epoch"]) is not int or state["epoch"] < 1:
        raise ValueError(f"--resume: {checkpoint} records epoch {state['epoch']!r}")
    try:
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        history = History(**{k: list(v) if isinstance(v, (list, tuple)) else v for k, v in state["history"].items()})
        return state["epoch"], float(state["train_seconds"]), history
    except (KeyError, TypeError, AttributeError, IndexError) as error:
        raise ValueError(f"--resume: {checkpoint} is damaged ({type(error).__name__}: {error})") from None


def run_training(data_path, model_name="lenet", epochs=10, batch_size=64, optimizer_name="adam", lr=1e-3,
                 out_dir="runs/train", resume=False, seed=0, out=sys.stdout, verbose=None, device="cpu"):
    """Train and return the summary dict (also written to ``summary.json``).

    The model trains on ``device`` ("cpu", or "cuda" with CuPy); batches are moved there by
    ``fit``, and the checkpoint holds host arrays, so a run resumes on either device.

    Raises ``ValueError`` (or an ``OSError``) naming the flag, file or value at fault before
    training starts, and ``Interrupted`` on Ctrl-C.
    """
    _check_settings(model_name, optimizer_name, epochs, batch_size, lr, seed)
    checkpoint = _prepare_output(out_dir)
    (train_images, train_labels), (test_images, test_labels) = _splits(data_path)
    preprocess = Preprocess(model_name, float(train_images.mean()), float(train_images.std()) or 1.0,
                            train_images.shape[1:])
    if test_images.shape[1:] != train_images.shape[1:]:
        raise ValueError(f"{data_path}: training images of shape {train_images.shape[1:]}, test images of "
                         f"shape {test_images.shape[1:]}")
    x_train, y_train = preprocess.inputs(train_images), preprocess.targets(train_labels)
    x_test, y_test = preprocess.inputs(test_images), preprocess.targets(test_labels)
    classes = int(max(train_labels.max(), test_labels.max())) + 1
    config = {"model": model_name, "arguments": _arguments(model_name, x_train, classes),
              "preprocess": preprocess.as_dict(),
              "training": {"optimizer": optimizer_name, "lr": lr, "batch_size": batch_size, "seed": seed}}

    seed_random(seed)
    model = build(model_name, config["arguments"], where=str(data_path)).to(device)
    loss_fn = LOSSES[model_name]
    optimizer = _optimizer(optimizer_name, model.parameters(), lr)
    history, first_epoch, earlier_seconds = History(), 1, 0.0
    if resume:
        done, earlier_seconds, history = _resume(checkpoint, config, model, optimizer)
        first_epoch = done + 1
        print(f"resuming from {checkpoint} after epoch {done}", file=out)

    start = time.perf_counter()
    saved = first_epoch - 1
    try:
        for epoch in range(first_epoch, epochs + 1):
            if optimizer_name == "steepest":
                batches = (x_train, y_train)
            else:
                batches = data.DataLoader(data.TensorDataset(x_train.numpy(), y_train), batch_size=batch_size,
                                          shuffle=True, seed=seed * 100_003 + epoch)
            record = fit(model, loss_fn, optimizer, batches, val=[(x_test, y_test)], epochs=1, verbose=verbose,
                         progress_label=f"epoch {epoch}/{epochs}")
            for key in ("loss", "accuracy", "val_loss", "val_accuracy", "seconds"):
                getattr(history, key).extend(getattr(record, key))
            history.stop_reason = record.stop_reason
            save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch,
                  "history": history.as_dict(), "train_seconds": earlier_seconds + time.perf_counter() - start,
                  "config": config}, checkpoint)
            saved = epoch
            print(f"epoch {epoch}/{epochs}: loss {history.loss[-1]:.4f}, train accuracy {history.accuracy[-1]:.3f}, "
                  f"test accuracy {history.val_accuracy[-1]:.3f}", file=out)
            if getattr(optimizer, "stopped", False):
                break
        if saved < first_epoch:
            print(f"{checkpoint} is already at epoch {saved} of --epochs {epochs}; nothing to train", file=out)
        _, test_accuracy = evaluate(model, loss_fn, [(x_test, y_test)])
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; the last checkpoint, of epoch {saved}, is {checkpoint}: run the same "
                          f"command with --resume to continue from it" if saved else
                          "interrupted before the first checkpoint; nothing was saved") from None
    summary = {"model": model_name, "optimizer": optimizer_name, "epochs": len(history.loss),
               "test_accuracy": test_accuracy, "train_seconds": earlier_seconds + time.perf_counter() - start,
               "history": history.as_dict()}
    with open(os.path.join(out_dir, "summary.json"), "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
    print(f"test accuracy {test_accuracy:.3f}; wrote {checkpoint} and {out_dir}/summary.json", file=out)
    return summary


def run_evaluation(checkpoint, data_path, out=sys.stdout):
    """The loss and accuracy of the model in ``checkpoint`` on the test (or validation) split of
    ``data_path``, computed exactly as training computed its test accuracy; returns a dict."""
    state = load(checkpoint)
    model = from_checkpoint(state, checkpoint)
    _, (images, labels) = _splits(data_path, train=False)
    if images.shape[1:] != model.preprocess.shape:
        raise ValueError(f"{data_path}: test images of shape {images.shape[1:]}, but the model of {checkpoint} "
                         f"reads {model.preprocess.shape}")
    classes = model.config["arguments"].get("classes")
    if classes is not None and labels.max() >= classes:
        raise ValueError(f"{data_path}: label {labels.max()} in the test split, but the model of {checkpoint} "
                         f"knows {classes} classes")
    loss, accuracy = evaluate(model, LOSSES[model.config["model"]], [(images, model.preprocess.targets(labels))])
    history = state.get("history") if isinstance(state.get("history"), dict) else {}
    reported = (history.get("val_accuracy") or [None])[-1]
    print(f"test accuracy {accuracy:.3f} (loss {loss:.4f}) on {len(labels)} images of {data_path}"
          + (f"; training reported {reported:.3f} after epoch {state.get('epoch')}"
             if isinstance(reported, float) else ""), file=out)
    return {"test_accuracy": accuracy, "test_loss": loss, "images": len(labels), "reported_accuracy": reported}
