"""Matrix product with NumPy's `matmul` rules (1-D operands, stacked batches).

For Y = A @ B:  dA = G @ B^T  and  dB = A^T @ G  (the "Wx" and "xW" identities of
"Back propagation: Vectorized Gradient"). A 1-D operand is treated as a row (for A) or a column
(for B) and the extra axis removed again; batch axes that were broadcast are summed by
the engine.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor


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


def _matmul_forward(a: Any, b: Any) -> Any:
    if np.ndim(a) == 0 or np.ndim(b) == 0:
        raise ValueError(
            f"matmul: operands must have at least one axis; got shapes {np.shape(a)} and "
            f"{np.shape(b)}. Use * to multiply by a scalar."
        )
    try:
        return np.matmul(a, b)
    except ValueError:
        raise _mismatch(np.shape(a), np.shape(b)) from None


matmul = defop(
    "matmul",
    _matmul_forward,
    _grad_a,
    _grad_b,
    rules=("vjp: g @ bᵀ", "vjp: aᵀ @ g"),
    doc="a @ b; d/da = g @ b^T, d/db = a^T @ g.",
)


# ---- the fully connected layer as one primitive --------------------------------------


def _rows(a: Any) -> Any:
    """(..., n) -> (rows, n): the batch axes flattened (an array or a Tensor)."""
    return a.reshape(math.prod(a.shape[:-1]), a.shape[-1])  # not -1: rows may be 0


def _row_product(a: Any, b: Any) -> Any:
    """a (..., k) @ b (k, n) as one 2-d product of the rows (an array or a Tensor): on a
    3-d `a`, NumPy's matmul calls BLAS once per leading index, about 1.4x slower."""
    if a.ndim <= 2:
        return a @ b
    if isinstance(a, Tensor):
        return (_rows(a) @ b).reshape(*a.shape[:-1], b.shape[-1])
    out = np.empty((*a.shape[:-1], b.shape[-1]), np.result_type(a, b))  # owns its memory
    np.matmul(_rows(a), b, out=_rows(out))
    return out


def _affine_forward(x: Any, weight: Any, *bias: Any) -> Any:
    y = _row_product(x, np.asarray(weight).T)
    if bias:
        if np.result_type(y, bias[0]) == y.dtype:
            y += bias[0]  # y is new: nothing else holds it yet
        else:
            y = y + bias[0]
    return y


affine = defop(
    "linear",
    _affine_forward,
    lambda g, y, x, w, *b: _row_product(g, w),
    lambda g, y, x, w, *b: _rows(g).T @ _rows(x),
    lambda g, y, x, w, b: _rows(g).sum(axis=0),
    rules=("vjp: g @ W", "vjp: gᵀ @ x", "vjp: g summed over the batch"),
    doc="""x @ W^T (+ b), with x (..., in), W (out, in) and b (out,): the fully connected
    layer in PyTorch's layout, one node instead of three (matmul, transpose, add).

    For y = W x + b, "Back propagation reference" gives dE/dx = W^T delta, dE/dW = delta x^T and
    dE/db = delta; in the row-per-sample layout: dx = g @ W, dW = g^T @ x (batch axes
    flattened), db = g summed over the batch. The bias is added into the product's
    fresh array, and dW comes out contiguous in W's own layout. Shapes are not checked
    here: `nn.functional.linear` does that.""",
)
