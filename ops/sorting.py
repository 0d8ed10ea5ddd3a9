"""Sorting and selection: sort (a primitive: values differentiable), and compositions of
`getitem` (whose vjp scatter-adds, so repeated indices accumulate): take,
take_along_axis, topk, gather and scatter_add (PyTorch's `dim` semantics), nonzero
(not differentiable).

Functions named after PyTorch (topk, gather, scatter_add, cummax, cummin) take NumPy's
`axis` and also PyTorch's `dim` keyword.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor

from . import shape as _shape
from .elementwise import add, unwrap
from .reductions import _axes


class ValuesIndices(NamedTuple):
    """(values, indices), as PyTorch's topk, cummax and cummin return them: the values
    differentiable, the indices an int64 Tensor without gradient."""

    values: Tensor
    indices: Tensor


def _dim(axis: Any, dim: Any, op: str) -> Any:
    """PyTorch's `dim=` accepted as NumPy's `axis=`."""
    if dim is None:
        return axis
    if axis is not None and axis != dim:
        raise TypeError(f"{op}: give axis= or dim= (the same thing), not both.")
    return dim


def _index_values(indices: Any, op: str) -> np.ndarray:
    """An index argument as an integer array (a Tensor's data; never differentiable)."""
    array = np.asarray(unwrap(indices))
    if array.dtype.kind not in "iu" and array.size:
        raise TypeError(f"{op}: indices must be integers; got dtype {array.dtype}.")
    return array.astype(np.intp, copy=False)


def _grid(shape: tuple[int, ...], axis: int, indices: np.ndarray) -> tuple[Any, ...]:
    """The advanced index that picks indices[..., i, ...] along `axis` and the element's
    own position along every other axis (the arange of that axis, broadcast)."""
    ndim = len(shape)
    index: list[Any] = []
    for d in range(ndim):
        if d == axis:
            index.append(indices)
        else:
            view = [1] * ndim
            view[d] = shape[d]
            index.append(np.arange(shape[d]).reshape(view))
    return tuple(index)


def take_along_axis(arr: Any, indices: Any, axis: int | None = -1) -> Tensor:
    """Composition (getitem): arr[..., indices[..., i, ...], ...] along `axis`, NumPy's
    take_along_axis (indices of arr's ndim, broadcast against it on the other axes; None
    takes from the flattened arr). Repeated indices accumulate their gradients."""
    idx = _index_values(indices, "take_along_axis")
    if axis is None:
        return _shape.getitem(_shape.reshape(arr, -1), idx)
    ndim = np.ndim(unwrap(arr))
    if idx.ndim != ndim:
        raise ValueError(
            f"take_along_axis: indices have {idx.ndim} axes but arr (shape "
            f"{np.shape(unwrap(arr))}) has {ndim}; they need the same number "
            "(add length-1 axes with indices[..., None])."
        )
    (a,) = _axes(axis, ndim, "take_along_axis")
    shape = np.broadcast_shapes(
        tuple(n for d, n in enumerate(np.shape(unwrap(arr))) if d != a),
        tuple(n for d, n in enumerate(idx.shape) if d != a),
    )
    full = list(shape)
    full.insert(a, np.shape(unwrap(arr))[a])
    source = arr if tuple(full) == np.shape(unwrap(arr)) else _shape.broadcast_to(arr, tuple(full))
    return _shape.getitem(source, _grid(tuple(full), a, idx))


def take(a: Any, indices: Any, axis: int | None = None, mode: str = "raise") -> Tensor:
    """Composition (getitem): elements of `a` at `indices` along `axis` (of the flattened
    `a` for None), NumPy's take. mode "raise" refuses indices out of range, "wrap" takes
    them modulo the length, "clip" clips them to it. Repeats accumulate gradients."""
    idx = _index_values(indices, "take")
    source = _shape.reshape(a, -1) if axis is None else a
    shape = np.shape(unwrap(source))
    (ax,) = (0,) if axis is None else _axes(axis, len(shape), "take")
    n = shape[ax]
    if mode == "wrap":
        idx = np.mod(idx, n) if n else idx
    elif mode == "clip":
        idx = np.clip(idx, 0, max(n - 1, 0))
    elif mode != "raise":
        raise ValueError(f"take: mode must be 'raise', 'wrap' or 'clip'; got {mode!r}.")
    if idx.size and (idx.min() < -n or idx.max() >= n):
        raise IndexError(
            f"take: index {int(idx.max() if idx.max() >= n else idx.min())} is out of "
            f"bounds for axis {ax} with length {n}; use mode='wrap' or mode='clip' to fold "
            "indices into range."
        )
    return _shape.getitem(source, (slice(None),) * ax + (idx,))


def _sort_forward(x: Any, axis: int | None, kind: Any, stable: Any) -> Any:
    v = np.asarray(x)
    if axis is None:
        v, axis = v.reshape(-1), 0
    elif v.ndim == 0:
        raise np.exceptions.AxisError(
            f"sort: a 0-d tensor has no axis {axis}; give axis=None to sort it as 1-d."
        )
    else:
        (axis,) = _axes(axis, v.ndim, "sort")
    order = np.argsort(v, axis=axis, kind="stable" if kind is None else kind, stable=stable)
    return np.take_along_axis(v, order, axis), {"order": order}


def _sort_vjp(g: Any, y: Any, x: Any, axis: Any, kind: Any, stable: Any, order: Any) -> Any:
    """Each sorted position's gradient goes back to the element that was placed there:
    g gathered by the inverse permutation."""
    a = 0 if axis is None else _axes(axis, np.ndim(x), "sort")[0]
    back = np.take_along_axis(g, np.argsort(order, axis=a), a)
    return back.reshape(np.shape(x)) if axis is None else back


_sort = defop("sort", _sort_forward, _sort_vjp, residuals=True, rules="vjp: g un-permuted")


def sort(
    a: Any, axis: int | None = -1, kind: str | None = None, stable: bool | None = None
) -> Tensor:
    """Primitive: a sorted along `axis` (flattened for None), NumPy's sort (a new Tensor:
    tensor data is never sorted in place). The gradient of each sorted value goes to the
    element it came from; tied elements are ordered stably (first occurrence first)."""
    return _sort(a, axis=axis, kind=kind, stable=stable)


def topk(
    x: Any,
    k: int,
    axis: int | None = -1,
    largest: bool = True,
    sorted: bool = True,
    *,
    dim: int | None = None,
) -> ValuesIndices:
    """Composition: the k largest (or smallest) values along `axis` and their indices,
    PyTorch's topk: values in order (ties: lower index first), gathered from x, so the
    gradient goes to the chosen elements; indices without gradient. `sorted=False` is
    accepted and still gives them in order."""
    axis = _dim(axis, dim, "topk")
    v = unwrap(x)
    if v.ndim == 0:
        v, x = v.reshape(1), _shape.reshape(x, 1)
    (a,) = _axes(-1 if axis is None else axis, v.ndim, "topk")
    n = v.shape[a]
    if not 0 <= k <= n:
        raise ValueError(
            f"topk: k={k} is out of range for axis {a} of length {n} (shape {v.shape}); "
            f"give 0 <= k <= {n}."
        )
    key = -v if largest else v
    order = np.argsort(key, axis=a, kind="stable")
    indices = np.take(order, np.arange(k), axis=a)
    values = take_along_axis(x, indices, a)
    if np.ndim(unwrap(x)) != np.ndim(v):
        values = _shape.reshape(values, np.shape(indices))
    return ValuesIndices(values, Tensor(indices.astype(np.int64)))


def _dim_index(input: Any, dim: int, index: Any, op: str) -> tuple[int, np.ndarray]:
    idx = _index_values(index, op)
    shape = np.shape(unwrap(input))
    if idx.ndim != len(shape):
        raise ValueError(
            f"{op}: index has {idx.ndim} axes but input (shape {shape}) has {len(shape)}; "
            "PyTorch's semantics need the same number."
        )
    (d,) = _axes(dim, max(len(shape), 1), op) if shape else (0,)
    too_long = [a for a in range(len(shape)) if a != d and idx.shape[a] > shape[a]]
    if too_long:
        raise ValueError(
            f"{op}: index shape {idx.shape} is larger than input shape {shape} on axis "
            f"{too_long[0]}; every axis but dim={dim} must be no longer than the input's."
        )
    return d, idx


def gather(input: Any, dim: int, index: Any) -> Tensor:
    """Composition (getitem): PyTorch's gather, out[i][j] = input[index[i][j]][j] for
    dim=0 (and alike on every axis); out has index's shape, which may be shorter than
    input's on the other axes. Repeated indices accumulate gradients."""
    d, idx = _dim_index(input, dim, index, "gather")
    if idx.ndim == 0:
        return _shape.getitem(input, ())
    return _shape.getitem(input, _grid(idx.shape, d, idx))


_scatter = defop(
    "scatter_add",
    _shape._scatter_forward,
    lambda g, y, src, index, shape: g[index],
    rules="vjp: g gathered at the indices",
)


def scatter_add(input: Any, dim: Any, index: Any, src: Any = None) -> Any:
    """Two call forms:

    - `scatter_add(input, dim, index, src)`: PyTorch's. A copy of input with
      src[i][j] added at [index[i][j]][j] for dim=0 (and alike on every axis); repeated
      indices add up. Composition: input + (src scattered, a primitive whose vjp gathers
      at the indices). d/dinput = 1, d/dsrc = g gathered at index.
    - `scatter_add(g, index, shape)`: zeros of `shape` with g added at a NumPy `index`,
      the adjoint of `getitem` (see `ops.shape.scatter_add`).
    """
    if src is None:
        return _shape.scatter_add(input, dim, index)
    d, idx = _dim_index(input, dim, index, "scatter_add")
    src_shape = np.shape(unwrap(src))
    if len(src_shape) != idx.ndim or any(i > s for i, s in zip(idx.shape, src_shape)):
        raise ValueError(
            f"scatter_add: index shape {idx.shape} does not fit src shape {src_shape}; src "
            "needs index's number of axes and at least its length on each."
        )
    part = (
        src
        if src_shape == idx.shape
        else _shape.getitem(src, tuple(slice(0, n) for n in idx.shape))
    )
    grid = _grid(idx.shape, d, idx)
    return add(input, _scatter(part, index=grid, shape=np.shape(unwrap(input))))


def nonzero(a: Any) -> tuple[Tensor, ...]:
    """The indices of the nonzero elements, one int64 Tensor per axis (NumPy's nonzero;
    PyTorch's as_tuple=True); not differentiable."""
    return tuple(Tensor(i.astype(np.int64)) for i in np.nonzero(unwrap(a)))
