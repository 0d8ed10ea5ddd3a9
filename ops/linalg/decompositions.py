"""Matrix decompositions: cholesky, eigh, eigvalsh, svd, svdvals, qr, with NumPy's
signatures and PyTorch's gradients. All work on stacks of matrices in the last two axes.

Several outputs: eigh, svd and qr are each one primitive whose output packs its results
into one array (eigh: the eigenvalues as a first row above the eigenvectors; svd: U, S
and V stacked as rows; qr: Q^T beside R); each result is read off it with `getitem`, so
the gradients of the results a loss uses reach the primitive together, as one packed
gradient (zeros for the unused ones), and its vjp sees them all at once.

Where the derivative does not exist: at repeated eigenvalues (or singular values) the
eigenvectors (singular vectors) are not unique. The vjps take the terms that would
divide by their difference, 1/(w_j - w_i), as 0 there (PyTorch's give inf or NaN), so
losses that depend on the values only, or on the vectors through quantities that do
not depend on the choice (projections onto a whole eigenspace), still get their exact
gradient. The same holds for the 1/s terms of a zero singular value. Near, but not at,
a repetition the gradient is large, as it should be.

Symmetric inputs (cholesky, eigh, eigvalsh): NumPy reads one triangle (the lower one
by default); the gradient is symmetric, as PyTorch's, so it is the gradient with
respect to a symmetric matrix.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor

from ..elementwise import unwrap, where
from ..shape import concatenate, getitem
from ._common import LinAlgError, eye_like, matrices, mT, not_positive_definite, square


class EighResult(NamedTuple):
    eigenvalues: Tensor
    eigenvectors: Tensor


class SVDResult(NamedTuple):
    U: Tensor
    S: Tensor
    Vh: Tensor


class QRResult(NamedTuple):
    Q: Tensor
    R: Tensor


def _sym(x: Any) -> Any:
    return (x + mT(x)) * 0.5


def _inverse_gaps(values: Any) -> Any:
    """F[..., i, j] = 1 / (values_j - values_i), and 0 where they are equal (on the
    diagonal always)."""
    gap = values[..., None, :] - values[..., :, None]
    zero = unwrap(gap) == 0
    return where(zero, 0, 1 / where(zero, 1, gap))


def _embed_diagonal(values: Any) -> Any:
    """The vectors in the last axis as diagonal matrices."""
    n = np.shape(unwrap(values))[-1]
    return values[..., None, :] * eye_like(unwrap(values), n)


def _safe_reciprocal(x: Any) -> Any:
    zero = unwrap(x) == 0
    return where(zero, 0, 1 / where(zero, 1, x))


# ---- cholesky ------------------------------------------------------------------------------


def _cholesky_forward(a: Any, upper: bool) -> Any:
    v = square(a, "cholesky")
    try:
        return np.linalg.cholesky(v, upper=upper)
    except LinAlgError:
        raise not_positive_definite("cholesky", v) from None


def _cholesky_vjp(g: Any, y: Any, a: Any, upper: bool) -> Any:
    """dA = sym(L^-T Phi(L^T dL) L^-1), Phi taking the lower triangle with the diagonal
    halved (PyTorch's cholesky_backward)."""
    lower, gl = (mT(y), mT(g)) if upper else (y, g)
    n = np.shape(unwrap(a))[-1]
    inner = np.tril(mT(lower) @ gl)
    phi = inner - 0.5 * inner * eye_like(unwrap(a), n)
    left = np.linalg.solve(mT(lower), phi)  # L^-T Phi
    return _sym(mT(np.linalg.solve(mT(lower), mT(left))))  # (L^-T Phi) L^-1, symmetrised


_cholesky = defop(
    "cholesky",
    _cholesky_forward,
    _cholesky_vjp,
    rules="vjp: sym(L⁻ᵀ Φ(Lᵀ g) L⁻¹)",
)


def cholesky(a: Any, /, *, upper: bool = False) -> Tensor:
    """Primitive: L with A = L L^T (L lower triangular; U = L^T with upper=True) for
    symmetric positive-definite A. The vjp is symmetric (see the module docstring); a
    matrix that is not positive definite raises LinAlgError naming it."""
    return _cholesky(a, upper=bool(upper))


# ---- eigh, eigvalsh ------------------------------------------------------------------------


def _eigh_forward(a: Any, UPLO: str) -> Any:
    w, v = np.linalg.eigh(square(a, "eigh"), UPLO=UPLO)
    return np.concatenate([w[..., None, :], v], axis=-2)


def _eigh_vjp(g: Any, y: Any, a: Any, UPLO: str) -> Any:
    """dA = V (diag(dw) + F o (V^T dV - dV^T V) / 2) V^T, F_ij = 1 / (w_j - w_i)."""
    w, vec = y[..., 0, :], y[..., 1:, :]
    gw, gv = g[..., 0, :], g[..., 1:, :]
    m = mT(vec) @ gv
    inner = _embed_diagonal(gw) + _inverse_gaps(w) * (m - mT(m)) * 0.5
    return vec @ inner @ mT(vec)


_eigh = defop(
    "eigh",
    _eigh_forward,
    _eigh_vjp,
    rules="vjp: V (diag(g_w) + F∘skew(Vᵀ g_V)) Vᵀ",
)


def eigh(a: Any, UPLO: str = "L") -> EighResult:
    """Primitive: (eigenvalues, eigenvectors) of each symmetric matrix, NumPy's eigh
    (ascending eigenvalues, eigenvectors as columns). d/dA = V (diag(g_w) + F o skew) V^T
    with F_ij = 1/(w_j - w_i) (PyTorch's); at repeated eigenvalues see the module
    docstring."""
    packed = _eigh(a, UPLO=UPLO)
    return EighResult(
        getitem(packed, (Ellipsis, 0, slice(None))),
        getitem(packed, (Ellipsis, slice(1, None), slice(None))),
    )


def _eigvalsh_vjp(g: Any, y: Any, a: Any, UPLO: str) -> Any:
    _, vec = np.linalg.eigh(a, UPLO=UPLO)
    return (vec * g[..., None, :]) @ mT(vec)


_eigvalsh = defop(
    "eigvalsh",
    lambda a, UPLO: np.linalg.eigvalsh(square(a, "eigvalsh"), UPLO=UPLO),
    _eigvalsh_vjp,
    rules="vjp: V diag(g) Vᵀ",
)


def eigvalsh(a: Any, UPLO: str = "L") -> Tensor:
    """Primitive: the eigenvalues of each symmetric matrix, ascending. d/dA = V diag(g) V^T
    (the eigenvectors recomputed in backward), exact at repeated eigenvalues too."""
    return _eigvalsh(a, UPLO=UPLO)


# ---- svd, svdvals --------------------------------------------------------------------------


def _svd_forward(a: Any, hermitian: bool) -> Any:
    v = matrices(a, "svd")
    u, s, vh = np.linalg.svd(v, full_matrices=False, hermitian=hermitian)
    return np.concatenate([u, s[..., None, :], mT(vh)], axis=-2)


def _svd_vjp(g: Any, y: Any, a: Any, hermitian: bool) -> Any:
    """PyTorch's svd_backward (real case), k = min(m, n):
    dA = U (J + diag(dS)) V^T  with  J = F o (skew(U^T dU) S_cols + S_rows skew(V^T dV)),
    F_ij = 1 / (s_j^2 - s_i^2), plus (I - U U^T) dU S^-1 V^T when m > k and
    U S^-1 dV^T (I - V V^T) when n > k."""
    m, n = np.shape(unwrap(a))[-2:]
    u, s, v = y[..., :m, :], y[..., m, :], y[..., m + 1 :, :]
    gu, gs, gv = g[..., :m, :], g[..., m, :], g[..., m + 1 :, :]
    uu, vv = mT(u) @ gu, mT(v) @ gv
    j = _inverse_gaps(s * s) * ((uu - mT(uu)) * s[..., None, :] + s[..., :, None] * (vv - mT(vv)))
    core = j + _embed_diagonal(gs)
    inv_s = _safe_reciprocal(s)
    left = u @ core
    k = min(m, n)
    if m > k:
        left = left + (gu - u @ uu) * inv_s[..., None, :]
    out = left @ mT(v)
    if n > k:
        out = out + (u * inv_s[..., None, :]) @ (mT(gv) - (mT(gv) @ v) @ mT(v))
    return out


_svd = defop(
    "svd",
    _svd_forward,
    _svd_vjp,
    rules="vjp: U (F∘(skew(Uᵀg_U) S + S skew(Vᵀg_V)) + diag(g_S)) Vᵀ + projections",
)


def _svdvals_vjp(g: Any, y: Any, a: Any) -> Any:
    u, _, vh = np.linalg.svd(a, full_matrices=False)
    return (u * g[..., None, :]) @ vh


_svdvals = defop(
    "svdvals",
    lambda a: np.linalg.svd(matrices(a, "svdvals"), compute_uv=False),
    _svdvals_vjp,
    rules="vjp: U diag(g) Vᵀ",
)


def svdvals(x: Any, /) -> Tensor:
    """Primitive: the singular values of each matrix, descending (NumPy 2's svdvals).
    d/dA = U diag(g) V^T (the vectors recomputed in backward), exact at repeated values."""
    return _svdvals(x)


def svd(
    a: Any, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False
) -> Any:
    """(U, S, Vh) with A = U diag(S) Vh, NumPy's svd; S alone for compute_uv=False (then
    `svdvals`). One primitive computes the reduced factors (k = min(m, n) columns);
    gradients are PyTorch's, valid for distinct nonzero singular values (see the module
    docstring for repeated ones). With full_matrices=True (NumPy's default) and m != n, the
    extra columns of U (rows of Vh) are returned without gradient, as PyTorch ignores
    them: they are any basis of the complement. Pass full_matrices=False to leave them
    out."""
    if not compute_uv:
        return svdvals(a)
    v = matrices(a, "svd")
    m, n = v.shape[-2:]
    packed = _svd(a, hermitian=bool(hermitian))
    u = getitem(packed, (Ellipsis, slice(0, m), slice(None)))
    s = getitem(packed, (Ellipsis, m, slice(None)))
    vh = mT(getitem(packed, (Ellipsis, slice(m + 1, None), slice(None))))
    if full_matrices and m != n:
        full_u, _, full_vh = np.linalg.svd(v, full_matrices=True, hermitian=hermitian)
        k = min(m, n)
        if m > k:
            u = concatenate([u, full_u[..., :, k:]], axis=-1)
        else:
            vh = concatenate([vh, full_vh[..., k:, :]], axis=-2)
    return SVDResult(u, s, vh)


# ---- qr ------------------------------------------------------------------------------------


def _qr_forward(a: Any, mode: str) -> Any:
    v = matrices(a, "qr")
    q, r = np.linalg.qr(v, mode=mode)
    return np.concatenate([mT(q), r], axis=-1)


def _qr_square_vjp(gq: Any, gr: Any, q: Any, r: Any) -> Any:
    """m >= n: dA = (dQ + Q copyutl(dR R^T - Q^T dQ)) R^-T, copyutl copying the upper
    triangle onto the lower (PyTorch's linalg_qr_backward)."""
    m_ = gr @ mT(r) - mT(q) @ gq
    upper = np.triu(m_)
    sym = upper + mT(np.triu(m_, 1))
    b = gq + q @ sym
    return mT(np.linalg.solve(r, mT(b)))  # b R^-T


def _qr_vjp(g: Any, y: Any, a: Any, mode: str) -> Any:
    m, n = np.shape(unwrap(a))[-2:]
    rows = y.shape[-2]  # k, or m for mode="complete"
    q, r = mT(y[..., :, :m]), y[..., :, m:]
    gq, gr = mT(g[..., :, :m]), g[..., :, m:]
    if rows > n:
        raise ValueError(
            f"qr: mode='complete' with more rows than columns (shape {(m, n)}) is not "
            "differentiable: the last m - n columns of Q are any basis of the complement. "
            "Use mode='reduced'."
        )
    if m >= n:
        return _qr_square_vjp(gq, gr, q, r)
    # m < n: A = Q [X | Y] with X = Q R[:, :m] square (Liao et al., "Differentiable
    # programming tensor networks"): dY = Q dR[:, m:], dX from the square case with
    # dQ + Y dR[:, m:]^T in place of dQ.
    tail = a[..., :, m:]
    g_tail = gr[..., :, m:]
    gx = _qr_square_vjp(gq + tail @ mT(g_tail), gr[..., :, :m], q, r[..., :, :m])
    return concatenate([gx, q @ g_tail], axis=-1)


_qr = defop(
    "qr",
    _qr_forward,
    _qr_vjp,
    rules="vjp: (g_Q + Q copyutl(g_R Rᵀ − Qᵀ g_Q)) R⁻ᵀ",
)


def qr(a: Any, mode: str = "reduced") -> Any:
    """(Q, R) with A = Q R, NumPy's qr: mode "reduced" (Q with orthonormal columns, R upper
    triangular), "complete" (Q square) or "r" (R alone). One primitive computes both
    (Q^T beside R); gradients as PyTorch's, for full-rank A. mode="complete" with more
    rows than columns is not differentiable (Q's extra columns are arbitrary)."""
    if mode not in ("reduced", "complete", "r"):
        raise ValueError(f"qr: mode must be 'reduced', 'complete' or 'r'; got {mode!r}.")
    m = matrices(a, "qr").shape[-2]
    packed = _qr(a, mode="reduced" if mode == "r" else mode)
    q = mT(getitem(packed, (Ellipsis, slice(None), slice(0, m))))
    r = getitem(packed, (Ellipsis, slice(None), slice(m, None)))
    return r if mode == "r" else QRResult(q, r)
