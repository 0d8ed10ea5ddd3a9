"""Primitives that move elements around without changing them.

Their vjps move the gradient back: reshape it, transpose it back, sum what was
broadcast, scatter-add what was gathered (repeated indices accumulate), crop what was
padded, split what was concatenated.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd_core.engine import record
from autograd_core.tensor import Tensor

from .elementwise import unwrap


def viewed(x: Any) -> np.ndarray:
    """The array an op returns a view of: a Tensor's own read-only data, else a copy (as
    `Tensor(x)` makes), so no result shares memory that the caller can still write to."""
    return x._data if isinstance(x, Tensor) else np.array(x)


def _shape_arg(shape: Any) -> tuple[int, ...]:
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        shape = shape[0]
    return tuple(int(n) for n in shape)


def reshape(x: Any, *shape: Any) -> Tensor:
    """Same elements, new shape (`reshape(x, (2, 3))` or `reshape(x, 2, 3)`)."""
    v = viewed(x)
    try:
        out = np.reshape(v, _shape_arg(shape))
    except ValueError:
        raise ValueError(
            f"reshape: cannot reshape a tensor of shape {np.shape(v)} ({np.size(v)} "
            f"elements) into {_shape_arg(shape)}; the number of elements must match."
        ) from None
    return record("reshape", out, (x,), (lambda g, y, x: g.reshape(x.shape),))


def transpose(x: Any, *axes: Any) -> Tensor:
    """Permute axes (reverse them when none are given); the vjp applies the inverse."""
    v = viewed(x)
    order = tuple(range(np.ndim(v)))[::-1] if not axes or axes == (None,) else _shape_arg(axes)
    try:
        out = np.transpose(v, order)
    except ValueError:
        raise np.exceptions.AxisError(
            f"transpose: axes {order} are not a permutation of the {np.ndim(v)} axes of a "
            f"tensor of shape {np.shape(v)}; give each axis exactly once."
        ) from None
    inverse = tuple(np.argsort([a % np.ndim(v) for a in order]))  # axes may be negative
    return record("transpose", out, (x,), (lambda g, y, x: g.transpose(inverse),))


def swapaxes(x: Any, axis1: int, axis2: int) -> Tensor:
    """Composition: a transpose that exchanges two axes."""
    order = list(range(np.ndim(unwrap(x))))
    order[axis1], order[axis2] = order[axis2], order[axis1]
    return transpose(x, tuple(order))


def broadcast_to(x: Any, shape: Any) -> Tensor:
    """Repeat along broadcast axes; the engine sums the gradient back to x's shape."""
    v = viewed(x)
    try:
        out = np.broadcast_to(v, shape)
    except ValueError:
        raise ValueError(
            f"broadcast_to: a tensor of shape {np.shape(v)} cannot be broadcast to {shape}: "
            "matched from the right, each of its axes must equal the target's or be 1 "
            "(and the target may add axes on the left only)."
        ) from None
    return record("broadcast_to", out, (x,), (lambda g, y, x: g,))


def expand_dims(x: Any, axis: int | tuple[int, ...]) -> Tensor:
    """Insert length-1 axes."""
    v = viewed(x)
    try:
        out = np.expand_dims(v, axis)
    except ValueError:  # AxisError, or a repeated axis
        raise np.exceptions.AxisError(
            f"expand_dims: axis={axis!r} does not fit a tensor of shape {np.shape(v)}: the "
            f"new axes must be distinct and lie in [{-np.ndim(v) - 1}, {np.ndim(v)}] for "
            "one new axis (the range grows by one with each further axis)."
        ) from None
    return record("expand_dims", out, (x,), (lambda g, y, x: g.reshape(x.shape),))


def squeeze(x: Any, axis: int | tuple[int, ...] | None = None) -> Tensor:
    """Remove length-1 axes."""
    v = viewed(x)
    try:
        out = np.squeeze(v, axis)
    except ValueError:  # AxisError, or an axis whose length is not 1
        raise ValueError(
            f"squeeze: axis={axis!r} cannot be removed from a tensor of shape {np.shape(v)}; "
            "only existing axes of length 1 can be squeezed (axis=None removes them all)."
        ) from None
    return record("squeeze", out, (x,), (lambda g, y, x: g.reshape(x.shape),))


def flatten(x: Any) -> Tensor:
    """Composition: reshape to one axis (NumPy's `ndarray.flatten`)."""
    return reshape(x, -1)


# ---- indexing ----------------------------------------------------------------------------


def _index_arg(index: Any) -> Any:
    """Tensors inside an index become their arrays; an index never carries gradient.
    Writable arrays are copied, as the caller may write into them before backward."""
    if isinstance(index, tuple):
        return tuple(_index_arg(i) for i in index)
    index = unwrap(index)
    return index.copy() if isinstance(index, np.ndarray) and index.flags.writeable else index


def _is_basic(index: Any) -> bool:
    parts = index if isinstance(index, tuple) else (index,)
    return all(p is None or p is Ellipsis or isinstance(p, (slice, int, np.integer)) for p in parts)


