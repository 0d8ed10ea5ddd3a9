"""Inverses and determinants: inv, solve, det, slogdet, pinv (primitives) and
matrix_power (a composition of matmul and inv). All work on stacks of matrices in the
last two axes; singular matrices raise numpy.linalg.LinAlgError naming the op.

Gradients, for Y = inv(A) and G = dL/dY: dA = -Y^T G Y^T. For X = solve(A, B):
dB = solve(A^T, G), dA = -dB X^T. For det: d det(A) / dA = the cofactor matrix,
det(A) inv(A)^T where A is invertible and, from the singular values, where it is not.
For log|det A|: inv(A)^T. For the pseudo-inverse Y = pinv(A) (Golub and Pereyra):
dA = -Y^T G Y^T + (I - A Y) G^T Y Y^T + Y^T Y G^T (I - Y A), valid where the rank does
not change.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor, lock

from ..cumulative import _others_product
from ..elementwise import unwrap
from ..shape import getitem
from ._common import LinAlgError, eye_like, matrices, mT, singular, square
from .products import matmul


class SlogdetResult(NamedTuple):
    """NumPy's (sign, logabsdet): the sign without gradient, log|det| differentiable."""

    sign: Tensor
    logabsdet: Tensor


def _inv_forward(a: Any) -> Any:
    v = square(a, "inv")
    try:
        return np.linalg.inv(v)
    except LinAlgError:
        raise singular("inv", v) from None


_inv = defop(
    "inv",
    _inv_forward,
    lambda g, y, a: -(mT(y) @ g @ mT(y)),
    rules="vjp: −A⁻ᵀ g A⁻ᵀ",
)


def inv(a: Any) -> Tensor:
    """Primitive: the inverse of each square matrix in the last two axes.
    d/dA = -Y^T G Y^T (Y = inv(A)). A singular matrix raises LinAlgError naming it."""
    return _inv(a)


def _vector_rhs(b: Any) -> bool:
    """NumPy 2's rule: b is a vector only when it is exactly 1-d."""
    return np.ndim(unwrap(b)) == 1


def _solve_forward(a: Any, b: Any) -> Any:
    v = square(a, "solve")
    w = np.asarray(b)
    n = v.shape[-1]
    rows = w.shape[0] if w.ndim == 1 else (w.shape[-2] if w.ndim >= 2 else None)
    if rows != n:
        raise ValueError(
            f"solve: a has shape {v.shape} and b {w.shape}; b must be (n,) or (..., n, k) "
            f"with n = {n} (NumPy 2: only a 1-d b is a vector; write b[..., None] for a "
            "stack of vectors)."
        )
    try:
        return np.linalg.solve(v, w)
    except LinAlgError:
        raise singular("solve", v) from None
    except ValueError as err:
        raise ValueError(f"solve: a {v.shape} and b {w.shape} do not broadcast ({err}).") from None


def _solve_vjp(g: Any, x: Any, a: Any, b: Any) -> list[Any]:
    """Both gradients from one solve with A^T: dB = solve(A^T, G), dA = -dB X^T."""
    if _vector_rhs(b):
        gb = np.linalg.solve(mT(a), g[..., None])
        return [-(gb @ mT(x[..., None])), gb[..., 0]]
    gb = np.linalg.solve(mT(a), g)
    return [-(gb @ mT(x)), gb]


_solve = defop(
    "solve",
    _solve_forward,
    _solve_vjp,
    joint=True,
    rules=("vjp: −solve(Aᵀ, g) Xᵀ", "vjp: solve(Aᵀ, g)"),
)


def solve(a: Any, b: Any) -> Tensor:
    """Primitive: X with A X = B, for A (..., n, n) and B (n,) or (..., n, k) (NumPy 2's
    rule), broadcasting the batch axes. dB = solve(A^T, G), dA = -dB X^T, both from one
    solve. A singular A raises LinAlgError naming it."""
    return _solve(a, b)


def _cofactor(a: Any) -> Any:
    """The cofactor matrix det(A) inv(A)^T, from the singular values so that it holds for
    singular A too: det(U) det(V^T) U diag(prod of the other singular values) V^T."""
    u, s, vh = np.linalg.svd(a)
    others = _others_product(s, (np.ndim(unwrap(s)) - 1,))
    signs = np.linalg.det(u) * np.linalg.det(vh)
    return (u * others[..., None, :]) @ vh * signs[..., None, None]


