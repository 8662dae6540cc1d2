"""cr.save / cr.load: safetensors round trips, metadata, atomic writes, refused files."""

import json
import math
import os
import struct

import numpy as np
import pytest

import chainrule as cr

DTYPES = [np.float32, np.float64, np.float16, np.int64, np.int32, np.uint8, np.int8, np.bool_, np.complex64]


class FlatModule:
    """Stands in for a cr.nn.Module: anything with a flat, dotted state_dict()."""

    def __init__(self):
        self.weight = cr.tensor(np.arange(6.0, dtype=np.float32).reshape(2, 3), requires_grad=True)
        self.bias = cr.tensor(np.array([0.5, -0.5], dtype=np.float32), requires_grad=True)

    def state_dict(self):
        return {"0.weight": self.weight, "0.bias": self.bias, "1.running_mean": np.zeros(2)}


def header(path):
    """The JSON header of a safetensors file, read by hand from its documented layout."""
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        return json.loads(f.read(length))


@pytest.mark.parametrize("dtype", DTYPES, ids=lambda d: np.dtype(d).name)
def test_arrays_come_back_as_tensors_with_their_dtype_shape_and_values(tmp_path, dtype):
    array = (np.arange(12).reshape(3, 4) % 3).astype(dtype)
    cr.save({"a": array, "scalar": np.asarray(array.flat[1]), "empty": np.zeros((0, 2), dtype)}, tmp_path / "f")
    loaded = cr.load(tmp_path / "f")
    assert set(loaded) == {"a", "scalar", "empty"}
    for name, expected in (("a", array), ("scalar", array.flat[1]), ("empty", np.zeros((0, 2), dtype))):
        assert isinstance(loaded[name], cr.Tensor)
        assert loaded[name].dtype == np.dtype(dtype) and loaded[name].shape == np.shape(expected)
        np.testing.assert_array_equal(loaded[name].numpy(), expected)


def test_tensors_that_require_grad_and_non_contiguous_arrays_are_saved(tmp_path):
    w = cr.tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    cr.save({"w": w, "wT": w.numpy().T}, tmp_path / "f")
    loaded = cr.load(tmp_path / "f")
    np.testing.assert_array_equal(loaded["wT"].numpy(), w.numpy().T)
    assert not loaded["w"].requires_grad
    loaded["w"].numpy()[0, 0] = 100.0  # writable, and independent of the saved tensor
    assert w.numpy()[0, 0] == 0.0


def test_a_module_state_dict_comes_back_flat_with_dotted_keys(tmp_path):
    module = FlatModule()
    cr.save(module, tmp_path / "model.safetensors")
    loaded = cr.load(tmp_path / "model.safetensors")
    assert list(loaded) == ["0.weight", "0.bias", "1.running_mean"]
    np.testing.assert_array_equal(loaded["0.weight"].numpy(), module.weight.numpy())
    assert loaded["1.running_mean"].dtype == np.float64


def test_nested_dicts_and_plain_values_are_restored_with_their_types(tmp_path):
    value = {"model": FlatModule(), "epoch": 7, "lr": 0.125, "name": "seed-cnn", "best": None, "done": False,
             "betas": (0.9, 0.999), "history": [1.5, 1.25, [1, 2]], "inf": math.inf, "nothing": {},
             "runs": {3: {"loss": np.array([0.5, 0.25])}}}
    cr.save(value, tmp_path / "ckpt")
    loaded = cr.load(tmp_path / "ckpt")
    assert list(loaded["model"]) == ["0.weight", "0.bias", "1.running_mean"]
    assert loaded["epoch"] == 7 and isinstance(loaded["epoch"], int)
    assert loaded["lr"] == 0.125 and loaded["name"] == "seed-cnn" and loaded["best"] is None
    assert loaded["done"] is False and loaded["betas"] == (0.9, 0.999) and isinstance(loaded["betas"], tuple)
    assert loaded["history"] == [1.5, 1.25, [1, 2]] and loaded["inf"] == math.inf and loaded["nothing"] == {}
    np.testing.assert_array_equal(loaded["runs"][3]["loss"].numpy(), [0.5, 0.25])


