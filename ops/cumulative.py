"""Cumulative reductions along one axis: cumsum and cumprod (primitives), cummax and
cummin (compositions: NumPy's running extreme gives the indices, a gather the values);
and prod (a primitive reduction), whose vjp is built from cumulative products.

`axis=None` works on the flattened tensor, as in NumPy.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor

from .elementwise import unwrap
from .reductions import Axis, _axes, _kept_shape, _spread
from .shape import reshape
from .sorting import ValuesIndices, take_along_axis


def _axis(x: Any, axis: int | None, op: str) -> int | None:
    """`axis` in [0, ndim), or None; an axis out of range names `op`."""
    if axis is None:
        return None
    (a,) = _axes(axis, max(np.ndim(x), 1), op)
    return a


def _along_last(v: Any, axis: int | None) -> Any:
    """The values with `axis` moved last (flattened for None), array or Tensor."""
    if axis is None:
        return v.reshape(-1)
    return v if axis in (-1, v.ndim - 1) else np.moveaxis(v, axis, -1)


def _back(v: Any, x: Any, axis: int | None) -> Any:
    """The inverse of `_along_last`: `v` in x's layout."""
    if axis is None:
        return v.reshape(np.shape(x))
    return v if axis in (-1, np.ndim(x) - 1) else np.moveaxis(v, -1, axis)


def _reverse_cumsum(v: Any) -> Any:
    """sum_{j >= k} v_j along the last axis: the adjoint of cumsum."""
    return np.cumsum(v[..., ::-1], axis=-1)[..., ::-1]


def _cumsum_forward(x: Any, axis: int | None) -> Any:
    return np.cumsum(x, axis=_axis(x, axis, "cumsum"))


def _cumsum_vjp(g: Any, y: Any, x: Any, axis: int | None) -> Any:
    a = _axis(x, axis, "cumsum")
    return _back(_reverse_cumsum(_along_last(g, a)), x, a)


_cumsum = defop(
    "cumsum", _cumsum_forward, _cumsum_vjp, rules="vjp: g summed from the end (reverse cumsum)"
)


def cumsum(x: Any, axis: int | None = None) -> Tensor:
    """Primitive: running sums along `axis` (of the flattened tensor for None, NumPy's
    default). The vjp is the reverse running sum of g: d y_j / d x_k = 1 for k <= j."""
    return _cumsum(x, axis=axis)


def _cumprod_vjp(g: Any, y: Any, x: Any, axis: Any) -> Any:
    a = _axis(x, axis, "cumprod")
    return _back(_cumprod_vjp_last(_along_last(g, a), _along_last(y, a), _along_last(x, a)), x, a)


def _cumprod_vjp_last(g: Any, y: Any, x: Any) -> Any:
    """d/dx_k of sum_j g_j y_j = sum_{j >= k} g_j prod_{i <= j, i != k} x_i, along the last
    axis, exact where x holds zeros and differentiable again there.

    Without zeros that is reverse_cumsum(g y)_k / x_k. On a row whose first zero is at z,
    let x' be x with x_z replaced by 1: before z the formula holds as it is (those x_k
    are nonzero); from z on, the products that matter skip x_z, so the derivative is that
    of x' (this same function, one zero fewer), times x_z for k > z (whose products hold
    x_z: 0 in value, but its derivative in x_z is that of x')."""
    zero = unwrap(x) == 0
    if not zero.any():
        return _reverse_cumsum(g * y) / x
    n = zero.shape[-1]
    first = np.where(zero.any(axis=-1, keepdims=True), np.argmax(zero, axis=-1, keepdims=True), n)
    k = np.arange(n)
    before, at = k < first, k == first
    x_first = np.take_along_axis(x, np.minimum(first, n - 1), -1)
    replaced = np.where(at, 1, x)
    inner = _cumprod_vjp_last(g, cumprod(replaced, axis=-1), replaced)
    ahead = _reverse_cumsum(g * y) / np.where(before, x, 1)
    return np.where(before, ahead, inner * np.where(at, 1, x_first))


