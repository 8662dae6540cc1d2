"""``pad``: PyTorch's padding of the last axes — constant, reflect, replicate, circular.

Every mode is a composition of linear shape ops (slices, ``flip``, ``broadcast_to``,
``concatenate``, the ``pad`` primitive), so the VJP of each is exact and cheap: it
crops the cotangent and folds the padded parts back onto the elements they copy.
"""

from ... import ops
from ...core.errors import ShapeError
from ._args import _as_tensor

_MODES = ("constant", "reflect", "replicate", "circular")


def _widths(pad, ndim):
    """PyTorch's flat pad tuple (last axis first) as ``[(axis, before, after), …]``."""
    try:
        pad = [int(p) for p in pad]
    except TypeError:
        raise TypeError(f"pad: pad must be a sequence of ints, got {pad!r}") from None
    if len(pad) % 2:
        raise ValueError(f"pad: the pad sequence must have an even length (before, after per axis), got {pad}")
    if len(pad) // 2 > ndim:
        raise ShapeError(f"pad: {len(pad)} pad values cover {len(pad) // 2} axes, more than the input's {ndim}")
    return [(ndim - 1 - i, pad[2 * i], pad[2 * i + 1]) for i in range(len(pad) // 2)]


def _take(x, axis, start, stop):
    return ops.getitem(x, (slice(None),) * axis + (slice(start, stop),))


def _edges(x, axis, before, after, mode):
    """The pieces that go before and after ``x`` along ``axis`` in ``mode``."""
    n = x.shape[axis]
    if mode == "reflect":     # mirror about the edge element, which is not repeated
        return ops.flip(_take(x, axis, 1, before + 1), axis), ops.flip(_take(x, axis, n - 1 - after, n - 1), axis)
    if mode == "replicate":   # the edge element repeated
        def repeat(edge, count):
            shape = x.shape[:axis] + (count,) + x.shape[axis + 1:]
            return ops.broadcast_to(edge, shape)
        return repeat(_take(x, axis, 0, 1), before), repeat(_take(x, axis, n - 1, n), after)
    return _take(x, axis, n - before, n), _take(x, axis, 0, after)  # circular: wrap around


def _check_non_constant(x, widths, mode):
    axes = len(widths)
    if axes > 3 or x.ndim not in (axes + 1, axes + 2):
        raise ShapeError(f"pad: mode {mode!r} pads the last 1, 2 or 3 axes of an input with one or two leading "
                         f"(batch, channel) axes; got {axes} padded axes for an input of shape {x.shape}")
    for axis, before, after in widths:
        n = x.shape[axis]
        if before < 0 or after < 0:
            raise ValueError(f"pad: mode {mode!r} needs non-negative padding, got ({before}, {after}) for axis {axis}")
        limit = n - 1 if mode == "reflect" else n
        if max(before, after) > limit:
            relation = "smaller than" if mode == "reflect" else "at most"
            raise ValueError(f"pad: mode {mode!r} needs padding {relation} the axis length, got ({before}, {after}) "
                             f"for axis {axis} of length {n} in an input of shape {x.shape}")
        if mode == "replicate" and n == 0:
            raise ShapeError(f"pad: mode 'replicate' cannot pad the empty axis {axis} of shape {x.shape}")


def pad(input, pad, mode="constant", value=None):
    """Pad the last axes of ``input``, as PyTorch's ``pad``.

    ``pad`` lists (before, after) pairs starting from the LAST axis:
    ``(left, right)`` pads the last axis, ``(left, right, top, bottom)`` the last two, and so on.
    Along an axis x_0 … x_{n−1}, padding by p on the left gives

        constant   v … v x_0 …                    (value v, default 0)
        reflect    x_p … x_1 x_0 x_1 …            (the edge is not repeated; p < n)
        replicate  x_0 … x_0 x_0 x_1 …
        circular   x_{n−p} … x_{n−1} x_0 x_1 …    (p ≤ n)

    and symmetrically on the right. Constant padding takes any number of axes and negative
    widths, which crop; the other modes pad the last 1–3 axes of an input with one or two
    leading (batch, channel) axes, as PyTorch's do. Linear in ``input``: the VJP crops the
    cotangent and adds each padded copy back onto its source element.

    Examples
    --------
    >>> F.pad(cr.tensor([[1., 2., 3.]]), (2, 1), mode="reflect")
    tensor([[3., 2., 1., 2., 3., 2.]])
    """
    x = _as_tensor(input)
    if mode not in _MODES:
        raise ValueError(f"pad: mode must be one of {_MODES}, got {mode!r}")
    widths = _widths(pad, x.ndim)
    if mode == "constant":
        return _pad_constant(x, widths, 0 if value is None else value)
    if value is not None and value != 0:
        raise ValueError(f"pad: value={value!r} only applies to mode='constant', not {mode!r}")
    _check_non_constant(x, widths, mode)
    for axis, before, after in widths:
        if before or after:
            left, right = _edges(x, axis, before, after, mode)
            x = ops.concatenate([piece for piece in (left, x, right) if piece.shape[axis]], axis=axis)
    return x


def _pad_constant(x, widths, value):
    crop = [slice(None)] * x.ndim
    grow = [(0, 0)] * x.ndim
    for axis, before, after in widths:
        n = x.shape[axis]
        if n - max(-before, 0) - max(-after, 0) < 0:
            raise ShapeError(f"pad: cropping ({before}, {after}) from axis {axis} of length {n} leaves a negative size")
        crop[axis] = slice(max(-before, 0), n - max(-after, 0))
        grow[axis] = (max(before, 0), max(after, 0))
    if any(s != slice(None) for s in crop):
        x = ops.getitem(x, tuple(crop))
    if any(a or b for a, b in grow):
        x = ops.pad(x, grow, constant_values=value)
    return x
