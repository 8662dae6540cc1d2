"""``cr.jit``: trace, optimize and compile to straight-line NumPy source, cached per signature.

The compiled function is a plain Python function with one line per primitive,
each calling the primitive's NumPy implementation directly — no Tensor wrappers,
no tape. Elementwise NumPy ufuncs with large results write into buffers allocated
once per compiled signature (``out=``), so repeated calls (a training loop) do not
allocate and free their large temporaries every step. A buffer is reused by a later
op once nothing can read it any more — its value and every view that may alias it
(conservatively, every non-ufunc result computed from it) are dead — so buffers cost
about the memory of the live intermediates. Results never alias a buffer: a value that an output
may view (a reshaped or transposed product) is allocated afresh, so that it is returned uncopied.
"""

import re

import numpy as np

from ..core import pytree
from ..core.devices import is_device_array
from ..core.tensor import Tensor, array_of
from ..core.tracer import Tracer
from .ir import Var
from .graph import trace_structure
from .passes import drop_stop_gradients

_LITERALS = (int, float, bool, str, type(None))
"""Constants written into the source as literals: only these exact built-in types, whose ``repr``
is Python syntax for the same value. Anything else — a subclass of float with its own ``repr``, an
``IntEnum``, an array — is referenced from a table of constants, never spelled out."""
INFIX = {np.add: "+", np.subtract: "-", np.multiply: "*", np.true_divide: "/", np.power: "**", np.matmul: "@"}
"""Binary ufuncs written as operators when they allocate their result: cheaper to call."""
BUFFER_MIN_BYTES = 16384
"""Smaller results are allocated as usual: for tiny arrays ``out=`` costs more than it saves."""


def _is_literal(value):
    kind = type(value)
    if kind is float:
        return bool(np.isfinite(value))
    if kind is tuple or kind is list:
        return all(_is_literal(v) for v in value)
    return kind in _LITERALS


def _array(value):
    """A result that the compiled code allocated itself: returned as it is (a NumPy scalar as a
    0-d array)."""
    return value if type(value) is np.ndarray or is_device_array(value) else np.asarray(value)


def _owned(value, buffers):
    """A result that shares no memory with the compiled function's buffers (views of them
    included), so that the next call cannot change it."""
    if type(value) is not np.ndarray and not is_device_array(value):
        return np.asarray(value)
    if value.base is not None or any(value is buffer for buffer in buffers):
        return value.copy()
    return value


def _copy(value):
    """A copy of an input or constant returned as an output, on its own device."""
    return value.copy() if is_device_array(value) else np.array(value, copy=True)


