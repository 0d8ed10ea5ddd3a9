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


def _grad_a(g: Any, y: Any, a: Any, b: Any) -> Any:
    if a.ndim == 1 and b.ndim == 1:
        return g * b
    if b.ndim == 1:  # y[..., n] = a[..., n, k] b[k]
        return np.expand_dims(g, -1) * b
    if a.ndim == 1:  # y[..., m] = a[k] b[..., k, m]
        return (np.expand_dims(g, -2) @ _mT(b)).reshape(g.shape[:-1] + (b.shape[-2],))
    return g @ _mT(b)


def _grad_b(g: Any, y: Any, a: Any, b: Any) -> Any:
    if a.ndim == 1 and b.ndim == 1:
        return g * a
    if a.ndim == 1:
        return np.expand_dims(a, -1) * np.expand_dims(g, -2)
    if b.ndim == 1:
        return (_mT(a) @ np.expand_dims(g, -1)).reshape(g.shape[:-1] + (a.shape[-1],))
    return _mT(a) @ g


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
        raise ValueError(
            f"matmul: shapes {np.shape(va)} and {np.shape(vb)} do not fit: the last axis "
            f"of the left operand ({np.shape(va)[-1]}) must equal the "
            f"{'only' if np.ndim(vb) == 1 else 'second-to-last'} axis of the right one "
            f"({np.shape(vb)[0 if np.ndim(vb) == 1 else -2]}), and batch axes must broadcast."
        ) from None
    return record("matmul", out, (a, b), (_grad_a, _grad_b))
