"""Primitives that move elements around without changing them.

Their vjps move the gradient back: reshape it, transpose it back, sum what was
broadcast, scatter-add what was gathered (repeated indices accumulate), crop what was
padded, split what was concatenated. Views of a Tensor's data are returned without a
copy (the data is read-only, so nobody can write through them).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor

from .elementwise import unwrap


def _shape_arg(shape: Any) -> tuple[int, ...]:
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        shape = shape[0]
    return tuple(int(n) for n in shape)


def _reshape_forward(x: Any, shape: tuple[int, ...]) -> Any:
    try:
        return np.reshape(x, shape)
    except ValueError:
        raise ValueError(
            f"reshape: cannot reshape a tensor of shape {np.shape(x)} ({np.size(x)} "
            f"elements) into {shape}; the number of elements must match."
        ) from None


_reshape = defop(
    "reshape",
    _reshape_forward,
    lambda g, y, x, shape: g.reshape(x.shape),
    rules="vjp: g reshaped back",
)


def reshape(x: Any, *shape: Any) -> Tensor:
    """Same elements, new shape (`reshape(x, (2, 3))` or `reshape(x, 2, 3)`)."""
    return _reshape(x, shape=_shape_arg(shape))


def _transpose_forward(x: Any, axes: tuple[int, ...]) -> Any:
    try:
        return np.transpose(x, axes)
    except ValueError:
        raise np.exceptions.AxisError(
            f"transpose: axes {axes} are not a permutation of the {np.ndim(x)} axes of a "
            f"tensor of shape {np.shape(x)}; give each axis exactly once."
        ) from None


_transpose = defop(
    "transpose",
    _transpose_forward,
    lambda g, y, x, axes: g.transpose(tuple(np.argsort([a % g.ndim for a in axes]))),
    rules="vjp: g transposed back",
)


def transpose(x: Any, *axes: Any) -> Tensor:
    """Permute axes (reverse them when none are given); the vjp applies the inverse."""
    ndim = np.ndim(unwrap(x))
    order = tuple(range(ndim))[::-1] if not axes or axes == (None,) else _shape_arg(axes)
    return _transpose(x, axes=order)


def swapaxes(x: Any, axis1: int, axis2: int) -> Tensor:
    """Composition: a transpose that exchanges two axes."""
    order = list(range(np.ndim(unwrap(x))))
    order[axis1], order[axis2] = order[axis2], order[axis1]
    return transpose(x, tuple(order))


def _broadcast_forward(x: Any, shape: Any) -> Any:
    try:
        return np.broadcast_to(x, shape)
    except ValueError:
        raise ValueError(
            f"broadcast_to: a tensor of shape {np.shape(x)} cannot be broadcast to {shape}: "
            "matched from the right, each of its axes must equal the target's or be 1 "
            "(and the target may add axes on the left only)."
        ) from None


_broadcast_to = defop(
    "broadcast_to",
    _broadcast_forward,
    lambda g, y, x, shape: g,  # the engine sums g back over the broadcast axes
    rules="vjp: g summed over the broadcast axes",
)


def broadcast_to(x: Any, shape: Any) -> Tensor:
    """Repeat along broadcast axes; the engine sums the gradient back to x's shape."""
    return _broadcast_to(x, shape=shape)


def _expand_forward(x: Any, axis: Any) -> Any:
    try:
        return np.expand_dims(x, axis)
    except ValueError:  # AxisError, or a repeated axis
        raise np.exceptions.AxisError(
            f"expand_dims: axis={axis!r} does not fit a tensor of shape {np.shape(x)}: the "
            f"new axes must be distinct and lie in [{-np.ndim(x) - 1}, {np.ndim(x)}] for "
            "one new axis (the range grows by one with each further axis)."
        ) from None