def test_the_file_is_plain_safetensors_with_values_in_json_metadata(tmp_path):
    cr.save({"a": {"b": np.ones(2, np.float32)}, "epoch": 3}, tmp_path / "f")
    head = header(tmp_path / "f")
    assert head["a.b"]["dtype"] == "F32" and head["a.b"]["shape"] == [2]
    assert json.loads(head["__metadata__"]["epoch"]) == 3
    assert json.loads(head["__metadata__"]["__chainrule__"])["paths"] == {"a.b": ["a", "b"], "epoch": ["epoch"]}


def test_a_foreign_safetensors_file_loads_as_its_tensors(tmp_path):
    from safetensors.numpy import save_file

    save_file({"layer.w": np.eye(2, dtype=np.float32)}, str(tmp_path / "hub.safetensors"), metadata={"format": "pt"})
    loaded = cr.load(tmp_path / "hub.safetensors")
    assert list(loaded) == ["layer.w"]
    np.testing.assert_array_equal(loaded["layer.w"].numpy(), np.eye(2))


# ---------------------------------------------------------------- optimizers


def quadratic_steps(optimizer, w, steps):
    for _ in range(steps):
        optimizer.zero_grad()
        ((w - 1.0) ** 2).sum().backward()
        optimizer.step()


@pytest.mark.parametrize("make", [lambda p: cr.optim.Adam(p, lr=0.1, amsgrad=True),
                                  lambda p: cr.optim.SGD(p, lr=0.1, momentum=0.9),
                                  lambda p: cr.optim.SGD(p, lr=0.1),
                                  lambda p: cr.optim.RMSprop(p, momentum=0.5, centered=True)],
                         ids=["adam", "sgd-momentum", "sgd-stateless", "rmsprop"])
def test_optimizer_state_round_trips_through_a_file_into_load_state_dict(tmp_path, make):
    w = cr.tensor(np.array([3.0, -1.0, 0.5], dtype=np.float32), requires_grad=True)
    optimizer = make([w])
    quadratic_steps(optimizer, w, 3)
    cr.save({"w": w, "optimizer": optimizer}, tmp_path / "ckpt")

    checkpoint = cr.load(tmp_path / "ckpt")
    w2 = cr.tensor(checkpoint["w"].numpy().copy(), requires_grad=True)
    resumed = make([w2])
    resumed.load_state_dict(checkpoint["optimizer"])
    assert resumed.param_groups == [{**g, "params": [w2]} for g in optimizer.param_groups]
    quadratic_steps(optimizer, w, 4)
    quadratic_steps(resumed, w2, 4)
    np.testing.assert_array_equal(w2.numpy(), w.numpy())
    assert w2.dtype == np.float32


def test_steepest_descent_and_scheduler_state_round_trip(tmp_path):
    w = cr.tensor(np.array([1.0, 2.0]), requires_grad=True)
    optimizer = cr.optim.SteepestDescent([w], step_size=0.1)
    scheduler = cr.optim.lr_scheduler.StepLR(optimizer, step_size=2)
    cr.save({"optimizer": optimizer, "scheduler": scheduler.state_dict()}, tmp_path / "ckpt")
    checkpoint = cr.load(tmp_path / "ckpt")
    assert checkpoint["optimizer"]["progress"]["previous_step_size"] == math.inf
    fresh = cr.optim.SteepestDescent([w], step_size=0.5)
    fresh.load_state_dict(checkpoint["optimizer"])
    assert fresh.param_groups[0]["lr"] == 0.1 and fresh.iters == 0
    assert checkpoint["scheduler"]["step_size"] == 2 and checkpoint["scheduler"]["base_lrs"] == [0.1]


# ------------------------------------------------------------------ atomicity


