"""``chainrule train``: a named model on the user's MNIST-format data, with checkpoints.

The data (``cr.data.load_mnist``: an IDX directory or an ``.npz``) must hold a training
split and a test (or validation) split. ``seed-cnn`` learns "even vs odd" from each image
read as a 1-D signal (the lecture's binary task, logistic loss); ``lenet`` and ``mlp``
learn the classes with cross-entropy. ``steepest`` takes one full-batch step per epoch.

After every epoch the model, the optimizer, the epoch and the history are saved to
``checkpoint.safetensors`` in the output directory (atomically). ``--resume`` continues
from it; since each epoch's batch order comes from ``seed`` and the epoch number, a
resumed run ends with exactly the parameters of an uninterrupted one.
"""

import json
import os
import sys
import time

import numpy as np

from . import data, optim
from .core.tensor import Tensor
from .io import load, save
from .models import SeedCNN, lenet, mlp
from .nn import functional as F
from .random import seed as seed_random
from .train import History, evaluate, fit

MODELS = ("seed-cnn", "lenet", "mlp")
OPTIMIZERS = ("sgd", "adam", "steepest")
CHECKPOINT = "checkpoint.safetensors"


def _splits(path):
    splits = data.load_mnist(path)
    if not isinstance(splits, dict) or "train" not in splits:
        raise ValueError(f"{path}: expected a directory of IDX files or an .npz with a training split")
    test = splits.get("test") or splits.get("val")
    if test is None:
        raise ValueError(f"{path}: expected a test (or validation) split beside the training split")
    return splits["train"], test


def _prepare(model_name, images, labels, mean, spread):
    """Model inputs and labels for one split."""
    x = ((images - mean) / spread).astype(np.float32)
    if x.ndim == 4:  # (N, H, W, C) colour images -> channels first
        x = np.moveaxis(x, -1, 1)
    if model_name == "seed-cnn":
        return Tensor(x.reshape(len(x), 1, -1)), np.where(labels % 2 == 0, 1, -1)
    if model_name == "lenet" and x.ndim == 3:
        x = x[:, None]
    return Tensor(x), labels


def _build(model_name, x, classes):
    if model_name == "seed-cnn":
        return SeedCNN(length=x.shape[2]), F.logistic_loss
    if model_name == "lenet":
        return lenet(in_channels=x.shape[1], image_size=x.shape[-1], classes=classes), F.cross_entropy
    return mlp(in_features=int(np.prod(x.shape[1:])), classes=classes), F.cross_entropy


def _optimizer(name, params, lr):
    if name == "sgd":
        return optim.SGD(params, lr=lr, momentum=0.9)
    if name == "adam":
        return optim.Adam(params, lr=lr)
    return optim.SteepestDescent(params, step_size=lr)


def run_training(data_path, model_name="lenet", epochs=10, batch_size=64, optimizer_name="adam", lr=1e-3,
                 out_dir="runs/train", resume=False, seed=0, out=sys.stdout, verbose=None):
    """Train and return the summary dict (also written to ``summary.json``)."""
    if model_name not in MODELS:
        raise ValueError(f"train: --model must be one of {', '.join(MODELS)}, got {model_name!r}")
    if optimizer_name not in OPTIMIZERS:
        raise ValueError(f"train: --optimizer must be one of {', '.join(OPTIMIZERS)}, got {optimizer_name!r}")
    (train_images, train_labels), (test_images, test_labels) = _splits(data_path)
    mean, spread = float(train_images.mean()), float(train_images.std()) or 1.0
    x_train, y_train = _prepare(model_name, train_images, train_labels, mean, spread)
    x_test, y_test = _prepare(model_name, test_images, test_labels, mean, spread)
    classes = int(max(train_labels.max(), test_labels.max())) + 1

    seed_random(seed)
    model, loss_fn = _build(model_name, x_train, classes)
    optimizer = _optimizer(optimizer_name, model.parameters(), lr)
    history = History()
    first_epoch = 1
    os.makedirs(out_dir, exist_ok=True)
    checkpoint = os.path.join(out_dir, CHECKPOINT)
    if resume:
        if not os.path.exists(checkpoint):
            raise FileNotFoundError(f"train --resume: no checkpoint at {checkpoint}")
        state = load(checkpoint)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        first_epoch = int(state["epoch"]) + 1
        history = History(**{k: list(v) if isinstance(v, (list, tuple)) else v for k, v in state["history"].items()})
        print(f"resuming from {checkpoint} after epoch {first_epoch - 1}", file=out)

    start = time.perf_counter()
    for epoch in range(first_epoch, epochs + 1):
        if optimizer_name == "steepest":
            batches = (x_train, y_train)
        else:
            batches = data.DataLoader(data.TensorDataset(x_train.numpy(), y_train), batch_size=batch_size,
                                      shuffle=True, seed=seed * 100_003 + epoch)
        record = fit(model, loss_fn, optimizer, batches, val=[(x_test, y_test)], epochs=1, verbose=verbose)
        for key in ("loss", "accuracy", "val_loss", "val_accuracy", "seconds"):
            getattr(history, key).extend(getattr(record, key))
        history.stop_reason = record.stop_reason
        save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch,
              "history": history.as_dict()}, checkpoint)
        print(f"epoch {epoch}/{epochs}: loss {history.loss[-1]:.4f}, train accuracy {history.accuracy[-1]:.3f}, "
              f"test accuracy {history.val_accuracy[-1]:.3f}", file=out)
        if getattr(optimizer, "stopped", False):
            break
    _, test_accuracy = evaluate(model, loss_fn, [(x_test, y_test)])
    summary = {"model": model_name, "optimizer": optimizer_name, "epochs": len(history.loss),
               "test_accuracy": test_accuracy, "train_seconds": time.perf_counter() - start,
               "history": history.as_dict()}
    with open(os.path.join(out_dir, "summary.json"), "w", encoding="utf-8") as handle:
        json.dump(summary, handle, indent=2)
    print(f"test accuracy {test_accuracy:.3f}; wrote {checkpoint} and {out_dir}/summary.json", file=out)
    return summary
