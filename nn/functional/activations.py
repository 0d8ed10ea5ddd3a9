"""Elementwise activations. Each is an `ops` primitive or a short composition of them,
so its derivative is the engine's; the docstrings give the derivative it amounts to.
Settings, constants and the choice at kinks follow PyTorch (gelu's two forms, selu's
constants, softplus' threshold, hardtanh's zero gradient at its bounds)."""

from __future__ import annotations

import numpy as np

import ops
from autograd_core import Tensor
from autograd_core.grad_mode import composite

from ._utils import TensorLike, as_tensor, real_number


def relu(x: TensorLike) -> Tensor:
    """max(x, 0); dE/dx = delta where x > 0, else 0 (0 at x = 0, as PyTorch)."""
    return ops.relu(as_tensor(x))


def leaky_relu(x: TensorLike, negative_slope: float = 0.01) -> Tensor:
    """x for x > 0, negative_slope * x otherwise.

    dE/dx = delta for x > 0 and negative_slope * delta for x <= 0 (the slope is used at
    x = 0, as PyTorch does)."""
    if isinstance(negative_slope, bool) or not isinstance(negative_slope, (int, float, np.number)):
        raise TypeError(
            f"leaky_relu: negative_slope must be a real number; got "
            f"{type(negative_slope).__name__} {negative_slope!r}."
        )
    x = as_tensor(x)
    return ops.where(x.data > 0, x, x * negative_slope)


def tanh(x: TensorLike) -> Tensor:
    """tanh(x); dE/dx = delta (1 - y^2)."""
    return ops.tanh(as_tensor(x))


def sigmoid(x: TensorLike) -> Tensor:
    """1 / (1 + e^-x), evaluated without overflow for any x; dE/dx = delta y (1 - y)."""
    return ops.sigmoid(as_tensor(x))


def abs(x: TensorLike) -> Tensor:  # noqa: A001 - named like ops.abs and the Abs layer
    """|x|; dE/dx = delta x / |x| = delta sign(x) (0 at x = 0)."""
    return ops.abs(as_tensor(x))


def power(x: TensorLike, power: float, scale: float = 1.0, shift: float = 0.0) -> Tensor:
    """y = (shift + scale x) ^ power (Caffe's Power layer).

    dE/dx = delta * power * scale * (shift + scale x) ^ (power - 1). For a non-integer
    power the base must be >= 0, otherwise the result is NaN (as in NumPy)."""
    x = as_tensor(x)
    base = x if scale == 1 else x * scale
    if shift != 0:
        base = base + shift
    return ops.power(base, power)


def log1p_exp(x: Tensor) -> Tensor:
    """log(1 + e^x), stable for any x; d/dx = sigmoid(x).

    Written as log(e^0 + e^x) with the constant shift c = max(x, 0) taken out:
    c + log(e^-c + e^(x - c)). Both exponents are <= 0 and one of them is 0, so the
    log's argument lies in [1, 2]; c is a constant, so the derivative is exact at every
    x, including x = 0 (a relu/abs composition would get 0 there instead of 1/2)."""
    c = np.maximum(x.data, 0)  # a constant: not part of the graph
    return ops.log(ops.exp(-c) + ops.exp(x - c)) + c


@composite("softplus")
def softplus(x: TensorLike, beta: float = 1.0, threshold: float = 20.0) -> Tensor:
    """log(1 + e^(beta x)) / beta, and x itself where beta x > threshold (PyTorch's
    softplus, which reverts to the identity there for speed; the two differ by less
    than e^-threshold / beta).

    Stable for any x (see `log1p_exp`); d/dx = sigmoid(beta x), and 1 above the
    threshold."""
    fn = "softplus"
    beta = real_number(beta, "beta", fn)
    threshold = real_number(threshold, "threshold", fn)
    if beta == 0:
        raise ValueError(f"{fn}: beta must not be 0 (the function divides by it); got {beta}.")
    x = as_tensor(x)
    z = x if beta == 1 else x * beta
    soft = log1p_exp(z) if beta == 1 else log1p_exp(z) / beta
    if threshold == np.inf:
        return soft
    return ops.where(z.data > threshold, x, soft)


def softmax(x: TensorLike, axis: int | tuple[int, ...] = -1) -> Tensor:
    """softmax(x)_i = e^(x_i - m) / sum_j e^(x_j - m), with m = max(x) along `axis` (an
    int or a tuple of ints, as in `log_softmax`): the primitive `ops.softmax`.

    m is a constant shift (softmax does not change under it, so neither does the
    derivative) that keeps every exponent <= 0: no overflow for any logits.
    d softmax_i / d x_j = s_i ([i = j] - s_j)."""
    return ops.softmax(as_tensor(x), axis=axis)


