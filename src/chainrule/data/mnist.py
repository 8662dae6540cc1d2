"""MNIST-format data: IDX files (optionally gzipped) and ``.npz`` archives.

IDX (LeCun's format): a big-endian header — two zero bytes, a type code, the
number of dimensions d, then d unsigned 32-bit sizes — followed by the values,
big-endian, in C order. MNIST's images carry magic number 2051 (0x00000803:
unsigned bytes, 3 dimensions N×rows×cols), its labels 2049 (0x00000801: unsigned
bytes, 1 dimension N). Fashion-MNIST and KMNIST use the same files and names.

``.npz`` archives come in two layouts: MedMNIST's ``train_images``,
``train_labels``, ``val_images``, ``val_labels``, ``test_images``, ``test_labels``,
and Keras's ``x_train``, ``y_train``, ``x_test``, ``y_test`` (``x_val``/``y_val``
too). Each member's ``.npy`` header is parsed by NumPy's header reader (a literal,
never evaluated) and its data read by chainrule: an array of Python objects is
refused, never unpickled.

Reading is bounded by what the header promises: the header is read first, its byte
count (in Python integers, so no size overflows) is checked against the file's size —
for a gzipped file against the most that deflate can inflate it to, 1032 times — and
only then is the result allocated; the data are then read, inflated and converted
into it a million values at a time, and reading stops one byte after the promise.
A gzip bomb is refused after a byte of excess, unsigned bytes become floats without a
float64 copy of the whole set, and only regular files are opened (``/dev/zero`` or a
FIFO is refused before a byte is read).

Every malformed input raises a ``ValueError`` whose message starts with the
file's path and says what is wrong.
"""

import contextlib
import gzip
import math
import os
import zipfile
import zlib

import numpy as np

from ..core.dtypes import get_default_dtype
from ..files import display, open_regular, read_into

_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_IMAGES_MAGIC, _LABELS_MAGIC = 2051, 2049
_SPLITS = {"train": "train", "val": "val", "test": "t10k"}  # split -> IDX file prefix
_NPZ_LAYOUTS = ("{split}_images", "{split}_labels"), ("x_{split}", "y_{split}")
_MAX_DIMS = 32  # NumPy 1's limit on dimensions, accepted by every NumPy
_DEFLATE_RATIO = 1032  # the most deflate inflates: a 258-byte match from about two bits
_CHUNK = 1 << 20  # values read and converted at a time
_INT64_MAX = np.iinfo(np.int64).max


def _promise(shape, itemsize):
    """The header's promise in words, and its byte count."""
    nbytes = math.prod(shape) * itemsize
    return f"{'×'.join(map(str, shape))} values of {itemsize} byte(s) = {nbytes} bytes of data", nbytes


def _read_values(stream, stored, shape, dtype, convert, where, order="C"):
    """``shape`` values of dtype ``stored`` from ``stream`` as an array of ``dtype``.

    They are read and passed through ``convert(chunk, out)`` ``_CHUNK`` at a time, so
    the only full-size allocation is the result; exactly the promised bytes must follow.
    """
    promise, _ = _promise(shape, stored.itemsize)
    count = math.prod(shape)
    try:
        out = np.empty(count, dtype)
    except MemoryError:
        raise ValueError(f"{where}: the header promises {promise}, more than this machine can hold") from None
    buffer = np.empty(min(count, _CHUNK) * stored.itemsize, np.uint8)
    for start in range(0, count, _CHUNK):
        n = min(_CHUNK, count - start)
        got = read_into(stream, buffer[:n * stored.itemsize])
        if got < n * stored.itemsize:
            raise ValueError(f"{where}: truncated: the header promises {promise}, "
                             f"the file has {start * stored.itemsize + got}")
        convert(buffer[:n * stored.itemsize].view(stored), out[start:start + n])
    if stream.read(1):
        raise ValueError(f"{where}: too long: the header promises {promise}, the file has more")
    return out.reshape(shape, order=order)


def _copy(chunk, out):
    np.copyto(out, chunk, casting="unsafe")


def _scale_bytes(chunk, out):
    r"""Unsigned bytes to floats in [0, 1]: :math:`x / 255`, computed in float64 and rounded once."""
    np.divide(chunk, 255.0, out=out, dtype=np.float64, casting="same_kind")


