"""Parts of matrices, on the last two axes or the two axes given: diagonal, trace, diag,
tril, triu. Compositions of getitem, sum and where, except the vector-to-matrix case of
`diag`, a primitive whose vjp reads the diagonal back.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor

from .elementwise import unwrap, where
from .rearrange import moveaxis
from .reductions import _axes
from .reductions import sum as _sum
from .shape import getitem


def _diagonal_index(n: int, m: int, offset: int) -> tuple[np.ndarray, np.ndarray]:
    rows = np.arange(max(0, -offset), n)
    rows = rows[rows + offset < m]
    return rows, rows + offset


def diagonal(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """Composition (getitem): the diagonal a[i, i + offset] of the planes spanned by axis1
    and axis2, as the last axis of the result (NumPy's diagonal, a new Tensor rather than
    a view). The gradient goes back onto the diagonal."""
    shape = np.shape(unwrap(a))
    if len(shape) < 2:
        raise ValueError(f"diagonal: needs at least 2 axes; got shape {shape}.")
    i, j = _axes((axis1, axis2), len(shape), "diagonal")
    moved = moveaxis(a, (i, j), (-2, -1))
    rows, cols = _diagonal_index(shape[i], shape[j], int(offset))
    return getitem(moved, (Ellipsis, rows, cols))


def trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1) -> Tensor:
    """Composition: the sum of `diagonal(a, offset, axis1, axis2)`; d/da = 1 on the
    diagonal, 0 elsewhere."""
    return _sum(diagonal(a, offset, axis1, axis2), axis=-1)


def _embed(v: Any, k: int) -> Any:
    return np.diag(v, k)


_diag = defop(
    "diag",
    _embed,
    lambda g, y, v, k: np.diagonal(g, k),
    rules="vjp: the k-th diagonal of g",
)


def diag(v: Any, k: int = 0) -> Tensor:
    """NumPy's diag: a 1-d v becomes the square matrix with v on its k-th diagonal (a
    primitive, whose vjp is the k-th diagonal of g); a 2-d v gives its k-th diagonal
    (composition: `diagonal`)."""
    ndim = np.ndim(unwrap(v))
    if ndim == 1:
        return _diag(v, k=int(k))
    if ndim == 2:
        return diagonal(v, int(k))
    raise ValueError(f"diag: takes a 1-d or 2-d tensor; got shape {np.shape(unwrap(v))}.")


def _triangle(m: Any, k: int, lower: bool) -> Tensor:
    shape = np.shape(unwrap(m))
    if not shape:
        raise ValueError(f"{'tril' if lower else 'triu'}: needs at least 1 axis; got a 0-d tensor.")
    n, c = (shape[-2], shape[-1]) if len(shape) > 1 else (shape[-1], shape[-1])
    mask = np.tri(n, c, k, dtype=bool) if lower else ~np.tri(n, c, k - 1, dtype=bool)
    return where(mask, m, 0)


def tril(m: Any, k: int = 0) -> Tensor:
    """Composition (where): the lower triangle of the last two axes, elements above the
    k-th diagonal set to 0 (and their gradient)."""
    return _triangle(m, int(k), True)


def triu(m: Any, k: int = 0) -> Tensor:
    """Composition (where): the upper triangle, elements below the k-th diagonal set to 0."""
    return _triangle(m, int(k), False)