def getitem(x: Any, index: Any) -> Tensor:
    """NumPy indexing, basic and advanced; the vjp scatter-adds, so repeats accumulate."""
    v = viewed(x)
    index = _index_arg(index)
    try:
        out = v[index]
    except (IndexError, TypeError) as err:
        raise IndexError(
            f"getitem: index {index!r} does not fit a tensor of shape {np.shape(v)}: {err}. "
            "Use ints, slices, None, Ellipsis, integer arrays or a boolean mask."
        ) from None
    return record("getitem", out, (x,), (lambda g, y, x: scatter_add(g, index, x.shape),))


def scatter_add(g: Any, index: Any, shape: tuple[int, ...]) -> Any:
    """The adjoint of `getitem`: zeros of `shape` with `g` added at `index`.

    Works on arrays (ordinary backward) and on Tensors (`create_graph=True`), where it is
    recorded as an op whose own vjp is `getitem` again."""
    if isinstance(g, Tensor):
        return record(
            "getitem_backward",
            scatter_add(g.data, index, shape),
            (g,),
            (lambda gg, y, g: gg[index],),
        )
    out = np.zeros(shape, dtype=g.dtype)
    if _is_basic(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


# ---- padding, joining --------------------------------------------------------------------


def _pad_width(pad_width: Any, ndim: int) -> np.ndarray:
    """NumPy's pad_width (an int, (before, after), or one pair per axis) as (ndim, 2)."""
    return np.broadcast_to(np.asarray(pad_width, dtype=int), (ndim, 2))


def pad(x: Any, pad_width: Any, mode: str = "constant", value: float = 0.0) -> Tensor:
    """np.pad with modes "constant", "reflect", "edge".

    Constant padding adds new values, so the vjp crops the gradient back. Reflect and
    edge padding copy elements of x, so the vjp scatter-adds each copy's gradient to
    the element it came from (found by padding an array of element numbers)."""
    v = unwrap(x)
    if mode not in ("constant", "reflect", "edge"):
        raise ValueError(f"pad: mode must be 'constant', 'reflect' or 'edge'; got {mode!r}.")
    width = _pad_width(pad_width, np.ndim(v))
    if (width < 0).any():
        raise ValueError(f"pad: widths must be >= 0; got {width.tolist()}.")
    if width.size == 0:  # a 0-d array has no axis to pad: np.pad returns it unchanged
        return record("pad", np.array(v), (x,), (lambda g, y, x: g,))
    kwargs = {"constant_values": value} if mode == "constant" else {}
    out = np.pad(v, width, mode=mode, **kwargs)
    if mode == "constant":
        crop = tuple(slice(lo, lo + n) for (lo, _), n in zip(width, np.shape(v), strict=False))
        vjp = lambda g, y, x: g[crop]  # noqa: E731
    else:
        source = np.pad(np.arange(np.size(v)).reshape(np.shape(v)), width, mode=mode)
        vjp = lambda g, y, x: scatter_add(  # noqa: E731
            g.reshape(-1), (source.reshape(-1),), (x.size,)
        ).reshape(x.shape)
    return record("pad", out, (x,), (vjp,))


def _slicer(axis: int, ndim: int, part: Any) -> tuple[Any, ...]:
    return (slice(None),) * (axis % ndim) + (part,)


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join along an existing axis; each input gets back its slice of the gradient."""
    values = [unwrap(t) for t in tensors]
    try:
        out = np.concatenate(values, axis=axis)
    except ValueError as err:  # also AxisError
        raise ValueError(
            f"concatenate: cannot join tensors of shapes {[np.shape(v) for v in values]} "
            f"along axis {axis} ({err}). They need the same number of axes, and equal "
            "lengths on every axis but the one they are joined along."
        ) from None
    ends = np.cumsum([np.shape(v)[axis] for v in values])
    parts = [
        _slicer(axis, out.ndim, slice(e - np.shape(v)[axis], e))
        for v, e in zip(values, ends, strict=False)
    ]
    return record("concatenate", out, tuple(tensors), _taking(parts))


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join along a new axis; each input gets back its index of the gradient."""
    values = [unwrap(t) for t in tensors]
    try:
        out = np.stack(values, axis=axis)
    except ValueError as err:  # also AxisError
        raise ValueError(
            f"stack: cannot stack tensors of shapes {[np.shape(v) for v in values]} along "
            f"a new axis {axis} ({err}). They must all have the same shape, and the new "
            "axis must lie in [-ndim - 1, ndim]."
        ) from None
    parts = [_slicer(axis, out.ndim, k) for k in range(len(tensors))]
    return record("stack", out, tuple(tensors), _taking(parts))


def _taking(parts: list[tuple[Any, ...]]) -> tuple[Any, ...]:
    """One vjp per joined input: its part of the gradient, g[part]."""
    return tuple((lambda g, y, *xs, part=part: g[part]) for part in parts)
