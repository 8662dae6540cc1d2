"""``Module``: the base class of layers and models, with PyTorch's protocol.

A module registers what is assigned to its attributes: a ``Parameter`` becomes a
parameter, a ``Module`` a child, and ``register_buffer`` declares non-learnable
state (BatchNorm's running statistics). From that registry come
``parameters()``, ``named_parameters()``, ``state_dict()`` with PyTorch's dotted
keys (``"0.weight"``, ``"features.1.running_mean"``), ``load_state_dict()``,
``zero_grad()``, ``train()``/``eval()`` and a nested ``repr``.
"""

import collections

import numpy as np

from ..api.conversion import parse_to
from ..core import devices
from ..core.errors import DtypeError
from ..core.state import no_grad
from ..core.tensor import Tensor
from ..core.tensor import array_of
from . import hooks
from .parameter import Parameter

IncompatibleKeys = collections.namedtuple("IncompatibleKeys", ["missing_keys", "unexpected_keys"])
IncompatibleKeys.__doc__ = ("What ``load_state_dict(strict=False)`` did not match: keys the module has that the "
                            "state dict lacks (missing_keys), and the reverse (unexpected_keys).")


class StateDictError(RuntimeError, ValueError):
    """A state dict that does not fit the module: missing or unexpected keys, wrong shapes.

    A ``RuntimeError`` as in PyTorch, and a ``ValueError`` as every chainrule shape error.
    """