_cumprod = defop(
    "cumprod",
    lambda x, axis: np.cumprod(x, axis=_axis(x, axis, "cumprod")),
    _cumprod_vjp,
    rules="∂yⱼ/∂xₖ = ∏ᵢ≤ⱼ,ᵢ≠ₖ xᵢ (k ≤ j)",
)


def cumprod(x: Any, axis: int | None = None) -> Tensor:
    """Primitive: running products along `axis` (flattened for None). d y_j / d x_k is the
    product of x_0..x_j without x_k (k <= j); the vjp is exact where x holds zeros, to
    any order (see `_cumprod_vjp_last`)."""
    return _cumprod(x, axis=axis)


def _running(x: Any, axis: int, ufunc: Any, op: str) -> ValuesIndices:
    """(values, indices) of a running max or min, PyTorch's cummax/cummin: the index is
    that of the latest element equal to the running extreme (NaN propagates, with its
    index)."""
    v = unwrap(x)
    if v.ndim == 0:  # one element: itself, at index 0
        values, indices = _running(reshape(x, (1,)), 0, ufunc, op)
        return ValuesIndices(reshape(values, ()), reshape(indices, ()))
    a = _axis(v, axis, op)
    if a is None:
        raise TypeError(f"{op}: axis must be an int (the axis to run along); got None.")
    extreme = ufunc.accumulate(v, axis=a)
    record = (v == extreme) | np.isnan(v)
    shape = [1] * v.ndim
    shape[a] = v.shape[a]
    position = np.where(record, np.arange(v.shape[a]).reshape(shape), 0)
    indices = np.maximum.accumulate(position, axis=a)
    return ValuesIndices(take_along_axis(x, indices, a), Tensor(indices))


def cummax(x: Any, axis: int) -> ValuesIndices:
    """Composition: (values, indices) of the running maximum along `axis`, as PyTorch's
    cummax (ties take the latest index). The values are x gathered at the indices, so
    the gradient goes to the element each running maximum came from (repeats add)."""
    return _running(x, axis, np.maximum, "cummax")


def cummin(x: Any, axis: int) -> ValuesIndices:
    """Composition: (values, indices) of the running minimum along `axis` (see cummax)."""
    return _running(x, axis, np.minimum, "cummin")


def _others_product(x: Any, axes: tuple[int, ...]) -> Any:
    """For each element, the product of the other elements reduced with it (along `axes`),
    exact where x holds zeros: the exclusive cumulative products from the left and from
    the right, multiplied. Written with ops, so it differentiates again."""
    shape = np.shape(x)
    rest = [a for a in range(len(shape)) if a not in axes]
    order = rest + list(axes)
    identity = order == list(range(len(shape)))
    moved = x if identity else np.transpose(x, order)
    kept = tuple(shape[a] for a in rest)
    flat = moved.reshape(kept + (-1,))
    ones = np.ones(kept + (1,), dtype=unwrap(flat).dtype)
    left = cumprod(flat, axis=-1)
    right = cumprod(flat[..., ::-1], axis=-1)[..., ::-1]
    others = np.concatenate([ones, left[..., :-1]], axis=-1) * np.concatenate(
        [right[..., 1:], ones], axis=-1
    )
    others = others.reshape(tuple(shape[a] for a in order))
    return others if identity else np.transpose(others, tuple(np.argsort(order)))


def _prod_vjp(g: Any, y: Any, x: Any, axis: Axis, keepdims: bool) -> Any:
    axes = _axes(axis, np.ndim(x))
    spread = _spread(g, np.shape(x), axis)
    if not (unwrap(x) == 0).any():
        return spread * (np.reshape(y, _kept_shape(np.shape(x), axis)) / x)
    return spread * _others_product(x, axes)


_prod = defop(
    "prod",
    lambda x, axis, keepdims: np.prod(x, axis=_axes(axis, np.ndim(x), "prod"), keepdims=keepdims),
    _prod_vjp,
    rules="∂/∂xᵢ = ∏ⱼ≠ᵢ xⱼ",
)


def prod(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Primitive: the product over `axis`. d/dx_i = the product of the others: y / x_i
    without zeros; with zeros, from exclusive cumulative products, so it is exact there
    (one zero: only its own derivative is nonzero; two: all are 0)."""
    return _prod(x, axis=axis, keepdims=keepdims)
