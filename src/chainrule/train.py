"""``cr.fit``: the training loop — batches, loss, backward, optimizer step — with history,
a progress bar and callbacks (early stopping, checkpoints).

It works with any model (a callable, usually a ``cr.nn.Module``), any loss
``loss_fn(outputs, labels) -> scalar``, any optimizer with ``zero_grad()`` and ``step()``,
and training data given as a ``DataLoader`` (or any iterable of batches) or as a full batch
``(X, y)``. With ``cr.optim.SteepestDescent`` on a full batch, one epoch is one step of the
lecture's loop, and training ends when the optimizer's stopping rule fires.
"""

import math
import sys
import time
from dataclasses import dataclass, field

import numpy as np

from .core.state import no_grad
from .core.tensor import Tensor
from .api.wrap import as_tensor


@dataclass
class History:
    """Per-epoch records of a ``fit`` run."""

    loss: list = field(default_factory=list)
    accuracy: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    seconds: list = field(default_factory=list)
    stop_reason: str = "epochs"

    @property
    def epochs(self):
        return len(self.loss)

    def as_dict(self):
        return {"loss": self.loss, "accuracy": self.accuracy, "val_loss": self.val_loss,
                "val_accuracy": self.val_accuracy, "seconds": self.seconds, "stop_reason": self.stop_reason}


def accuracy(outputs, labels):
    """Fraction of correct predictions: argmax over classes for (N, C) outputs with C > 1,
    the sign of the output for one score per example with labels in {−1, +1}."""
    out = outputs._data if isinstance(outputs, Tensor) else np.asarray(outputs)
    y = labels._data if isinstance(labels, Tensor) else np.asarray(labels)
    if out.ndim == 2 and out.shape[1] > 1:
        predicted = out.argmax(axis=1)
    else:
        predicted = np.where(out.reshape(y.shape) >= 0, 1, -1)
    return float(np.mean(predicted == y))


def _batches(data):
    if isinstance(data, tuple) and len(data) == 2 and not isinstance(data[0], tuple):
        return [data]
    return data


def _device_of(model):
    """The device of ``model``'s parameters (its first one's), or None for a model without any."""
    parameters = getattr(model, "parameters", None)
    for parameter in parameters() if callable(parameters) else ():
        return parameter.device
    return None


def _placed(batch, where):
    """A batch ``(xb, yb)`` moved to the model's device ``where`` (left as it is when None, and host
    arrays left on the host for a CPU model)."""
    if where is None:
        return batch
    return tuple(part if where.type == "cpu" and not isinstance(part, Tensor) else as_tensor(part).to(where)
                 for part in batch)


def _set_mode(model, training):
    method = getattr(model, "train", None)
    if callable(method):
        method(training)


def evaluate(model, loss_fn, data):
    """Mean loss and accuracy of ``model`` on ``data`` (no gradients recorded)."""
    _set_mode(model, False)
    total_loss = total_correct = count = 0.0
    where = _device_of(model)
    with no_grad():
        for xb, yb in (_placed(batch, where) for batch in _batches(data)):
            outputs = model(xb)
            n = len(yb)
            total_loss += float(loss_fn(outputs, yb).item()) * n
            total_correct += accuracy(outputs, yb) * n
            count += n
    return total_loss / max(count, 1), total_correct / max(count, 1)


class _Progress:
    """Progress within each epoch of ``fit``: a rich bar on a terminal; elsewhere (a pipe, a log
    file) a plain line at least every ``INTERVAL`` seconds while batches run, flushed at once."""

    INTERVAL = 3.0
    clock = time.monotonic

    def __init__(self, verbose, epochs, total, label):
        self.epochs, self.total, self.label = epochs, total, label
        self.printed = self.clock()
        self.mode = None if verbose is False else ("bar" if sys.stdout.isatty() else "lines")
        self.bar = self.task = None
        if self.mode == "bar":
            try:
                from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn
            except ImportError:
                self.mode = "lines"
            else:
                self.bar = Progress(TextColumn("{task.description}"), BarColumn(),
                                    TextColumn("batch {task.completed}/{task.fields[of]}"),
                                    TextColumn("{task.fields[metrics]}"), TimeRemainingColumn())

    def __enter__(self):
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def start_epoch(self, epoch):
        self.title = self.label or f"epoch {epoch}/{self.epochs}"
        self.started = self.clock()
        if self.bar is None:
            return
        fields = dict(description=self.title, completed=0, total=self.total, metrics="loss –  acc –")
        if self.task is None:  # the first frame already shows the epoch, the batch count and no numbers yet
            self.task = self.bar.add_task(of="?" if self.total is None else self.total, **fields)
        else:
            self.bar.reset(self.task, **fields)

    def batch(self, step, loss, acc):
        if self.bar is not None:
            self.bar.update(self.task, completed=step, metrics=f"loss {loss:.4f}  acc {acc:.3f}")
        elif self.mode == "lines" and self.clock() - self.printed >= self.INTERVAL:
            self.printed = self.clock()
            of = "" if self.total is None else f"/{self.total}"
            print(f"{self.title}: batch {step}{of}, loss {loss:.4f}, accuracy {acc:.3f}, "
                  f"{self.printed - self.started:.0f} s", flush=True)