def _squeeze_forward(x: Any, axis: Any) -> Any:
    try:
        return np.squeeze(x, axis)
    except ValueError:  # AxisError, or an axis whose length is not 1
        raise ValueError(
            f"squeeze: axis={axis!r} cannot be removed from a tensor of shape {np.shape(x)}; "
            "only existing axes of length 1 can be squeezed (axis=None removes them all)."
        ) from None


def _reshaped_back(g: Any, y: Any, x: Any, axis: Any) -> Any:
    return g.reshape(x.shape)


_expand_dims = defop("expand_dims", _expand_forward, _reshaped_back, rules="vjp: g reshaped back")
_squeeze = defop("squeeze", _squeeze_forward, _reshaped_back, rules="vjp: g reshaped back")


def expand_dims(x: Any, axis: int | tuple[int, ...]) -> Tensor:
    """Insert length-1 axes."""
    return _expand_dims(x, axis=axis)


def squeeze(x: Any, axis: int | tuple[int, ...] | None = None) -> Tensor:
    """Remove length-1 axes."""
    return _squeeze(x, axis=axis)


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


def _getitem_forward(x: Any, index: Any) -> Any:
    try:
        return np.asarray(x)[index]
    except (IndexError, TypeError) as err:
        raise IndexError(
            f"getitem: index {index!r} does not fit a tensor of shape {np.shape(x)}: {err}. "
            "Use ints, slices, None, Ellipsis, integer arrays or a boolean mask."
        ) from None


def _scatter_forward(g: Any, index: Any, shape: tuple[int, ...]) -> Any:
    out = np.zeros(shape, dtype=g.dtype)
    if _is_basic(index):
        out[index] = g
    else:
        np.add.at(out, index, g)
    return out


_getitem = defop(
    "getitem",
    _getitem_forward,
    lambda g, y, x, index: scatter_add(g, index, x.shape),
    rules="vjp: g scatter-added into x's shape",
)

# The adjoint of getitem, recorded when backward builds a graph; its own vjp is getitem.
_scatter_add = defop(
    "getitem_backward",
    _scatter_forward,
    lambda gg, y, g, index, shape: gg[index],
    rules="vjp: g indexed again",
)


def getitem(x: Any, index: Any) -> Tensor:
    """NumPy indexing, basic and advanced; the vjp scatter-adds, so repeats accumulate."""
    return _getitem(x, index=_index_arg(index))


def scatter_add(g: Any, index: Any, shape: tuple[int, ...]) -> Any:
    """The adjoint of `getitem`: zeros of `shape` with `g` added at `index`.

    On an array (ordinary backward) the result is an array; on a Tensor
    (`create_graph=True`) it is recorded, with `getitem` as its own vjp."""
    if isinstance(g, Tensor):
        return _scatter_add(g, index=index, shape=shape)
    return _scatter_forward(g, index, shape)


# ---- padding, joining --------------------------------------------------------------------

_MODES = ("constant", "reflect", "edge")


def _pad_forward(x: Any, width: tuple[tuple[int, int], ...], mode: str, value: Any) -> Any:
    if not width:  # a 0-d array has no axis to pad: np.pad returns it unchanged
        return np.array(x)
    kwargs = {"constant_values": value} if mode == "constant" else {}
    return np.pad(x, width, mode=mode, **kwargs)


def _pad_vjp(g: Any, y: Any, x: Any, width: Any, mode: str, value: Any) -> Any:
    """Constant padding added new values: crop them off. Reflect and edge padding copied
    elements of x: scatter-add each copy's gradient to the element it came from (found
    by padding an array of element numbers the same way)."""
    if not width:
        return g
    if mode == "constant":
        return g[tuple(slice(lo, lo + n) for (lo, _), n in zip(width, x.shape, strict=True))]
    source = np.pad(np.arange(x.size).reshape(x.shape), width, mode=mode)
    return scatter_add(g.reshape(-1), (source.reshape(-1),), (x.size,)).reshape(x.shape)


_pad = defop("pad", _pad_forward, _pad_vjp, rules="vjp: g cropped (copies scatter-added)")


