"""Checkpoints: ``cr.save(obj, path)`` and ``cr.load(path)`` in safetensors files.

A safetensors file is an 8-byte header length, a JSON header (each tensor's
dtype, shape and byte range, plus a ``__metadata__`` map of strings) and the raw
tensor bytes. Nothing in it is executable: chainrule never pickles.

How a (nested) dict maps onto a file:

- the leaves are named by their key paths joined with ``"."``:
  ``{"state": {0: {"exp_avg": a}}}`` gives the name ``"state.0.exp_avg"``;
- arrays and Tensors (and NumPy scalars, as 0-d arrays) become tensors of the
  file, dtypes preserved;
- every other leaf — numbers, strings, booleans, ``None``, lists and tuples of
  those, empty dicts — becomes a metadata entry under its name, JSON-encoded
  (tuples tagged so that they come back as tuples);
- the metadata entry ``"__chainrule__"`` records every name's key path (with
  int keys kept as ints), so that ``load`` rebuilds the very structure saved.

A module's ``state_dict`` is already flat (``"0.weight"``) and comes back flat;
an optimizer's is nested and comes back nested, ready for ``load_state_dict``.
Files written by other programs load as a flat dict of their tensors (their
metadata, strings with no declared meaning, is left out).

What a file can and cannot do to the reader:

- ``save`` is atomic: it writes a temporary file in the target's directory (a short
  name, so any target name the file system allows works), flushes it to disk, reads
  its header back to check that ``load`` will accept it, and only then renames it over
  the target. A save interrupted at any point, even by SIGKILL, leaves the previous
  file; the next save of the same target removes temporaries that dead processes left.
- ``load`` reads regular files only (a FIFO or a device is refused before a byte is
  read) and parses the format itself: the header length, every shape and byte range
  are checked against the file's size before anything is allocated, so memory is
  bounded by the file's size; each tensor is read straight into its own array.
- Every malformed file — truncated, random bytes, bad JSON, duplicate or reserved
  names, overlapping ranges, metadata nested too deep or holding numbers too long to
  convert, a pickle renamed ``.safetensors`` — raises a ``ValueError`` naming the file.
"""

import hashlib
import json
import math
import os
import struct
import tempfile

import numpy as np

from .core.devices import is_device_array, to_host
from .core.tensor import Tensor
from .files import display, open_regular, read_into

_INDEX_KEY = "__chainrule__"
_RESERVED = "__metadata__"  # the safetensors header's own entry: no tensor may take its name
_FORMAT = 1
_MAX_HEADER = 100_000_000  # bytes; the limit of the safetensors reference implementation
_DTYPES = {"BOOL": "|b1", "U8": "|u1", "I8": "|i1", "U16": "<u2", "I16": "<i2", "F16": "<f2", "U32": "<u4",
           "I32": "<i4", "F32": "<f4", "U64": "<u8", "I64": "<i8", "F64": "<f8", "C64": "<c8"}


def _safetensors():
    try:
        import safetensors.numpy
    except ImportError as error:
        raise ImportError("cr.save needs safetensors (pip install 'chainrule[full]')") from error
    return safetensors


# ----------------------------------------------------------------- encoding
def _tag(value, where):
    """``value`` as JSON-ready data, tuples tagged; refuses arrays and objects."""
    if isinstance(value, tuple):
        return {"__tuple__": [_tag(v, where) for v in value]}
    if isinstance(value, list):
        return [_tag(v, where) for v in value]
    if isinstance(value, dict):
        return {str(k): _tag(v, where) for k, v in value.items()}
    if isinstance(value, np.generic):
        return value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    hint = "; put arrays in a dict, not in a list or tuple" if isinstance(value, (Tensor, np.ndarray)) else ""
    raise TypeError(f"cr.save: cannot store a value of type {type(value).__name__} at {where!r}: a checkpoint "
                    f"holds arrays and Tensors, and numbers, strings, booleans, None and lists or tuples "
                    f"of those{hint}")


def _untag(obj):
    if set(obj) == {"__tuple__"}:
        return tuple(obj["__tuple__"])
    return obj


def _state(obj):
    """A Module's or Optimizer's ``state_dict()``; anything else unchanged."""
    if not isinstance(obj, dict) and callable(getattr(obj, "state_dict", None)):
        return obj.state_dict()
    return obj


