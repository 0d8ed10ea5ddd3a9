"""Normalization layers: instance, batch and layer norm, each

    y = (x - mean) / sqrt(var + eps) * weight + bias        (biased variance)

over a different set of axes, composed of `ops.mean`, `ops.sqrt` and arithmetic so the
engine gives the gradient. Derived here for the reference's empty section 3.5
(mean-variance normalization): with x_hat = (x - mu) / sigma, sigma = sqrt(var + eps)
and delta_hat = delta * weight,

    dE/dx = (delta_hat - mean(delta_hat) - x_hat * mean(delta_hat * x_hat)) / sigma,
    dE/dweight = sum of delta * x_hat,    dE/dbias = sum of delta,

the means taken over the group and the sums over everything but the channel.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

import ops
from autograd_core import Tensor
from autograd_core.tensor import lock

from ._utils import TensorLike, as_tensor


def _normalize(x: Tensor, axes: tuple[int, ...], eps: float) -> Tensor:
    mean = ops.mean(x, axis=axes, keepdims=True)
    centred = x - mean
    var = ops.mean(centred * centred, axis=axes, keepdims=True)
    return centred / ops.sqrt(var + eps)


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


def _update(buffer: np.ndarray | Tensor, value: np.ndarray) -> None:
    """Write running statistics: into an ndarray in place, or rebind a Tensor's data."""
    if isinstance(buffer, Tensor):
        buffer.data = lock(value.astype(buffer.dtype))
    else:
        buffer[...] = value


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
    unbiased batch variance for running_var. An ndarray is updated in place; a Tensor
    gets new `.data`. training=False: the running statistics are used as constants."""
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
                f"variance; got input shape {x.shape}. Use a bigger batch or eval mode."
            )
        y = _normalize(x, axes, eps)
        if training and stats:
            mean = x.data.mean(axis=axes)
            unbiased = x.data.var(axis=axes) * (count / (count - 1))
            for buffer, stat in zip(stats, (mean, unbiased), strict=True):
                old = _values(buffer)
                _update(buffer, (1 - momentum) * old + momentum * stat)
    else:
        mean, var = (_values(s).astype(x.dtype).reshape(view) for s in stats)
        y = (x - mean) / np.sqrt(var + eps)
    return _scale_shift(y, weight, bias, c, view, fn)


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
    shape = (
        (int(normalized_shape),)
        if isinstance(normalized_shape, (int, np.integer))
        else tuple(int(n) for n in normalized_shape)
    )
    if not shape or x.shape[x.ndim - len(shape) :] != shape or len(shape) > x.ndim:
        raise ValueError(
            f"{fn}: the last axes of the input {x.shape} must equal normalized_shape {shape}."
        )
    y = _normalize(x, tuple(range(x.ndim - len(shape), x.ndim)), eps)
    return _scale_shift(y, weight, bias, shape, shape, fn)
