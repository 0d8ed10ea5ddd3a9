"""Trigonometric and hyperbolic functions, elementwise, with NumPy's names and broadcasting.

Every function here is a primitive (one `defop`: NumPy's forward beside its vjp) except
`deg2rad` and `rad2deg`, which are compositions (a multiplication by a constant). The
vjps use NumPy functions, which dispatch to ops on Tensors, so they differentiate again.
Outside a function's domain the forward pass is NumPy's: NaN with its RuntimeWarning
(`arcsin(2)`, `arccosh(0.5)`); at the edge of the domain the gradient is the limit
(`arcsin'(1) = inf`).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor

from .elementwise import multiply

sin = defop(
    "sin", np.sin, lambda g, y, x: g * np.cos(x), rules="∂/∂x = cos x", doc="Primitive: sin x."
)

cos = defop(
    "cos", np.cos, lambda g, y, x: -g * np.sin(x), rules="∂/∂x = −sin x", doc="Primitive: cos x."
)

tan = defop(
    "tan",
    np.tan,
    lambda g, y, x: g * (1 + y * y),
    rules="∂/∂x = 1 + tan²x = 1 + y²",
    doc="Primitive: tan x; the vjp reuses y (d/dx = 1 + y^2).",
)

arcsin = defop(
    "arcsin",
    np.arcsin,
    lambda g, y, x: g / np.sqrt(1 - x * x),
    rules="∂/∂x = 1/√(1 − x²)",
    doc="Primitive: the inverse sine on [-1, 1]; the gradient is inf at +-1.",
)

arccos = defop(
    "arccos",
    np.arccos,
    lambda g, y, x: -g / np.sqrt(1 - x * x),
    rules="∂/∂x = −1/√(1 − x²)",
    doc="Primitive: the inverse cosine on [-1, 1]; the gradient is -inf at +-1.",
)

arctan = defop(
    "arctan",
    np.arctan,
    lambda g, y, x: g / (1 + x * x),
    rules="∂/∂x = 1/(1 + x²)",
    doc="Primitive: the inverse tangent.",
)


def _arctan2_y(g: Any, out: Any, y: Any, x: Any) -> Any:
    return g * x / (x * x + y * y)


def _arctan2_x(g: Any, out: Any, y: Any, x: Any) -> Any:
    return -g * y / (x * x + y * y)


arctan2 = defop(
    "arctan2",
    np.arctan2,
    _arctan2_y,
    _arctan2_x,
    rules=("∂/∂y = x/(x² + y²)", "∂/∂x = −y/(x² + y²)"),
    doc="Primitive: arctan2(y, x), the angle of the point (x, y) in (-pi, pi] (NumPy's "
    "argument order: y first). At the origin the gradient is 0/0 = NaN.",
)


def _hypot_vjp(which: int) -> Any:
    # a / h, with h replaced by 1 where h == 0: a and b are 0 there too, so the gradient is
    # 0 (the subgradient PyTorch's vector_norm takes at 0) and no branch holds 0/0.
    def vjp(g: Any, h: Any, a: Any, b: Any) -> Any:
        return g * (a, b)[which] / np.where(h == 0, 1, h)

    return vjp


hypot = defop(
    "hypot",
    np.hypot,
    _hypot_vjp(0),
    _hypot_vjp(1),
    rules=("∂/∂a = a/h", "∂/∂b = b/h"),
    doc="Primitive: sqrt(a^2 + b^2) without overflow or underflow (NumPy's hypot). "
    "d/da = a / h, d/db = b / h, and 0 at a = b = 0, as the 2-norm's subgradient there "
    "(PyTorch's hypot gives NaN at that point; its vector_norm gives 0).",
)

sinh = defop(
    "sinh", np.sinh, lambda g, y, x: g * np.cosh(x), rules="∂/∂x = cosh x", doc="Primitive: sinh x."
)

cosh = defop(
    "cosh", np.cosh, lambda g, y, x: g * np.sinh(x), rules="∂/∂x = sinh x", doc="Primitive: cosh x."
)

arcsinh = defop(
    "arcsinh",
    np.arcsinh,
    lambda g, y, x: g / np.sqrt(x * x + 1),
    rules="∂/∂x = 1/√(x² + 1)",
    doc="Primitive: the inverse hyperbolic sine.",
)

arccosh = defop(
    "arccosh",
    np.arccosh,
    lambda g, y, x: g / np.sqrt((x - 1) * (x + 1)),
    rules="∂/∂x = 1/√(x² − 1)",
    doc="Primitive: the inverse hyperbolic cosine on [1, inf); the gradient is inf at 1.",
)

arctanh = defop(
    "arctanh",
    np.arctanh,
    lambda g, y, x: g / ((1 - x) * (1 + x)),
    rules="∂/∂x = 1/(1 − x²)",
    doc="Primitive: the inverse hyperbolic tangent on (-1, 1).",
)


def deg2rad(x: Any) -> Tensor:
    """Composition: x * (pi / 180), as NumPy computes it."""
    return multiply(x, np.pi / 180)


def rad2deg(x: Any) -> Tensor:
    """Composition: x * (180 / pi), as NumPy computes it."""
    return multiply(x, 180 / np.pi)
