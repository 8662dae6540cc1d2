"""MNIST-format data: IDX files (optionally gzipped) and ``.npz`` archives.

IDX (LeCun's format): a big-endian header — two zero bytes, a type code, the
number of dimensions d, then d unsigned 32-bit sizes — followed by the values,
big-endian, in C order. MNIST's images carry magic number 2051 (0x00000803:
unsigned bytes, 3 dimensions N×rows×cols), its labels 2049 (0x00000801: unsigned
bytes, 1 dimension N). Fashion-MNIST and KMNIST use the same files and names.

``.npz`` archives come in two layouts: MedMNIST's ``train_images``,
``train_labels``, ``val_images``, ``val_labels``, ``test_images``, ``test_labels``,
and Keras's ``x_train``, ``y_train``, ``x_test``, ``y_test`` (``x_val``/``y_val``
too). They are read with ``allow_pickle=False``: an archive holding Python
objects is refused, never unpickled.

Every malformed input raises a ``ValueError`` whose message starts with the
file's path and says what is wrong.
"""

import gzip
import os
import zipfile
import zlib

import numpy as np

from ..core.dtypes import get_default_dtype

_IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_IMAGES_MAGIC, _LABELS_MAGIC = 2051, 2049
_SPLITS = {"train": "train", "val": "val", "test": "t10k"}  # split -> IDX file prefix
_NPZ_LAYOUTS = ("{split}_images", "{split}_labels"), ("x_{split}", "y_{split}")


def _read_bytes(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as error:
            raise ValueError(f"{path}: a damaged or truncated gzip file ({error})") from None
    return raw


def _idx(path):
    """The array in IDX file ``path`` and its magic number."""
    raw = _read_bytes(path)
    if len(raw) < 4:
        raise ValueError(f"{path}: too short to be an IDX file ({len(raw)} bytes)")
    magic = int.from_bytes(raw[:4], "big")
    type_code, ndim = raw[2], raw[3]
    if raw[:2] != b"\x00\x00" or type_code not in _IDX_TYPES or ndim == 0:
        raise ValueError(f"{path}: not an IDX file: magic number {magic} (0x{magic:08X}); MNIST images have "
                         f"{_IMAGES_MAGIC} (0x00000803) and labels {_LABELS_MAGIC} (0x00000801)")
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise ValueError(f"{path}: truncated IDX header: {ndim} dimensions need {header} bytes, "
                         f"the file has {len(raw)}")
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    dtype = np.dtype(_IDX_TYPES[type_code])
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    found = len(raw) - header
    if found != expected:
        problem = "truncated" if found < expected else "too long"
        raise ValueError(f"{path}: {problem}: the header promises {'×'.join(map(str, shape))} values of "
                         f"{dtype.itemsize} byte(s) = {expected} bytes of data, the file has {found}")
    data = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("=")), magic


def read_idx(path):
    """The array stored in an IDX file (gzipped or not), as stored.

    Parameters
    ----------
    path : str or path-like

    Returns
    -------
    ndarray
        Shape and type from the header (MNIST: uint8, (N, 28, 28) images or
        (N,) labels), in native byte order.

    Raises
    ------
    ValueError
        Naming the file: wrong magic number, truncated header or data, extra
        bytes, damaged gzip stream.
    """
    return _idx(os.fspath(path))[0]


def _images(array, path, dtype):
    if array.dtype.kind not in "uif":
        raise ValueError(f"{path}: images must be numeric, got dtype {array.dtype}")
    if array.ndim not in (3, 4):
        raise ValueError(f"{path}: images must have shape (N, H, W) or (N, H, W, C), got {array.shape}")
    scale = 255.0 if array.dtype == np.uint8 else 1.0
    return (array / scale).astype(dtype)


