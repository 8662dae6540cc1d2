"""Turning a primitive into the function that applies it."""

from ..core.primitive import bind


def function_of(prim, doc):
    """``f(*args)`` applying ``prim`` to its arguments, named after it, documented with ``doc``."""
    def fn(*args):
        return bind(prim, *args)

    fn.__name__ = prim.name
    fn.__qualname__ = prim.name
    fn.__doc__ = doc
    return fn
