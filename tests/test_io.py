"""cr.save / cr.load: safetensors round trips, metadata, atomic writes, refused files."""

import json
import math
import os
import signal
import struct
import subprocess
import sys
import time

import numpy as np
import pytest

import chainrule as cr
from helpers import run_python

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


# --------------------------------------------- a save never destroys a good file


def test_a_reserved_key_is_refused_before_the_previous_checkpoint_is_touched(tmp_path):
    path = tmp_path / "ckpt.safetensors"
    cr.save({"version": 1}, path)
    with pytest.raises(ValueError, match="'__metadata__' is reserved"):
        cr.save({"__metadata__": np.ones(2)}, path)
    assert cr.load(path) == {"version": 1}
    assert os.listdir(tmp_path) == ["ckpt.safetensors"]


def test_a_file_that_would_not_load_back_never_replaces_the_previous_one(tmp_path, monkeypatch):
    import chainrule.io as crio

    path = tmp_path / "ckpt.safetensors"
    cr.save({"version": 1}, path)

    def duplicating(tensors, metadata):  # a writer whose header names a tensor twice
        text = json.dumps({"w": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}})
        text = text[:-1] + ', "w": {"dtype": "F64", "shape": [1], "data_offsets": [0, 8]}}'
        return struct.pack("<Q", len(text)) + text.encode() + bytes(8)

    monkeypatch.setattr(crio._safetensors().numpy, "save", duplicating)
    with pytest.raises(ValueError, match="refused to replace .*ckpt.safetensors.*would not load back.*duplicate"):
        cr.save({"w": np.zeros(1)}, path)
    monkeypatch.undo()
    assert cr.load(path) == {"version": 1}
    assert os.listdir(tmp_path) == ["ckpt.safetensors"]


def test_a_bytes_path_saves_and_loads(tmp_path):
    path = os.fsencode(tmp_path / "ckpt.safetensors")
    cr.save({"w": np.arange(3.0)}, path)
    np.testing.assert_array_equal(cr.load(path)["w"].numpy(), np.arange(3.0))


def test_saving_onto_a_directory_names_it(tmp_path):
    (tmp_path / "ckpt").mkdir()
    with pytest.raises(IsADirectoryError, match="ckpt is a directory"):
        cr.save({"a": 1}, tmp_path / "ckpt")


# ------------------------------------------------------- paths that are not files


NOT_FILES = """
import os, sys, chainrule as cr
os.mkfifo(sys.argv[1])
for path in sys.argv[1:]:
    try:
        cr.load(path)
    except ValueError as error:
        print(error)
"""


def test_fifos_devices_and_directories_are_refused_at_once_naming_them(tmp_path):
    fifo = tmp_path / "pipe.safetensors"
    result = run_python(NOT_FILES, fifo, "/dev/zero", tmp_path, timeout=20)
    assert result.stdout.splitlines() == [f"cr.load: {fifo} is a FIFO (named pipe), not a regular file",
                                          "cr.load: /dev/zero is a character device, not a regular file",
                                          f"cr.load: {tmp_path} is a directory, not a regular file"], result.stderr


def test_an_unreadable_file_is_not_reported_missing(tmp_path, monkeypatch):
    path = tmp_path / "locked.safetensors"
    cr.save({"a": 1}, path)

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)  # works as root too, where chmod 000 would not stop a read
    with pytest.raises(PermissionError, match="permission denied: cannot read .*locked.safetensors"):
        cr.load(path)


# ------------------------------------------------------------- hostile headers


def safetensors_file(path, header, data=b""):
    """A file in the safetensors layout with ``header`` (JSON text) as it stands."""
    raw = header.encode() if isinstance(header, str) else header
    path.write_bytes(struct.pack("<Q", len(raw)) + raw + data)
    return path


def entry(dtype="F32", shape=(2,), offsets=(0, 8)):
    return {"dtype": dtype, "shape": list(shape), "data_offsets": list(offsets)}


HOSTILE_HEADERS = {
    "duplicate-name": ('{"w": %s, "w": %s}' % (json.dumps(entry()), json.dumps(entry())), 8, "duplicate field"),
    "nested-100000-deep": ("[" * 100_000 + "]" * 100_000, 0, "nested too deeply"),
    "10000-digit-number": (json.dumps({"w": entry()}).replace("[2]", "[" + "9" * 10_000 + "]"), 8,
                           "not valid JSON"),
    "1e12-elements": (json.dumps({"w": entry(shape=(10 ** 6, 10 ** 6), offsets=(0, 4 * 10 ** 12))}), 8,
                      "the file has 8"),
    "overlapping": (json.dumps({"a": entry(), "b": entry(offsets=(4, 12))}), 12, "overlap or leave a gap"),
    "negative-dimension": (json.dumps({"w": entry(shape=(-2,))}), 8, "non-negative 64-bit integer"),
    "empty-with-huge-dimensions": (json.dumps({"w": entry(shape=(0, 2 ** 64), offsets=(0, 0))}), 0,
                                   "non-negative 64-bit integer, got 18446744073709551616"),
    "unknown-dtype": (json.dumps({"w": entry(dtype="BF16", offsets=(0, 4))}), 4, "has dtype 'BF16'"),
    "size-mismatch": (json.dumps({"w": entry(offsets=(0, 6))}), 6, "needs 8 bytes"),
    "metadata-not-strings": (json.dumps({"__metadata__": {"a": 1}}), 0, "not a map of strings"),
    "not-an-object": ("[1, 2]", 0, "not a JSON object"),
    "not-utf8": (b"{\xff}", 0, "not valid JSON"),
}