def _det_vjp(g: Any, y: Any, a: Any) -> Any:
    scale = g[..., None, None]
    if (unwrap(y) == 0).any():
        return scale * _cofactor(a)
    return scale * y[..., None, None] * mT(np.linalg.inv(a))


_det = defop(
    "det",
    lambda a: np.linalg.det(square(a, "det")),
    _det_vjp,
    rules="∂/∂A = det(A) A⁻ᵀ (the cofactors)",
)


def det(a: Any) -> Tensor:
    """Primitive: the determinant of each square matrix. d/dA = the cofactor matrix:
    det(A) inv(A)^T, or, where det(A) = 0, the same from the singular values (finite
    there, as PyTorch's)."""
    return _det(a)


def _slogdet_forward(a: Any) -> Any:
    sign, logabs = np.linalg.slogdet(square(a, "slogdet"))
    return np.stack([sign, logabs], axis=-1)


def _slogdet_vjp(g: Any, y: Any, a: Any) -> Any:
    try:
        inverse = np.linalg.inv(a)
    except LinAlgError:
        raise singular("slogdet", np.asarray(unwrap(a))) from None
    return g[..., 1][..., None, None] * mT(inverse)


_slogdet = defop("slogdet", _slogdet_forward, _slogdet_vjp, rules="∂ log|det A| / ∂A = A⁻ᵀ")


def slogdet(a: Any) -> SlogdetResult:
    """(sign, log|det|) of each square matrix, NumPy's slogdet: one primitive computes both
    (stacked on a last axis of length 2) and each is read off it. log|det| is
    differentiable, d/dA = inv(A)^T; the sign has no gradient. At a singular matrix
    log|det| = -inf and its gradient raises LinAlgError."""
    packed = _slogdet(a)
    sign = Tensor._wrap(lock(packed.numpy()[..., 0].copy()))
    return SlogdetResult(sign, getitem(packed, (Ellipsis, 1)))


def _pinv_forward(a: Any, rcond: Any, hermitian: bool, rtol: Any) -> Any:
    v = matrices(a, "pinv")
    kwargs = {} if rtol is None else {"rtol": rtol}
    if rcond is not None:
        kwargs["rcond"] = rcond
    return np.linalg.pinv(v, hermitian=hermitian, **kwargs)


def _pinv_vjp(g: Any, y: Any, a: Any, rcond: Any, hermitian: bool, rtol: Any) -> Any:
    m, n = np.shape(unwrap(a))[-2:]
    yt, gt = mT(y), mT(g)
    rows = eye_like(unwrap(a), m) - a @ y  # I - A Y, (m, m)
    cols = eye_like(unwrap(a), n) - y @ a  # I - Y A, (n, n)
    return -(yt @ g @ yt) + rows @ gt @ y @ yt + yt @ y @ gt @ cols


_pinv = defop(
    "pinv",
    _pinv_forward,
    _pinv_vjp,
    rules="vjp: −Yᵀ g Yᵀ + (I − AY) gᵀ Y Yᵀ + Yᵀ Y gᵀ (I − YA)",
)


def pinv(a: Any, rcond: Any = None, hermitian: bool = False, *, rtol: Any = None) -> Tensor:
    """Primitive: the Moore-Penrose pseudo-inverse of each matrix (NumPy's pinv, its
    rcond/rtol cut-off for small singular values). The vjp (see the module docstring)
    holds where the rank is locally constant; at a rank change the pseudo-inverse jumps."""
    return _pinv(a, rcond=rcond, hermitian=hermitian, rtol=rtol)


def matrix_power(a: Any, n: int) -> Tensor:
    """Composition: A^n by repeated squaring with matmul (inv first for n < 0; the
    identity, without gradient, for n = 0)."""
    v = square(a, "matrix_power")
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"matrix_power: the exponent must be an int; got {n!r}.")
    if n == 0:
        return Tensor(np.broadcast_to(eye_like(v, v.shape[-1]), v.shape))
    base = inv(a) if n < 0 else a
    k = abs(int(n))
    result = None
    while True:
        if k & 1:
            result = base if result is None else matmul(result, base)
        k >>= 1
        if not k:
            break
        base = matmul(base, base)
    return result if isinstance(result, Tensor) else Tensor(result)