def test_a_failure_while_writing_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.safetensors"
    cr.save({"version": 1, "w": np.ones(3)}, path)
    real_fdopen = os.fdopen

    class Crashing:
        """A file that dies halfway through writing the checkpoint."""

        def __init__(self, f):
            self.f = f

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.f.close()

        def write(self, payload):
            self.f.write(payload[: len(payload) // 2])
            raise OSError("disk full")

    monkeypatch.setattr(os, "fdopen", lambda fd, mode: Crashing(real_fdopen(fd, mode)))
    with pytest.raises(OSError, match="disk full"):
        cr.save({"version": 2, "w": np.zeros(1000)}, path)
    monkeypatch.undo()
    loaded = cr.load(path)
    assert loaded["version"] == 1
    np.testing.assert_array_equal(loaded["w"].numpy(), np.ones(3))
    assert os.listdir(tmp_path) == ["ckpt.safetensors"]


def test_an_interruption_before_the_rename_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "ckpt"
    cr.save({"version": 1}, path)

    def interrupted(fd):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        cr.save({"version": 2}, path)
    monkeypatch.undo()
    assert cr.load(path)["version"] == 1
    assert os.listdir(tmp_path) == ["ckpt"]


def test_saving_over_a_file_keeps_its_permissions(tmp_path):
    path = tmp_path / "ckpt"
    cr.save({"a": 1}, path)
    os.chmod(path, 0o640)
    cr.save({"a": 2}, path)
    assert os.stat(path).st_mode & 0o777 == 0o640 and cr.load(path)["a"] == 2


def test_saving_into_a_missing_directory_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="missing"):
        cr.save({"a": 1}, tmp_path / "missing" / "ckpt")


# ------------------------------------------------------------- refused input


def test_loading_a_missing_file_names_it(tmp_path):
    with pytest.raises(FileNotFoundError, match="nope.safetensors"):
        cr.load(tmp_path / "nope.safetensors")


def corrupt_files(tmp_path):
    cr.save({"w": np.arange(100.0), "epoch": 1}, tmp_path / "good")
    good = (tmp_path / "good").read_bytes()
    (length,) = struct.unpack("<Q", good[:8])
    return {
        "truncated": good[: len(good) - 10],
        "header-cut": good[: 8 + length // 2],
        "random": np.random.default_rng(0).bytes(300),
        "empty": b"",
        "bad-json": struct.pack("<Q", 12) + b"{not json!!}" + good[8 + length:],
        "huge-length": struct.pack("<Q", 2 ** 40) + good[8:],
        "pickle": b"\x80\x04\x95" + bytes(40),
    }


@pytest.mark.parametrize("kind", ["truncated", "header-cut", "random", "empty", "bad-json", "huge-length", "pickle"])
def test_invalid_files_are_refused_naming_the_file(tmp_path, kind):
    path = tmp_path / f"{kind}.safetensors"
    path.write_bytes(corrupt_files(tmp_path)[kind])
    with pytest.raises(ValueError, match=f"{kind}.safetensors"):
        cr.load(path)


def test_a_damaged_chainrule_index_is_refused(tmp_path):
    from safetensors.numpy import save_file

    index = json.dumps({"format": 1, "paths": {"x": ["x"]}})  # names an entry the file lacks
    save_file({"w": np.ones(2)}, str(tmp_path / "f"), metadata={"__chainrule__": index})
    with pytest.raises(ValueError, match="damaged chainrule index"):
        cr.load(tmp_path / "f")


@pytest.mark.parametrize("value, error, match", [
    ({"objects": np.array([{}, 1], dtype=object)}, TypeError, "dtype object"),
    ({"layers": [np.ones(2)]}, TypeError, "put arrays in a dict"),
    ({"thing": object()}, TypeError, "cannot store a value of type object"),
    ({"a.b": 1, "a": {"b": 2}}, ValueError, "'a.b'"),
    ({1.5: np.ones(1)}, TypeError, "keys must be strings or ints"),
    ([np.ones(2)], TypeError, "expected a Module"),
])
def test_values_that_cannot_be_stored_are_refused(tmp_path, value, error, match):
    with pytest.raises(error, match=match):
        cr.save(value, tmp_path / "f")
    assert not os.listdir(tmp_path)
