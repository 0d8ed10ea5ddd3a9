"""Normalization layers: instance, batch, layer and group norm, each

    y = (x - mean) / sqrt(var + eps) * weight + bias        (biased variance)

over a different set of axes, composed of `ops.mean`, `ops.sqrt` and arithmetic so the
engine gives the gradient. Derived here, since section 3.5 of "Back propagation
reference" (mean variance normalization) is empty: with x_hat = (x - mu) / sigma,
sigma = sqrt(var + eps) and delta_hat = delta * weight,

    dE/dx = (delta_hat - mean(delta_hat) - x_hat * mean(delta_hat * x_hat)) / sigma,
    dE/dweight = sum of delta * x_hat,    dE/dbias = sum of delta,

the means taken over the group and the sums over everything but the channel.

Batch norm's running statistics are computed by `updated_running_stats`, as new arrays;
the BatchNorm Modules rebind their buffers to them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import ops
from autograd_core import Tensor
from autograd_core.grad_mode import composite
from autograd_core.tensor import lock

from ._utils import TensorLike, as_tensor, positive_int


def _normalize(x: Tensor, axes: tuple[int, ...], eps: float) -> Tensor:
    return ops.standardize(x, axis=axes, eps=eps)  # (x - mean) / sqrt(var + eps), one node


@composite("instance_norm")
def instance_norm(
    x: TensorLike,
    weight: TensorLike | None = None,
    bias: TensorLike | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize each (sample, channel) plane of x (N, C, H, W) (or (C, H, W)) over H, W:

    y = (x - mean_HW(x)) / sqrt(var_HW(x) + eps) * weight[c] + bias[c]

    with the biased variance; weight and bias are optional, of shape (C,)."""
    fn = "instance_norm"
    x = as_tensor(x)
    if x.ndim not in (3, 4):
        raise ValueError(f"{fn}: expected input (N, C, H, W) or (C, H, W); got {x.shape}.")
    c = x.shape[-3]
    y = _normalize(x, (-2, -1), eps)
    return _scale_shift(y, weight, bias, c, (c, 1, 1), fn)


def _scale_shift(
    y: Tensor,
    weight: TensorLike | None,
    bias: TensorLike | None,
    channels: int | tuple[int, ...],
    view: tuple[int, ...],
    fn: str,
) -> Tensor:
    """y * weight + bias with weight, bias of shape `channels`, reshaped to `view`."""
    shape = channels if isinstance(channels, tuple) else (channels,)
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and np.shape(p) != shape:
            raise ValueError(
                f"{fn}: {name} must have shape {shape}, one value per normalized "
                f"feature; got {np.shape(p)}."
            )
    if weight is not None:
        y = y * ops.reshape(as_tensor(weight), view)
    if bias is not None:
        y = y + ops.reshape(as_tensor(bias), view)
    return y


def _values(buffer: np.ndarray | Tensor) -> np.ndarray:
    return np.asarray(buffer.data if isinstance(buffer, Tensor) else buffer)


def updated_running_stats(
    x: np.ndarray, running_mean: np.ndarray, running_var: np.ndarray, momentum: float
) -> tuple[np.ndarray, np.ndarray]:
    """The running statistics after the training batch `x` (N, C, ...), as new arrays of
    the running statistics' dtypes (the inputs are not changed):

        mean = (1 - momentum) * running_mean + momentum * batch mean
        var  = (1 - momentum) * running_var  + momentum * batch var * n / (n - 1)

    with the batch statistics per channel (axis 1) over the n >= 2 values of every other
    axis, the variance unbiased, as PyTorch does."""
    axes = (0, *range(2, x.ndim))
    n = x.size // x.shape[1]
    mean = x.mean(axis=axes)
    unbiased = x.var(axis=axes) * (n / (n - 1))
    new_mean = (1 - momentum) * running_mean + momentum * mean
    new_var = (1 - momentum) * running_var + momentum * unbiased
    return new_mean.astype(running_mean.dtype), new_var.astype(running_var.dtype)


def _store(buffer: np.ndarray | Tensor, value: np.ndarray) -> None:
    """Hand new running statistics back to a caller of batch_norm: a Tensor gets new
    `.data`; an ndarray, which cannot be rebound from here, is written into."""
    if isinstance(buffer, Tensor):
        buffer.data = lock(value)
    else:
        buffer[...] = value


def normalized_shape_of(normalized_shape: Any, fn: str) -> tuple[int, ...]:
    """layer_norm's `normalized_shape` (an int, or a non-empty sequence of ints, each >= 1)
    as a tuple."""
    int_like = isinstance(normalized_shape, (int, np.integer))
    shape = (normalized_shape,) if int_like else normalized_shape
    try:
        shape = tuple(shape)
    except TypeError:
        shape = (None,)
    if not all(isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in shape):
        raise TypeError(
            f"{fn}: normalized_shape must be an int or a sequence of ints; got "
            f"{normalized_shape!r}."
        )
    if not shape or min(shape) < 1:
        raise ValueError(
            f"{fn}: normalized_shape must hold at least one size, each >= 1; got "
            f"{normalized_shape!r}."
        )
    return tuple(int(n) for n in shape)


