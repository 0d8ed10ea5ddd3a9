"""Reductions over axes: `sum` and `max`/`min` are primitives; `mean` and `var` compose them.

Keywords follow NumPy: `axis` is None, an int or a tuple of ints; `keepdims` keeps the
reduced axes with length 1.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.engine import record
from autograd_core.tensor import Tensor

from .elementwise import unwrap

Axis = int | tuple[int, ...] | None


def _axes(axis: Axis, ndim: int, op: str = "sum") -> tuple[int, ...]:
    """`axis` as a tuple of axes in [0, ndim); anything NumPy would refuse (an axis out
    of range, a repeat, a non-integer) raises AxisError naming `op`."""
    if axis is None:
        return tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else axis
    if isinstance(axes, tuple) and all(
        isinstance(a, (int, np.integer)) and not isinstance(a, bool) and -ndim <= a < ndim
        for a in axes
    ):
        out = tuple(int(a) % ndim for a in axes)
        if len(set(out)) == len(out):
            return out
    raise np.exceptions.AxisError(
        f"{op}: axis={axis!r} does not fit a tensor with {ndim} axes; give None (all axes), "
        f"an int or a tuple of distinct ints in [{-ndim}, {ndim - 1}]."
    )


def _kept_shape(shape: tuple[int, ...], axis: Axis) -> tuple[int, ...]:
    """`shape` with the reduced axes set to 1 (the keepdims shape)."""
    axes = _axes(axis, len(shape))
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _spread(g: Any, shape: tuple[int, ...], axis: Axis) -> Any:
    """Send a reduced gradient back over the axes it was reduced along."""
    return np.broadcast_to(g.reshape(_kept_shape(shape, axis)), shape)


def sum(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Sum over `axis`; every summed element receives the output's gradient."""
    v = unwrap(x)
    try:
        out = np.sum(v, axis=axis, keepdims=keepdims)
    except (ValueError, TypeError):
        _axes(axis, np.ndim(v), "sum")  # raises the explanation when the axis is at fault
        raise
    return record(
        "sum",
        out,
        (x,),
        (lambda g, y, x: _spread(g, x.shape, axis),),
    )


def mean(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Composition: sum(x, axis) / (number of elements reduced)."""
    shape = np.shape(unwrap(x))
    count = int(np.prod([shape[a] for a in _axes(axis, len(shape), "mean")]))
    return sum(x, axis, keepdims) / count  # type: ignore[operator]


def _extreme(name: str, reduce: Any, x: Any, axis: Axis, keepdims: bool) -> Tensor:
    v = unwrap(x)
    try:
        out = reduce(v, axis=axis, keepdims=True)
    except (ValueError, TypeError):
        _axes(axis, np.ndim(v), name)  # raises the explanation when the axis is at fault
        if np.size(v) == 0:
            raise ValueError(
                f"{name}: the tensor of shape {np.shape(v)} is empty along axis={axis!r}, "
                f"and an empty set has no {name}imum. Check the shape, or reduce a "
                "non-empty tensor."
            ) from None
        raise
    hits = v == out
    share = hits / hits.sum(axis=axis, keepdims=True)  # ties split the gradient evenly
    if share.dtype != v.dtype and v.dtype.kind == "f":
        share = share.astype(v.dtype)
    return record(
        name,
        out if keepdims else np.squeeze(out, axis=_axes(axis, np.ndim(v))),
        (x,),
        (lambda g, y, x: _spread(g, x.shape, axis) * share,),
    )


def max(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Largest element over `axis`. The gradient goes to the element(s) equal to the
    maximum; when several tie, it is split evenly among them (each gets g / count)."""
    return _extreme("max", np.max, x, axis, keepdims)


def min(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:  # noqa: A001
    """Smallest element over `axis`; ties split the gradient evenly, as in `max`."""
    return _extreme("min", np.min, x, axis, keepdims)


def var(x: Any, axis: Axis = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
    """Composition: sum((x - mean)^2) / (n - ddof); ddof=0 (biased) unless given."""
    shape = np.shape(unwrap(x))
    count = int(np.prod([shape[a] for a in _axes(axis, len(shape), "var")]))
    centred = x - mean(x, axis, keepdims=True)
    return sum(centred * centred, axis, keepdims) / (count - ddof)
