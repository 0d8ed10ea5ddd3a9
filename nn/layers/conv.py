"""Convolution layers: Conv1d, Conv2d and ConvTranspose2d, calling `nn.functional.conv`."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.random import resolve
from autograd_core.tensor import Tensor
from ops.windows import pair

from .. import functional as F
from ..functional._utils import positive_int, single
from ..functional.conv import check_groups, check_output_padding
from ._base import IntPair, Layer, Rng, reset_weight_and_bias, zeros_parameter


class _ConvNd(Layer):
    """What Conv2d and ConvTranspose2d share: settings, their checks, init, repr."""

    transposed = False
    _error_settings = ("in_channels",)

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair,
        padding: IntPair,
        dilation: IntPair,
        groups: int,
        bias: bool,
        rng: Rng,
        dtype: Any,
        output_padding: IntPair = 0,
    ) -> None:
        super().__init__()
        name, fn = type(self).__name__, self._function
        self.in_channels = positive_int(in_channels, "in_channels", name)
        self.out_channels = positive_int(out_channels, "out_channels", name)
        self.groups = positive_int(groups, "groups", fn)
        check_groups(self.groups, self.in_channels, self.out_channels, fn)
        self.kernel_size = pair(kernel_size, "kernel_size", name)
        self.stride = pair(stride, "stride", fn)
        self.padding = pair(padding, "padding", fn, minimum=0)
        self.dilation = pair(dilation, "dilation", fn)
        self.output_padding = pair(output_padding, "output_padding", fn, minimum=0)
        if self.transposed:
            check_output_padding(self.output_padding, self.stride, self.dilation, fn)
            shape = (self.in_channels, self.out_channels // self.groups, *self.kernel_size)
        else:
            shape = (self.out_channels, self.in_channels // self.groups, *self.kernel_size)
        self.weight = zeros_parameter(shape, dtype)
        self.register_parameter(
            "bias", zeros_parameter((self.out_channels,), dtype) if bias else None
        )
        self.reset_parameters(rng)

    def reset_parameters(self, rng: Rng = None) -> None:
        reset_weight_and_bias(self.weight, self.bias, resolve(rng))

    def extra_repr(self) -> str:
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.output_padding != (0, 0):
            text += f", output_padding={self.output_padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        return text


class Conv2d(_ConvNd):
    """2-D cross-correlation over NCHW input (PyTorch's Conv2d)."""

    _function = "conv2d"

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair = 1,
        padding: IntPair = 0,
        dilation: IntPair = 1,
        groups: int = 1,
        bias: bool = True,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
            rng, dtype,
        )  # fmt: skip

    def forward(self, x: Any) -> Tensor:
        return F.conv2d(
            x, self.weight, self.bias, stride=self.stride, padding=self.padding,
            dilation=self.dilation, groups=self.groups,
        )  # fmt: skip


class ConvTranspose2d(_ConvNd):
    """The adjoint of Conv2d ("deconvolution"); weight (in, out // groups, kh, kw)."""

    transposed = True
    _function = "conv_transpose2d"

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair = 1,
        padding: IntPair = 0,
        output_padding: IntPair = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: IntPair = 1,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
            rng, dtype, output_padding,
        )  # fmt: skip

    def forward(self, x: Any) -> Tensor:
        return F.conv_transpose2d(
            x, self.weight, self.bias, stride=self.stride, padding=self.padding,
            output_padding=self.output_padding, dilation=self.dilation, groups=self.groups,
        )  # fmt: skip


class Conv1d(Layer):
    """1-D cross-correlation over (N, C, L) input (PyTorch's Conv1d): weight
    (out_channels, in_channels // groups, kernel_size), bias (out_channels,), initialised
    as Conv2d's (kaiming_uniform_(a=sqrt(5)), bias U(+-1/sqrt(fan_in)))."""

    _function = "conv1d"
    _error_settings = ("in_channels",)

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int],
        stride: int | tuple[int] = 1,
        padding: int | tuple[int] = 0,
        dilation: int | tuple[int] = 1,
        groups: int = 1,
        bias: bool = True,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        name, fn = type(self).__name__, self._function
        self.in_channels = positive_int(in_channels, "in_channels", name)
        self.out_channels = positive_int(out_channels, "out_channels", name)
        self.groups = positive_int(groups, "groups", fn)
        check_groups(self.groups, self.in_channels, self.out_channels, fn)
        self.kernel_size = single(kernel_size, "kernel_size", name)
        self.stride = single(stride, "stride", fn)
        self.padding = single(padding, "padding", fn, minimum=0)
        self.dilation = single(dilation, "dilation", fn)
        shape = (self.out_channels, self.in_channels // self.groups, self.kernel_size)
        self.weight = zeros_parameter(shape, dtype)
        self.register_parameter(
            "bias", zeros_parameter((self.out_channels,), dtype) if bias else None
        )
        self.reset_parameters(rng)

    def reset_parameters(self, rng: Rng = None) -> None:
        reset_weight_and_bias(self.weight, self.bias, resolve(rng))

    def forward(self, x: Any) -> Tensor:
        return F.conv1d(
            x, self.weight, self.bias, self.stride, self.padding, self.dilation, self.groups
        )

    def extra_repr(self) -> str:
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size=({self.kernel_size},), "
            f"stride=({self.stride},)"
        )
        if self.padding:
            text += f", padding=({self.padding},)"
        if self.dilation != 1:
            text += f", dilation=({self.dilation},)"
        if self.groups != 1:
            text += f", groups={self.groups}"
        return text if self.bias is not None else text + ", bias=False"