class _Codegen:
    def __init__(self, graph):
        self.graph = graph
        self.namespace = {"np": np, "_owned": _owned, "_copy": _copy, "_array": _array}
        self.impl_names = {}
        self.buffers = []
        self.names = {var: f"a{i}" for i, var in enumerate(graph.inputs)}
        device_arrays = [a for a in graph.example_args if is_device_array(a)]
        self._device_like = device_arrays[0] if device_arrays else None  # buffers live where the inputs do
        self.namespace["_device"] = self._device_like
        self.prelude = []  # lines that copy host constants to the inputs' device, on every call
        self.on_device = {}  # id of such a host constant -> the name of its copy (one copy per call)
        self.counter = 0

    def constant(self, value, hint="c"):
        if _is_literal(value):
            return repr(value)
        self.counter += 1
        name = f"_{hint}{self.counter}"
        self.namespace[name] = value
        return name

    def operand(self, value):
        if isinstance(value, Var):
            return self.names[value]
        if self._device_like is None or type(value) is not np.ndarray:
            return self.constant(value)
        # a host array meeting device inputs: copied there on each call, as eager ops copy it, so that
        # a tensor read from a closure and changed in place between calls is seen changed; once per
        # call however many equations read it
        placed = self.on_device.get(id(value))
        if placed is None:
            name = self.constant(value)
            placed = self.on_device[id(value)] = f"{name}_d"
            self.prelude.append(f"    {placed} = np.asarray({name}, like=_device)")
        return placed

    def function(self, prim):
        impl = prim.impl
        if getattr(np, getattr(impl, "__name__", ""), None) is impl:
            return f"np.{impl.__name__}"
        name = self.impl_names.get(impl)
        if name is None:
            # an identifier made from the primitive's name (user Functions name their own), and
            # unique: two user classes may share a name
            name = f"_{re.sub(r'[^0-9A-Za-z_]', '_', prim.name)}_impl"
            if name in self.namespace:
                name = f"{name}{len(self.impl_names)}"
            self.impl_names[impl] = name
            self.namespace[name] = impl
        return name

    def result(self, value, caller_views):
        """An output expression: a fresh array, never a buffer, an input or a shared constant. A
        value that can view none of them (see ``_caller_views``; buffers are never viewed by an
        output, see ``_buffer_plan``) is returned uncopied, the others through ``_owned``."""
        if not isinstance(value, Var) or value in self.graph.inputs:
            return f"_copy({self.operand(value)})"
        if value not in caller_views:
            return f"_array({self.operand(value)})"
        return f"_owned({self.operand(value)}, _buffers)"

    def _caller_views(self):
        """The values that may share memory with an input or an array constant: the inputs, and
        what a non-ufunc op (a reshape, a getitem, a transpose) makes of them."""
        views = set(self.graph.inputs)
        for node in self.graph.nodes:
            if not isinstance(node.prim.impl, np.ufunc) and any(
                    a in views if isinstance(a, Var) else hasattr(a, "shape") for a in node.inputs):
                views.add(node.out)
        return views

    def _buffer_plan(self):
        """``{node index: buffer}`` for the ufunc results worth a buffer, buffers shared
        between results whose lifetimes (including possible views) do not overlap."""
        graph = self.graph
        count = len(graph.nodes)
        outputs = {o for o in graph.outputs if isinstance(o, Var)}
        last_use = {o: count for o in outputs}
        for k, node in enumerate(graph.nodes):
            for a in node.inputs:
                if isinstance(a, Var):
                    last_use[a] = max(last_use.get(a, k), k)
        slots = {}     # node index -> the var it defines, for nodes that get a buffer
        aliases = {}   # var -> node indices of the buffers it may share memory with
        for k, node in enumerate(graph.nodes):
            impl, out = node.prim.impl, node.out
            if (isinstance(impl, np.ufunc) and impl.nout == 1 and out not in outputs and out.shape
                    and np.prod(out.shape) * out.dtype.itemsize >= BUFFER_MIN_BYTES):
                slots[k] = out
                aliases[out] = {k}
            elif not isinstance(impl, np.ufunc):  # may return a view of an input (reshape, getitem ...)
                aliases[out] = set().union(*[aliases.get(a, set()) for a in node.inputs if isinstance(a, Var)])
        for o in outputs:  # a result that views a buffer would be copied on return: compute it afresh instead
            for k in aliases.get(o, ()):
                slots.pop(k, None)
        release = dict.fromkeys(slots, -1)
        for var, held in aliases.items():
            for k in held:
                if k in release:
                    release[k] = max(release[k], last_use.get(var, -1))
        plan, free = {}, {}
        pending = []   # (release index, key, buffer) of buffers in use
        for k in sorted(slots):
            out = slots[k]
            for item in [p for p in pending if p[0] < k]:
                pending.remove(item)
                free.setdefault(item[1], []).append(item[2])
            key = (out.shape, out.dtype.str)
            buffer = free[key].pop() if free.get(key) else np.empty(out.shape, out.dtype, like=self._device_like)
            plan[k] = buffer
            pending.append((release[k], key, buffer))
        return plan

    def source(self):
        graph = self.graph
        plan = self._buffer_plan()
        names = {}
        for buffer in plan.values():
            if id(buffer) not in names:
                names[id(buffer)] = self.constant(buffer, "buf")
                self.buffers.append(buffer)
        lines = []
        for k, node in enumerate(graph.nodes):
            name = self.names[node.out] = f"v{k + 1}"
            args = [self.operand(a) for a in node.inputs]
            symbol = INFIX.get(node.prim.impl) if len(args) == 2 and not node.params else None
            if symbol is not None and k not in plan:
                lines.append(f"    {name} = {args[0]} {symbol} {args[1]}")
                continue
            args += [f"{key}={self.constant(value, 'p')}" for key, value in node.params.items()]
            if k in plan:
                args.append(f"out={names[id(plan[k])]}")
            lines.append(f"    {name} = {self.function(node.prim)}({', '.join(args)})")
        self.namespace["_buffers"] = tuple(self.buffers)
        caller_views = self._caller_views()
        returned = ", ".join(self.result(o, caller_views) for o in graph.outputs)
        lines.append(f"    return ({returned}{',' if len(graph.outputs) == 1 else ''})")
        header = f"def jitted({', '.join(self.names[v] for v in graph.inputs)}):"
        return "\n".join([header] + self.prelude + lines) + "\n"

    def compile(self):
        text = self.source()
        exec(compile(text, "<chainrule.jit>", "exec"), self.namespace)  # our own generated source, never user text
        return self.namespace["jitted"], text


