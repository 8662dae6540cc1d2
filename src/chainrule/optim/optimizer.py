"""The optimizer protocol shared by every optimizer (PyTorch's).

An optimizer holds ``param_groups`` — a list of dicts, each with ``"params"`` (a
list of leaf Tensors) and that group's options (``lr``, ``momentum`` ...) — the
constructor's ``defaults``, and ``state``, a dict from parameter to its
per-parameter buffers (NumPy arrays and a ``"step"`` count). ``step()`` updates
every parameter that has a gradient, in place on ``p._data``, bumping each
parameter's version counter; ``zero_grad()`` clears the gradients.

``state_dict()`` uses PyTorch's layout, with parameters named by their position
(0, 1, 2 ... across the groups in order) rather than by the tensors themselves::

    {"state": {0: {"step": 3, "exp_avg": Tensor, ...}, ...},
     "param_groups": [{"lr": 0.001, "betas": (0.9, 0.999), ..., "params": [0, 1]}]}

so that it can be saved (``cr.save``) and loaded into a new optimizer built over
the same parameters in the same order.
"""

import numpy as np

from ..core import devices
from ..core.state import enable_grad, no_grad
from ..core.tensor import Tensor


class _Required:
    """Marks a constructor argument that has no default (``SGD``'s ``lr``)."""

    def __repr__(self):
        return "<required>"


required = _Required()


def _checked_options(name, **bounds):
    """Raise ``ValueError`` naming the first option outside its range.

    ``bounds`` maps an option name to ``(value, low, high)``; ``high`` may be
    ``None`` (no upper bound); the range is ``low <= value`` and ``value < high``.
    """
    for option, (value, low, high) in bounds.items():
        if value is required:
            continue
        if not value >= low or (high is not None and not value < high):
            upper = "" if high is None else f" and < {high}"
            raise ValueError(f"{name}: invalid {option} {value!r}; it must be >= {low}{upper}")


def _is_complex_array(value):
    return isinstance(value, np.ndarray) and value.dtype.kind == "c"


def _as_real(array):
    """A real view of a complex array: shape + (2,), the real and imaginary parts side by side (PyTorch's
    ``view_as_real``); writing through it changes the complex array."""
    return array[..., None].view(array.real.dtype)


def _as_complex(array):
    """The complex array that a real (…, 2) array views (the inverse of ``_as_real``; a view where the layout
    allows, else a copy)."""
    if array.strides[-1] != array.itemsize:
        array = np.ascontiguousarray(array)
    return array.view(np.result_type(array.dtype, np.complex64))[..., 0]


