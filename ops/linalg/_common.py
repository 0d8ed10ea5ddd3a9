"""Helpers shared by the linear-algebra ops: the transpose of the last two axes, shape
checks and the errors for singular or indefinite matrices (numpy.linalg.LinAlgError,
naming the op, the matrix and what to do)."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..elementwise import unwrap

LinAlgError = np.linalg.LinAlgError


def mT(x: Any) -> Any:
    """x with its last two axes swapped (an array or a Tensor)."""
    return np.swapaxes(x, -1, -2)


def eye_like(x: Any, n: int) -> np.ndarray:
    """The n x n identity in x's floating dtype."""
    return np.eye(n, dtype=np.result_type(unwrap(x), np.float32))


def square(a: Any, op: str) -> np.ndarray:
    """The array behind `a`, checked to be a (stack of) square matrices."""
    v = np.asarray(unwrap(a))
    if v.ndim < 2 or v.shape[-1] != v.shape[-2]:
        raise LinAlgError(
            f"{op}: needs square matrices in the last two axes, (..., n, n); got shape {v.shape}."
        )
    return v


def matrices(a: Any, op: str) -> np.ndarray:
    """The array behind `a`, checked to have at least two axes (a stack of matrices)."""
    v = np.asarray(unwrap(a))
    if v.ndim < 2:
        raise LinAlgError(
            f"{op}: needs matrices in the last two axes, (..., m, n); got shape {v.shape}."
        )
    return v


def which(bad: np.ndarray) -> str:
    """' at batch index (i, j)' for the first True of a batch mask, '' for one matrix."""
    if bad.ndim == 0:
        return ""
    first = np.argwhere(bad)
    return f" at batch index {tuple(int(i) for i in first[0])}" if len(first) else ""


def singular(op: str, v: np.ndarray) -> LinAlgError:
    """The error for a singular matrix given to `op`."""
    with np.errstate(all="ignore"):
        rank = np.linalg.matrix_rank(v) if np.isfinite(v).all() else np.zeros(v.shape[:-2])
    where = which(np.asarray(rank < v.shape[-1]))
    return LinAlgError(
        f"{op}: the matrix{where} (shape {v.shape[-2:]}) is singular, so it has no inverse. "
        "Use ops.linalg.pinv (least squares), or regularise: a + eps * I."
    )


def not_positive_definite(op: str, v: np.ndarray) -> LinAlgError:
    with np.errstate(all="ignore"):
        smallest = np.linalg.eigvalsh(v)[..., 0] if np.isfinite(v).all() else np.zeros(1)
    where = which(np.asarray(smallest <= 0))
    return LinAlgError(
        f"{op}: the matrix{where} (shape {v.shape[-2:]}) is not positive definite (its "
        "lower triangle, read as a symmetric matrix, has an eigenvalue <= 0). Make it so, "
        "for example x @ x.T + eps * I."
    )
