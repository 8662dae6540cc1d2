"""cr.fit, its callbacks and its progress output."""

import io
import sys

import numpy as np
import pytest

import chainrule as cr
from chainrule import train
from chainrule.nn import functional as F
from chainrule.train import accuracy


def _blobs(n=120, seed=0):
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 3, n)
    centers = np.array([[2.0, 0.0], [-2.0, 0.0], [0.0, 2.5]])
    X = (centers[y] + 0.5 * rng.standard_normal((n, 2))).astype(np.float32)
    return X, y


def _model():
    cr.random.seed(0)
    return cr.nn.Sequential(cr.nn.Linear(2, 16), cr.nn.ReLU(), cr.nn.Linear(16, 3))


def test_fit_decreases_the_loss_and_records_history():
    X, y = _blobs()
    model = _model()
    opt = cr.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    loader = cr.data.DataLoader(cr.data.TensorDataset(X, y), batch_size=16, shuffle=True, seed=0)
    history = cr.fit(model, F.cross_entropy, opt, loader, val=(cr.tensor(X), y), epochs=8, verbose=False)
    assert history.epochs == 8 and len(history.val_accuracy) == 8
    assert history.loss[-1] < 0.5 * history.loss[0]
    assert history.val_accuracy[-1] > 0.9


def test_fit_with_steepest_descent_stops_with_the_optimizer():
    X, y = _blobs()
    model = _model()
    opt = cr.optim.SteepestDescent(model.parameters(), step_size=0.1, max_iters=5)
    history = cr.fit(model, F.cross_entropy, opt, (cr.tensor(X), y), epochs=100, verbose=False)
    assert history.epochs == 5 and history.stop_reason == "max_iters"


def test_early_stopping_ends_training_when_the_monitored_value_stalls():
    X, y = _blobs()
    model = _model()
    opt = cr.optim.SGD(model.parameters(), lr=0.0)  # nothing changes: val_loss never improves
    stopper = cr.EarlyStopping(monitor="val_loss", patience=2)
    history = cr.fit(model, F.cross_entropy, opt, (cr.tensor(X), y), val=(cr.tensor(X), y), epochs=10,
                     callbacks=[stopper], verbose=False)
    assert history.epochs == 3 and history.stop_reason == "EarlyStopping"


def test_early_stopping_names_a_missing_log_key():
    X, y = _blobs()
    model = _model()
    with pytest.raises(KeyError, match="val_loss"):
        cr.fit(model, F.cross_entropy, cr.optim.SGD(model.parameters(), lr=0.1), (cr.tensor(X), y), epochs=1,
               callbacks=[cr.EarlyStopping()], verbose=False)


def test_checkpoint_callback_saves_a_loadable_state(tmp_path):
    X, y = _blobs()
    model = _model()
    opt = cr.optim.Adam(model.parameters(), lr=0.01)
    path = tmp_path / "ckpt.safetensors"
    cr.fit(model, F.cross_entropy, opt, (cr.tensor(X), y), epochs=2, callbacks=[cr.Checkpoint(str(path))],
           verbose=False)
    state = cr.load(str(path))
    assert state["epoch"] == 2
    fresh = _model()
    fresh.load_state_dict(state["model"])
    np.testing.assert_array_equal(fresh(cr.tensor(X)).numpy(), model(cr.tensor(X)).numpy())


def test_scheduler_step_callback_anneals_the_learning_rate():
    X, y = _blobs()
    model = _model()
    opt = cr.optim.SGD(model.parameters(), lr=1.0)
    schedule = cr.optim.lr_scheduler.StepLR(opt, step_size=1, gamma=0.5)
    cr.fit(model, F.cross_entropy, opt, (cr.tensor(X), y), epochs=3, callbacks=[cr.SchedulerStep(schedule)],
           verbose=False)
    assert opt.param_groups[0]["lr"] == pytest.approx(0.125)


def test_accuracy_for_class_scores_and_for_signed_scores():
    assert accuracy(np.array([[0.1, 0.9], [0.8, 0.2]]), np.array([1, 1])) == 0.5
    assert accuracy(np.array([[0.3], [-0.2], [0.5]]), np.array([1, -1, -1])) == pytest.approx(2 / 3)


# ------------------------------------------------------------------ progress


def test_off_a_terminal_progress_is_a_line_at_least_every_three_seconds(monkeypatch, capsys):
    ticks = iter(range(0, 10_000, 4))  # every reading of the clock is 4 s after the previous one
    monkeypatch.setattr(train._Progress, "clock", staticmethod(lambda: next(ticks)))
    X, y = _blobs(n=48)
    model = _model()
    cr.fit(model, F.cross_entropy, cr.optim.SGD(model.parameters(), lr=0.1),
           cr.data.DataLoader(cr.data.TensorDataset(X, y), batch_size=16, shuffle=True, seed=0), epochs=2)
    lines = capsys.readouterr().out.splitlines()
    expected = [f"epoch {epoch}/2: batch {batch}/3" for epoch in (1, 2) for batch in (1, 2, 3)]
    assert [line.split(", loss")[0] for line in lines] == expected
    assert all(", accuracy " in line and line.endswith(" s") for line in lines)


def test_progress_lines_wait_for_the_interval_and_verbose_false_prints_nothing(monkeypatch, capsys):
    monkeypatch.setattr(train._Progress, "clock", staticmethod(lambda: 0.0))  # time stands still
    X, y = _blobs(n=48)
    model = _model()
    for verbose in (None, False):
        cr.fit(model, F.cross_entropy, cr.optim.SGD(model.parameters(), lr=0.1),
               cr.data.DataLoader(cr.data.TensorDataset(X, y), batch_size=16, shuffle=True, seed=0), epochs=2, verbose=verbose)
    assert capsys.readouterr().out == ""


class Terminal(io.StringIO):
    def isatty(self):
        return True


def test_the_progress_bars_first_frame_shows_the_epoch_and_batch_count_and_no_nan(monkeypatch):
    from rich.console import Console

    monkeypatch.setattr(sys, "stdout", Terminal())
    with train._Progress(None, 5, 23, None) as progress:
        progress.start_epoch(1)
        frame = io.StringIO()
        Console(file=frame, width=120).print(progress.bar.make_tasks_table(progress.bar.tasks))
    text = frame.getvalue()
    assert "epoch 1/5" in text and "batch 0/23" in text and "loss –" in text
    assert "nan" not in text and "0/0" not in text
