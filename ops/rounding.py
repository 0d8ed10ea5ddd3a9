"""Rounding and the parts of numbers: floor ceil trunc round (zero gradient almost
everywhere), mod fmod floor_divide, copysign. All primitives, with NumPy's forward.

floor, ceil, trunc, round and floor_divide are piecewise constant: their derivative is 0
wherever it exists, and taken as 0 at the jumps too (PyTorch's choice); they are
declared with `zero_derivative=True`, so `explain` says why a gradient through them is 0.
`mod` and `fmod` are differentiable in both arguments away from their jumps, as in
PyTorch: mod(a, b) = a - floor(a / b) b, so d/da = 1 and d/db = -floor(a / b); fmod(a, b)
= a - trunc(a / b) b, so d/db = -trunc(a / b).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor


def _zero(g: Any, y: Any, x: Any, *rest: Any, **params: Any) -> Any:
    return np.zeros_like(x)


def _zero_second(g: Any, y: Any, a: Any, b: Any) -> Any:
    return np.zeros_like(b)


def _piecewise_constant(name: str, ufunc: Any, what: str) -> Any:
    return defop(
        name,
        ufunc,
        _zero,
        rules="∂/∂x = 0",
        zero_derivative=True,
        doc=f"Primitive: {what}; gradient 0 (piecewise constant, 0 at the jumps too).",
    )


floor = _piecewise_constant("floor", np.floor, "the largest integer <= x")
ceil = _piecewise_constant("ceil", np.ceil, "the smallest integer >= x")
trunc = _piecewise_constant("trunc", np.trunc, "x rounded towards 0")

_round = defop(
    "round",
    lambda x, decimals: np.round(x, decimals),
    _zero,
    rules="∂/∂x = 0",
    zero_derivative=True,
)


def round(x: Any, decimals: int = 0) -> Tensor:
    """Primitive: x rounded to `decimals` places, halves to even (NumPy's np.round);
    gradient 0 (piecewise constant, 0 at the jumps too, as PyTorch's round)."""
    return _round(x, decimals=int(decimals))


floor_divide = defop(
    "floor_divide",
    np.floor_divide,
    _zero,
    _zero_second,
    rules=("∂/∂a = 0", "∂/∂b = 0"),
    zero_derivative=True,
    doc="Primitive: a // b = floor(a / b) (NumPy's, correctly rounded); gradient 0.",
)

mod = defop(
    "mod",
    np.mod,
    lambda g, y, a, b: g,
    lambda g, y, a, b: -g * np.floor_divide(a, b),
    rules=("∂/∂a = 1", "∂/∂b = −floor(a/b)"),
    doc="Primitive: a mod b with the sign of b (NumPy's np.mod = np.remainder, Python's "
    "%), a - floor(a / b) b. d/da = 1, d/db = -floor(a / b) (PyTorch's remainder).",
)
remainder = mod

fmod = defop(
    "fmod",
    np.fmod,
    lambda g, y, a, b: g,
    lambda g, y, a, b: -g * np.trunc(np.divide(a, b)),
    rules=("∂/∂a = 1", "∂/∂b = −trunc(a/b)"),
    doc="Primitive: the C remainder, with the sign of a: a - trunc(a / b) b. d/da = 1, "
    "d/db = -trunc(a / b) (PyTorch's fmod).",
)

copysign = defop(
    "copysign",
    np.copysign,
    lambda g, y, a, b: g * np.sign(a) * np.sign(y),
    _zero_second,
    rules=("∂/∂a = sign(a)·sign(y)", "∂/∂b = 0"),
    doc="Primitive: |a| with the sign of b. d/da = +-1 (-1 where the sign flips), 0 at "
    "a = 0; d/db = 0 (as PyTorch's copysign).",
)
