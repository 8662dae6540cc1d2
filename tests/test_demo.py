"""`chainrule demo` end to end with a small step budget (the full demo is not a unit test)."""

import json

import numpy as np

from chainrule import data
from chainrule.demo import even_odd_signals, run_demo


def test_quick_demo_summary_has_the_promised_fields(tmp_path, gpu):
    summary = run_demo(str(tmp_path), quick=True, out=open("/dev/null", "w"), verbose=False)
    on_disk = json.loads((tmp_path / "summary.json").read_text())
    assert on_disk == json.loads(json.dumps(summary))
    seed = summary["seed_cnn"]
    for key in ("test_accuracy", "train_accuracy", "train_seconds", "iters", "stop_reason"):
        assert key in seed
    assert seed["iters"] == 30 and seed["stop_reason"] == "max_iters"
    assert 0.5 < seed["train_accuracy"] <= 1.0  # 30 steps already beat chance on even/odd
    assert {"test_accuracy", "train_seconds"} <= set(summary["lenet"])
    assert summary["gradcheck"]["max_rel_error"] < 1e-4
    on_device = run_demo(str(tmp_path / "cuda"), quick=True, out=open("/dev/null", "w"), verbose=False,
                         device="cuda")  # the device-array double (tests/device_double.py)
    assert on_device["seed_cnn"]["iters"] == 30
    np.testing.assert_allclose(on_device["seed_cnn"]["final_loss"], seed["final_loss"], rtol=1e-4)
    np.testing.assert_allclose(on_device["lenet"]["test_accuracy"], summary["lenet"]["test_accuracy"], atol=0.02)


def test_even_odd_signals_are_standardized_rows_with_plus_minus_one_labels():
    X, y = data.digits()
    flat = X.reshape(len(X), -1)
    x, labels = even_odd_signals(X, y, flat.mean(axis=0), flat.std(axis=0) + 0.1)
    assert x.shape == (len(X), 1, 64) and x.dtype == np.float32
    np.testing.assert_allclose(x.numpy()[:, 0, :].mean(axis=0), 0, atol=1e-5)
    assert set(np.unique(labels)) == {-1, 1}
    assert np.all((labels == 1) == (y % 2 == 0))
