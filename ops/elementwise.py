"""Elementwise primitives with NumPy broadcasting.

Each op is one `defop` declaration: the NumPy forward, one vjp per input,
`vjp(g, y, *inputs)` with `g` the gradient of the output `y`, and the rule text of each
derivative. A vjp may return the broadcast shape: the engine sums it back to the input's
shape (`autograd_core.engine.sum_to_shape`).
"""

from __future__ import annotations

import operator
from typing import Any

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor


def unwrap(x: Any) -> Any:
    """The array behind a Tensor; anything else (number, ndarray) unchanged."""
    return x._data if isinstance(x, Tensor) else x


def _same(g: Any, y: Any, *inputs: Any, **params: Any) -> Any:
    return g


def _negated(g: Any, y: Any, *inputs: Any) -> Any:
    return -g


add = defop(
    "add",
    np.add,
    _same,
    _same,
    rules=("∂/∂a = 1", "∂/∂b = 1"),
    doc="a + b.",
    scalar=operator.add,
)

subtract = defop(
    "subtract",
    np.subtract,
    _same,
    _negated,
    rules=("∂/∂a = 1", "∂/∂b = −1"),
    doc="a - b.",
    scalar=operator.sub,
)

multiply = defop(
    "multiply",
    np.multiply,
    lambda g, y, a, b: g * b,
    lambda g, y, a, b: g * a,
    rules=("∂/∂a = b", "∂/∂b = a"),
    doc="a * b.",
    scalar=operator.mul,
)

divide = defop(
    "divide",
    np.divide,
    lambda g, y, a, b: g / b,
    lambda g, y, a, b: -g * y / b,  # -a / b^2 = -y / b
    rules=("∂/∂a = 1/b", "∂/∂b = −a/b²"),
    doc="a / b.",
    scalar=operator.truediv,
)

negative = defop("negative", np.negative, _negated, rules="∂/∂x = −1", doc="-x.")


def _power_base(g: Any, y: Any, a: Any, b: Any) -> Any:
    # b a^(b-1), taken as 0 where a == 0 and b == 0, where it would be 0 * inf: x**0 is
    # constant, so x**0 and every derivative of x**k past the k-th are 0 at x = 0. The
    # base is replaced by 1 there too, so that no branch the where discards holds an inf
    # whose own derivative would turn into NaN at the next order.
    undefined = (unwrap(a) == 0) & (unwrap(b) == 0)
    if not undefined.any():
        return g * (b * a ** (b - 1))
    return g * np.where(undefined, 0, b * np.where(undefined, 1, a) ** (b - 1))


def _power_exponent(g: Any, y: Any, a: Any, b: Any) -> Any:
    # a^b ln a; where a == 0 and b >= 0 the power is 0 or 1 near b, so 0 (as PyTorch);
    # 0^b for b < 0 gives inf * -inf = -inf, and a < 0 gives NaN (no real logarithm).
    zero = (unwrap(a) == 0) & (unwrap(b) >= 0)
    return g * np.where(zero, 0, y * np.log(np.where(zero, 1, a)))


power = defop(
    "power",
    np.power,
    _power_base,
    _power_exponent,
    rules=("∂/∂a = b·a^(b−1)", "∂/∂b = a^b·ln a"),
    doc="a ** b. The derivative in a is b a^(b-1), and 0 at a = b = 0 (a^0 is constant); "
    "in b it is a^b ln a: 0 where a == 0 and b >= 0, -inf for 0^b with b < 0, NaN where "
    "a < 0 (no real logarithm).",
)

exp = defop(
    "exp", np.exp, lambda g, y, x: g * y, rules="∂/∂x = eˣ = y", doc="e^x; the vjp reuses y."
)

log = defop(
    "log",
    np.log,
    lambda g, y, x: g / x,
    rules="∂/∂x = 1/x",
    doc="Natural log. log(0) = -inf, and its gradient is inf. The forward pass is NumPy's, "
    "warnings included (log(0) warns 'divide by zero', log of a negative number warns "
    "'invalid value' and gives NaN); backward never warns.",
)