@pytest.mark.parametrize("kind", list(HOSTILE_HEADERS))
def test_hostile_headers_are_refused_naming_the_file(tmp_path, kind):
    header, data_bytes, reason = HOSTILE_HEADERS[kind]
    path = safetensors_file(tmp_path / f"{kind}.safetensors", header, bytes(data_bytes))
    with pytest.raises(ValueError, match=f"{kind}.safetensors is not a valid safetensors file: .*{reason}"):
        cr.load(path)


@pytest.mark.parametrize("value, reason", [("[" * 100_000 + "]" * 100_000, "nested too deeply"),
                                           ("1" * 10_000, "integer string conversion")],
                         ids=["nested-100000-deep", "10000-digit-integer"])
def test_hostile_metadata_values_are_refused_naming_the_file(tmp_path, value, reason):
    from safetensors.numpy import save_file

    index = json.dumps({"format": 1, "paths": {"x": ["x"]}})
    save_file({"w": np.ones(2)}, str(tmp_path / "meta.safetensors"), metadata={"__chainrule__": index, "x": value})
    with pytest.raises(ValueError, match=f"meta.safetensors has a damaged chainrule index .*{reason}"):
        cr.load(tmp_path / "meta.safetensors")


class Tripwire:
    """Unpickling this creates a file: proof that something unpickled."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return open, (self.marker, "w")


def test_a_pickle_renamed_safetensors_is_refused_and_never_unpickled(tmp_path):
    import pickle

    marker = tmp_path / "unpickled"
    path = tmp_path / "model.safetensors"
    path.write_bytes(pickle.dumps({"w": Tripwire(marker)}))
    with pytest.raises(ValueError, match="model.safetensors is not a valid safetensors file"):
        cr.load(path)
    assert not marker.exists()


HUGE_PROMISES = """
import resource, struct, sys, chainrule as cr
start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
terabytes = b'{"w": {"dtype": "F64", "shape": [1000000, 1000000], "data_offsets": [0, 8000000000000]}}'
for length, header in ((len(terabytes), terabytes), (2 ** 40, b" " * 1000), (2 ** 63, b"{}")):
    with open(sys.argv[1], "wb") as f:
        f.write(struct.pack("<Q", length) + header + bytes(8))
    try:
        cr.load(sys.argv[1])
    except ValueError as error:
        print(error)
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start)
"""


def test_headers_promising_terabytes_allocate_nothing(tmp_path):
    result = run_python(HUGE_PROMISES, tmp_path / "h.safetensors", address_space=2 << 30)
    *errors, grown_kb = result.stdout.splitlines()
    assert len(errors) == 3 and all("h.safetensors is not a valid safetensors file" in e for e in errors), result
    assert int(grown_kb) < 10_000


# ------------------------------------------------------- temporaries and kills


def test_names_up_to_the_file_system_limit_save_and_load(tmp_path):
    path = tmp_path / ("c" * (255 - len(".safetensors")) + ".safetensors")  # the longest name allowed
    cr.save({"a": 1}, path)
    cr.save({"a": 2}, path)
    assert cr.load(path) == {"a": 2} and os.listdir(tmp_path) == [path.name]


def test_the_next_save_removes_temporaries_of_dead_writers_only(tmp_path):
    import chainrule.io as crio

    path = tmp_path / "ckpt.safetensors"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True).stdout.strip()
    prefix = crio._temporary_prefix(str(path))
    stale = tmp_path / f"{prefix}{dead}.abc123.crtmp"
    in_progress = tmp_path / f"{prefix}{os.getppid()}.def456.crtmp"  # a live process
    other_target = tmp_path / f"{crio._temporary_prefix('other')}{dead}.ghi789.crtmp"
    for leftover in (stale, in_progress, other_target):
        leftover.write_bytes(bytes(1000))
    cr.save({"a": 1}, path)
    assert sorted(os.listdir(tmp_path)) == sorted([path.name, in_progress.name, other_target.name])


SAVE_FOREVER = """
import sys, numpy as np, chainrule as cr
w = np.arange(250_000, dtype=np.float64)
print("ready", flush=True)
version = 0
while True:
    version += 1
    cr.save({"version": version, "w": w + version}, sys.argv[1])
"""


def test_sigkill_at_random_points_of_saving_always_leaves_a_loadable_checkpoint(tmp_path):
    path = tmp_path / "ckpt.safetensors"
    cr.save({"version": 0, "w": np.arange(250_000, dtype=np.float64)}, path)
    rng = np.random.default_rng(0)
    versions = []
    for _ in range(4):
        child = subprocess.Popen([sys.executable, "-c", SAVE_FOREVER, str(path)], stdout=subprocess.PIPE, text=True)
        assert child.stdout.readline() == "ready\n"
        time.sleep(rng.uniform(0.0, 0.15))
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
        child.stdout.close()
        loaded = cr.load(path)  # whole and consistent: the tensor belongs to the recorded version
        versions.append(loaded["version"])
        np.testing.assert_array_equal(loaded["w"].numpy(), np.arange(250_000.0) + loaded["version"])
    assert max(versions) > 0
    cr.save({"version": -1}, path)
    assert os.listdir(tmp_path) == [path.name]  # the kills' temporaries are gone
