"""Function transforms and user-defined ops, above the primitives: ``grad``, ``vjp``,
``jvp``, ``jacobian``, ``hessian``, ``hvp``, ``vmap`` (JAX's semantics), ``functional_call``
(torch.func's), ``checkpoint`` (rematerialization), PyTorch's ``Function`` and JAX's ``custom_vjp``."""

from .checkpoint import checkpoint
from .function import Function, FunctionCtx, custom_vjp
from .functional_call import functional_call
from .transforms import grad, hessian, hvp, jacobian, jvp, stop_gradient, value_and_grad, vjp
from .vmap import vmap

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "jacobian", "hessian", "hvp", "stop_gradient", "vmap", "functional_call",
           "checkpoint", "Function", "FunctionCtx", "custom_vjp"]
