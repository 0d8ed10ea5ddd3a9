"""Elementwise primitives with NumPy broadcasting.

Each op is its forward (a NumPy call) and one vjp per input, `vjp(g, y, *inputs)`,
where `g` is the gradient of the output `y`. A vjp may return the broadcast shape:
the engine sums it back to the input's shape (`autograd_core.engine.sum_to_shape`).

A vjp tuple that captures nothing from the forward (`_EXP_VJPS`, ...) is made once, next
to its op, rather than on every call: fewer objects per op for the garbage collector.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.engine import record
from autograd_core.tensor import Tensor, lock


def unwrap(x: Any) -> Any:
    """The array behind a Tensor; anything else (number, ndarray) unchanged."""
    return x._data if isinstance(x, Tensor) else x


def mismatch(op: str, err: ValueError, *values: Any) -> ValueError:
    """The error to raise when NumPy refused `op` on `values`: when their shapes do not
    broadcast, one that names the op, the shapes and the first axis that disagrees;
    otherwise NumPy's own message, prefixed with the op's name."""
    shapes = [np.shape(v) for v in values]
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        ndim = max(len(s) for s in shapes)
        for axis in range(-1, -ndim - 1, -1):
            lengths = {s[axis] for s in shapes if len(s) >= -axis} - {1}
            if len(lengths) > 1:
                break
        return ValueError(
            f"{op}: shapes {' and '.join(map(str, shapes))} do not broadcast: axes are "
            f"matched from the right and must be equal or 1, but axis {axis} has lengths "
            f"{sorted(lengths)}. Reshape an operand, or add length-1 axes (x[:, None], "
            "ops.expand_dims) so that the axes you mean line up."
        )
    return ValueError(f"{op}: {err}")


def _binary(op: str, ufunc: Any, a: Any, b: Any) -> Any:
    """`ufunc` on the arrays behind a and b; a shape mismatch becomes `mismatch`'s error."""
    va, vb = unwrap(a), unwrap(b)
    try:
        return ufunc(va, vb)
    except ValueError as err:
        raise mismatch(op, err, va, vb) from None


def _g(g: Any, y: Any, *inputs: Any) -> Any:
    return g


def _neg_g(g: Any, y: Any, *inputs: Any) -> Any:
    return -g


def add(a: Any, b: Any) -> Tensor:
    """a + b; d/da = d/db = 1."""
    return record("add", _binary("add", np.add, a, b), (a, b), _ADD_VJPS)


_ADD_VJPS = (_g, _g)


def subtract(a: Any, b: Any) -> Tensor:
    """a - b; d/da = 1, d/db = -1."""
    return record("subtract", _binary("subtract", np.subtract, a, b), (a, b), _SUBTRACT_VJPS)


_SUBTRACT_VJPS = (_g, _neg_g)


def multiply(a: Any, b: Any) -> Tensor:
    """a * b; d/da = b, d/db = a."""
    return record("multiply", _binary("multiply", np.multiply, a, b), (a, b), _MULTIPLY_VJPS)


_MULTIPLY_VJPS = (
    lambda g, y, a, b: g * b,
    lambda g, y, a, b: g * a,
)


def divide(a: Any, b: Any) -> Tensor:
    """a / b; d/da = 1/b, d/db = -a/b^2 = -y/b."""
    return record("divide", _binary("divide", np.divide, a, b), (a, b), _DIVIDE_VJPS)


_DIVIDE_VJPS = (
    lambda g, y, a, b: g / b,
    lambda g, y, a, b: -g * y / b,
)


def negative(x: Any) -> Tensor:
    """-x; d/dx = -1."""
    return record("negative", np.negative(unwrap(x)), (x,), (_neg_g,))


def power(a: Any, b: Any) -> Tensor:
    """a ** b; d/da = b a^(b-1), d/db = a^b ln(a) (0 where a == 0, NaN where a < 0)."""
    return record("power", _binary("power", np.power, a, b), (a, b), _POWER_VJPS)


_POWER_VJPS = (
    lambda g, y, a, b: g * b * a ** (b - 1),
    lambda g, y, a, b: g * y * np.log(np.where(a == 0, 1, a)),
)


def exp(x: Any) -> Tensor:
    """e^x; d/dx = e^x, so the vjp reuses the output y."""
    return record("exp", np.exp(unwrap(x)), (x,), _EXP_VJPS)


_EXP_VJPS = (lambda g, y, x: g * y,)


def log(x: Any) -> Tensor:
    """Natural log; d/dx = 1/x. log(0) = -inf, and its gradient is inf.

    The forward pass is NumPy's, warnings included: log(0) warns "divide by zero" and
    log of a negative number warns "invalid value" (and gives NaN). Backward never warns."""
    return record("log", np.log(unwrap(x)), (x,), _LOG_VJPS)


_LOG_VJPS = (lambda g, y, x: g / x,)


def sqrt(x: Any) -> Tensor:
    """sqrt(x); d/dx = 1 / (2 sqrt(x)) = 1 / (2y). At 0 the gradient is inf."""
    return record("sqrt", np.sqrt(unwrap(x)), (x,), _SQRT_VJPS)


_SQRT_VJPS = (lambda g, y, x: g / (2 * y),)


def abs(x: Any) -> Tensor:  # noqa: A001 - NumPy's name
    """|x|; d/dx = x/|x| = sign(x), taken as 0 at x = 0 (the subgradient PyTorch uses)."""
    return record("abs", np.abs(unwrap(x)), (x,), _ABS_VJPS)