class Module:
    """Base class of every layer and model; subclasses define ``forward``.

    Calling the module calls ``forward``. Attributes holding a ``Parameter``, a
    ``Module`` or a registered buffer are tracked, so that

    ``parameters()``  yields every parameter of the module and its descendants once;
    ``state_dict()``   maps dotted names to parameters and persistent buffers;
    ``train()``/``eval()`` set ``.training`` on the whole tree (Dropout, BatchNorm read it).

    Examples
    --------
    >>> class Affine(cr.nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.scale = cr.nn.Parameter(cr.ones(3))
    ...     def forward(self, x):
    ...         return self.scale * x
    >>> [name for name, _ in Affine().named_parameters()]
    ['scale']
    """

    def __init__(self):
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_parameters", {})
        object.__setattr__(self, "_buffers", {})
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", {})
        object.__setattr__(self, "_forward_pre_hooks", {})
        object.__setattr__(self, "_forward_hooks", {})
        object.__setattr__(self, "_backward_hooks", {})

    def forward(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__} has no forward(); define forward(self, ...) in the subclass")

    def __call__(self, *args, **kwargs):
        if self._forward_pre_hooks or self._forward_hooks or self._backward_hooks:
            return hooks.call_with_hooks(self, args, kwargs)
        return self.forward(*args, **kwargs)

    # ------------------------------------------------------------------- hooks
    def register_forward_pre_hook(self, hook):
        """``hook(module, args)`` before each forward; a returned value replaces the arguments."""
        return hooks.register(self._forward_pre_hooks, hook)

    def register_forward_hook(self, hook):
        """``hook(module, args, output)`` after each forward; a returned value replaces the output."""
        return hooks.register(self._forward_hooks, hook)

    def register_full_backward_hook(self, hook):
        """``hook(module, grad_input, grad_output)`` once the gradients with respect to the module's
        inputs are computed; a returned tuple replaces ``grad_input``."""
        return hooks.register(self._backward_hooks, hook)

    # ------------------------------------------------------------ registration
    def _check_initialized(self, what):
        if "_parameters" not in self.__dict__:
            raise AttributeError(f"cannot assign {what} before Module.__init__() call "
                                 f"(call super().__init__() first in {type(self).__name__}.__init__)")

    def __setattr__(self, name, value):
        if isinstance(value, Parameter):
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            self.add_module(name, value)
        elif "_parameters" in self.__dict__ and name in self._parameters:
            if value is not None:
                raise TypeError(f"cannot assign a {type(value).__name__} as parameter {name!r} of "
                                f"{type(self).__name__} (cr.nn.Parameter or None expected)")
            self._parameters[name] = None
        elif "_modules" in self.__dict__ and name in self._modules:
            if value is not None:
                raise TypeError(f"cannot assign a {type(value).__name__} as child module {name!r} of "
                                f"{type(self).__name__} (cr.nn.Module or None expected)")
            self._modules[name] = None
        elif "_buffers" in self.__dict__ and name in self._buffers:
            if value is not None and not isinstance(value, Tensor):
                raise TypeError(f"cannot assign a {type(value).__name__} as buffer {name!r} of "
                                f"{type(self).__name__} (Tensor or None expected)")
            self._buffers[name] = value
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name):
        registry = self.__dict__
        for table in ("_parameters", "_buffers", "_modules"):
            if table in registry and name in registry[table]:
                return registry[table][name]
        raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")

    def __delattr__(self, name):
        for table in (self._parameters, self._buffers, self._modules):
            if name in table:
                del table[name]
                self._non_persistent.discard(name)
                return
        object.__delattr__(self, name)

    def _forget(self, name):
        self.__dict__.pop(name, None)
        for table in (self._parameters, self._buffers, self._modules):
            table.pop(name, None)
        self._non_persistent.discard(name)

    def register_parameter(self, name, param):
        """Add ``param`` (a ``Parameter`` or None) under ``name``."""
        self._check_initialized("parameters")
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(f"register_parameter: {name!r} must be a cr.nn.Parameter or None, "
                            f"got {type(param).__name__}")
        self._forget(name)
        self._parameters[name] = param

    def register_buffer(self, name, tensor, persistent=True):
        """Add non-learnable state under ``name``; persistent buffers are part of ``state_dict``."""
        self._check_initialized("buffers")
        if tensor is not None and not isinstance(tensor, Tensor):
            raise TypeError(f"register_buffer: {name!r} must be a Tensor or None, got {type(tensor).__name__}")
        self._forget(name)
        self._buffers[name] = tensor
        if not persistent:
            self._non_persistent.add(name)

    def add_module(self, name, module):
        """Add a child ``module`` (or None) under ``name``."""
        self._check_initialized("modules")
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module: {name!r} must be a cr.nn.Module or None, got {type(module).__name__}")
        self._forget(name)
        self._modules[name] = module

    register_module = add_module

    # ---------------------------------------------------------------- traversal
    def named_modules(self, prefix="", remove_duplicate=True):
        """``(name, module)`` for this module and every descendant, depth first; a module shared
        under several names comes once (under every name with ``remove_duplicate=False``)."""
        seen = set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if remove_duplicate and id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [(f"{name}.{child}" if name else child, m) for child, m in module._modules.items()
                        if m is not None]
            stack.extend(reversed(children))

    def modules(self):
        """This module and every descendant."""
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        """``(name, child)`` for the direct children."""
        for name, module in self._modules.items():
            if module is not None:
                yield name, module

    def children(self):
        """The direct children."""
        for _, module in self.named_children():
            yield module

    def _named_members(self, table, prefix, recurse, remove_duplicate=True):
        seen = set()
        modules = self.named_modules(prefix, remove_duplicate=remove_duplicate) if recurse else [(prefix, self)]
        for module_name, module in modules:
            for name, value in getattr(module, table).items():
                if value is None or (remove_duplicate and id(value) in seen):
                    continue
                seen.add(id(value))
                yield (f"{module_name}.{name}" if module_name else name), value

    def named_parameters(self, prefix="", recurse=True, remove_duplicate=True):
        """``(dotted name, parameter)`` pairs, each parameter once (shared ones under their first name,
        unless ``remove_duplicate=False``)."""
        return self._named_members("_parameters", prefix, recurse, remove_duplicate)

    def parameters(self, recurse=True):
        """Every parameter of the module (and, with ``recurse``, of its descendants), each once."""
        for _, param in self.named_parameters(recurse=recurse):
            yield param

    def named_buffers(self, prefix="", recurse=True):
        """``(dotted name, buffer)`` pairs."""
        return self._named_members("_buffers", prefix, recurse)

    def buffers(self, recurse=True):
        """Every buffer of the module (and of its descendants)."""
        for _, buffer in self.named_buffers(recurse=recurse):
            yield buffer

    # -------------------------------------------------------------------- modes
    def apply(self, fn):
        """Call ``fn`` on every submodule (children first, as PyTorch) and on this module; returns
        self. The usual use is initialization: ``model.apply(init_weights)``."""
        for child in self.children():
            child.apply(fn)
        fn(self)
        return self

    def train(self, mode=True):
        """Set training mode (``mode=True``) or evaluation mode on the whole tree; returns self."""
        if not isinstance(mode, bool):
            raise ValueError(f"train: mode is expected to be a bool, got {mode!r}")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self):
        """Evaluation mode: ``train(False)``."""
        return self.train(False)

    def zero_grad(self, set_to_none=True):
        """Reset every parameter's gradient: to None (default, as PyTorch) or to zeros."""
        for param in self.parameters():
            if set_to_none or param.grad is None:
                param.grad = None
            else:
                param.grad = Tensor._wrap(np.zeros_like(param._data))

    def requires_grad_(self, requires_grad=True):
        """Turn gradient tracking of every parameter on or off; returns self."""
        for param in self.parameters():
            param.requires_grad = requires_grad
        return self

    def to(self, *args, **kwargs):
        """Move and/or cast every parameter and buffer in place (gradients are reset); returns self.

        PyTorch's forms: ``to(dtype)``, ``to("cuda")``, ``to("cuda", dtype)``,
        ``to(device=..., dtype=...)``, ``to(tensor)``. Only floating tensors are cast.
        Parameters keep their identity, so optimizers built before the move still hold them.
        """
        target, dtype, _ = parse_to(args, kwargs, "Module.to")
        if dtype is not None and dtype.kind != "f":
            raise DtypeError(f"Module.to: expected a floating dtype, got {dtype}")
        for tensor in list(self.parameters()) + list(self.buffers()):
            data = tensor._data
            if target is not None:
                data = devices.to_device(data, target.type)
            if dtype is not None and data.dtype.kind == "f" and data.dtype != dtype:
                data = data.astype(dtype)
            if data is not tensor._data:
                tensor._data = data
                tensor._bump_version()
                tensor.grad = None
        return self

    def cpu(self):
        """``to("cpu")``."""
        return self.to("cpu")

    def cuda(self, device=None):
        """``to("cuda")`` (``device`` may name one: ``0``, ``"cuda:0"``)."""
        return self.to("cuda" if device is None else f"cuda:{device}" if isinstance(device, int) else device)

    def double(self):
        """``to(np.float64)``."""
        return self.to(np.float64)

    def float(self):
        """``to(np.float32)``."""
        return self.to(np.float32)

    # --------------------------------------------------------------- state dict
    def _state_entries(self):
        entries = collections.OrderedDict()
        for module_name, module in self.named_modules():
            for table, skip in (("_parameters", ()), ("_buffers", module._non_persistent)):
                for name, value in getattr(module, table).items():
                    if value is not None and name not in skip:
                        entries[f"{module_name}.{name}" if module_name else name] = value
        return entries

    def state_dict(self, keep_vars=False):
        """An ordered dict from dotted names to parameters and persistent buffers.

        Keys are PyTorch's (``"0.weight"``, ``"bn.running_var"``). Values are tensors that
        share memory with the module (detached unless ``keep_vars=True``).
        """
        return collections.OrderedDict((key, value if keep_vars else value.detach())
                                       for key, value in self._state_entries().items())

    def load_state_dict(self, state_dict, strict=True):
        """Copy values from ``state_dict`` into the module's parameters and buffers, in place.

        Values may be Tensors, arrays or numbers; each is cast to the dtype of the tensor
        it replaces. Nothing is changed unless every check passes.

        Parameters
        ----------
        state_dict : mapping
            Dotted names (as ``state_dict()`` gives them) to values.
        strict : bool
            Refuse keys the module lacks and keys it has that ``state_dict`` lacks.
            Shapes must match either way.

        Returns
        -------
        IncompatibleKeys
            ``(missing_keys, unexpected_keys)``, both empty when ``strict``.

        Raises
        ------
        StateDictError
            Naming every missing or unexpected key and every shape mismatch.
        """
        entries = self._state_entries()
        missing = [key for key in entries if key not in state_dict]
        unexpected = [key for key in state_dict if key not in entries]
        problems = []
        if strict and unexpected:
            problems.append("Unexpected key(s) in state_dict: " + ", ".join(f'"{k}"' for k in unexpected) + ".")
        if strict and missing:
            problems.append("Missing key(s) in state_dict: " + ", ".join(f'"{k}"' for k in missing) + ".")
        arrays = {}
        for key, target in entries.items():
            if key not in state_dict:
                continue
            array = array_of(state_dict[key])  # copied onto the parameter's device by copy_
            if array.shape != target.shape:
                problems.append(f"size mismatch for {key}: copying a value of shape {array.shape} from the "
                                f"state dict, the shape in the current model is {target.shape}.")
            arrays[key] = array
        if problems:
            raise StateDictError(f"Error(s) in loading state_dict for {type(self).__name__}:\n\t"
                                 + "\n\t".join(problems))
        with no_grad():
            for key, array in arrays.items():
                entries[key].copy_(array.astype(entries[key].dtype, copy=False))
        return IncompatibleKeys(missing, unexpected)

    # --------------------------------------------------------------------- repr
    def extra_repr(self):
        """The text between the parentheses of this module's repr (its settings)."""
        return ""

    def __repr__(self):
        """PyTorch's layout: settings inline, children one per line, indented by nesting depth."""
        extra = self.extra_repr().split("\n") if self.extra_repr() else []
        children = [f"({name}): " + repr(module).replace("\n", "\n  ") for name, module in self._modules.items()]
        if len(extra) <= 1 and not children:
            return f"{type(self).__name__}({''.join(extra)})"
        return f"{type(self).__name__}(\n  " + "\n  ".join(extra + children) + "\n)"