def _images(stored, shape, where, dtype):
    """The dtype and conversion of stored images (refused unless numeric, (N, H, W) or (N, H, W, C))."""
    if stored.kind not in "uif":
        raise ValueError(f"{where}: images must be numeric, got dtype {stored}")
    if len(shape) not in (3, 4):
        raise ValueError(f"{where}: images must have shape (N, H, W) or (N, H, W, C), got {shape}")
    return dtype, _scale_bytes if stored == np.uint8 else _copy


def _labels(stored, where):
    """The dtype (int64) and conversion of stored labels (refused unless integers that fit)."""
    if stored.kind not in "ui":
        raise ValueError(f"{where}: labels must be integers, got dtype {stored}")

    def convert(chunk, out):
        if stored.kind == "u" and stored.itemsize == 8 and chunk.size and chunk.max() > _INT64_MAX:
            raise ValueError(f"{where}: label {chunk.max()} does not fit in int64")
        _copy(chunk, out)

    return np.dtype(np.int64), convert


# ------------------------------------------------------------------------- IDX
def _idx_header(stream, path):
    """The magic number, stored dtype and shape from the IDX header at the start of ``stream``."""
    head = stream.read(4)
    if len(head) < 4:
        raise ValueError(f"{path}: too short to be an IDX file ({len(head)} bytes)")
    magic = int.from_bytes(head, "big")
    type_code, ndim = head[2], head[3]
    if head[:2] != b"\x00\x00" or type_code not in _IDX_TYPES or ndim == 0:
        raise ValueError(f"{path}: not an IDX file: magic number {magic} (0x{magic:08X}); MNIST images have "
                         f"{_IMAGES_MAGIC} (0x00000803) and labels {_LABELS_MAGIC} (0x00000801)")
    if ndim > _MAX_DIMS:
        raise ValueError(f"{path}: the IDX header declares {ndim} dimensions; at most {_MAX_DIMS} are supported")
    sizes = stream.read(4 * ndim)
    if len(sizes) < 4 * ndim:
        raise ValueError(f"{path}: truncated IDX header: {ndim} dimensions need {4 + 4 * ndim} bytes, "
                         f"the file has {4 + len(sizes)}")
    shape = tuple(int.from_bytes(sizes[4 * i:4 * i + 4], "big") for i in range(ndim))
    return magic, np.dtype(_IDX_TYPES[type_code]), shape


def _idx(path, dtype=None, expect=None):
    """The array in IDX file ``path`` and its magic number.

    With ``dtype`` (a float dtype), MNIST images become floats of that dtype and MNIST
    labels int64; without, the values come as stored (in native byte order). With
    ``expect``, another magic number is refused before any data is read.
    """
    f, size = open_regular(path)
    with f:
        compressed = f.read(2) == b"\x1f\x8b"
        f.seek(0)
        try:
            with gzip.GzipFile(fileobj=f, mode="rb") if compressed else contextlib.nullcontext(f) as stream:
                return _idx_values(stream, path, size, compressed, dtype, expect)
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise ValueError(f"{path}: a damaged or truncated gzip file ({error})") from None


def _idx_values(stream, path, size, compressed, dtype, expect):
    """``_idx`` on the (inflated) ``stream`` of a file of ``size`` bytes."""
    magic, stored, shape = _idx_header(stream, path)
    if expect is not None and magic != expect:
        kind = "images" if expect == _IMAGES_MAGIC else "labels"
        raise ValueError(f"{path}: magic number {magic} (0x{magic:08X}), expected {expect} (0x{expect:08X}) "
                         f"for MNIST {kind}")
    target, convert = stored.newbyteorder("="), _copy
    if dtype is not None and magic == _IMAGES_MAGIC:
        target, convert = _images(stored, shape, path, dtype)
    elif dtype is not None and magic == _LABELS_MAGIC:
        target, convert = _labels(stored, path)
    promise, nbytes = _promise(shape, stored.itemsize)
    header = 4 + 4 * len(shape)
    if not compressed and nbytes != size - header:
        problem = "truncated" if nbytes > size - header else "too long"
        raise ValueError(f"{path}: {problem}: the header promises {promise}, the file has {size - header}")
    if compressed and nbytes > size * _DEFLATE_RATIO:
        raise ValueError(f"{path}: truncated: the header promises {promise}, more than a gzip file of {size} "
                         f"bytes can hold (at most {size * _DEFLATE_RATIO})")
    return _read_values(stream, stored, shape, target, convert, path), magic