_ABS_VJPS = (lambda g, y, x: g * np.sign(x),)


def sign(x: Any) -> Tensor:
    """sign(x); piecewise constant, so its gradient is 0 everywhere (0 at the jump too)."""
    return record("sign", np.sign(unwrap(x)), (x,), _SIGN_VJPS)


_SIGN_VJPS = (lambda g, y, x: np.zeros_like(x),)


def tanh(x: Any) -> Tensor:
    """tanh(x); d/dx = 1 - tanh(x)^2 = 1 - y^2."""
    return record("tanh", np.tanh(unwrap(x)), (x,), _TANH_VJPS)


_TANH_VJPS = (lambda g, y, x: g * (1 - y * y),)


def sigmoid(x: Any) -> Tensor:
    """1 / (1 + e^-x), computed without overflow; d/dx = y (1 - y)."""
    v = unwrap(x)
    e = np.exp(-np.abs(v))  # in (0, 1]: never overflows
    out = np.where(v >= 0, 1 / (1 + e), e / (1 + e))
    return record("sigmoid", out, (x,), _SIGMOID_VJPS)


_SIGMOID_VJPS = (lambda g, y, x: g * y * (1 - y),)


def relu(x: Any) -> Tensor:
    """max(x, 0); d/dx = 1 where x > 0, and 0 where x <= 0 (0 at x = 0, by convention)."""
    v = unwrap(x)
    return record("relu", np.maximum(v, 0), (x,), _RELU_VJPS)


_RELU_VJPS = (lambda g, y, x: g * (y > 0),)


def _tie_split(a: Any, b: Any, pick_a: np.ndarray, out: np.ndarray) -> np.ndarray:
    """Weight of the gradient going to `a`: 1 where a was picked, 1/2 at ties."""
    dtype = out.dtype if out.dtype.kind == "f" else np.float64
    return np.where(np.equal(a, b), 0.5, pick_a).astype(dtype)


def maximum(a: Any, b: Any) -> Tensor:
    """Elementwise max; the gradient goes to the larger input and is split evenly at ties."""
    va, vb = unwrap(a), unwrap(b)
    out = _binary("maximum", np.maximum, va, vb)
    w = _tie_split(va, vb, np.greater(va, vb), out)
    return record(
        "maximum", out, (a, b), (lambda g, y, a, b: g * w, lambda g, y, a, b: g * (1 - w))
    )


def minimum(a: Any, b: Any) -> Tensor:
    """Elementwise min; the gradient goes to the smaller input and is split evenly at ties."""
    va, vb = unwrap(a), unwrap(b)
    out = _binary("minimum", np.minimum, va, vb)
    w = _tie_split(va, vb, np.less(va, vb), out)
    return record(
        "minimum", out, (a, b), (lambda g, y, a, b: g * w, lambda g, y, a, b: g * (1 - w))
    )


def where(condition: Any, a: Any, b: Any) -> Tensor:
    """a where condition else b; the gradient goes to the side that was chosen."""
    c = np.array(unwrap(condition), dtype=bool)  # a copy: the caller may reuse their mask
    va, vb = unwrap(a), unwrap(b)
    try:
        out = np.where(c, va, vb)
    except ValueError as err:
        raise mismatch("where", err, c, va, vb) from None
    return record(
        "where",
        out,
        (a, b),
        (lambda g, y, a, b: g * c, lambda g, y, a, b: g * ~c),
    )


def clip(x: Any, a_min: Any = None, a_max: Any = None) -> Tensor:
    """x limited to [a_min, a_max] (constants); d/dx = 1 inside, including the bounds, else 0."""
    v = unwrap(x)
    lo, hi = unwrap(a_min), unwrap(a_max)
    inside = np.ones(np.shape(v), dtype=bool)
    try:
        if lo is not None:  # not in place: array bounds may broadcast x to a larger shape
            inside = inside & (v >= lo)
        if hi is not None:
            inside = inside & (v <= hi)
        out = np.clip(v, lo, hi)
    except ValueError as err:
        raise mismatch("clip", err, *(u for u in (v, lo, hi) if u is not None)) from None
    return record("clip", out, (x,), (lambda g, y, x: g * inside,))


def astype(x: Any, dtype: Any) -> Tensor:
    """Cast; between floating types the gradient passes through (cast back to x's dtype)."""
    v = unwrap(x)
    out = np.asarray(v).astype(dtype)
    if out.dtype.kind != "f":
        return Tensor._wrap(lock(out))
    return record("astype", out, (x,), (_g,))


def _comparison(ufunc: Any) -> Any:
    def compare(a: Any, b: Any) -> Tensor:
        return Tensor._wrap(lock(_binary(ufunc.__name__, ufunc, a, b)))

    compare.__name__ = ufunc.__name__
    compare.__doc__ = f"np.{ufunc.__name__} as a bool Tensor; not differentiable."
    return compare


equal = _comparison(np.equal)
not_equal = _comparison(np.not_equal)
less = _comparison(np.less)
less_equal = _comparison(np.less_equal)
greater = _comparison(np.greater)
greater_equal = _comparison(np.greater_equal)
logical_and = _comparison(np.logical_and)
logical_or = _comparison(np.logical_or)


def logical_not(x: Any) -> Tensor:
    """np.logical_not as a bool Tensor; not differentiable."""
    return Tensor._wrap(lock(np.logical_not(unwrap(x))))
