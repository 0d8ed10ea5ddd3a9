"""Matrix product with NumPy's `matmul` rules (1-D operands, stacked batches).

For Y = A @ B:  dA = G @ B^T  and  dB = A^T @ G  (the "Wx" and "xW" identities of the
vectorized-gradients reference). A 1-D operand is treated as a row (for A) or a column
(for B) and the extra axis removed again; batch axes that were broadcast are summed by
the engine.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.engine import record
from autograd_core.tensor import Tensor

from .elementwise import unwrap


def _mT(x: Any) -> Any:
    return np.swapaxes(x, -1, -2)


def _transposed(x: Any) -> bool:
    """True for a 2-D array laid out as a transpose (column-major), such as `W.T`. With
    two 2-D operands, the vjp then gives the gradient that layout too."""
    return (
        type(x) is np.ndarray and x.ndim == 2 and x.flags.f_contiguous and not x.flags.c_contiguous
    )


def _grad_a(g: Any, y: Any, a: Any, b: Any) -> Any:
    if a.ndim == 1 and b.ndim == 1:
        return g * b
    if b.ndim == 1:  # y[..., n] = a[..., n, k] b[k]
        return np.expand_dims(g, -1) * b
    if a.ndim == 1:  # y[..., m] = a[k] b[..., k, m]
        return (np.expand_dims(g, -2) @ _mT(b)).reshape(g.shape[:-1] + (b.shape[-2],))
    if b.ndim == 2 and _transposed(
        a
    ):  # the same product, laid out like a: the transpose back is then
        return (b @ _mT(g)).T  # contiguous (a leaf's .grad needs no copy)
    return g @ _mT(b)


def _grad_b(g: Any, y: Any, a: Any, b: Any) -> Any:
    if a.ndim == 1 and b.ndim == 1:
        return g * a
    if a.ndim == 1:
        return np.expand_dims(a, -1) * np.expand_dims(g, -2)
    if b.ndim == 1:
        return (_mT(a) @ np.expand_dims(g, -1)).reshape(g.shape[:-1] + (a.shape[-1],))
    if a.ndim == 2 and _transposed(b):  # x @ W.T, as in nn.Linear: dW comes out contiguous
        return (_mT(g) @ a).T
    return _mT(a) @ g


def _mismatch(sa: tuple[int, ...], sb: tuple[int, ...]) -> ValueError:
    """Which rule two shapes that np.matmul refused break: the inner axes, or the batch."""
    inner = sb[0] if len(sb) == 1 else sb[-2]
    if sa[-1] != inner:
        which = "only" if len(sb) == 1 else "second-to-last"
        problem = (
            f"the last axis of the left operand ({sa[-1]}) must equal the {which} axis of "
            f"the right one ({inner}); transpose or reshape an operand"
        )
    else:
        problem = (
            f"their batch axes {sa[:-2]} and {sb[:-2]} do not broadcast (matched from the "
            "right, each pair must be equal or 1)"
        )
    return ValueError(f"matmul: shapes {sa} and {sb} do not fit: {problem}.")


def matmul(a: Any, b: Any) -> Tensor:
    """a @ b; d/da = g @ b^T, d/db = a^T @ g."""
    va, vb = unwrap(a), unwrap(b)
    if np.ndim(va) == 0 or np.ndim(vb) == 0:
        raise ValueError(
            f"matmul: operands must have at least one axis; got shapes {np.shape(va)} and "
            f"{np.shape(vb)}. Use * to multiply by a scalar."
        )
    try:
        out = np.matmul(va, vb)
    except ValueError:
        raise _mismatch(np.shape(va), np.shape(vb)) from None
    return record("matmul", out, (a, b), (_grad_a, _grad_b))
