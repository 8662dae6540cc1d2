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
"""

import json
import os
import tempfile

import numpy as np

from .core.tensor import Tensor

_INDEX_KEY = "__chainrule__"
_FORMAT = 1


def _safetensors():
    try:
        import safetensors.numpy
    except ImportError as error:
        raise ImportError("cr.save / cr.load need safetensors (pip install 'chainrule[full]')") from error
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
    paths[name] = path
    if isinstance(obj, Tensor):
        obj = obj._data
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


# ------------------------------------------------------------------ writing
def _write_atomically(path, payload):
    """Write ``payload`` to a temporary file next to ``path``, then rename it over ``path``."""
    directory = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(payload)
            f.flush()
            os.fsync(f.fileno())
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
    path : str or path-like
        The file to write; its directory must exist.

    Notes
    -----
    The file is written to a temporary file in the same directory, flushed to
    disk, then renamed over ``path`` (``os.replace``, atomic on POSIX and
    Windows): a save interrupted at any point leaves either the old file or the
    new one, never a corrupt mix. See the module docs for the layout.

    Examples
    --------
    >>> cr.save({"model": model.state_dict(), "optim": opt.state_dict(), "epoch": 3}, "ckpt.safetensors")
    >>> ckpt = cr.load("ckpt.safetensors")
    >>> model.load_state_dict(ckpt["model"]); opt.load_state_dict(ckpt["optim"])
    """
    path = os.fspath(path)
    tensors, metadata = _encode(obj)
    try:
        payload = _safetensors().numpy.save(tensors, metadata=metadata)
    except Exception as error:
        raise ValueError(f"cr.save: cannot write {path}: {error}") from error
    if not os.path.isdir(os.path.dirname(os.path.abspath(path))):
        raise FileNotFoundError(f"cr.save: the directory of {path} does not exist")
    _write_atomically(path, payload)


# ------------------------------------------------------------------ reading
def _insert(tree, path, value, filename):
    node = tree
    for key in path[:-1]:
        node = node.setdefault(key, {})
        if not isinstance(node, dict):
            raise ValueError(f"{filename}: not a valid chainrule checkpoint (entry {key!r} is both a value and a dict)")
    node[path[-1]] = value


def load(path):
    """Read a file written by ``cr.save`` (or any safetensors file).

    Parameters
    ----------
    path : str or path-like

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
    FileNotFoundError
        If ``path`` does not exist.
    ValueError
        If the file is not a valid safetensors file (truncated, random bytes,
        bad header) or its chainrule index is damaged; the message names the file.
    """
    path = os.fspath(path)
    if not os.path.exists(path):
        raise FileNotFoundError(f"cr.load: no such file: {path}")
    safetensors = _safetensors()
    try:
        with safetensors.safe_open(path, framework="numpy") as f:
            metadata = f.metadata() or {}
            tensors = {name: f.get_tensor(name) for name in f.keys()}
    except Exception as error:
        raise ValueError(f"cr.load: {path} is not a valid safetensors file: {error}") from None
    tensors = {name: Tensor._wrap(array if array.flags.writeable else array.copy())
               for name, array in tensors.items()}
    if _INDEX_KEY not in metadata:
        return tensors
    try:
        index = json.loads(metadata[_INDEX_KEY])
        if index["format"] != _FORMAT:
            raise ValueError(f"cr.load: {path} has checkpoint format {index['format']!r}; this chainrule "
                             f"reads format {_FORMAT}")
        tree = {}
        for name, key_path in index["paths"].items():
            value = tensors[name] if name in tensors else json.loads(metadata[name], object_hook=_untag)
            _insert(tree, key_path, value, path)
    except (KeyError, IndexError, TypeError, AttributeError, json.JSONDecodeError) as error:
        raise ValueError(f"cr.load: {path} has a damaged chainrule index ({type(error).__name__}: {error})") from None
    return tree
