"""``Sequential``: modules applied one after another."""

import collections

from .module import Module


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