def read_idx(path):
    """The array stored in an IDX file (gzipped or not), as stored.

    Parameters
    ----------
    path : str, bytes or path-like
        A regular file.

    Returns
    -------
    ndarray
        Shape and type from the header (MNIST: uint8, (N, 28, 28) images or
        (N,) labels), in native byte order.

    Raises
    ------
    ValueError
        Naming the file: wrong magic number, too many dimensions, truncated header
        or data, extra bytes, damaged gzip stream, not a regular file.
    FileNotFoundError, PermissionError
        When the file does not exist or cannot be read.
    """
    return _idx(display(path))[0]


def _from_directory(directory, dtype):
    names = set(os.listdir(directory))

    def find(prefix, kind, rank):
        for sep in "-.":
            for suffix in ("", ".gz"):
                name = f"{prefix}-{kind}{sep}idx{rank}-ubyte{suffix}"
                if name in names:
                    return os.path.join(directory, name)
        return None

    splits = {}
    for split, prefix in _SPLITS.items():
        images_path, labels_path = find(prefix, "images", 3), find(prefix, "labels", 1)
        if images_path is None and labels_path is None:
            continue
        if images_path is None or labels_path is None:
            present, missing = (images_path, "labels") if labels_path is None else (labels_path, "images")
            raise ValueError(f"{directory}: found {os.path.basename(present)} but no {prefix}-{missing} file")
        images, _ = _idx(images_path, dtype, expect=_IMAGES_MAGIC)
        labels, _ = _idx(labels_path, dtype, expect=_LABELS_MAGIC)
        if len(labels) != len(images):
            raise ValueError(f"{labels_path}: {len(labels)} labels, but {images_path} holds {len(images)} images")
        splits[split] = (images, labels)
    if not splits:
        raise ValueError(f"{directory}: no MNIST files (expected train-images-idx3-ubyte[.gz], "
                         f"train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz])")
    return splits


# ------------------------------------------------------------------------- npz
_NPY_MAGIC = b"\x93NUMPY"


def _npy_header(stream, where):
    """Stored dtype, shape and Fortran order from the .npy header at the start of ``stream``."""
    try:
        version = np.lib.format.read_magic(stream)
    except ValueError:
        raise ValueError(f"{where} is not a .npy array (it lacks NumPy's magic string)") from None
    readers = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
    if version not in readers:
        raise ValueError(f"{where} is a .npy array of format version {version}, which chainrule does not read")
    try:
        shape, fortran_order, stored = readers[version](stream)
    except (ValueError, SyntaxError, TypeError) as error:
        raise ValueError(f"{where} has a damaged .npy header ({error})") from None
    if stored.hasobject:
        raise ValueError(f"{where} holds Python objects (pickled data), which chainrule refuses to load; "
                         f"store plain numeric arrays instead")
    if any(n < 0 for n in shape) or len(shape) > _MAX_DIMS or math.prod(n for n in shape if n) >= 2 ** 63:
        raise ValueError(f"{where} has a damaged .npy header (shape {shape})")
    return stored, shape, fortran_order


def _npy_member(archive, info, where, archive_size, role):
    """The array of member ``info``, checked by ``role(stored, shape)`` -> ``(shape, dtype, convert)``.

    The member's declared sizes are checked against the archive's before anything is
    inflated, and the header's promise against the member's size before allocating.
    """
    plausible = {zipfile.ZIP_STORED: info.compress_size, zipfile.ZIP_DEFLATED: info.compress_size * _DEFLATE_RATIO}
    if info.compress_size > archive_size or info.file_size > plausible.get(info.compress_type, info.file_size):
        raise ValueError(f"{where} is damaged: the archive declares {info.file_size} bytes stored in "
                         f"{info.compress_size} of a {archive_size}-byte file")
    try:
        with archive.open(info) as stream:
            stored, shape, fortran_order = _npy_header(stream, where)
            final_shape, target, convert = role(stored, shape)
            promise, nbytes = _promise(shape, stored.itemsize)
            if nbytes > info.file_size - stream.tell():
                raise ValueError(f"{where}: truncated: the header promises {promise}, the member holds "
                                 f"{info.file_size - stream.tell()}")
            values = _read_values(stream, stored, shape, target, convert, where, "F" if fortran_order else "C")
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile, NotImplementedError, RuntimeError) as error:
        raise ValueError(f"{where} is damaged ({error})") from None
    return values.reshape(final_shape)


