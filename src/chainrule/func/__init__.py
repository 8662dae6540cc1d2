"""Function transforms and user-defined ops, above the primitives: ``grad``, ``vjp``,
``jvp``, ``jacobian``, ``hessian``, ``hvp``, ``vmap`` (JAX's semantics), PyTorch's ``Function``
and JAX's ``custom_vjp``."""

from .function import Function, FunctionCtx, custom_vjp
from .transforms import grad, hessian, hvp, jacobian, jvp, stop_gradient, value_and_grad, vjp
from .vmap import vmap

__all__ = ["grad", "value_and_grad", "vjp", "jvp", "jacobian", "hessian", "hvp", "stop_gradient", "vmap", "Function",
           "FunctionCtx", "custom_vjp"]