def log_softmax(x: TensorLike, axis: int | tuple[int, ...] = -1) -> Tensor:
    """log_softmax(x) = (x - m) - log(sum_j e^(x_j - m)), m = max(x) along `axis` (an int
    or a tuple of ints): the primitive `ops.log_softmax`.

    m is a constant shift, so the exponents are <= 0 and the log's argument is >= 1:
    finite values and gradients for logits of any size. d/dx_j of the i-th output is
    [i = j] - softmax(x)_j."""
    return ops.log_softmax(as_tensor(x), axis=axis)


def _real_settings(fn: str, **values: float) -> list[float]:
    return [real_number(v, name, fn) for name, v in values.items()]


SQRT_2_OVER_PI = 0.7978845608028654  # sqrt(2 / pi)
SQRT_HALF = 0.7071067811865476  # 1 / sqrt(2)


@composite("gelu")
def gelu(x: TensorLike, approximate: str = "none") -> Tensor:
    """Gaussian error linear unit, x Phi(x) with Phi the standard normal CDF.

    approximate="none": Phi(x) = erfc(-x / sqrt 2) / 2 (= (1 + erf(x / sqrt 2)) / 2,
    written with erfc so that the left tail keeps its relative precision: gelu(-10) is
    -7.6e-23, not 0), so d/dx = Phi(x) + x e^(-x^2 / 2) / sqrt(2 pi).
    approximate="tanh": Phi(x) ~ (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))) / 2, as
    PyTorch's `approximate="tanh"`."""
    fn = "gelu"
    if approximate not in ("none", "tanh"):
        raise ValueError(f"{fn}: approximate must be 'none' or 'tanh'; got {approximate!r}.")
    x = as_tensor(x)
    if approximate == "tanh":
        inner = (x + 0.044715 * (x * x * x)) * SQRT_2_OVER_PI
        return x * (0.5 * (ops.tanh(inner) + 1))
    return x * (ops.erfc(x * -SQRT_HALF) * 0.5)


def silu(x: TensorLike) -> Tensor:
    """x sigmoid(x) (the swish); d/dx = s (1 + x (1 - s)), s = sigmoid(x)."""
    x = as_tensor(x)
    return x * ops.sigmoid(x)


def _negative_part(x: Tensor) -> Tensor:
    """x where x <= 0, else 0, so that e^x of it never overflows; the gradient passes
    where x <= 0 (the side PyTorch's elu takes at 0)."""
    return ops.where(x.data > 0, 0.0, x)


def elu(x: TensorLike, alpha: float = 1.0) -> Tensor:
    """x for x > 0, alpha (e^x - 1) for x <= 0; d/dx = 1 for x > 0, alpha e^x for
    x <= 0 (so alpha at 0, as PyTorch)."""
    (alpha,) = _real_settings("elu", alpha=alpha)
    x = as_tensor(x)
    return ops.where(x.data > 0, x, (ops.exp(_negative_part(x)) - 1) * alpha)


SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(x: TensorLike) -> Tensor:
    """scale * elu(x, alpha) with PyTorch's (and Klambauer et al.'s) constants
    alpha = 1.6732632423543772, scale = 1.0507009873554805."""
    return elu(x, SELU_ALPHA) * SELU_SCALE


def softsign(x: TensorLike) -> Tensor:
    """x / (1 + |x|); d/dx = 1 / (1 + |x|)^2."""
    x = as_tensor(x)
    return x / (ops.abs(x) + 1)


def hardtanh(x: TensorLike, min_val: float = -1.0, max_val: float = 1.0) -> Tensor:
    """x clipped to [min_val, max_val]; d/dx = 1 strictly inside and 0 outside and at
    the bounds (as PyTorch; `ops.clip` would pass the gradient at the bounds)."""
    fn = "hardtanh"
    lo, hi = _real_settings(fn, min_val=min_val, max_val=max_val)
    if not lo <= hi:
        raise ValueError(f"{fn}: need min_val <= max_val; got min_val={lo}, max_val={hi}.")
    x = as_tensor(x)
    inside = (x.data > lo) & (x.data < hi)
    return ops.where(inside, x, np.clip(x.data, lo, hi).astype(x.dtype, copy=False))


def log_sigmoid(x: TensorLike) -> Tensor:
    """log(sigmoid(x)) = -log(1 + e^-x), stable for any x; d/dx = 1 - sigmoid(x)."""
    return -log1p_exp(-as_tensor(x))


def mish(x: TensorLike) -> Tensor:
    """x tanh(softplus(x)) (Misra), softplus without a threshold;
    d/dx = tanh(sp) + x sigmoid(x) (1 - tanh(sp)^2), sp = softplus(x)."""
    x = as_tensor(x)
    return x * ops.tanh(log1p_exp(x))