class Optimizer:
    """Base class of the optimizers: PyTorch's protocol.

    Parameters
    ----------
    params : iterable of Tensor or iterable of dict
        The leaf tensors to optimize, or parameter groups: dicts with a
        ``"params"`` entry and per-group options that override ``defaults``.
    defaults : dict
        Every option of the optimizer with its default value.

    Attributes
    ----------
    param_groups : list of dict
    defaults : dict
    state : dict
        ``state[p]`` holds parameter ``p``'s buffers (created at its first step).

    Notes
    -----
    A subclass implements ``_update(group, param, grad, state)``: one parameter's
    update, the ndarray ``param`` changed in place from ``grad`` (an ndarray). The
    base class skips parameters whose ``grad`` is ``None`` and bumps the version
    counter of every parameter it changed.

    A complex parameter is updated as PyTorch does, as the pair of real parameters
    (Re z, Im z) it stands for: ``_update`` sees real views of it, of its gradient (the
    conjugate Wirtinger gradient ∂L/∂x + i·∂L/∂y, so the pair's gradient) and of its
    buffers, which stay complex arrays in ``state``. So Adam and RMSprop keep a
    second moment for each part, and their steps go downhill.
    """

    def __init__(self, params, defaults):
        self.defaults = dict(defaults)
        self.state = {}
        self.param_groups = []
        if isinstance(params, Tensor):
            raise TypeError(f"{type(self).__name__}: params must be an iterable of Tensors or of parameter-group "
                            f"dicts, got a single Tensor; write [tensor]")
        groups = list(params)
        if not groups:
            raise ValueError(f"{type(self).__name__}: got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group):
        """Add a parameter group: a dict with ``"params"`` and optional options.

        Options the group leaves out take the optimizer's ``defaults``; a
        parameter may belong to one group only.
        """
        if not isinstance(param_group, dict):
            raise TypeError(f"{type(self).__name__}: a parameter group must be a dict, "
                            f"got {type(param_group).__name__}")
        group = dict(param_group)
        params = group.get("params")
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, (set, frozenset)):
            raise TypeError(f"{type(self).__name__}: parameters must be given in an ordered collection, not a set "
                            f"(the order names them in state_dict)")
        elif params is None:
            raise ValueError(f"{type(self).__name__}: a parameter group needs a 'params' entry")
        params = list(params)
        taken = {id(p) for g in self.param_groups for p in g["params"]}
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"{type(self).__name__} can only optimize Tensors, got {type(p).__name__}")
            if not p.is_leaf:
                raise ValueError(f"{type(self).__name__}: can't optimize a non-leaf Tensor (one computed from "
                                 f"others); optimize the leaves it came from")
            if id(p) in taken:
                raise ValueError(f"{type(self).__name__}: a parameter appears twice in the parameter groups")
            taken.add(id(p))
        group["params"] = params
        for name, default in self.defaults.items():
            if default is required and name not in group:
                raise ValueError(f"{type(self).__name__}: parameter group didn't specify a value of the required "
                                 f"option {name!r}")
            group.setdefault(name, default)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=True):
        """Reset every parameter's gradient: to ``None`` (default) or to zeros in place."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    if p.grad._node is not None:
                        p.grad = p.grad.detach()
                    with no_grad():
                        p.grad.zero_()

    def step(self, closure=None):
        """One update of every parameter that has a gradient.

        ``closure``, if given, is called first (with gradients recorded): it
        should zero the gradients, compute the loss, call ``backward`` and return
        the loss, which ``step`` returns.
        """
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    state = self.state.setdefault(p, {})
                    if p.dtype.kind == "c":
                        self._update_as_real_pair(group, p, state)
                    else:
                        self._update(group, p._data, p.grad._data, state)
                    p._bump_version()
        return loss

    def _update(self, group, param, grad, state):
        raise NotImplementedError

    def _update_as_real_pair(self, group, p, state):
        """One update of a complex parameter through real views (see the class's notes)."""
        real_state = {name: _as_real(value) if _is_complex_array(value) else value for name, value in state.items()}
        self._update(group, _as_real(p._data), _as_real(p.grad._data), real_state)
        for name, value in real_state.items():
            state[name] = _as_complex(value) if isinstance(value, np.ndarray) else value

    # ------------------------------------------------------------------ state
    def _indices(self):
        return {id(p): i for i, p in enumerate(p for g in self.param_groups for p in g["params"])}

    def state_dict(self):
        """The optimizer's state in PyTorch's layout (parameters as indices).

        Returns
        -------
        dict
            ``{"state": {index: {name: Tensor or int}}, "param_groups": [dict]}``;
            array buffers are copies, so later steps do not change it.
        """
        index = self._indices()
        state = {}
        for p, buffers in self.state.items():
            state[index[id(p)]] = {name: Tensor._wrap(value.copy()) if isinstance(value, np.ndarray) else value
                                   for name, value in buffers.items()}
        groups = [{**{k: v for k, v in g.items() if k != "params"}, "params": [index[id(p)] for p in g["params"]]}
                  for g in self.param_groups]
        return {"state": dict(sorted(state.items())), "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore a state saved by ``state_dict()`` (or read back by ``cr.load``).

        The optimizer must have been built over parameters of the same shapes in
        the same groups. Buffers may be Tensors or arrays (they are copied and
        cast to their parameter's dtype); indices may be ints or digit strings;
        options saved as lists where the optimizer has tuples (``betas``) become
        tuples again.
        """
        name = type(self).__name__
        for key in ("state", "param_groups"):
            if key not in state_dict:
                raise ValueError(f"{name}.load_state_dict: the state dict has no {key!r} entry")
        saved_groups = list(state_dict["param_groups"])
        if len(saved_groups) != len(self.param_groups):
            raise ValueError(f"{name}.load_state_dict: the state dict has {len(saved_groups)} parameter groups, "
                             f"this optimizer has {len(self.param_groups)}")
        by_index = {}
        for saved, group in zip(saved_groups, self.param_groups):
            if len(saved["params"]) != len(group["params"]):
                raise ValueError(f"{name}.load_state_dict: a saved parameter group has {len(saved['params'])} "
                                 f"parameters where this optimizer's has {len(group['params'])}")
            by_index.update({int(i): p for i, p in zip(saved["params"], group["params"])})
        state = {}
        for key, buffers in state_dict["state"].items():
            if int(key) not in by_index:
                raise ValueError(f"{name}.load_state_dict: state for parameter {key}, which no group lists")
            p = by_index[int(key)]
            state[p] = {k: self._restored_buffer(p, k, v) for k, v in buffers.items()}
        for saved, group in zip(saved_groups, self.param_groups):
            for key, value in saved.items():
                if key == "params":
                    continue
                group[key] = tuple(value) if isinstance(group.get(key), tuple) else value
        self.state = state

    def _restored_buffer(self, p, key, value):
        if isinstance(value, Tensor):
            value = value._data
        if not (isinstance(value, np.ndarray) or devices.is_device_array(value)):
            return value
        if key == "step":
            return int(value)
        if value.shape != p.shape:
            raise ValueError(f"{type(self).__name__}.load_state_dict: buffer {key!r} has shape {value.shape}, "
                             f"its parameter has shape {p.shape}")
        value = devices.placed_like(value, p._data)  # on its parameter's device, as PyTorch's
        return value.astype(p.dtype if value.dtype.kind in "fc" else value.dtype)

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {k}: {v}" for k, v in sorted(group.items()) if k != "params")
        return "\n".join(lines + [")"])