def _static_key(value):
    """A non-array argument in the cache key: by value when hashable (equal values share code),
    else by identity — never by ``repr``, which two different values may share."""
    try:
        hash(value)
    except TypeError:
        return ("id", id(value))
    return ("value", value)


class _Compiled:
    __slots__ = ("function", "source", "rebuild", "graph")

    def __init__(self, function, source, rebuild, graph):
        self.function, self.source, self.rebuild, self.graph = function, source, rebuild, graph


class Jitted:
    """``f`` compiled per input signature: the structure of the arguments (positional and keyword,
    nested tuples, lists and dicts), the shapes and dtypes of the arrays, the values of the rest."""

    def __init__(self, f):
        self.f = f
        self.cache = {}
        self.compile_count = 0
        self.__name__ = f"jit({getattr(f, '__name__', 'f')})"
        self.__doc__ = getattr(f, "__doc__", None)

    @staticmethod
    def _split(call):
        leaves, rebuild = pytree.flatten(call)
        dynamic, static = [], []
        for i, leaf in enumerate(leaves):
            if isinstance(leaf, (Tensor, np.ndarray, np.generic)) or is_device_array(leaf):
                dynamic.append((i, array_of(leaf)))
            else:
                static.append((i, leaf))
        return leaves, rebuild, dynamic, static

    def _entry(self, args, kwargs):
        call = (args, kwargs)
        leaves, rebuild, dynamic, static = self._split(call)
        key = (pytree.structure(call), tuple((i, a.shape, a.dtype.str, type(a)) for i, a in dynamic),
               tuple((i, type(v), _static_key(v)) for i, v in static))
        entry = self.cache.get(key)
        if entry is None:
            positions = [i for i, _ in dynamic]

            def flat(*arrays):
                full = list(leaves)
                for i, array in zip(positions, arrays):
                    full[i] = array
                call_args, call_kwargs = rebuild(full)
                return self.f(*call_args, **call_kwargs)

            graph, rebuild_out = trace_structure(flat, *[a for _, a in dynamic])
            graph = drop_stop_gradients(graph.optimize())
            function, source = _Codegen(graph).compile()
            entry = self.cache[key] = _Compiled(function, source, rebuild_out, graph)
            self.compile_count += 1
        return entry, [a for _, a in dynamic]

    def __call__(self, *args, **kwargs):
        if _traced(args, kwargs):
            return self.f(*args, **kwargs)
        entry, arrays = self._entry(args, kwargs)
        return entry.rebuild([Tensor._wrap(out) for out in entry.function(*arrays)])

    def source(self, *args, **kwargs):
        """The generated Python source for these arguments' signature."""
        return self._entry(args, kwargs)[0].source

    def graph(self, *args, **kwargs):
        """The optimized graph compiled for these arguments' signature."""
        return self._entry(args, kwargs)[0].graph


def _traced(args, kwargs):
    """Whether an argument is a transform's tracer (``cr.grad``, ``cr.vmap``, ``cr.jvp``, an enclosing
    ``cr.trace``): the compiled code would see only its array, and the transform would be lost."""
    return any(isinstance(leaf, Tracer) for leaf in pytree.flatten((args, kwargs))[0])


def jit(f):
    """Compile ``f`` to straight-line NumPy: trace, optimize, generate source, cache per signature.

    The result takes Tensors or arrays and returns Tensors in ``f``'s output structure,
    without gradient history (on the tape it is a constant, as ``detach`` makes one). Inside
    ``cr.grad``, ``cr.vmap``, ``cr.jvp`` or another transform it runs ``f`` itself, so the
    transform sees every op (``grad(jit(f)) == grad(f)``, ``vmap(jit(f)) == vmap(f)``, as in JAX);
    the compiled code runs on values. Jit a ``value_and_grad`` to get a fast training step:

    >>> step = cr.jit(cr.value_and_grad(loss, argnums=(0, 1)))
    >>> (value, (dW1, dW2)) = step(W1, W2, X, y)

    Python control flow runs at trace time (see ``cr.trace``); arguments that are not
    arrays (numbers, strings) are constants of the compiled code, so a new value
    compiles again.

    Tensors the function reads without receiving them as arguments (a model's parameters
    in a closure) enter the compiled code as their arrays, read on every call, so in-place
    updates of them are seen; but what is computed from them alone is computed once, at
    trace time, and derivatives are not taken with respect to them. Pass whatever changes
    or needs a gradient as an argument, as with JAX.
    """
    return Jitted(f)
