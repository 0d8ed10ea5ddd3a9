"""Parameter initialisation, with PyTorch's names, fan and gain conventions.

Each function draws new values and rebinds the tensor's data (`tensor.data = ...`,
never writing into the old array), keeps its dtype, and returns the tensor. Randomness
comes from `rng`: a `np.random.Generator`, an int seed, or None for the engine's
generator (`autograd_core.random.generator()`), so `kaiming_uniform_(w, rng=0)` is
reproducible without any global seed, and after `autograd_core.manual_seed(s)` so is
every draw that passes no `rng`.

For a weight of shape (out, in, *kernel): fan_in = in * prod(kernel) and
fan_out = out * prod(kernel).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd_core.random import resolve
from autograd_core.tensor import Tensor, lock

Rng = np.random.Generator | int | None

_LINEAR = ("linear", "identity", "conv1d", "conv2d", "conv3d", "conv_transpose1d")
_LINEAR += ("conv_transpose2d", "conv_transpose3d", "sigmoid")


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity: 1 for linear/conv/sigmoid, 5/3 for tanh,
    sqrt(2) for relu, sqrt(2 / (1 + slope^2)) for leaky_relu (slope 0.01 unless given),
    3/4 for selu."""
    if nonlinearity in _LINEAR:
        return 1.0
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            slope = 0.01
        elif isinstance(param, (int, float)) and not isinstance(param, bool):
            slope = float(param)
        else:
            raise ValueError(f"calculate_gain: negative_slope {param!r} is not a number.")
        return math.sqrt(2.0 / (1 + slope**2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(
        f"calculate_gain: unsupported nonlinearity {nonlinearity!r}; use one of linear, "
        "conv2d, sigmoid, tanh, relu, leaky_relu, selu."
    )


def _fans(tensor: Tensor, caller: str) -> tuple[int, int]:
    shape = tensor.shape
    if len(shape) < 2:
        raise ValueError(
            f"{caller}: fan in and fan out need a tensor with at least 2 dimensions; got "
            f"shape {shape}. Use uniform_ or normal_ for biases."
        )
    receptive = int(np.prod(shape[2:])) if len(shape) > 2 else 1
    return shape[1] * receptive, shape[0] * receptive


def _fan(tensor: Tensor, mode: str, caller: str) -> int:
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"{caller}: mode must be 'fan_in' or 'fan_out'; got {mode!r}.")
    fan_in, fan_out = _fans(tensor, caller)
    return fan_in if mode == "fan_in" else fan_out


def _fill(tensor: Tensor, values: Any, caller: str) -> Tensor:
    if not isinstance(tensor, Tensor):
        raise TypeError(f"{caller} expects a Tensor or nn.Parameter; got {type(tensor).__name__}.")
    array = np.broadcast_to(np.asarray(values), tensor.shape)
    tensor.data = lock(array.astype(tensor.dtype, copy=True))
    return tensor


def _rng(rng: Rng) -> np.random.Generator:
    return resolve(rng)


def uniform_(tensor: Tensor, a: float = 0.0, b: float = 1.0, rng: Rng = None) -> Tensor:
    """Values drawn uniformly from [a, b)."""
    if not a <= b:
        raise ValueError(f"uniform_: need a <= b; got a={a}, b={b}.")
    return _fill(tensor, _rng(rng).uniform(a, b, size=tensor.shape), "uniform_")


def normal_(tensor: Tensor, mean: float = 0.0, std: float = 1.0, rng: Rng = None) -> Tensor:
    """Values drawn from N(mean, std^2)."""
    if std < 0:
        raise ValueError(f"normal_: std must be >= 0; got {std}.")
    return _fill(tensor, _rng(rng).normal(mean, std, size=tensor.shape), "normal_")


def constant_(tensor: Tensor, val: float) -> Tensor:
    """Every value set to `val`."""
    return _fill(tensor, val, "constant_")


def zeros_(tensor: Tensor) -> Tensor:
    return _fill(tensor, 0, "zeros_")


def ones_(tensor: Tensor) -> Tensor:
    return _fill(tensor, 1, "ones_")


def xavier_uniform_(tensor: Tensor, gain: float = 1.0, rng: Rng = None) -> Tensor:
    """Glorot: U(-a, a) with a = gain * sqrt(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(tensor, "xavier_uniform_")
    bound = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return uniform_(tensor, -bound, bound, rng=rng)


def xavier_normal_(tensor: Tensor, gain: float = 1.0, rng: Rng = None) -> Tensor:
    """Glorot: N(0, std^2) with std = gain * sqrt(2 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(tensor, "xavier_normal_")
    return normal_(tensor, 0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)), rng=rng)


def kaiming_uniform_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    rng: Rng = None,
) -> Tensor:
    """He: U(-bound, bound) with bound = gain * sqrt(3 / fan), gain =
    calculate_gain(nonlinearity, a). With a = sqrt(5) (what Linear and Conv2d use) the
    bound is 1 / sqrt(fan_in)."""
    fan = _fan(tensor, mode, "kaiming_uniform_")
    if fan == 0:
        return tensor
    bound = calculate_gain(nonlinearity, a) * math.sqrt(3.0 / fan)
    return uniform_(tensor, -bound, bound, rng=rng)


def kaiming_normal_(
    tensor: Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
    rng: Rng = None,
) -> Tensor:
    """He: N(0, std^2) with std = gain / sqrt(fan), gain = calculate_gain(nonlinearity, a)."""
    fan = _fan(tensor, mode, "kaiming_normal_")
    if fan == 0:
        return tensor
    return normal_(tensor, 0.0, calculate_gain(nonlinearity, a) / math.sqrt(fan), rng=rng)


def fan_in_and_fan_out(tensor: Tensor) -> tuple[int, int]:
    """(fan_in, fan_out) of a weight of shape (out, in, *kernel)."""
    return _fans(tensor, "fan_in_and_fan_out")