def _npz_pair(archive, members, images_key, labels_key, path, size, dtype):
    """The images and labels stored under ``images_key`` and ``labels_key``."""
    images_where, labels_where = f"{path}: array {images_key!r}", f"{path}: array {labels_key!r}"
    images = _npy_member(archive, members[images_key], images_where, size,
                         lambda stored, shape: (shape, *_images(stored, shape, images_where, dtype)))

    def labels_role(stored, shape):
        if len(shape) == 2 and shape[1] == 1:  # MedMNIST's label columns
            shape = shape[:1]
        if len(shape) == 0:
            raise ValueError(f"{labels_where}: labels need one entry per image, got a 0-d array")
        if shape[0] != len(images):
            raise ValueError(f"{path}: {len(images)} images but {shape[0]} labels ({images_key!r} / {labels_key!r})")
        return (shape, *_labels(stored, labels_where))

    return images, _npy_member(archive, members[labels_key], labels_where, size, labels_role)


def _from_npz(path, dtype):
    f, size = open_regular(path)
    with f:
        if f.read(len(_NPY_MAGIC)) == _NPY_MAGIC:
            raise ValueError(f"{path}: holds a single array, not an .npz archive of named arrays")
        f.seek(0)
        try:
            archive = zipfile.ZipFile(f)
        except (OSError, EOFError, ValueError, zipfile.BadZipFile) as error:
            raise ValueError(f"{path}: not a readable .npz archive ({error})") from None
        with archive:
            members = {(info.filename[:-4] if info.filename.endswith(".npy") else info.filename): info
                       for info in archive.infolist()}
            splits = {}
            for split in _SPLITS:
                for images_key, labels_key in _NPZ_LAYOUTS:
                    images_key, labels_key = images_key.format(split=split), labels_key.format(split=split)
                    if images_key not in members and labels_key not in members:
                        continue
                    for present, missing in ((images_key, labels_key), (labels_key, images_key)):
                        if missing not in members:
                            raise ValueError(f"{path}: has {present!r} but no {missing!r}")
                    splits[split] = _npz_pair(archive, members, images_key, labels_key, path, size, dtype)
    if not splits:
        raise ValueError(f"{path}: no MNIST arrays; expected train_images/train_labels/test_images/test_labels "
                         f"(MedMNIST) or x_train/y_train/x_test/y_test (Keras), found {sorted(members)}")
    return splits


def load_mnist(path, dtype=None):
    r"""Load MNIST-format data: a directory of IDX files, one IDX file, or an ``.npz``.

    Images are returned as floats: unsigned bytes are scaled by
    :math:`x / 255` into [0, 1]; other numeric types are only cast. Labels are
    int64; MedMNIST's (N, 1) label columns become (N,).

    Parameters
    ----------
    path : str, bytes or path-like
        - a directory holding ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
          ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte`` (each optionally
          ``.gz``; ``images.idx3`` spellings with a dot are accepted too);
        - an ``.npz`` archive (MedMNIST or Keras layout, see the module docs);
        - any other regular file: read as a single IDX file.
    dtype : numpy dtype, optional
        Floating dtype of the images; chainrule's default dtype when omitted.

    Returns
    -------
    dict or ndarray
        For a directory or an ``.npz``: ``{split: (images, labels)}`` with split
        in ``"train"``, ``"val"``, ``"test"`` (those present, in that order);
        images of shape (N, H, W) — or (N, H, W, C) for colour MedMNIST — and
        labels of shape (N,). For a single IDX file: its array — (N, H, W)
        float images for magic 2051, (N,) int64 labels for magic 2049, the
        raw array otherwise.

    Raises
    ------
    ValueError
        Naming the file and the problem: wrong magic number, truncated data or
        more data than the header promises, a damaged gzip stream, label count
        different from image count, labels that do not fit in int64, pickled
        objects, members that are not ``.npy`` arrays or missing keys in an
        ``.npz``, a path that is not a regular file (a FIFO, ``/dev/zero``).
    FileNotFoundError, PermissionError
        When ``path`` does not exist or cannot be read.

    Notes
    -----
    Memory is bounded by the result: nothing larger than the header promises is
    read, inflated or allocated, and images are converted in chunks of a million
    values (peak about the size of the returned arrays).

    Examples
    --------
    >>> splits = cr.data.load_mnist("~/data/mnist")
    >>> X_train, y_train = splits["train"]
    """
    path = os.path.expanduser(display(path))
    dtype = get_default_dtype() if dtype is None else np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"load_mnist: dtype must be floating, got {dtype}")
    if os.path.isdir(path):
        return _from_directory(path, dtype)
    if path.endswith(".npz"):
        return _from_npz(path, dtype)
    return _idx(path, dtype)[0]