def _flatten(obj, path, tensors, metadata, paths):
    obj = _state(obj)
    if isinstance(obj, dict) and obj:
        for key, value in obj.items():
            if not isinstance(key, (str, int)) or isinstance(key, bool):
                raise TypeError(f"cr.save: dict keys must be strings or ints, got {key!r} at "
                                f"{'.'.join(map(str, path)) or 'the top level'}")
            _flatten(value, path + [key], tensors, metadata, paths)
        return
    name = ".".join(map(str, path))
    if name in paths or name == _INDEX_KEY:
        raise ValueError(f"cr.save: two entries would both be stored as {name!r}; rename one of the keys")
    if name == _RESERVED:
        raise ValueError(f"cr.save: the name {_RESERVED!r} is reserved by the safetensors format for the "
                         f"file's metadata; rename that key")
    paths[name] = path
    if isinstance(obj, Tensor):
        obj = obj._data
    if is_device_array(obj):  # a checkpoint is written from the host: a device array is copied there
        obj = to_host(obj)
    if isinstance(obj, np.ndarray):
        if obj.dtype.kind not in "biufc":
            raise TypeError(f"cr.save: {name!r} is an array of dtype {obj.dtype}; only numeric and boolean "
                            f"arrays can be stored")
        tensors[name] = np.asarray(obj, order="C")
    elif isinstance(obj, np.generic) and obj.dtype.kind in "biufc":
        tensors[name] = np.asarray(obj)
    else:
        metadata[name] = json.dumps(_tag(obj, name), allow_nan=True)


def _encode(obj):
    """``(tensors, metadata)`` for a state-dict owner or a (nested) dict."""
    obj = _state(obj)
    if not isinstance(obj, dict):
        raise TypeError(f"cr.save: expected a Module, an Optimizer (anything with state_dict()) or a dict, "
                        f"got {type(obj).__name__}")
    tensors, metadata, paths = {}, {}, {}
    if obj:
        _flatten(obj, [], tensors, metadata, paths)
    metadata[_INDEX_KEY] = json.dumps({"format": _FORMAT, "paths": paths})
    return tensors, metadata


# ------------------------------------------------------------------ reading
def _unique_keys(pairs):
    """A JSON object as a dict, refusing a name given twice (JSON would keep the last silently)."""
    obj = {}
    for key, value in pairs:
        if key in obj:
            raise ValueError(f"duplicate field {key!r} in the header")
        obj[key] = value
    return obj


def _count(value, what):
    if type(value) is not int or not 0 <= value < 2 ** 63:
        raise ValueError(f"{what} must be a non-negative 64-bit integer, got {value!r}")
    return value


def _read_header(f, size):
    """The tensor entries ``(begin, end, name, dtype, shape)`` sorted by position, and the metadata.

    Follows the safetensors layout: a little-endian u64 header length, a JSON header
    (each tensor's dtype, shape and byte range, ``__metadata__`` a map of strings), the
    data. Every number is checked against ``size`` (the file's) before it is trusted;
    the byte ranges must cover the data exactly, without gaps or overlaps. Leaves ``f``
    at the start of the data. Raises ``ValueError`` saying what is wrong.
    """
    if size < 8:
        raise ValueError(f"{size} bytes, shorter than the 8-byte header length")
    (length,) = struct.unpack("<Q", f.read(8))
    if length > min(size - 8, _MAX_HEADER):
        raise ValueError(f"the header length field says {length} bytes, but the file has {size - 8} after it")
    try:
        header = json.loads(f.read(length).decode("utf-8"), object_pairs_hook=_unique_keys)
    except RecursionError:
        raise ValueError("the header is nested too deeply") from None
    except (UnicodeDecodeError, ValueError) as error:
        raise ValueError(f"the header is not valid JSON ({error})") from None
    if not isinstance(header, dict):
        raise ValueError("the header is not a JSON object")
    metadata = header.pop(_RESERVED, None) or {}
    if not isinstance(metadata, dict) or not all(isinstance(v, str) for v in metadata.values()):
        raise ValueError(f"{_RESERVED} is not a map of strings")
    entries = []
    for name, entry in header.items():
        if not isinstance(entry, dict) or set(entry) != {"dtype", "shape", "data_offsets"}:
            raise ValueError(f"the entry of tensor {name!r} is not {{dtype, shape, data_offsets}}")
        dtype = _DTYPES.get(entry["dtype"]) if isinstance(entry["dtype"], str) else None
        if dtype is None:
            raise ValueError(f"tensor {name!r} has dtype {entry['dtype']!r}; NumPy holds {', '.join(_DTYPES)}")
        shape, offsets = entry["shape"], entry["data_offsets"]
        if not isinstance(shape, list) or not isinstance(offsets, list) or len(offsets) != 2:
            raise ValueError(f"tensor {name!r}: shape and data_offsets must be lists (two offsets)")
        shape = tuple(_count(n, f"a dimension of tensor {name!r}") for n in shape)
        begin, end = (_count(n, f"an offset of tensor {name!r}") for n in offsets)
        nbytes = math.prod(shape) * np.dtype(dtype).itemsize
        if end - begin != nbytes:
            raise ValueError(f"tensor {name!r} of shape {shape} and dtype {entry['dtype']} needs {nbytes} "
                             f"bytes, its byte range {begin}..{end} holds {end - begin}")
        entries.append((begin, end, name, np.dtype(dtype), shape))
    entries.sort(key=lambda e: (e[0], e[1]))
    position = 0
    for begin, end, name, _, _ in entries:
        if begin != position:
            raise ValueError(f"tensor {name!r} starts at byte {begin} of the data, expected {position} "
                             f"(ranges overlap or leave a gap)")
        position = end
    if position != size - 8 - length:
        raise ValueError(f"the tensors hold {position} bytes of data, the file has {size - 8 - length}")
    return entries, metadata