sqrt = defop(
    "sqrt",
    np.sqrt,
    lambda g, y, x: g / (2 * y),
    rules="∂/∂x = 1/(2√x)",
    doc="sqrt(x); the vjp reuses y. At 0 the gradient is inf.",
)

abs = defop(
    "abs",
    np.abs,
    lambda g, y, x: g * np.sign(x),
    rules="∂/∂x = sign(x)",
    doc="|x|; the derivative sign(x) is taken as 0 at x = 0 (the subgradient PyTorch uses).",
)

sign = defop(
    "sign",
    np.sign,
    lambda g, y, x: np.zeros_like(x),
    rules="∂/∂x = 0",
    zero_derivative=True,
    doc="sign(x); piecewise constant, so its gradient is 0 everywhere (0 at the jump too).",
)

tanh = defop(
    "tanh", np.tanh, lambda g, y, x: g * (1 - y * y), rules="∂/∂x = 1 − y²", doc="tanh(x)."
)


def _sigmoid(x: Any) -> Any:
    """1 / (1 + e^-x) in three passes, within 3 ulp of the exact value everywhere. Below
    about -88 (float32; -709 in float64) e^-x overflows to inf and the result is 0, the
    nearest normal number, without a warning."""
    with np.errstate(over="ignore"):
        e = np.exp(np.negative(x))
    if type(e) is np.ndarray:
        e += 1
        return np.reciprocal(e, out=e)
    return 1 / (1 + e)  # a NumPy scalar, from a 0-d input


sigmoid = defop(
    "sigmoid",
    _sigmoid,
    lambda g, y, x: g * y * (1 - y),
    rules="∂/∂x = y(1 − y)",
    doc="1 / (1 + e^-x), for any x without an overflow warning (0 below about -88 in float32).",
)

relu = defop(
    "relu",
    lambda x: np.maximum(x, 0),
    lambda g, y, x: g * (y > 0),
    rules="∂/∂x = 1 if x > 0 else 0",
    doc="max(x, 0); the derivative is 0 at x = 0, by convention.",
)


def _tie_weight(a: Any, b: Any, wins: Any) -> Any:
    """Weight of the gradient going to `a`: 1 where `wins(a, b)`, 1/2 at ties, else 0."""
    va, vb = unwrap(a), unwrap(b)
    return np.where(np.equal(va, vb), 0.5, wins(va, vb))


maximum = defop(
    "maximum",
    np.maximum,
    lambda g, y, a, b: g * _tie_weight(a, b, np.greater),
    lambda g, y, a, b: g * _tie_weight(b, a, np.greater),
    rules=("∂/∂a = 1 where a > b (½ at ties)", "∂/∂b = 1 where b > a (½ at ties)"),
    doc="Elementwise max; the gradient goes to the larger input, split evenly at ties.",
)

minimum = defop(
    "minimum",
    np.minimum,
    lambda g, y, a, b: g * _tie_weight(a, b, np.less),
    lambda g, y, a, b: g * _tie_weight(b, a, np.less),
    rules=("∂/∂a = 1 where a < b (½ at ties)", "∂/∂b = 1 where b < a (½ at ties)"),
    doc="Elementwise min; the gradient goes to the smaller input, split evenly at ties.",
)

_where = defop(
    "where",
    np.where,
    None,  # the condition is not differentiable
    lambda g, y, c, a, b: g * c,
    lambda g, y, c, a, b: g * np.logical_not(c),
    rules=("", "∂/∂a = 1 where cond", "∂/∂b = 1 where not cond"),
)


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """a where condition else b; the gradient goes to the side that was chosen."""
    return _where(np.array(unwrap(condition), dtype=bool), a, b)  # a copy: masks get reused