def fit(model, loss_fn, optimizer, train, val=None, epochs=10, callbacks=(), verbose=None, progress_label=None):
    """Train ``model`` and return its ``History``.

    Each epoch runs, for every batch ``(xb, yb)`` of ``train``: ``optimizer.zero_grad()``,
    ``loss = loss_fn(model(xb), yb)``, ``loss.backward()``, ``optimizer.step()``. After the
    epoch, ``val`` (if given) is evaluated without gradients, and each callback's
    ``on_epoch_end(epoch, logs, model, optimizer)`` may return True to stop. Batches (and
    ``val``'s) are moved to the device of the model's parameters first. An optimizer
    with a ``stopped`` attribute (``SteepestDescent``) ends training when it stops.

    Progress: with ``verbose=None`` (or True), a progress bar on a terminal, and otherwise
    a line with the batch, running loss and accuracy at least every three seconds;
    ``verbose=False`` prints nothing. ``progress_label`` replaces the "epoch k/epochs"
    that starts each line (``chainrule train`` shows its own epoch count there).
    """
    history = History()
    batches = _batches(train)
    where = _device_of(model)
    total = len(batches) if hasattr(batches, "__len__") else None
    with _Progress(verbose, epochs, total, progress_label) as progress:
        for epoch in range(1, epochs + 1):
            _set_mode(model, True)
            start = time.perf_counter()
            progress.start_epoch(epoch)
            loss_sum = correct = count = 0.0
            for step, (xb, yb) in enumerate((_placed(batch, where) for batch in batches), start=1):
                optimizer.zero_grad()
                outputs = model(xb)
                loss = loss_fn(outputs, yb)
                loss.backward()
                optimizer.step()
                n = len(yb)
                loss_sum += float(loss.item()) * n
                correct += accuracy(outputs, yb) * n
                count += n
                progress.batch(step, loss_sum / count, correct / count)
            history.loss.append(loss_sum / max(count, 1))
            history.accuracy.append(correct / max(count, 1))
            history.seconds.append(time.perf_counter() - start)
            logs = {"loss": history.loss[-1], "accuracy": history.accuracy[-1]}
            if val is not None:
                val_loss, val_accuracy = evaluate(model, loss_fn, val)
                history.val_loss.append(val_loss)
                history.val_accuracy.append(val_accuracy)
                logs.update(val_loss=val_loss, val_accuracy=val_accuracy)
            stop = False
            for callback in callbacks:
                if callback.on_epoch_end(epoch, logs, model, optimizer):
                    stop = True
                    history.stop_reason = type(callback).__name__
            if getattr(optimizer, "stopped", False):
                stop = True
                history.stop_reason = getattr(optimizer, "stop_reason", "optimizer")
            if stop or not math.isfinite(history.loss[-1]):
                if not math.isfinite(history.loss[-1]):
                    history.stop_reason = "non-finite loss"
                break
    return history


class EarlyStopping:
    """Stop when ``monitor`` (a key of the epoch logs) has not improved by ``min_delta``
    for ``patience`` epochs. Losses are minimized, accuracies maximized."""

    def __init__(self, monitor="val_loss", patience=3, min_delta=0.0):
        self.monitor, self.patience, self.min_delta = monitor, patience, min_delta
        self.best = None
        self.waited = 0

    def on_epoch_end(self, epoch, logs, model, optimizer):
        if self.monitor not in logs:
            raise KeyError(f"EarlyStopping: {self.monitor!r} is not logged; available: {sorted(logs)}")
        value = logs[self.monitor]
        score = value if "loss" in self.monitor else -value
        if self.best is None or score < self.best - self.min_delta:
            self.best, self.waited = score, 0
            return False
        self.waited += 1
        return self.waited >= self.patience


class Checkpoint:
    """Save the model and optimizer with ``cr.save`` after every epoch (or only on improvement
    of ``monitor``), atomically, to ``path``."""

    def __init__(self, path, monitor=None):
        self.path, self.monitor = path, monitor
        self.best = None

    def on_epoch_end(self, epoch, logs, model, optimizer):
        from .io import save

        if self.monitor is not None:
            value = logs[self.monitor]
            score = value if "loss" in self.monitor else -value
            if self.best is not None and score >= self.best:
                return False
            self.best = score
        save({"model": model.state_dict(), "optimizer": optimizer.state_dict(), "epoch": epoch}, self.path)
        return False


class SchedulerStep:
    """Step a learning-rate scheduler (``cr.optim.lr_scheduler``) after every epoch."""

    def __init__(self, scheduler):
        self.scheduler = scheduler

    def on_epoch_end(self, epoch, logs, model, optimizer):
        self.scheduler.step()
        return False
