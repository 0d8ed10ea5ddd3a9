"""Elementwise activations. Each is an `ops` primitive or a short composition of them,
so its derivative is the engine's; the docstrings give the derivative it amounts to."""

from __future__ import annotations

import numpy as np

import ops
from autograd_core import Tensor
from ops.reductions import max_shift

from ._utils import TensorLike, as_tensor


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


def softplus(x: TensorLike) -> Tensor:
    """log(1 + e^x), stable for any x; d/dx = sigmoid(x).

    Written as log(e^0 + e^x) with the constant shift c = max(x, 0) taken out:
    c + log(e^-c + e^(x - c)). Both exponents are <= 0 and one of them is 0, so the
    log's argument lies in [1, 2]; c is a constant, so the derivative is exact at every
    x, including x = 0 (a relu/abs composition would get 0 there instead of 1/2)."""
    x = as_tensor(x)
    c = np.maximum(x.data, 0)  # a constant: not part of the graph
    return ops.log(ops.exp(-c) + ops.exp(x - c)) + c


def softmax(x: TensorLike, axis: int | tuple[int, ...] = -1) -> Tensor:
    """softmax(x)_i = e^(x_i - m) / sum_j e^(x_j - m), with m = max(x) along `axis` (an
    int or a tuple of ints, as in `log_softmax`).

    m is a constant shift (softmax does not change under it, so neither does the
    derivative) that keeps every exponent <= 0: no overflow for any logits.
    d softmax_i / d x_j = s_i ([i = j] - s_j)."""
    x = as_tensor(x)
    e = ops.exp(x - max_shift(x.data, axis, "softmax"))
    return e / ops.sum(e, axis=axis, keepdims=True)


def log_softmax(x: TensorLike, axis: int | tuple[int, ...] = -1) -> Tensor:
    """log_softmax(x) = (x - m) - log(sum_j e^(x_j - m)), m = max(x) along `axis` (an int
    or a tuple of ints).

    m is a constant shift, so the exponents are <= 0 and the log's argument is >= 1:
    finite values and gradients for logits of any size. d/dx_j of the i-th output is
    [i = j] - softmax(x)_j."""
    x = as_tensor(x)
    z = x - max_shift(x.data, axis, "log_softmax")
    if z.size == 0:
        return z  # an empty axis: nothing to normalise (and no log of an empty sum)
    return z - ops.log(ops.sum(ops.exp(z), axis=axis, keepdims=True))