def _inside(x: Any, lo: Any, hi: Any) -> Any:
    """Where x lies in [lo, hi] (bounds included; a bound may be None)."""
    v, inside = unwrap(x), True
    if lo is not None:
        inside = inside & np.greater_equal(v, unwrap(lo))
    if hi is not None:
        inside = inside & np.less_equal(v, unwrap(hi))
    return inside


_clip = defop(
    "clip",
    np.clip,
    lambda g, y, x, lo, hi: g * _inside(x, lo, hi),
    lambda g, y, x, lo, hi: g * np.less(unwrap(x), unwrap(lo)),
    lambda g, y, x, lo, hi: g * (np.greater(unwrap(x), unwrap(hi)) & _inside(x, lo, None)),
    rules=("∂/∂x = 1 inside [lo, hi], else 0", "∂/∂lo = 1 where x < lo", "∂/∂hi = 1 where x > hi"),
)


def clip(x: Any, a_min: Any = None, a_max: Any = None) -> Tensor:
    """x limited to [a_min, a_max]. d/dx = 1 inside, bounds included, else 0. A bound may be
    a Tensor that requires grad: it receives the gradient where it is the result (where
    x < a_min, or x > a_max); a_max wins where the bounds cross, as in NumPy."""
    return _clip(x, a_min, a_max)


astype_op = defop(
    "astype",
    lambda x, dtype: np.asarray(x).astype(dtype),
    _same,
    rules="∂/∂x = 1 (cast back)",
)


def astype(x: Any, dtype: Any) -> Tensor:
    """Cast; between floating types the gradient passes through (cast back to x's dtype).
    A cast to an integer or bool type is not differentiable."""
    return astype_op(x, dtype=dtype)


def _not_differentiable(ufunc: Any, what: str) -> Any:
    return defop(ufunc.__name__, ufunc, doc=f"np.{ufunc.__name__}: {what}; not differentiable.")


equal = _not_differentiable(np.equal, "a == b as a bool Tensor")
not_equal = _not_differentiable(np.not_equal, "a != b as a bool Tensor")
less = _not_differentiable(np.less, "a < b as a bool Tensor")
less_equal = _not_differentiable(np.less_equal, "a <= b as a bool Tensor")
greater = _not_differentiable(np.greater, "a > b as a bool Tensor")
greater_equal = _not_differentiable(np.greater_equal, "a >= b as a bool Tensor")
logical_and = _not_differentiable(np.logical_and, "a and b, elementwise")
logical_or = _not_differentiable(np.logical_or, "a or b, elementwise")
logical_not = _not_differentiable(np.logical_not, "not x, elementwise")
bitwise_and = _not_differentiable(np.bitwise_and, "a & b on integers (logical and on bools)")
bitwise_or = _not_differentiable(np.bitwise_or, "a | b on integers (logical or on bools)")
bitwise_xor = _not_differentiable(np.bitwise_xor, "a ^ b on integers (logical xor on bools)")
invert = _not_differentiable(np.invert, "~x on integers (logical not on bools)")
left_shift = _not_differentiable(np.left_shift, "a << b on integers")
right_shift = _not_differentiable(np.right_shift, "a >> b on integers")
isnan = _not_differentiable(np.isnan, "where x is NaN, as a bool Tensor")
isinf = _not_differentiable(np.isinf, "where x is +inf or -inf, as a bool Tensor")
isfinite = _not_differentiable(np.isfinite, "where x is neither inf nor NaN, as a bool Tensor")
signbit = _not_differentiable(np.signbit, "where the sign bit is set (x < 0, and -0.0)")

_isclose = defop("isclose", np.isclose, doc="np.isclose; not differentiable.")


def isclose(
    a: Any, b: Any, rtol: float = 1e-05, atol: float = 1e-08, equal_nan: bool = False
) -> Tensor:
    """|a - b| <= atol + rtol |b| elementwise, as a bool Tensor (NumPy's isclose; not
    differentiable)."""
    return _isclose(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
