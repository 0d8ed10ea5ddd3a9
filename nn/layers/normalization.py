"""Normalization layers: InstanceNorm2d, BatchNorm1d, BatchNorm2d, LayerNorm and
GroupNorm, calling `nn.functional.normalization`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd_core.tensor import Tensor

from .. import functional as F
from .. import init
from ..functional._utils import positive_int
from ..functional.normalization import normalized_shape_of, updated_running_stats
from ..module import Module
from ._base import Layer, shape_of, zeros_parameter


def _register_affine(
    module: Module, shape: tuple[int, ...] | None, dtype: Any, bias: bool = True
) -> None:
    """Register `weight` (ones) and `bias` (zeros) of `shape`, or None when shape is None."""
    weight = None if shape is None else init.ones_(zeros_parameter(shape, dtype))
    module.register_parameter("weight", weight)
    module.register_parameter(
        "bias", None if shape is None or not bias else zeros_parameter(shape, dtype)
    )


class InstanceNorm2d(Layer):
    """Per sample and channel, normalize over H, W (biased variance); with
    affine=True, then scale by weight and shift by bias (num_features each)."""

    _function = "instance_norm"
    _error_settings = ("num_features",)

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        affine: bool = False,
        *,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        self.num_features = positive_int(num_features, "num_features", type(self).__name__)
        self.eps, self.affine = eps, affine
        _register_affine(self, (self.num_features,) if affine else None, dtype)

    def forward(self, x: Any) -> Tensor:
        # F.instance_norm checks the number of axes; without affine parameters it does
        # not know num_features, so the channel count is checked here.
        shape = shape_of(x)
        if len(shape) in (3, 4) and shape[-3] != self.num_features:
            raise ValueError(
                f"expected an input of shape (N, {self.num_features}, H, W) or "
                f"({self.num_features}, H, W); got {shape}."
            )
        return F.instance_norm(x, self.weight, self.bias, eps=self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, affine={self.affine}"


class _BatchNorm(Layer):
    """Batch normalization with PyTorch's running statistics.

    Training mode normalizes with the batch mean and biased variance over every axis but
    the channel axis (1), and updates the running estimates

        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var  = (1 - momentum) * running_var  + momentum * var * n / (n - 1)

    (unbiased variance, n values per channel; momentum=None means a cumulative average
    over the `num_batches_tracked` batches so far). Eval mode normalizes with the running
    estimates. With track_running_stats=False, batch statistics are used in both modes.

    The buffers are never written into: `updated_running_stats` (in
    nn.functional.normalization) computes the new estimates as new arrays, and the module
    rebinds its buffers to them. F.batch_norm is called without them in training mode,
    since it would write into ndarrays passed to it.
    """

    _function = "batch_norm"
    _error_settings = ("num_features",)

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        *,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        self.num_features = positive_int(num_features, "num_features", type(self).__name__)
        self.eps, self.momentum = eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        _register_affine(self, (self.num_features,) if affine else None, dtype)
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(self.num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(self.num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def _check_input(self, shape: tuple[int, ...]) -> None:
        """The input layout of BatchNorm1d or BatchNorm2d, with num_features channels
        (F.batch_norm takes any (N, C, ...))."""
        raise NotImplementedError

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean = np.zeros_like(self.running_mean)
            self.running_var = np.ones_like(self.running_var)
            self.num_batches_tracked = np.array(0, dtype=np.int64)

    def forward(self, x: Any) -> Tensor:
        self._check_input(shape_of(x))
        if self.training or not self.track_running_stats:
            y = F.batch_norm(x, None, None, self.weight, self.bias, training=True, eps=self.eps)
            if self.training and self.track_running_stats:
                self._track_running_stats(np.asarray(x.data if isinstance(x, Tensor) else x))
            return y
        return F.batch_norm(
            x,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            training=False,
            eps=self.eps,
        )

    def _track_running_stats(self, batch: np.ndarray) -> None:
        """Count the batch and rebind the running statistics to their new values."""
        self.num_batches_tracked = self.num_batches_tracked + 1
        if self.momentum is None:  # cumulative average over the batches so far
            momentum = 1.0 / int(self.num_batches_tracked)
        else:
            momentum = self.momentum
        self.running_mean, self.running_var = updated_running_stats(
            batch, self.running_mean, self.running_var, momentum
        )

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalization over (N, C) or (N, C, L) input, per channel C."""

    def _check_input(self, shape: tuple[int, ...]) -> None:
        if len(shape) not in (2, 3) or shape[1] != self.num_features:
            raise ValueError(
                f"expected an input of shape (N, {self.num_features}) or "
                f"(N, {self.num_features}, L); got {shape}."
            )


class BatchNorm2d(_BatchNorm):
    """Batch normalization over (N, C, H, W) input, per channel C."""

    def _check_input(self, shape: tuple[int, ...]) -> None:
        if len(shape) != 4 or shape[1] != self.num_features:
            raise ValueError(
                f"expected an input of shape (N, {self.num_features}, H, W); got {shape}."
            )


class LayerNorm(Layer):
    """Normalize over the trailing `normalized_shape` axes of each example (biased
    variance), then scale by weight and shift by bias, both of that shape."""

    _function = "layer_norm"
    _error_settings = ("normalized_shape",)

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        *,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        self.normalized_shape = normalized_shape_of(normalized_shape, self._function)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        shape = self.normalized_shape if elementwise_affine else None
        _register_affine(self, shape, dtype, bias=bias)

    def forward(self, x: Any) -> Tensor:
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, eps=self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )


class GroupNorm(Layer):
    """Normalize each sample over groups of num_channels / num_groups channels (and the
    spatial axes); with affine=True, then scale and shift per channel (weight ones and
    bias zeros at first), as PyTorch's GroupNorm."""

    _function = "group_norm"
    _error_settings = ("num_groups", "num_channels")

    def __init__(
        self,
        num_groups: int,
        num_channels: int,
        eps: float = 1e-5,
        affine: bool = True,
        *,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.num_groups = positive_int(num_groups, "num_groups", name)
        self.num_channels = positive_int(num_channels, "num_channels", name)
        if self.num_channels % self.num_groups:
            raise ValueError(
                f"{name}: num_channels ({self.num_channels}) must be divisible by num_groups "
                f"({self.num_groups})."
            )
        self.eps, self.affine = eps, affine
        _register_affine(self, (self.num_channels,) if affine else None, dtype)

    def forward(self, x: Any) -> Tensor:
        shape = shape_of(x)
        if len(shape) >= 2 and shape[1] != self.num_channels:
            raise ValueError(
                f"expected an input (N, {self.num_channels}, ...) with num_channels = "
                f"{self.num_channels} on axis 1; got {shape}."
            )
        return F.group_norm(x, self.num_groups, self.weight, self.bias, self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_groups}, {self.num_channels}, eps={self.eps}, affine={self.affine}"