def _labels(array, path, count, where):
    if array.dtype.kind not in "ui":
        raise ValueError(f"{path}: {where} must be integers, got dtype {array.dtype}")
    if array.ndim == 2 and array.shape[1] == 1:
        array = array[:, 0]
    if len(array) != count:
        raise ValueError(f"{path}: {count} images but {len(array)} labels ({where})")
    return array.astype(np.int64)


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
        images, magic = _idx(images_path)
        if magic != _IMAGES_MAGIC:
            raise ValueError(f"{images_path}: magic number {magic} (0x{magic:08X}), expected {_IMAGES_MAGIC} "
                             f"(0x00000803) for MNIST images")
        labels, magic = _idx(labels_path)
        if magic != _LABELS_MAGIC:
            raise ValueError(f"{labels_path}: magic number {magic} (0x{magic:08X}), expected {_LABELS_MAGIC} "
                             f"(0x00000801) for MNIST labels")
        if len(labels) != len(images):
            raise ValueError(f"{labels_path}: {len(labels)} labels, but {images_path} holds {len(images)} images")
        splits[split] = (_images(images, images_path, dtype), labels.astype(np.int64))
    if not splits:
        raise ValueError(f"{directory}: no MNIST files (expected train-images-idx3-ubyte[.gz], "
                         f"train-labels-idx1-ubyte[.gz], t10k-images-idx3-ubyte[.gz], t10k-labels-idx1-ubyte[.gz])")
    return splits


def _from_npz(path, dtype):
    try:
        archive = np.load(path, allow_pickle=False)
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as error:
        raise ValueError(f"{path}: not a readable .npz archive ({error})") from None
    if not isinstance(archive, np.lib.npyio.NpzFile):
        raise ValueError(f"{path}: holds a single array, not an .npz archive of named arrays")
    with archive:
        keys = set(archive.files)

        def read(key):
            try:
                return archive[key]
            except ValueError as error:
                if "pickle" in str(error):
                    raise ValueError(f"{path}: array {key!r} holds Python objects (pickled data), which chainrule "
                                     f"refuses to load; store plain numeric arrays instead") from None
                raise ValueError(f"{path}: array {key!r} cannot be read ({error})") from None
            except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as error:
                raise ValueError(f"{path}: array {key!r} is damaged ({error})") from None

        splits = {}
        for split in _SPLITS:
            for images_key, labels_key in _NPZ_LAYOUTS:
                images_key, labels_key = images_key.format(split=split), labels_key.format(split=split)
                if images_key not in keys and labels_key not in keys:
                    continue
                for present, missing in ((images_key, labels_key), (labels_key, images_key)):
                    if missing not in keys:
                        raise ValueError(f"{path}: has {present!r} but no {missing!r}")
                images = _images(read(images_key), f"{path}: {images_key!r}", dtype)
                labels = _labels(read(labels_key), path, len(images), f"{images_key!r} / {labels_key!r}")
                splits[split] = (images, labels)
    if not splits:
        raise ValueError(f"{path}: no MNIST arrays; expected train_images/train_labels/test_images/test_labels "
                         f"(MedMNIST) or x_train/y_train/x_test/y_test (Keras), found {sorted(keys)}")
    return splits


def load_mnist(path, dtype=None):
    r"""Load MNIST-format data: a directory of IDX files, one IDX file, or an ``.npz``.

    Images are returned as floats: unsigned bytes are scaled by
    :math:`x / 255` into [0, 1]; other numeric types are only cast. Labels are
    int64; MedMNIST's (N, 1) label columns become (N,).

    Parameters
    ----------
    path : str or path-like
        - a directory holding ``train-images-idx3-ubyte``, ``train-labels-idx1-ubyte``,
          ``t10k-images-idx3-ubyte``, ``t10k-labels-idx1-ubyte`` (each optionally
          ``.gz``; ``images.idx3`` spellings with a dot are accepted too);
        - an ``.npz`` archive (MedMNIST or Keras layout, see the module docs);
        - any other file: read as a single IDX file.
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
        Naming the file and the problem: wrong magic number, truncated data,
        label count different from image count, pickled objects or missing
        keys in an ``.npz``.
    FileNotFoundError
        When ``path`` does not exist.

    Examples
    --------
    >>> splits = cr.data.load_mnist("~/data/mnist")
    >>> X_train, y_train = splits["train"]
    """
    path = os.path.expanduser(os.fspath(path))
    dtype = get_default_dtype() if dtype is None else np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"load_mnist: dtype must be floating, got {dtype}")
    if os.path.isdir(path):
        return _from_directory(path, dtype)
    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such file or directory")
    if path.endswith(".npz"):
        return _from_npz(path, dtype)
    array, magic = _idx(path)
    if magic == _IMAGES_MAGIC:
        return _images(array, path, dtype)
    if magic == _LABELS_MAGIC:
        return array.astype(np.int64)
    return array