def _read_tensors(f, entries):
    """Each entry's array, read from ``f`` (positioned at the data) straight into a fresh array."""
    tensors = {}
    for _, _, name, dtype, shape in entries:
        array = np.empty(shape, dtype)
        if read_into(f, array.reshape(-1).view(np.uint8)) != array.nbytes:
            raise ValueError(f"tensor {name!r} is cut short (the file changed while it was read)")
        tensors[name] = Tensor._wrap(array if dtype.isnative else array.astype(dtype.newbyteorder("=")))
    return tensors


class _OtherFormat(ValueError):
    """A checkpoint index written by another version of chainrule."""


def _rebuild(tensors, metadata):
    """The saved structure from the recorded key paths (a foreign file: its tensors, flat)."""
    if _INDEX_KEY not in metadata:
        return tensors
    index = json.loads(metadata[_INDEX_KEY])
    if index["format"] != _FORMAT:
        raise _OtherFormat(f"checkpoint format {index['format']!r}; this chainrule reads format {_FORMAT}")
    tree = {}
    for name, key_path in index["paths"].items():
        value = tensors[name] if name in tensors else json.loads(metadata[name], object_hook=_untag)
        _insert(tree, key_path, value)
    return tree


def _insert(tree, path, value):
    node = tree
    for key in path[:-1]:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            raise ValueError(f"entry {key!r} is both a value and a dict")
    node[path[-1]] = value


def load(path):
    """Read a file written by ``cr.save`` (or any safetensors file).

    Parameters
    ----------
    path : str, bytes or path-like
        A regular file.

    Returns
    -------
    dict
        The structure that was saved: arrays come back as Tensors with their
        dtypes and shapes, plain values (numbers, strings, ``None``, lists,
        tuples) as themselves, and nested dicts rebuilt from the recorded key
        paths — int keys as ints. A module's flat state dict comes back flat.
        A safetensors file from another program gives a flat dict of its tensors.

    Raises
    ------
    FileNotFoundError, PermissionError
        If ``path`` does not exist, or cannot be read.
    ValueError
        If ``path`` is not a regular file (a FIFO, a device, a directory), is not
        a valid safetensors file (truncated, random bytes, bad header, a pickle) or
        its chainrule index is damaged; the message names the file and the problem.

    Notes
    -----
    Memory is bounded by the file: every size in the header is checked against
    the file's size before an array is allocated. Nothing is ever unpickled.
    """
    name = display(path)
    f, size = open_regular(path, "cr.load: ")
    with f:
        try:
            entries, metadata = _read_header(f, size)
            tensors = _read_tensors(f, entries)
        except ValueError as error:
            raise ValueError(f"cr.load: {name} is not a valid safetensors file: {error}") from None
    try:
        return _rebuild(tensors, metadata)
    except _OtherFormat as error:
        raise ValueError(f"cr.load: {name} has {error}") from None
    except RecursionError:
        raise ValueError(f"cr.load: {name} has a damaged chainrule index (a value nested too deeply)") from None
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as error:
        raise ValueError(f"cr.load: {name} has a damaged chainrule index ({type(error).__name__}: {error})") from None


# ------------------------------------------------------------------ writing
_TEMPORARY_SUFFIX = ".crtmp"


