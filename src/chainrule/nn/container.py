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


class ModuleList(Module):
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

    def __init__(self, modules=None):
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def _renumber(self, modules):
        self._modules.clear()
        for index, module in enumerate(modules):
            self.add_module(str(index), module)

    def __len__(self):
        return len(self._modules)

    def __iter__(self):
        return iter(self._modules.values())

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ModuleList(list(self._modules.values())[index])
        return self._modules[str(_position(index, len(self), "ModuleList"))]

    def __setitem__(self, index, module):
        modules = list(self._modules.values())
        modules[_position(index, len(self), "ModuleList")] = module
        self._renumber(modules)

    def __delitem__(self, index):
        modules = list(self._modules.values())
        if isinstance(index, slice):
            del modules[index]
        else:
            del modules[_position(index, len(self), "ModuleList")]
        self._renumber(modules)

    def __iadd__(self, modules):
        return self.extend(modules)

    def append(self, module):
        """Add ``module`` at the end; returns self."""
        self.add_module(str(len(self)), module)
        return self

    def extend(self, modules):
        """Append every module of an iterable; returns self."""
        if isinstance(modules, Tensor) or not hasattr(modules, "__iter__"):
            raise TypeError(f"ModuleList.extend: expected an iterable of modules, got {type(modules).__name__}")
        for module in modules:
            self.append(module)
        return self

    def insert(self, index, module):
        """Insert ``module`` before position ``index``."""
        modules = list(self._modules.values())
        modules.insert(index, module)
        self._renumber(modules)


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


class ParameterList(Module):
    """A list of parameters, each registered under its position ("0", "1", …), as PyTorch's.

    Tensors and arrays that are not yet ``Parameter`` s are wrapped in one (so they require
    grad). Supports ``len``, iteration, indexing, item assignment, ``append`` and ``extend``.

    Examples
    --------
    >>> params = cr.nn.ParameterList([cr.zeros(2), cr.ones(3)])
    >>> list(params.state_dict())
    ['0', '1']
    """

    def __init__(self, values=None):
        super().__init__()
        if values is not None:
            self.extend(values)

    @staticmethod
    def _as_parameter(value):
        return value if isinstance(value, Parameter) else Parameter(value)

    def __len__(self):
        return len(self._parameters)

    def __iter__(self):
        return iter(self._parameters.values())

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ParameterList(list(self._parameters.values())[index])
        return self._parameters[str(_position(index, len(self), "ParameterList"))]

    def __setitem__(self, index, value):
        values = list(self._parameters.values())
        values[_position(index, len(self), "ParameterList")] = self._as_parameter(value)
        self._parameters.clear()
        self.extend(values)

    def append(self, value):
        """Add ``value`` (made a ``Parameter``) at the end; returns self."""
        self.register_parameter(str(len(self)), self._as_parameter(value))
        return self

    def extend(self, values):
        """Append every value of an iterable; returns self."""
        for value in values:
            self.append(value)
        return self

    def extra_repr(self):
        return "\n".join(f"({i}): Parameter containing: [{p.dtype} of size {p.shape}]" for i, p in enumerate(self))
