"""Exponentials, logarithms and their relatives, elementwise, with NumPy's names.

Primitives (one `defop` each, NumPy's forward beside its vjp): log1p expm1 log2 log10
exp2 logaddexp logaddexp2 cbrt erf erfc. Compositions: square (x * x) and reciprocal
(1 / x). `logaddexp` is a primitive because the composition log(e^a + e^b) overflows;
log1p and expm1 keep their precision near 0, which log(1 + x) and exp(x) - 1 lose.
`erf` and `erfc` are computed to float64 precision by `ops._erf` (no SciPy).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor

from . import _erf
from .elementwise import divide, multiply, sigmoid

_LN2 = float(np.log(2.0))
_LN10 = float(np.log(10.0))
_TWO_OVER_SQRT_PI = 2 / float(np.sqrt(np.pi))

log1p = defop(
    "log1p",
    np.log1p,
    lambda g, y, x: g / (1 + x),
    rules="∂/∂x = 1/(1 + x)",
    doc="Primitive: log(1 + x), precise for small x. -inf at x = -1, NaN below (NumPy's "
    "warnings included).",
)

expm1 = defop(
    "expm1",
    np.expm1,
    lambda g, y, x: g * (y + 1),
    rules="∂/∂x = eˣ = y + 1",
    doc="Primitive: e^x - 1, precise for small x; the vjp reuses y.",
)

log2 = defop(
    "log2",
    np.log2,
    lambda g, y, x: g / (x * _LN2),
    rules="∂/∂x = 1/(x ln 2)",
    doc="Primitive: the base-2 logarithm (NumPy's, exact at powers of 2).",
)

log10 = defop(
    "log10",
    np.log10,
    lambda g, y, x: g / (x * _LN10),
    rules="∂/∂x = 1/(x ln 10)",
    doc="Primitive: the base-10 logarithm.",
)

exp2 = defop(
    "exp2",
    np.exp2,
    lambda g, y, x: g * y * _LN2,
    rules="∂/∂x = 2ˣ ln 2 = y ln 2",
    doc="Primitive: 2^x; the vjp reuses y.",
)

logaddexp = defop(
    "logaddexp",
    np.logaddexp,
    lambda g, y, a, b: g * sigmoid(a - b),
    lambda g, y, a, b: g * sigmoid(b - a),
    rules=("∂/∂a = σ(a − b)", "∂/∂b = σ(b − a)"),
    doc="Primitive: log(e^a + e^b) without overflow. d/da = e^a / (e^a + e^b) = "
    "sigmoid(a - b), the softmax weight of a, exact even where a - y rounds to 0 "
    "(a = b = 1e308 gives 1/2 each). Both -inf gives a NaN gradient, as in PyTorch.",
)

logaddexp2 = defop(
    "logaddexp2",
    np.logaddexp2,
    lambda g, y, a, b: g * sigmoid((a - b) * _LN2),
    lambda g, y, a, b: g * sigmoid((b - a) * _LN2),
    rules=("∂/∂a = σ((a − b) ln 2)", "∂/∂b = σ((b − a) ln 2)"),
    doc="Primitive: log2(2^a + 2^b) without overflow; d/da = 2^a / (2^a + 2^b).",
)

cbrt = defop(
    "cbrt",
    np.cbrt,
    lambda g, y, x: g / (3 * y * y),
    rules="∂/∂x = 1/(3 y²)",
    doc="Primitive: the real cube root (negative for negative x, unlike x ** (1/3), which "
    "is NaN there); the vjp reuses y. The gradient is inf at 0.",
)


def square(x: Any) -> Tensor:
    """Composition: x * x (integers stay integers, as in NumPy)."""
    return multiply(x, x)


def reciprocal(x: Any) -> Tensor:
    """Composition: 1 / x. Unlike np.reciprocal on integers (which truncates: 1 // x),
    integers give floats, as PyTorch's reciprocal does."""
    return divide(1, x)


erf = defop(
    "erf",
    _erf.erf,
    lambda g, y, x: g * (_TWO_OVER_SQRT_PI * np.exp(-x * x)),
    rules="∂/∂x = (2/√π) e^(−x²)",
    doc="Primitive: the error function (2/sqrt(pi)) int_0^x e^(-t^2) dt, to float64 "
    "precision (within 1e-15 relative; see ops._erf).",
)

erfc = defop(
    "erfc",
    _erf.erfc,
    lambda g, y, x: g * (-_TWO_OVER_SQRT_PI * np.exp(-x * x)),
    rules="∂/∂x = −(2/√π) e^(−x²)",
    doc="Primitive: 1 - erf(x), precise in the tail where 1 - erf(x) would round to 0 "
    "(erfc(10) = 2.1e-45).",
)
