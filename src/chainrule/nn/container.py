"""Containers: ``Sequential`` (modules applied one after another), ``ModuleList``, ``ModuleDict``
and ``ParameterList`` (registered collections, with PyTorch's ``state_dict`` keys)."""

import collections
import operator

from ..core.tensor import Tensor
from .module import Module
from .parameter import Parameter


class Sequential(Module):
    """A chain of modules: ``Sequential(f1, f2, f3)(x) = f3(f2(f1(x)))``.

    Children are named "0", "1", … (or by the keys of one ``OrderedDict`` argument), so
    ``state_dict`` keys are PyTorch's: "0.weight", "2.bias". Supports ``len``,
    iteration, indexing (an int gives a module, a slice a new ``Sequential``) and ``append``.

    Examples
    --------
    >>> model = cr.nn.Sequential(cr.nn.Linear(4, 8), cr.nn.ReLU(), cr.nn.Linear(8, 1))
    >>> list(model.state_dict())
    ['0.weight', '0.bias', '2.weight', '2.bias']
    """

    def __init__(self, *args):
        super().__init__()
        if len(args) == 1 and isinstance(args[0], collections.OrderedDict):
            for name, module in args[0].items():
                self.add_module(name, module)
        else:
            for index, module in enumerate(args):
                self.add_module(str(index), module)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, index):
        items = list(self._modules.items())
        if isinstance(index, slice):
            return Sequential(collections.OrderedDict(items[index]))
        if not -len(items) <= index < len(items):
            raise IndexError(f"Sequential: index {index} is out of range for {len(items)} modules")
        return items[index][1]

    def append(self, module):
        """Add ``module`` at the end; returns self."""
        self.add_module(str(len(self)), module)
        return self

    def forward(self, input):
        for module in self:
            input = module(input)
        return input


def _position(index, length, name):
    """``index`` as a non-negative position in a container of ``length`` items."""
    index = operator.index(index)
    if not -length <= index < length:
        raise IndexError(f"{name}: index {index} is out of range for {length} items")
    return index % length


class _NumberedList(Module):
    """A list whose items are registered under their positions "0", "1", … in one of the module's
    tables (``_table``); ``_register(name, item)`` adds one, ``_convert`` prepares it."""

    _table = None

    def __init__(self, items=None):
        super().__init__()
        if items is not None:
            self.extend(items)

    def _items(self):
        return getattr(self, self._table)

    def _convert(self, item):
        return item

    def _register(self, name, item):
        raise NotImplementedError

    def _renumber(self, items):
        self._items().clear()
        for index, item in enumerate(items):
            self._register(str(index), item)

    def __len__(self):
        return len(self._items())

    def __iter__(self):
        return iter(self._items().values())

    def __getitem__(self, index):
        if isinstance(index, slice):
            return type(self)(list(self._items().values())[index])
        return self._items()[str(_position(index, len(self), type(self).__name__))]

    def __setitem__(self, index, item):
        items = list(self._items().values())
        items[_position(index, len(self), type(self).__name__)] = self._convert(item)
        self._renumber(items)

    def __delitem__(self, index):
        items = list(self._items().values())
        if isinstance(index, slice):
            del items[index]
        else:
            del items[_position(index, len(self), type(self).__name__)]
        self._renumber(items)

    def __iadd__(self, items):
        return self.extend(items)

    def append(self, item):
        """Add ``item`` at the end; returns self."""
        self._register(str(len(self)), self._convert(item))
        return self

    def extend(self, items):
        """Append every item of an iterable; returns self."""
        if isinstance(items, Tensor) or not hasattr(items, "__iter__"):
            raise TypeError(f"{type(self).__name__}.extend: expected an iterable, got {type(items).__name__}")
        for item in items:
            self.append(item)
        return self

    def insert(self, index, item):
        """Insert ``item`` before position ``index``."""
        items = list(self._items().values())
        items.insert(index, self._convert(item))
        self._renumber(items)


class ModuleList(_NumberedList):
    """A list of modules, each registered as a child named by its position ("0", "1", …).

    Holds the layers of a model whose ``forward`` loops over them; unlike a Python list,
    their parameters appear in ``parameters()`` and ``state_dict`` ("layers.0.weight").
    Supports ``len``, iteration, indexing (a slice gives a new ``ModuleList``), item
    assignment and deletion (later items are renumbered), ``append``, ``extend``,
    ``insert`` and ``+=``.

    Examples
    --------
    >>> layers = cr.nn.ModuleList([cr.nn.Linear(4, 4) for _ in range(3)])
    >>> list(layers.state_dict())[:2]
    ['0.weight', '0.bias']
    """

    _table = "_modules"

    def __init__(self, modules=None):
        super().__init__(modules)

    def _register(self, name, module):
        self.add_module(name, module)


class ParameterList(_NumberedList):
    """A list of parameters, each registered under its position ("0", "1", …), as PyTorch's.

    Tensors and arrays that are not yet ``Parameter`` s are wrapped in one (so they require
    grad). Supports the list operations of ``ModuleList``.

    Examples
    --------
    >>> params = cr.nn.ParameterList([cr.zeros(2), cr.ones(3)])
    >>> list(params.state_dict())
    ['0', '1']
    """

    _table = "_parameters"

    def __init__(self, values=None):
        super().__init__(values)

    def _convert(self, value):
        return value if isinstance(value, Parameter) else Parameter(value)

    def _register(self, name, value):
        self.register_parameter(name, value)

    def extra_repr(self):
        return "\n".join(f"({i}): Parameter containing: [{p.dtype} of size {p.shape}]" for i, p in enumerate(self))


class ModuleDict(Module):
    """A dict of modules, each registered as a child under its key (insertion order kept).

    ``state_dict`` keys are "key.weight", …. Supports ``len``, iteration over keys, ``in``,
    ``[key]`` get/set/delete, ``keys``, ``values``, ``items``, ``update``, ``pop`` and ``clear``.
    """

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules)

    def __contains__(self, key):
        return key in self._modules

    def __getitem__(self, key):
        if key not in self._modules:
            raise KeyError(f"ModuleDict: no module under {key!r}; the keys are {list(self._modules)}")
        return self._modules[key]

    def __setitem__(self, key, module):
        if not isinstance(key, str):
            raise TypeError(f"ModuleDict: keys must be strings, got {type(key).__name__}")
        self.add_module(key, module)

    def __delitem__(self, key):
        del self._modules[key]

    def keys(self):
        return self._modules.keys()

    def values(self):
        return self._modules.values()

    def items(self):
        return self._modules.items()

    def update(self, modules):
        """Add the modules of a mapping or of an iterable of (key, module) pairs."""
        pairs = modules.items() if hasattr(modules, "items") else modules
        for key, module in pairs:
            self[key] = module

    def pop(self, key):
        """Remove the module under ``key`` and return it."""
        module = self[key]
        del self[key]
        return module

    def clear(self):
        """Remove every module."""
        self._modules.clear()
