"""`norm`: np.linalg.norm on Tensors, vector and matrix norms, as compositions.

Vector norms (x 1-d, or an int axis): ord None or 2 is `reductions.norm2` (a primitive,
with the subgradient 0 at x = 0, as PyTorch's); 1 is sum |x|; inf and -inf are max and
min |x| (the gradient split evenly between ties, as PyTorch's); 0 counts the nonzero
elements (no gradient); any other p is `_pnorm`, a primitive with d/dx =
sign(x) |x|^(p-1) / ||x||^(p-1), and 0 at x = 0.

Matrix norms (x 2-d, or a pair of axes): None or "fro" is norm2 over both axes; "nuc"
sums the singular values, 2 and -2 take the largest and smallest (through `svdvals`);
1 and -1 are the max and min column sums of |x|, inf and -inf those of the rows.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor

from ..elementwise import abs as _abs
from ..elementwise import astype, not_equal, unwrap
from ..rearrange import moveaxis
from ..reductions import _axes, _kept_shape, _spread, norm2
from ..reductions import max as _max
from ..reductions import min as _min
from ..reductions import sum as _sum
from ..shape import reshape
from .decompositions import svdvals


def _pnorm_vjp(g: Any, y: Any, x: Any, ord: float, axis: Any, keepdims: bool) -> Any:
    kept = np.reshape(y, _kept_shape(np.shape(x), axis))
    scale = np.where(kept == 0, 1, kept) ** (ord - 1)
    return _spread(g, np.shape(x), axis) * (np.sign(x) * np.abs(x) ** (ord - 1) / scale)


_pnorm = defop(
    "norm",
    lambda x, ord, axis, keepdims: np.linalg.norm(x, ord, axis, keepdims),
    _pnorm_vjp,
    rules="∂/∂x = sign(x)|x|^(p−1) / ‖x‖^(p−1)",
)


def _vector(x: Any, ord: Any, axis: int, keepdims: bool) -> Tensor:
    if ord is None or ord == 2:
        return norm2(x, axis, keepdims)
    if ord == np.inf:
        return _max(_abs(x), axis, keepdims)
    if ord == -np.inf:
        return _min(_abs(x), axis, keepdims)
    if ord == 1:
        return _sum(_abs(x), axis, keepdims)
    if ord == 0:
        v = unwrap(x)
        return _sum(astype(not_equal(v, 0), np.result_type(v, np.float32)), axis, keepdims)
    if isinstance(ord, str):
        raise ValueError(
            f"norm: ord={ord!r} is for matrices; for a vector give None, a number, inf or "
            "-inf (or pass a pair of axes for a matrix norm)."
        )
    return _pnorm(x, ord=float(ord), axis=axis, keepdims=keepdims)


def _matrix(x: Any, ord: Any, axes: tuple[int, int], keepdims: bool) -> Tensor:
    row, col = axes
    if ord is None or ord == "fro":
        out = norm2(x, axes)
    elif ord in ("nuc", 2, -2):
        s = svdvals(moveaxis(x, axes, (-2, -1)))
        out = _sum(s, -1) if ord == "nuc" else (_max(s, -1) if ord == 2 else _min(s, -1))
    elif ord in (1, -1, np.inf, -np.inf):
        summed, other = (row, col) if ord in (1, -1) else (col, row)
        sums = _sum(_abs(x), summed)
        other -= other > summed
        out = _max(sums, other) if ord in (1, np.inf) else _min(sums, other)
    else:
        raise ValueError(
            f"norm: ord={ord!r} is not a matrix norm; give None, 'fro', 'nuc', 1, -1, 2, -2, "
            "inf or -inf."
        )
    if keepdims:
        out = reshape(out, _kept_shape(tuple(np.shape(unwrap(x))), axes))
    return out


def norm(x: Any, ord: Any = None, axis: Any = None, keepdims: bool = False) -> Tensor:
    """Composition: np.linalg.norm (see the module docstring): with axis=None, the 2-norm
    of all elements for ord=None, else x must be 1-d (a vector norm) or 2-d (a matrix
    norm); an int axis gives vector norms along it, a pair of axes matrix norms."""
    ndim = np.ndim(unwrap(x))
    if axis is None:
        if ord is None:
            return norm2(x, None, keepdims)
        if ndim not in (1, 2):
            raise ValueError(
                f"norm: ord={ord!r} with axis=None needs a 1-d or 2-d tensor; got {ndim} "
                "axes. Give axis= (an int for vector norms, a pair for matrix norms)."
            )
        axis = tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, np.integer)) else tuple(axis)
    axes = _axes(axes, ndim, "norm")
    if len(axes) == 1:
        return _vector(x, ord, axes[0], keepdims)
    if len(axes) == 2:
        return _matrix(x, ord, (axes[0], axes[1]), keepdims)
    raise ValueError(f"norm: axis={axis!r} must name one axis (vector) or two (matrix).")


def vector_norm(x: Any, axis: Any = None, keepdims: bool = False, ord: Any = 2) -> Tensor:
    """Composition: NumPy 2's vector_norm, `norm` of x flattened (axis=None) or along the
    given axes (as one vector)."""
    if axis is None:
        out = _vector(reshape(x, -1), ord, 0, False)
        return reshape(out, (1,) * np.ndim(unwrap(x))) if keepdims else out
    axes = _axes(axis if isinstance(axis, tuple) else (axis,), np.ndim(unwrap(x)), "norm")
    if len(axes) == 1:
        return _vector(x, ord, axes[0], keepdims)
    rest = [a for a in range(np.ndim(unwrap(x))) if a not in axes]
    moved = moveaxis(x, axes, tuple(range(-len(axes), 0)))
    flat = reshape(moved, tuple(np.shape(unwrap(x))[a] for a in rest) + (-1,))
    out = _vector(flat, ord, -1, False)
    return reshape(out, _kept_shape(np.shape(unwrap(x)), axes)) if keepdims else out


def matrix_norm(x: Any, keepdims: bool = False, ord: Any = "fro") -> Tensor:
    """Composition: NumPy 2's matrix_norm, `norm` over the last two axes."""
    return norm(x, ord, (-2, -1), keepdims)
