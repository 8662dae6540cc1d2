"""Module hooks, with PyTorch's semantics.

* ``register_forward_pre_hook(hook)``: ``hook(module, args)`` before ``forward``; a returned
  value (a tuple, or a single argument) replaces the arguments.
* ``register_forward_hook(hook)``: ``hook(module, args, output)`` after ``forward``; a returned
  value replaces the output.
* ``register_full_backward_hook(hook)``: ``hook(module, grad_input, grad_output)`` once the
  gradients with respect to the module's inputs are computed (``None`` for inputs that need
  none); a returned tuple replaces ``grad_input``.

The backward hook works by passing the module's tensor inputs and outputs through identity
ops (``cr.Function``s) whose backward passes see their gradients, as PyTorch does.
"""

from ..core.hooks import RemovableHandle
from ..core.tensor import Tensor
from ..func.function import Function


class _Identity(Function):
    """Tensors passed through unchanged; the backward pass hands their gradients to ``state``."""

    @staticmethod
    def forward(ctx, state, *tensors):
        ctx.state = state
        return tensors if len(tensors) > 1 else tensors[0]

    @staticmethod
    def backward(ctx, *grads):
        return (None,) + tuple(ctx.state(grads))


class _BackwardHookCall:
    """One call of a module with full backward hooks: collects grad_output, then calls the hooks."""

    def __init__(self, module, hooks):
        self.module, self.hooks = module, hooks
        self.grad_output = None
        self.inputs = None  # positions of the arguments that require grad

    def wrap_inputs(self, args):
        self.inputs = [k for k, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
        if not self.inputs:
            return args
        passed = _Identity.apply(self._inputs_done, *[args[k] for k in self.inputs])
        passed = passed if isinstance(passed, tuple) else (passed,)
        args = list(args)
        for k, value in zip(self.inputs, passed):
            args[k] = value
        return tuple(args)

    def wrap_outputs(self, out):
        outs = out if isinstance(out, tuple) else (out,)
        positions = [k for k, o in enumerate(outs) if isinstance(o, Tensor) and o.requires_grad]
        if not positions:
            return out
        passed = _Identity.apply(self._outputs_done, *[outs[k] for k in positions])
        passed = passed if isinstance(passed, tuple) else (passed,)
        result = list(outs)
        for k, value in zip(positions, passed):
            result[k] = value
        return tuple(result) if isinstance(out, tuple) else result[0]

    def _outputs_done(self, grads):
        self.grad_output = tuple(grads)
        if not self.inputs:  # no input needs a gradient: the hooks see grad_input of None
            self._call_hooks((None,))
        return grads

    def _inputs_done(self, grads):
        return self._call_hooks(tuple(grads))

    def _call_hooks(self, grad_input):
        for hook in list(self.hooks.values()):
            replaced = hook(self.module, grad_input, self.grad_output)
            if replaced is not None:
                replaced = tuple(replaced) if isinstance(replaced, (tuple, list)) else (replaced,)
                if len(replaced) != len(grad_input):
                    raise ValueError(f"backward hook {getattr(hook, '__name__', hook)!r} returned {len(replaced)} "
                                     f"gradient(s) for {len(grad_input)} input(s)")
                grad_input = replaced
        return grad_input


def call_with_hooks(module, args, kwargs):
    """``module.forward(*args, **kwargs)`` with the module's hooks around it."""
    for hook in list(module._forward_pre_hooks.values()):
        replaced = hook(module, args)
        if replaced is not None:
            args = replaced if isinstance(replaced, tuple) else (replaced,)
    backward = _BackwardHookCall(module, module._backward_hooks) if module._backward_hooks else None
    if backward is not None:
        args = backward.wrap_inputs(args)
    out = module.forward(*args, **kwargs)
    for hook in list(module._forward_hooks.values()):
        replaced = hook(module, args, out)
        if replaced is not None:
            out = replaced
    return out if backward is None else backward.wrap_outputs(out)


def register(table, hook):
    """Add ``hook`` to one of a module's hook tables; returns its handle."""
    handle = RemovableHandle(table)
    table[handle.id] = hook
    return handle
