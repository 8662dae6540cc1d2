"""``functional_call``: run a module with parameters and buffers given as a dict (``torch.func``'s).

A module keeps its parameters as attributes, so a transform cannot see them as
arguments; ``functional_call(model, params, args)`` runs ``model(*args)`` with each named
parameter or buffer replaced by the value in ``params`` for the duration of the call. The
values may be any tensors — tracers of ``cr.grad``, ``cr.vmap``, ``cr.jit`` — so the
transforms work with respect to a module's parameters:

>>> params = {name: p.detach() for name, p in model.named_parameters()}
>>> grads = cr.grad(lambda p: F.cross_entropy(cr.func.functional_call(model, p, (x,)), y))(params)
"""

import contextlib

from ..api.wrap import as_tensor


def _owner(module, dotted):
    """The module holding ``dotted`` ("0.weight", "features.1.running_mean") and the table it is in."""
    *path, name = dotted.split(".")
    for part in path:
        child = module._modules.get(part)
        if child is None:
            return None, None, name
        module = child
    for table in (module._parameters, module._buffers):
        if name in table:
            return module, table, name
    return None, None, name


@contextlib.contextmanager
def _substituted(module, values, tie_weights, strict):
    named = dict(module.named_parameters(remove_duplicate=False)) if tie_weights else {}
    owners = {}
    for dotted in values:
        holder, table, name = _owner(module, dotted)
        if holder is None:
            raise KeyError(f"functional_call: {type(module).__name__} has no parameter or buffer {dotted!r}")
        owners[dotted] = (table, name)
    if tie_weights:  # a parameter shared under several names is replaced under all of them
        for dotted in list(values):
            shared = named.get(dotted)
            for other, param in named.items():
                if param is shared and other not in values:
                    values[other] = values[dotted]
                    owners[other] = _owner(module, other)[1:]
    if strict:
        expected = {name for name, _ in module.named_parameters()} | {name for name, _ in module.named_buffers()}
        missing = sorted(expected - set(values))
        if missing:
            raise KeyError(f"functional_call: strict=True and no values for {missing}")
    saved = [(table, name, table[name]) for table, name in owners.values()]
    try:
        for dotted, (table, name) in owners.items():
            table[name] = as_tensor(values[dotted])
        yield
    finally:
        for table, name, original in saved:
            table[name] = original


def functional_call(module, parameter_and_buffer_dicts, args=(), kwargs=None, *, tie_weights=True, strict=False):
    """``module(*args, **kwargs)`` with the named parameters and buffers replaced by the given values.

    Parameters
    ----------
    module : cr.nn.Module
    parameter_and_buffer_dicts : dict, or a tuple/list of dicts
        Values by ``named_parameters()``/``named_buffers()`` names ("0.weight"); names not
        given keep the module's own values (unless ``strict``).
    args : a tuple of positional arguments (a single non-tuple value is one argument)
    kwargs : dict of keyword arguments
    tie_weights : bool
        A parameter registered under several names is replaced under all of them.
    strict : bool
        Every parameter and buffer must be given a value.
    """
    dicts = parameter_and_buffer_dicts
    values = {}
    for d in (dicts if isinstance(dicts, (tuple, list)) else (dicts,)):
        overlap = set(values) & set(d)
        if overlap:
            raise ValueError(f"functional_call: {sorted(overlap)} given in more than one dict")
        values.update(d)
    if not isinstance(args, tuple):
        args = (args,)
    with _substituted(module, values, tie_weights, strict):
        return module(*args, **(kwargs or {}))
