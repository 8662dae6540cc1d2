"""load_mnist / read_idx on small IDX and .npz files generated here, good and malformed."""

import gzip
import io
import os
import pickle
import tracemalloc
import zipfile

import numpy as np
import pytest

import chainrule as cr
from helpers import run_python

RNG = np.random.default_rng(0)
TRAIN_IMAGES = RNG.integers(0, 256, size=(6, 4, 5), dtype=np.uint8)
TRAIN_LABELS = RNG.integers(0, 10, size=6, dtype=np.uint8)
TEST_IMAGES = RNG.integers(0, 256, size=(3, 4, 5), dtype=np.uint8)
TEST_LABELS = RNG.integers(0, 10, size=3, dtype=np.uint8)


def idx_bytes(array, type_code=0x08):
    """An IDX file: 0, 0, type code, number of dimensions, big-endian sizes, big-endian data."""
    big_endian = {0x08: ">u1", 0x0B: ">i2", 0x0D: ">f4"}[type_code]
    header = bytes([0, 0, type_code, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return header + array.astype(big_endian).tobytes()


def write(path, payload, compress=False):
    with (gzip.open if compress else open)(path, "wb") as f:
        f.write(payload)
    return str(path)


def mnist_directory(directory, compress=False, labels=(TRAIN_LABELS, TEST_LABELS)):
    suffix = ".gz" if compress else ""
    write(directory / f"train-images-idx3-ubyte{suffix}", idx_bytes(TRAIN_IMAGES), compress)
    write(directory / f"train-labels-idx1-ubyte{suffix}", idx_bytes(labels[0]), compress)
    write(directory / f"t10k-images-idx3-ubyte{suffix}", idx_bytes(TEST_IMAGES), compress)
    write(directory / f"t10k-labels-idx1-ubyte{suffix}", idx_bytes(labels[1]), compress)
    return directory


# ------------------------------------------------------------------------- IDX


@pytest.mark.parametrize("compress", [False, True], ids=["plain", "gzip"])
def test_directory_of_idx_files_gives_train_and_test_splits(tmp_path, compress):
    splits = cr.data.load_mnist(mnist_directory(tmp_path, compress))
    assert list(splits) == ["train", "test"]
    X, y = splits["train"]
    assert X.shape == (6, 4, 5) and X.dtype == np.float32 and y.dtype == np.int64
    np.testing.assert_allclose(X, TRAIN_IMAGES / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(y, TRAIN_LABELS)
    np.testing.assert_array_equal(splits["test"][1], TEST_LABELS)


def test_directory_accepts_the_dotted_file_names_and_a_dtype(tmp_path):
    write(tmp_path / "train-images.idx3-ubyte", idx_bytes(TRAIN_IMAGES))
    write(tmp_path / "train-labels.idx1-ubyte", idx_bytes(TRAIN_LABELS))
    splits = cr.data.load_mnist(tmp_path, dtype=np.float64)
    assert list(splits) == ["train"] and splits["train"][0].dtype == np.float64


def test_single_idx_files_give_their_arrays(tmp_path):
    images = cr.data.load_mnist(write(tmp_path / "imgs.gz", idx_bytes(TRAIN_IMAGES), compress=True))
    labels = cr.data.load_mnist(write(tmp_path / "labels", idx_bytes(TRAIN_LABELS)))
    np.testing.assert_allclose(images, TRAIN_IMAGES / 255.0, rtol=1e-6)
    assert labels.dtype == np.int64
    np.testing.assert_array_equal(labels, TRAIN_LABELS)


def test_read_idx_decodes_other_big_endian_types(tmp_path):
    values = np.array([[1.5, -2.25], [3.0, 1e6]], dtype=np.float32)
    path = write(tmp_path / "floats.idx", idx_bytes(values, type_code=0x0D))
    read = cr.data.read_idx(path)
    assert read.dtype == np.float32 and read.dtype.isnative
    np.testing.assert_array_equal(read, values)
    shorts = np.array([-300, 7, 32000], dtype=np.int16)
    np.testing.assert_array_equal(cr.data.read_idx(write(tmp_path / "s.idx", idx_bytes(shorts, 0x0B))), shorts)


def test_wrong_magic_number_is_refused_naming_the_file(tmp_path):
    path = write(tmp_path / "bad-magic", b"\x12\x34\x56\x78" + bytes(20))
    with pytest.raises(ValueError, match=r"bad-magic: not an IDX file: magic number 305419896 \(0x12345678\)"):
        cr.data.load_mnist(path)


def test_images_where_labels_belong_are_refused_by_magic(tmp_path):
    mnist_directory(tmp_path)
    write(tmp_path / "t10k-labels-idx1-ubyte", idx_bytes(TEST_IMAGES))
    with pytest.raises(ValueError, match="t10k-labels-idx1-ubyte: magic number 2051.*expected 2049"):
        cr.data.load_mnist(tmp_path)


@pytest.mark.parametrize("cut, match", [(7, "truncated IDX header"), (30, "truncated"), (-1, "truncated")])
def test_truncated_idx_files_are_refused(tmp_path, cut, match):
    payload = idx_bytes(TRAIN_IMAGES)
    path = write(tmp_path / "short", payload[:cut])
    with pytest.raises(ValueError, match=f"short: {match}"):
        cr.data.read_idx(path)


def test_extra_bytes_after_the_data_are_refused(tmp_path):
    path = write(tmp_path / "long", idx_bytes(TRAIN_LABELS) + b"\x00")
    with pytest.raises(ValueError, match="long: too long"):
        cr.data.read_idx(path)


def test_a_damaged_gzip_stream_is_refused(tmp_path):
    payload = gzip.compress(idx_bytes(TRAIN_IMAGES))
    path = write(tmp_path / "cut.gz", payload[: len(payload) // 2])
    with pytest.raises(ValueError, match="cut.gz: a damaged or truncated gzip file"):
        cr.data.read_idx(path)


def test_label_count_different_from_image_count_is_refused(tmp_path):
    mnist_directory(tmp_path, labels=(TRAIN_LABELS[:5], TEST_LABELS))
    with pytest.raises(ValueError, match="train-labels-idx1-ubyte: 5 labels, but .*train-images-idx3-ubyte holds 6"):
        cr.data.load_mnist(tmp_path)


def test_a_directory_missing_the_labels_is_refused(tmp_path):
    write(tmp_path / "train-images-idx3-ubyte", idx_bytes(TRAIN_IMAGES))
    with pytest.raises(ValueError, match="no train-labels file"):
        cr.data.load_mnist(tmp_path)


def test_a_directory_without_mnist_files_is_refused(tmp_path):
    with pytest.raises(ValueError, match="no MNIST files"):
        cr.data.load_mnist(tmp_path)


def test_a_missing_path_raises_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError, match="nothing-here"):
        cr.data.load_mnist(tmp_path / "nothing-here")


# ------------------------------------------------------------------------- npz


def test_npz_in_medmnist_layout_with_a_validation_split(tmp_path):
    path = tmp_path / "pathmnist.npz"
    colour = RNG.integers(0, 256, size=(4, 3, 3, 3), dtype=np.uint8)
    np.savez(path, train_images=TRAIN_IMAGES, train_labels=TRAIN_LABELS[:, None], val_images=colour,
             val_labels=np.arange(4, dtype=np.uint8)[:, None], test_images=TEST_IMAGES,
             test_labels=TEST_LABELS[:, None])
    splits = cr.data.load_mnist(path)
    assert list(splits) == ["train", "val", "test"]
    X_val, y_val = splits["val"]
    assert X_val.shape == (4, 3, 3, 3)
    np.testing.assert_allclose(X_val, colour / 255.0, rtol=1e-6)
    assert y_val.shape == (4,) and y_val.dtype == np.int64
    np.testing.assert_array_equal(splits["train"][1], TRAIN_LABELS)


def test_npz_in_keras_layout(tmp_path):
    path = tmp_path / "mnist.npz"
    np.savez_compressed(path, x_train=TRAIN_IMAGES, y_train=TRAIN_LABELS, x_test=TEST_IMAGES, y_test=TEST_LABELS)
    splits = cr.data.load_mnist(path)
    assert list(splits) == ["train", "test"]
    np.testing.assert_allclose(splits["test"][0], TEST_IMAGES / 255.0, rtol=1e-6)
    np.testing.assert_array_equal(splits["test"][1], TEST_LABELS)


def test_npz_float_images_are_kept_as_they_are(tmp_path):
    path = tmp_path / "floats.npz"
    images = RNG.normal(size=(2, 3, 3))
    np.savez(path, x_train=images, y_train=np.array([1, 2]))
    np.testing.assert_allclose(cr.data.load_mnist(path)["train"][0], images, rtol=1e-6)


def test_npz_with_pickled_objects_is_refused_without_unpickling(tmp_path):
    path = tmp_path / "evil.npz"
    objects = np.empty(6, dtype=object)
    objects[:] = [{"label": i} for i in range(6)]
    np.savez(path, train_images=TRAIN_IMAGES, train_labels=objects)
    with pytest.raises(ValueError, match=r"evil.npz: array 'train_labels' holds Python objects \(pickled"):
        cr.data.load_mnist(path)


def test_npz_with_an_incomplete_pair_is_refused(tmp_path):
    path = tmp_path / "half.npz"
    np.savez(path, x_train=TRAIN_IMAGES, y_train=TRAIN_LABELS, x_test=TEST_IMAGES)
    with pytest.raises(ValueError, match="half.npz: has 'x_test' but no 'y_test'"):
        cr.data.load_mnist(path)


def test_npz_without_known_keys_is_refused_listing_what_it_has(tmp_path):
    path = tmp_path / "other.npz"
    np.savez(path, pixels=TRAIN_IMAGES, classes=TRAIN_LABELS)
    with pytest.raises(ValueError, match=r"other.npz: no MNIST arrays.*\['classes', 'pixels'\]"):
        cr.data.load_mnist(path)


def test_npz_with_mismatched_counts_is_refused(tmp_path):
    path = tmp_path / "counts.npz"
    np.savez(path, train_images=TRAIN_IMAGES, train_labels=TRAIN_LABELS[:4])
    with pytest.raises(ValueError, match="counts.npz: 6 images but 4 labels"):
        cr.data.load_mnist(path)


def test_npz_with_wrongly_shaped_images_is_refused(tmp_path):
    path = tmp_path / "flat.npz"
    np.savez(path, x_train=TRAIN_IMAGES.reshape(6, -1), y_train=TRAIN_LABELS)
    with pytest.raises(ValueError, match=r"flat.npz.*shape \(N, H, W\)"):
        cr.data.load_mnist(path)


@pytest.mark.parametrize("content", [b"", b"random bytes, not a zip archive", b"PK\x03\x04garbage"],
                         ids=["empty", "random", "broken-zip"])
def test_a_file_named_npz_that_is_not_an_archive_is_refused(tmp_path, content):
    path = write(tmp_path / "fake.npz", content)
    with pytest.raises(ValueError, match="fake.npz"):
        cr.data.load_mnist(path)


def test_a_single_npy_array_is_not_an_archive(tmp_path):
    path = os.path.join(tmp_path, "one.npz")
    with open(path, "wb") as f:
        np.save(f, TRAIN_IMAGES)
    with pytest.raises(ValueError, match="one.npz: holds a single array"):
        cr.data.load_mnist(path)


# ------------------------------------------------------- bounded reading


def idx_header(type_code, shape):
    return bytes([0, 0, type_code, len(shape)]) + b"".join(int(n).to_bytes(4, "big") for n in shape)


def gzip_bomb(path, header, megabytes):
    """A gzip file: ``header``, then ``megabytes`` MB of zeros (about 1 KB per MB compressed)."""
    with gzip.open(path, "wb", compresslevel=9) as f:
        f.write(header)
        for _ in range(megabytes):
            f.write(bytes(1 << 20))
    return path


def test_a_gzip_bomb_is_refused_after_inflating_what_the_header_promises(tmp_path):
    path = gzip_bomb(tmp_path / "bomb-idx1-ubyte.gz", idx_header(0x08, (1,)), megabytes=64)
    tracemalloc.start()
    try:
        with pytest.raises(ValueError, match="bomb-idx1-ubyte.gz: too long: the header promises 1 values"):
            cr.data.load_mnist(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 << 20  # 64 MB before


def test_a_gzip_header_promising_more_than_deflate_can_hold_allocates_nothing(tmp_path):
    path = write(tmp_path / "liar.gz", idx_header(0x08, (60000, 1000, 1000)), compress=True)
    with pytest.raises(ValueError, match="liar.gz: truncated: the header promises 60000×1000×1000 values .* more "
                                         "than a gzip file of"):
        cr.data.read_idx(path)


def test_bytes_become_floats_without_a_float64_copy_of_the_set(tmp_path):
    images = (np.arange(2_000_000) % 251).astype(np.uint8).reshape(2000, 25, 40)
    path = tmp_path / "bytes.npz"
    np.savez(path, x_train=images, y_train=np.zeros(2000, np.uint8))
    tracemalloc.start()
    try:
        X, _ = cr.data.load_mnist(path)["train"]
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    np.testing.assert_array_equal(X, (images / 255.0).astype(np.float32))  # the same values as x / 255 in float64
    assert peak < 1.5 * X.nbytes  # 3.25 times the result before


@pytest.mark.parametrize("make, match", [
    (lambda: idx_header(0x08, (1,) * 65), "the IDX header declares 65 dimensions; at most 32"),
    (lambda: idx_header(0x0E, (2 ** 32 - 1,) * 4), r"truncated: the header promises 4294967295×.* = \d{40,} bytes"),
], ids=["65-dimensions", "byte-count-beyond-int64"])
def test_impossible_idx_headers_are_refused_naming_the_file(tmp_path, make, match):
    path = write(tmp_path / "impossible", make() + bytes(16))
    with pytest.raises(ValueError, match=f"impossible: .*{match}"):
        cr.data.read_idx(path)


NOT_FILES = """
import os, sys, chainrule as cr
fifo, directory = sys.argv[1:]
os.mkfifo(fifo)
os.mkfifo(os.path.join(directory, "train-labels-idx1-ubyte"))
for path in (fifo, "/dev/zero", directory):
    try:
        cr.data.load_mnist(path)
    except ValueError as error:
        print(error)
"""


def test_fifos_and_devices_are_refused_at_once_naming_them(tmp_path):
    (tmp_path / "dir").mkdir()
    write(tmp_path / "dir" / "train-images-idx3-ubyte", idx_bytes(TRAIN_IMAGES))
    fifo = tmp_path / "pipe"
    result = run_python(NOT_FILES, fifo, tmp_path / "dir", timeout=20, address_space=1 << 30)
    assert result.stdout.splitlines() == [
        f"{fifo} is a FIFO (named pipe), not a regular file",
        "/dev/zero is a character device, not a regular file",
        f"{tmp_path / 'dir' / 'train-labels-idx1-ubyte'} is a FIFO (named pipe), not a regular file"], result.stderr


def test_an_unreadable_file_is_not_reported_missing(tmp_path, monkeypatch):
    path = write(tmp_path / "locked", idx_bytes(TRAIN_LABELS))

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "open", refuse)  # works as root too, where chmod 000 would not stop a read
    with pytest.raises(PermissionError, match="permission denied: cannot read .*locked"):
        cr.data.load_mnist(path)


def test_a_bytes_path_is_read(tmp_path):
    labels = cr.data.load_mnist(os.fsencode(write(tmp_path / "labels", idx_bytes(TRAIN_LABELS))))
    np.testing.assert_array_equal(labels, TRAIN_LABELS)


# ------------------------------------------------------------- hostile npz


def npz_with(path, members):
    """A zip archive of raw ``members`` (name -> bytes), as np.savez lays them out."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, payload in members.items():
            archive.writestr(name, payload)
    return path


def npy_bytes(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return buffer.getvalue()


def npy_header_claiming(shape, descr="|u1"):
    """A .npy header for ``shape`` with no data after it."""
    buffer = io.BytesIO()
    np.lib.format.write_array_header_1_0(buffer, {"descr": descr, "fortran_order": False, "shape": shape})
    return buffer.getvalue()


@pytest.mark.parametrize("members, match", [
    ({"x_train.npy": npy_header_claiming((10 ** 8, 10 ** 4, 8)), "y_train.npy": npy_bytes(TRAIN_LABELS)},
     r"array 'x_train': truncated: the header promises 100000000×10000×8 values .* = 8000000000000 bytes"),
    ({"x_train.npy": b"not an array at all", "y_train.npy": npy_bytes(TRAIN_LABELS)},
     "array 'x_train' is not a .npy array"),
    ({"x_train": idx_bytes(TRAIN_IMAGES), "y_train.npy": npy_bytes(TRAIN_LABELS)},
     "array 'x_train' is not a .npy array"),
    ({"x_train.npy": npy_bytes(TRAIN_IMAGES), "y_train.npy": npy_bytes(np.array(3))},
     "array 'y_train': labels need one entry per image, got a 0-d array"),
    ({"x_train.npy": npy_bytes(TRAIN_IMAGES), "y_train.npy": npy_bytes(np.full(6, 2 ** 64 - 1, np.uint64))},
     "array 'y_train': label 18446744073709551615 does not fit in int64"),
    ({"x_train.npy": npy_bytes(TRAIN_IMAGES)[:-5], "y_train.npy": npy_bytes(TRAIN_LABELS)},
     "array 'x_train': truncated"),
    ({"x_train.npy": npy_bytes(TRAIN_IMAGES) + b"!", "y_train.npy": npy_bytes(TRAIN_LABELS)},
     "array 'x_train': too long"),
    ({"x_train.npy": npy_header_claiming((6, 4, 5), "<V8"), "y_train.npy": npy_bytes(TRAIN_LABELS)},
     "images must be numeric"),
    ({"x_train.npy": npy_header_claiming((0, 2 ** 40, 2 ** 40)), "y_train.npy": npy_bytes(TRAIN_LABELS)},
     r"array 'x_train' has a damaged .npy header \(shape \(0, 1099511627776, 1099511627776\)\)"),
], ids=["header-claims-8e15-bytes", "member-not-npy", "member-without-npy-suffix", "0-d-labels",
        "uint64-labels-beyond-int64", "member-cut-short", "member-too-long", "void-images",
        "empty-with-huge-dimensions"])
def test_hostile_npz_members_are_refused_naming_the_file_and_array(tmp_path, members, match):
    path = npz_with(tmp_path / "hostile.npz", members)
    with pytest.raises(ValueError, match=f"hostile.npz: .*{match}"):
        cr.data.load_mnist(path)


def test_an_archive_declaring_members_larger_than_deflate_can_hold_is_refused(tmp_path):
    path = tmp_path / "declared.npz"
    np.savez_compressed(path, x_train=TRAIN_IMAGES, y_train=TRAIN_LABELS)
    raw = bytearray(path.read_bytes())
    first = raw.index(b"PK\x01\x02")  # the central directory's first entry: x_train.npy
    raw[first + 24:first + 28] = (2 ** 32 - 2).to_bytes(4, "little")  # its uncompressed size: 4 GB
    path.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match=r"declared.npz: array 'x_train' is damaged: the archive declares 4294967294"):
        cr.data.load_mnist(path)


def test_pickles_renamed_npz_and_pickled_members_are_refused_and_never_unpickled(tmp_path):
    marker = tmp_path / "unpickled"

    class Tripwire:
        def __reduce__(self):
            return open, (str(marker), "w")

    renamed = tmp_path / "renamed.npz"
    renamed.write_bytes(pickle.dumps({"x_train": Tripwire()}))
    objects = np.empty(6, dtype=object)
    objects[:] = [Tripwire() for _ in range(6)]
    member = npz_with(tmp_path / "member.npz", {"x_train.npy": npy_bytes(TRAIN_IMAGES),
                                                "y_train.npy": _pickled_npy(objects)})
    with pytest.raises(ValueError, match="renamed.npz: not a readable .npz archive"):
        cr.data.load_mnist(renamed)
    with pytest.raises(ValueError, match="member.npz: array 'y_train' holds Python objects"):
        cr.data.load_mnist(member)
    assert not marker.exists()


def _pickled_npy(objects):
    buffer = io.BytesIO()
    np.save(buffer, objects, allow_pickle=True)
    return buffer.getvalue()


HOSTILE_DATA = """
import gzip, io, resource, sys, zipfile, numpy as np, chainrule as cr
directory = sys.argv[1]
def header(type_code, shape):
    return bytes([0, 0, type_code, len(shape)]) + b"".join(int(n).to_bytes(4, "big") for n in shape)
npy = io.BytesIO()
np.lib.format.write_array_header_1_0(npy, {"descr": "<f8", "fortran_order": False, "shape": (10 ** 15,)})
files = {"plain-idx3-ubyte": header(0x0E, (2 ** 32 - 1,) * 3),
         "gzip-idx3-ubyte.gz": gzip.compress(header(0x08, (60000, 28, 28 * 1000))),
         "bomb-idx1-ubyte.gz": gzip.compress(header(0x08, (10,)) + bytes(40 << 20), compresslevel=1)}
for name, payload in files.items():
    with open(f"{directory}/{name}", "wb") as f:
        f.write(payload)
with zipfile.ZipFile(f"{directory}/archive.npz", "w") as archive:
    archive.writestr("x_train.npy", npy.getvalue())
    archive.writestr("y_train.npy", npy.getvalue())
start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for name in list(files) + ["archive.npz"]:
    try:
        cr.data.load_mnist(f"{directory}/{name}")
    except ValueError as error:
        print(str(error).split(":")[0].rsplit("/", 1)[1])
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - start)
"""


def test_hostile_headers_allocate_nothing_measured_by_rss(tmp_path):
    """A fresh process's peak RSS while refusing headers that promise terabytes, and a 40 MB gzip bomb."""
    result = run_python(HOSTILE_DATA, tmp_path, address_space=4 << 30, timeout=60)
    *refused, grown_kb = result.stdout.splitlines()
    assert refused == ["plain-idx3-ubyte", "gzip-idx3-ubyte.gz", "bomb-idx1-ubyte.gz", "archive.npz"], result.stderr
    assert int(grown_kb) < 20_000