@composite("batch_norm")
def batch_norm(
    x: TensorLike,
    running_mean: np.ndarray | Tensor | None,
    running_var: np.ndarray | Tensor | None,
    weight: TensorLike | None = None,
    bias: TensorLike | None = None,
    training: bool = False,
    momentum: float = 0.1,
    eps: float = 1e-5,
) -> Tensor:
    """Batch normalization of x (N, C) or (N, C, *spatial), per channel C:

    y = (x - mean) / sqrt(var + eps) * weight + bias.

    training=True (or no running statistics): mean and biased var of the batch, over N
    and the spatial axes; then, when given, the running statistics are updated outside
    the graph, as PyTorch does: r <- (1 - momentum) r + momentum * stat, with the
    unbiased batch variance for running_var (`updated_running_stats`). An ndarray is
    updated in place; a Tensor gets new `.data`. training=False: the running statistics
    are used as constants."""
    fn = "batch_norm"
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"{fn}: expected input (N, C) or (N, C, ...); got {x.shape}.")
    c = x.shape[1]
    axes = (0, *range(2, x.ndim))
    view = (c,) + (1,) * (x.ndim - 2)
    stats = [s for s in (running_mean, running_var) if s is not None]
    if len(stats) == 1:
        raise ValueError(f"{fn}: give both running_mean and running_var, or neither.")
    for s in stats:
        if np.shape(s) != (c,):
            raise ValueError(
                f"{fn}: running statistics must have shape ({c},), one per channel; "
                f"got {np.shape(s)}."
            )
    if training or not stats:
        count = x.size // c
        if training and count < 2:
            raise ValueError(
                f"{fn}: training needs more than one value per channel to estimate the "
                f"variance; got input shape {x.shape}, which gives {count} (batch size times "
                "spatial size), not more than 1 value per channel. Use a bigger batch or eval "
                "mode."
            )
        y = _normalize(x, axes, eps)
        if training and stats:
            new = updated_running_stats(x.data, *(_values(s) for s in stats), momentum)
            for buffer, value in zip(stats, new, strict=True):
                _store(buffer, value)
    else:
        mean, var = (_values(s).astype(x.dtype).reshape(view) for s in stats)
        y = (x - mean) / np.sqrt(var + eps)
    return _scale_shift(y, weight, bias, c, view, fn)


@composite("layer_norm")
def layer_norm(
    x: TensorLike,
    normalized_shape: int | Sequence[int],
    weight: TensorLike | None = None,
    bias: TensorLike | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize over the last len(normalized_shape) axes, which must equal
    normalized_shape: y = (x - mean) / sqrt(var + eps) * weight + bias, with weight
    and bias (optional) of shape normalized_shape."""
    fn = "layer_norm"
    x = as_tensor(x)
    shape = normalized_shape_of(normalized_shape, fn)
    if x.shape[x.ndim - len(shape) :] != shape or len(shape) > x.ndim:
        raise ValueError(
            f"{fn}: the last axes of the input {x.shape} must equal normalized_shape {shape}; "
            f"reshape the input so that its trailing axes are {shape}, or change "
            "normalized_shape."
        )
    y = _normalize(x, tuple(range(x.ndim - len(shape), x.ndim)), eps)
    return _scale_shift(y, weight, bias, shape, shape, fn)


@composite("group_norm")
def group_norm(
    x: TensorLike,
    num_groups: int,
    weight: TensorLike | None = None,
    bias: TensorLike | None = None,
    eps: float = 1e-5,
) -> Tensor:
    """Normalize x (N, C, *) over each group of C / num_groups consecutive channels
    together with the spatial axes, per sample, then scale and shift per channel:
    y = (x - mean_g) / sqrt(var_g + eps) * weight[c] + bias[c] (biased variance), as
    PyTorch's group_norm. num_groups = 1 is layer norm over (C, *) with per-channel
    affine; num_groups = C is instance norm."""
    fn = "group_norm"
    x = as_tensor(x)
    groups = positive_int(num_groups, "num_groups", fn)
    if x.ndim < 2:
        raise ValueError(f"{fn}: expected input (N, C, ...); got {x.shape}.")
    n, c = x.shape[:2]
    if c % groups:
        raise ValueError(
            f"{fn}: the {c} channels of the input {x.shape} must split into num_groups = "
            f"{groups} equal groups; choose num_groups dividing {c}."
        )
    per_group = (c // groups) * int(np.prod(x.shape[2:], dtype=np.int64))
    grouped = ops.reshape(x, (n, groups, per_group))
    y = ops.reshape(_normalize(grouped, (-1,), eps), x.shape)
    return _scale_shift(y, weight, bias, c, (c,) + (1,) * (x.ndim - 2), fn)