def pad(x: Any, pad_width: Any, mode: str = "constant", value: float = 0.0) -> Tensor:
    """np.pad with modes "constant", "reflect", "edge" (NumPy's pad_width: an int,
    (before, after), or one pair per axis)."""
    if mode not in _MODES:
        raise ValueError(f"pad: mode must be 'constant', 'reflect' or 'edge'; got {mode!r}.")
    ndim = np.ndim(unwrap(x))
    try:
        width = np.broadcast_to(np.asarray(pad_width, dtype=int), (ndim, 2))
    except (ValueError, TypeError):
        raise ValueError(
            f"pad: pad_width {pad_width!r} does not fit a tensor with {ndim} axes; give an "
            "int, a (before, after) pair, or one pair per axis."
        ) from None
    if (width < 0).any():
        raise ValueError(f"pad: widths must be >= 0; got {width.tolist()}.")
    shape = np.shape(unwrap(x))
    for axis, ((lo, hi), n) in enumerate(zip(width, shape, strict=True)):
        if mode != "constant" and n == 0 and lo + hi > 0:
            raise ValueError(
                f"pad: mode {mode!r} copies existing elements, but axis {axis} of the tensor "
                f"of shape {shape} is empty; use mode='constant' to pad an empty axis."
            )
    pairs = tuple((int(lo), int(hi)) for lo, hi in width)
    return _pad(x, width=pairs, mode=mode, value=value)


def _parts(shapes: Sequence[tuple[int, ...]], axis: int, ndim: int, new_axis: bool) -> list[Any]:
    """Where each joined input sits in the output: a slice (or an index) along `axis`."""
    lead = (slice(None),) * (axis % ndim)
    if new_axis:
        return [(*lead, k) for k in range(len(shapes))]
    ends = np.cumsum([s[axis] for s in shapes])
    return [(*lead, slice(int(e) - s[axis], int(e))) for s, e in zip(shapes, ends, strict=True)]


def _join_error(op: str, err: Exception, values: Sequence[Any], axis: int) -> ValueError:
    shapes = [np.shape(v) for v in values]
    if op == "concatenate":
        need = (
            "They need the same number of axes, and equal lengths on every axis but the one "
            "they are joined along."
        )
    else:
        need = "They must all have the same shape, and the new axis must lie in [-ndim - 1, ndim]."
    return ValueError(
        f"{op}: cannot join tensors of shapes {shapes} along axis {axis} ({err}). {need}"
    )


def _concatenate_forward(*xs: Any, axis: int) -> Any:
    try:
        return np.concatenate(xs, axis=axis)
    except ValueError as err:  # also AxisError
        raise _join_error("concatenate", err, xs, axis) from None


def _stack_forward(*xs: Any, axis: int) -> Any:
    try:
        return np.stack(xs, axis=axis)
    except ValueError as err:  # also AxisError
        raise _join_error("stack", err, xs, axis) from None


def _split_back(new_axis: bool) -> Any:
    """The joint vjp of concatenate or stack: each input's part of g, in one pass."""

    def vjp(g: Any, y: Any, *xs: Any, axis: int) -> list[Any]:
        return [g[part] for part in _parts([x.shape for x in xs], axis, y.ndim, new_axis)]

    return vjp


_concatenate = defop(
    "concatenate",
    _concatenate_forward,
    _split_back(False),
    joint=True,
    rules="vjp: this input's slice of g",
)
_stack = defop(
    "stack", _stack_forward, _split_back(True), joint=True, rules="vjp: this input's index of g"
)


def concatenate(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join along an existing axis; each input gets back its slice of the gradient."""
    return _concatenate(*tensors, axis=axis)


def stack(tensors: Sequence[Any], axis: int = 0) -> Tensor:
    """Join along a new axis; each input gets back its index of the gradient."""
    return _stack(*tensors, axis=axis)
