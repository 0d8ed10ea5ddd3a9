"""Rearranging elements, NumPy's functions: all compositions of the primitives in
`shape.py` (getitem, reshape, transpose, broadcast_to, concatenate), so each inherits
their vjps: a flip's gradient is flipped back, a repeat's summed over the copies, a
split's pieces each send their slice back (and the pieces' gradients add up in the
input when several are used).

flip fliplr flipud rot90 roll repeat tile split array_split hsplit vsplit moveaxis
ravel atleast_1d atleast_2d atleast_3d diff hstack vstack.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd_core.tensor import Tensor

from .elementwise import subtract, unwrap
from .reductions import _axes
from .shape import broadcast_to, concatenate, getitem, reshape, transpose


def _tensor(a: Any) -> Tensor:
    return a if isinstance(a, Tensor) else Tensor(a)


def _ndim(a: Any) -> int:
    return np.ndim(unwrap(a))


def _slice_along(ndim: int, axis: int, part: slice) -> tuple[Any, ...]:
    return (slice(None),) * axis + (part,) + (slice(None),) * (ndim - axis - 1)


def flip(m: Any, axis: int | tuple[int, ...] | None = None) -> Tensor:
    """Composition (getitem with step -1): the order of elements reversed along `axis`
    (every axis for None); the vjp flips the gradient back."""
    ndim = _ndim(m)
    axes = _axes(axis, ndim, "flip")
    return getitem(
        m, tuple(slice(None, None, -1) if d in axes else slice(None) for d in range(ndim))
    )


def fliplr(m: Any) -> Tensor:
    """Composition: flip along axis 1 (left/right); needs at least 2 axes."""
    if _ndim(m) < 2:
        raise ValueError(f"fliplr: needs at least 2 axes; got shape {np.shape(unwrap(m))}.")
    return flip(m, 1)


def flipud(m: Any) -> Tensor:
    """Composition: flip along axis 0 (up/down); needs at least 1 axis."""
    if _ndim(m) < 1:
        raise ValueError("flipud: needs at least 1 axis; got a 0-d tensor.")
    return flip(m, 0)


def rot90(m: Any, k: int = 1, axes: tuple[int, int] = (0, 1)) -> Tensor:
    """Composition (flip and transpose, as NumPy does it): rotate by 90 degrees k times
    in the plane of `axes`, from the first axis towards the second."""
    ndim = _ndim(m)
    if len(axes) != 2:
        raise ValueError(f"rot90: axes must be two axes; got {axes!r}.")
    a, b = _axes(tuple(axes), ndim, "rot90")
    k %= 4
    if k == 0:
        return getitem(m, ...)
    if k == 2:
        return flip(m, (a, b))
    order = list(range(ndim))
    order[a], order[b] = order[b], order[a]
    if k == 1:
        return transpose(flip(m, b), tuple(order))
    return flip(transpose(m, tuple(order)), b)


def roll(a: Any, shift: int | Sequence[int], axis: int | Sequence[int] | None = None) -> Tensor:
    """Composition (two slices concatenated per axis): elements shifted by `shift` along
    `axis` (of the flattened tensor for None), those past the end coming round to the
    start. Several shifts on one axis add up, as in NumPy."""
    if axis is None:
        return reshape(roll(reshape(a, -1), shift, 0), np.shape(unwrap(a)))
    shifts, axes = np.broadcast_arrays(np.asarray(shift), np.asarray(axis))
    if shifts.ndim > 1:
        raise ValueError(f"roll: shift and axis must be ints or 1-d; got {shift!r}, {axis!r}.")
    ndim, shape = _ndim(a), np.shape(unwrap(a))
    total: dict[int, int] = {}
    for s, ax in zip(np.atleast_1d(shifts).tolist(), np.atleast_1d(axes).tolist(), strict=True):
        (d,) = _axes(int(ax), ndim, "roll")
        total[d] = total.get(d, 0) + int(s)
    out = a
    for d, s in total.items():
        n = shape[d]
        s = s % n if n else 0
        if s:
            out = concatenate(
                [getitem(out, _slice_along(ndim, d, slice(n - s, None))),
                 getitem(out, _slice_along(ndim, d, slice(0, n - s)))],
                axis=d,
            )  # fmt: skip
    return out if isinstance(out, Tensor) else Tensor(out)


def repeat(a: Any, repeats: int | Sequence[int], axis: int | None = None) -> Tensor:
    """Composition (getitem with repeated indices): each element repeated `repeats` times
    along `axis` (of the flattened tensor for None), NumPy's repeat. The gradient of the
    copies is summed into the element. (PyTorch's `x.repeat(*sizes)` is `tile`.)"""
    if axis is None:
        a, axis = reshape(a, -1), 0
    ndim = _ndim(a)
    (d,) = _axes(axis, ndim, "repeat")
    n = np.shape(unwrap(a))[d]
    try:
        index = np.repeat(np.arange(n), repeats)
    except ValueError as err:
        raise ValueError(
            f"repeat: repeats={repeats!r} does not fit axis {d} of length {n} ({err}); give "
            "an int or one count per element."
        ) from None
    return getitem(a, (slice(None),) * d + (index,))


def tile(A: Any, reps: int | Sequence[int]) -> Tensor:
    """Composition (reshape, broadcast_to, reshape): A repeated `reps` times along each
    axis, NumPy's tile (and PyTorch's x.repeat(*sizes)); axes are added on the left to
    match. The vjp sums the copies."""
    reps = (reps,) if isinstance(reps, (int, np.integer)) else tuple(reps)
    if any(int(r) < 0 for r in reps):
        raise ValueError(f"tile: reps must be >= 0; got {reps!r}.")
    shape = np.shape(unwrap(A))
    d = max(len(shape), len(reps))
    shape = (1,) * (d - len(shape)) + shape
    reps = (1,) * (d - len(reps)) + tuple(int(r) for r in reps)
    interleaved = tuple(n for pair in zip((1,) * d, shape, strict=True) for n in pair)
    spread = tuple(n for pair in zip(reps, shape, strict=True) for n in pair)
    out = broadcast_to(reshape(A, interleaved), spread)
    return reshape(out, tuple(r * n for r, n in zip(reps, shape, strict=True)))


def _split_points(n: int, sections: Any, equal: bool, op: str) -> list[int]:
    if isinstance(sections, (int, np.integer)):
        k = int(sections)
        if k <= 0:
            raise ValueError(f"{op}: the number of sections must be > 0; got {k}.")
        if equal and n % k:
            raise ValueError(
                f"{op}: an axis of length {n} does not split into {k} equal sections; use "
                "array_split for unequal ones, or give the split indices."
            )
        size, extra = divmod(n, k)
        sizes = [size + 1] * extra + [size] * (k - extra)
        return [0, *np.cumsum(sizes).tolist()]
    points = [int(i) for i in sections]
    return [0, *points, n]


def _split(ary: Any, sections: Any, axis: int, equal: bool, op: str) -> list[Tensor]:
    ndim = _ndim(ary)
    (d,) = _axes(axis, ndim, op)
    n = np.shape(unwrap(ary))[d]
    points = _split_points(n, sections, equal, op)
    return [
        getitem(ary, _slice_along(ndim, d, slice(lo, hi)))
        for lo, hi in zip(points[:-1], points[1:], strict=True)
    ]


def split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    """Composition (a getitem per piece): NumPy's split into equal sections (an int) or
    at the given indices, a list of Tensors; the pieces' gradients add up in `ary`.
    (PyTorch's `x.split(size)` gives pieces of that size instead.)"""
    return _split(ary, indices_or_sections, axis, True, "split")


def array_split(ary: Any, indices_or_sections: Any, axis: int = 0) -> list[Tensor]:
    """Composition: like split, but an int need not divide the axis: the first
    (length % sections) pieces get one element more (PyTorch's tensor_split)."""
    return _split(ary, indices_or_sections, axis, False, "array_split")


def hsplit(ary: Any, indices_or_sections: Any) -> list[Tensor]:
    """Composition: split along axis 1 (axis 0 for a 1-d tensor)."""
    ndim = _ndim(ary)
    if ndim == 0:
        raise ValueError("hsplit: needs at least 1 axis; got a 0-d tensor.")
    return _split(ary, indices_or_sections, 1 if ndim > 1 else 0, True, "hsplit")


def vsplit(ary: Any, indices_or_sections: Any) -> list[Tensor]:
    """Composition: split along axis 0; needs at least 2 axes."""
    if _ndim(ary) < 2:
        raise ValueError(f"vsplit: needs at least 2 axes; got shape {np.shape(unwrap(ary))}.")
    return _split(ary, indices_or_sections, 0, True, "vsplit")


def moveaxis(a: Any, source: int | Sequence[int], destination: int | Sequence[int]) -> Tensor:
    """Composition (transpose): the axes `source` moved to `destination`, the others
    keeping their order."""
    ndim = _ndim(a)
    src = _axes(tuple(np.atleast_1d(source).tolist()), ndim, "moveaxis")
    dst = _axes(tuple(np.atleast_1d(destination).tolist()), ndim, "moveaxis")
    if len(src) != len(dst):
        raise ValueError(
            f"moveaxis: source {source!r} and destination {destination!r} must name as many axes."
        )
    order = [n for n in range(ndim) if n not in src]
    for d, s in sorted(zip(dst, src, strict=True)):
        order.insert(d, s)
    return transpose(a, tuple(order))


def ravel(a: Any) -> Tensor:
    """Composition: reshape to one axis (a view where NumPy's ravel gives one)."""
    return reshape(a, -1)


def _at_least(arys: tuple[Any, ...], shape_of: Any) -> Any:
    out = []
    for a in arys:
        shape = np.shape(unwrap(a))
        new = shape_of(shape)
        out.append(_tensor(a) if new == shape else reshape(a, new))
    return out[0] if len(out) == 1 else tuple(out)


def atleast_1d(*arys: Any) -> Any:
    """Composition (reshape): a 0-d tensor as shape (1,); others unchanged. One Tensor for
    one argument, a tuple for several (NumPy's)."""
    return _at_least(arys, lambda s: s if len(s) >= 1 else (1,))


def atleast_2d(*arys: Any) -> Any:
    """Composition (reshape): () -> (1, 1), (n,) -> (1, n); others unchanged."""
    return _at_least(arys, lambda s: s if len(s) >= 2 else (1,) * (2 - len(s)) + s)


def atleast_3d(*arys: Any) -> Any:
    """Composition (reshape): () -> (1, 1, 1), (n,) -> (1, n, 1), (m, n) -> (m, n, 1)."""

    def shape_of(s: tuple[int, ...]) -> tuple[int, ...]:
        if len(s) >= 3:
            return s
        return {0: (1, 1, 1), 1: (1, *s, 1), 2: (*s, 1)}[len(s)]

    return _at_least(arys, shape_of)


def _edge(value: Any, shape: tuple[int, ...], d: int) -> Any:
    """A prepend/append value as a block of length 1 along d (broadcast as NumPy does)."""
    v = unwrap(value)
    if np.ndim(v) == 0:
        block = list(shape)
        block[d] = 1
        return broadcast_to(value, tuple(block))
    return value


def diff(a: Any, n: int = 1, axis: int = -1, prepend: Any = None, append: Any = None) -> Tensor:
    """Composition (slices subtracted, n times): the n-th discrete difference along
    `axis`, out[i] = a[i + 1] - a[i]; `prepend`/`append` values join the ends first."""
    if n < 0:
        raise ValueError(f"diff: order n must be >= 0; got {n}.")
    ndim = _ndim(a)
    if ndim == 0:
        raise ValueError("diff: needs at least 1 axis; got a 0-d tensor.")
    (d,) = _axes(axis, ndim, "diff")
    shape = np.shape(unwrap(a))
    parts = [a]
    if prepend is not None:
        parts.insert(0, _edge(prepend, shape, d))
    if append is not None:
        parts.append(_edge(append, shape, d))
    out = concatenate(parts, axis=d) if len(parts) > 1 else _tensor(a)
    for _ in range(n):
        out = subtract(
            getitem(out, _slice_along(ndim, d, slice(1, None))),
            getitem(out, _slice_along(ndim, d, slice(None, -1))),
        )
    return out


def hstack(tup: Sequence[Any]) -> Tensor:
    """Composition: concatenate along axis 1 (axis 0 for 1-d tensors), after atleast_1d."""
    arrays = [atleast_1d(a) for a in tup]
    if not arrays:
        raise ValueError("hstack: needs at least one tensor to join.")
    return concatenate(arrays, axis=0 if arrays[0].ndim == 1 else 1)


def vstack(tup: Sequence[Any]) -> Tensor:
    """Composition: concatenate along axis 0, after atleast_2d (1-d tensors become rows)."""
    arrays = [atleast_2d(a) for a in tup]
    if not arrays:
        raise ValueError("vstack: needs at least one tensor to join.")
    return concatenate(arrays, axis=0)
