"""erf and erfc on arrays to float64 precision, vectorised, without SciPy.

- |x| < 6: a Taylor polynomial about the nearest multiple c of 1/32 (|x - c| <= 1/64):
  erfc(c + h) = erfc(c) + sum_{n>=1} a_n(c) h^n, with
  a_n(c) = -(2/sqrt(pi)) e^(-c^2) (-1)^(n-1) H_(n-1)(c) / n!  (H the Hermite polynomials,
  since d^n/dx^n e^(-x^2) = (-1)^n H_n(x) e^(-x^2)). Ten terms leave a truncation error
  below 1e-17 relative. erf(x) = erf(c) - (the same polynomial), so erf keeps its
  relative precision near 0 and erfc in its tail.
- 6 <= |x| < 26.55: erfc by its continued fraction (the Laplace-Legendre form), which
  converges quickly there, with e^(-x^2) computed from an exactly representable x^2;
  erf(x) rounds to 1. Past 26.55 erfc underflows to 0.

The tables (erf(c), erfc(c) and a_n(c) for the 193 centres) are computed once, on first
use, in 60-digit decimal arithmetic from the Maclaurin series of erf, so every
coefficient is correctly rounded. Measured against `math.erf` and `math.erfc` on a dense
grid: below 1e-15 relative everywhere (erfc past 6: below 5e-15).
"""

from __future__ import annotations

import functools
from decimal import Decimal, localcontext
from typing import Any

import numpy as np

_STEP = 32  # centres at multiples of 1 / _STEP
_TERMS = 10
_TAYLOR_END = 6.0
_UNDERFLOW = 26.55  # erfc(x) is below the smallest normal float64 past this
_PI = Decimal("3.141592653589793238462643383279502884197169399375105820974944592")


@functools.cache
def _tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """erf(c), erfc(c) and the Taylor coefficients a_n(c) (shape (_TERMS, centres))."""
    erf_c, erfc_c, coef = [], [], []
    with localcontext() as ctx:
        ctx.prec = 60
        k = 2 / _PI.sqrt()
        tiny = Decimal(10) ** -55
        for i in range(int(_TAYLOR_END * _STEP) + 1):
            c = Decimal(i) / _STEP
            # erf(c) = (2/sqrt(pi)) e^(-c^2) sum_n 2^n c^(2n+1) / (1 3 5 ... (2n+1))
            total, term, n = Decimal(0), c, 0
            while term > tiny:
                total += term
                n += 1
                term = term * 2 * c * c / (2 * n + 1)
            e = (-c * c).exp()
            erf_c.append(k * e * total)
            erfc_c.append(1 - k * e * total)
            h_prev, h, factorial, row = Decimal(0), Decimal(1), Decimal(1), []
            for m in range(1, _TERMS + 1):  # h = H_(m-1)(c)
                factorial *= m
                row.append(-k * e * (-1) ** (m - 1) * h / factorial)
                h_prev, h = h, 2 * c * h - 2 * (m - 1) * h_prev
            coef.append(row)
    as_array = lambda values: np.array([float(v) for v in values])  # noqa: E731
    table = np.array([[float(v) for v in row] for row in coef]).T
    return as_array(erf_c), as_array(erfc_c), np.ascontiguousarray(table)


def _exp_minus_square(x: np.ndarray) -> np.ndarray:
    """e^(-x^2) to a few ulp for large x: x = hi + lo with hi of 26 bits, so hi^2 is exact
    and x^2 = hi^2 + lo (x + hi) carries no rounding error into the exponent."""
    hi = (x.view(np.int64) & ~np.int64(0x7FFFFFF)).view(np.float64)
    return np.exp(-hi * hi) * np.exp(-(x - hi) * (x + hi))


def _erfc_continued_fraction(x: np.ndarray) -> np.ndarray:
    """erfc(x) for x >= 6: e^(-x^2)/sqrt(pi) * x / (x^2 + 1/2 - (1/2)/(x^2 + 5/2 - ...)),
    evaluated forward with 50 terms."""
    x2 = x * x
    a, da = 0.0, 0.5
    p, p_last = np.ones_like(x), np.zeros_like(x)
    q, q_last = da + x2, np.ones_like(x)
    for _ in range(50):
        a += da
        da += 2.0
        b = da + x2
        p, p_last = b * p - a * p_last, p
        q, q_last = b * q - a * q_last, q
    return p / q * x * _exp_minus_square(x) / np.sqrt(np.pi)


def _positive(ax: np.ndarray, tail: bool) -> tuple[np.ndarray, np.ndarray]:
    """(erf, erfc) of |x| >= 0 in float64; erfc past 6 only when `tail` is asked for."""
    erf_pos, erfc_pos = np.ones_like(ax), np.zeros_like(ax)
    near = ax < _TAYLOR_END
    if near.any():
        erf_c, erfc_c, coef = _tables()
        a = ax[near]
        centre = np.rint(a * _STEP).astype(np.intp)
        h = a - centre / _STEP
        acc = coef[-1][centre]
        for n in range(_TERMS - 2, -1, -1):
            acc = acc * h + coef[n][centre]
        d = acc * h  # erfc(a) - erfc(centre)
        erf_pos[near] = erf_c[centre] - d
        erfc_pos[near] = erfc_c[centre] + d
    far = (ax >= _TAYLOR_END) & (ax < _UNDERFLOW)
    if tail and far.any():
        erfc_pos[far] = _erfc_continued_fraction(ax[far])
    return erf_pos, erfc_pos


def _evaluate(x: Any, complement: bool) -> np.ndarray:
    v = np.asarray(x)
    dtype = v.dtype if v.dtype.kind == "f" else np.dtype(np.float64)
    ax = np.abs(v.astype(np.float64))
    erf_pos, erfc_pos = _positive(ax, tail=complement)
    negative = np.signbit(v)
    if complement:
        out = np.where(negative, 2 - erfc_pos, erfc_pos)
    else:
        out = np.where(negative, -erf_pos, erf_pos)
    out[np.isnan(ax)] = np.nan
    return out.astype(dtype, copy=False)


def erf(x: Any) -> np.ndarray:
    """erf(x) elementwise, in x's floating dtype (float64 for integers); erf(+-inf) = +-1,
    NaN stays NaN."""
    return _evaluate(x, complement=False)


def erfc(x: Any) -> np.ndarray:
    """erfc(x) = 1 - erf(x) elementwise, precise in the tail; erfc(inf) = 0, erfc(-inf) = 2."""
    return _evaluate(x, complement=True)