def _temporary_prefix(path):
    """The start of the names of ``path``'s temporary files: short, whatever the length of ``path``'s name."""
    digest = hashlib.sha256(os.fsencode(os.path.basename(path))).hexdigest()[:16]
    return f".{digest}."


def _alive(pid):
    if os.name == "nt":  # os.kill(pid, 0) would send CTRL_C_EVENT there
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, ValueError):
        return True
    return True


def remove_stale_temporaries(path):
    """Delete the temporary files that saves of ``path`` by processes no longer running left behind.

    A temporary is named ``.<hash of the target's name>.<pid>.<random>.crtmp``; one whose
    writer process is still alive (a save in progress) is left alone. Returns the names removed.
    """
    directory = os.path.dirname(os.path.abspath(path))
    prefix = _temporary_prefix(path)
    removed = []
    try:
        names = os.listdir(directory)
    except OSError:
        return removed
    for entry in names:
        if not (entry.startswith(prefix) and entry.endswith(_TEMPORARY_SUFFIX)):
            continue
        pid = entry[len(prefix):].split(".", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            try:
                os.unlink(os.path.join(directory, entry))
                removed.append(entry)
            except FileNotFoundError:
                pass
    return removed


def _check_written(f, size, tensors, metadata):
    """Read the header of the file just written back, as ``load`` will; raise if it differs."""
    f.seek(0)
    entries, found = _read_header(f, size)
    written = {name: (dtype, shape) for _, _, name, dtype, shape in entries}
    expected = {name: (array.dtype.newbyteorder("<"), array.shape) for name, array in tensors.items()}
    if written != expected or found != metadata:
        raise ValueError("its header does not list the tensors and metadata that were saved")


def _write_atomically(path, payload, check):
    """Write ``payload`` to a temporary file next to ``path``, check it, then rename it over ``path``."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=f"{_temporary_prefix(path)}{os.getpid()}.", suffix=_TEMPORARY_SUFFIX,
                                     dir=directory)
    try:
        with os.fdopen(fd, "w+b") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
            check(f)
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


def _file_mode(path):
    """The existing file's permissions, or the default ones for a new file (0o666 less the umask)."""
    try:
        return os.stat(path).st_mode & 0o777
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


def save(obj, path):
    """Save a Module, an Optimizer or a (nested) dict to a safetensors file, atomically.

    Parameters
    ----------
    obj : object with ``state_dict()``, or dict
        A dict may nest dicts (keys: strings or ints) whose leaves are Tensors,
        arrays, NumPy scalars, numbers, strings, booleans, ``None``, or lists /
        tuples of those plain values.
    path : str, bytes or path-like
        The file to write; its directory must exist.

    Raises
    ------
    TypeError
        For a value that cannot be stored (objects, arrays inside lists).
    ValueError
        Before anything is written, for keys that would collide in the file (two
        key paths joining to one dotted name, the reserved ``"__metadata__"``), or
        when the file written would not read back; ``path`` is then left as it was.
    FileNotFoundError
        When the directory does not exist.

    Notes
    -----
    The file is written to a temporary file in the same directory, flushed to
    disk, its header read back and checked, then renamed over ``path``
    (``os.replace``, atomic on POSIX and Windows): a save interrupted at any point
    leaves either the old file or the new one, never a corrupt mix. Temporaries
    left by killed saves of the same ``path`` are removed first. See the module
    docs for the layout.

    Examples
    --------
    >>> cr.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 3}, "ckpt.safetensors")
    >>> ckpt = cr.load("ckpt.safetensors")
    >>> model.load_state_dict(ckpt["model"]); opt.load_state_dict(ckpt["optim"])
    """
    name = display(path)
    tensors, metadata = _encode(obj)
    try:
        payload = _safetensors().numpy.save(tensors, metadata=metadata)
    except Exception as error:
        raise ValueError(f"cr.save: cannot write {name}: {error}") from error
    if not os.path.isdir(os.path.dirname(os.path.abspath(name))):
        raise FileNotFoundError(f"cr.save: the directory of {name} does not exist")
    if os.path.isdir(name):
        raise IsADirectoryError(f"cr.save: {name} is a directory")

    def check(f):
        try:
            _check_written(f, len(payload), tensors, metadata)
        except ValueError as error:
            raise ValueError(f"cr.save: refused to replace {name}: the file written would not load back "
                             f"({error})") from None

    remove_stale_temporaries(name)
    _write_atomically(name, payload, check)
