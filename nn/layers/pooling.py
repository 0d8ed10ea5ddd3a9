"""Pooling and unpooling layers, calling `nn.functional.pooling`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd_core.tensor import Tensor
from ops.windows import pair

from .. import functional as F
from ..functional._utils import single
from ..functional.pooling import pool_settings, window_settings
from ._base import IntPair, Layer


class _PoolingLayer(Layer):
    """The settings every pooling and unpooling Module shares: kernel_size, stride
    (defaults to the kernel) and padding, checked by `_check_settings`, the functional
    layer's own check."""

    _check_settings = staticmethod(pool_settings)

    def __init__(
        self, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0
    ) -> None:
        super().__init__()
        self._check_settings(kernel_size, stride, padding, self._function)
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool2d(_PoolingLayer):
    """Max over windows; stride defaults to kernel_size. With return_indices=True the
    call returns (output, indices) for MaxUnpool2d."""

    _function = "max_pool2d"

    def __init__(
        self,
        kernel_size: IntPair,
        stride: IntPair | None = None,
        padding: IntPair = 0,
        return_indices: bool = False,
    ) -> None:
        super().__init__(kernel_size, stride, padding)
        self.return_indices = return_indices

    def forward(self, x: Any) -> Any:
        return F.max_pool2d(
            x, self.kernel_size, self.stride, self.padding, return_indices=self.return_indices
        )


class MaxUnpool2d(_PoolingLayer):
    """Partial inverse of MaxPool2d: `unpool(x, indices, output_size=None)`."""

    _function = "max_unpool2d"
    _check_settings = staticmethod(window_settings)

    def forward(self, x: Any, indices: Any, output_size: Sequence[int] | None = None) -> Tensor:
        return F.max_unpool2d(
            x, indices, self.kernel_size, self.stride, self.padding, output_size=output_size
        )


class AvgPool2d(_PoolingLayer):
    """Mean over windows (padded zeros counted); stride defaults to kernel_size."""

    _function = "avg_pool2d"

    def forward(self, x: Any) -> Tensor:
        return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding)


class AvgUnpool2d(Layer):
    """Nearest-neighbour upsampling: each value copied to its kernel_size block."""

    _function = "avg_unpool2d"

    def __init__(self, kernel_size: IntPair) -> None:
        super().__init__()
        pair(kernel_size, "kernel_size", self._function)
        self.kernel_size = kernel_size

    def forward(self, x: Any) -> Tensor:
        return F.avg_unpool2d(x, self.kernel_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}"


class _Pool1d(Layer):
    """kernel_size, stride (the kernel when None) and padding of a 1-d pooling layer."""

    def __init__(self, kernel_size: int, stride: int | None = None, padding: int = 0) -> None:
        super().__init__()
        fn = self._function
        self.kernel_size = single(kernel_size, "kernel_size", fn)
        self.stride = self.kernel_size if stride is None else single(stride, "stride", fn)
        self.padding = single(padding, "padding", fn, minimum=0)
        if self.padding > self.kernel_size // 2:
            raise ValueError(
                f"{fn}: padding {self.padding} must be at most half the kernel size "
                f"{self.kernel_size}, so that every window holds at least one input element."
            )

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool1d(_Pool1d):
    """Max over windows of (N, C, L) input; stride defaults to kernel_size."""

    _function = "max_pool1d"

    def __init__(
        self,
        kernel_size: int,
        stride: int | None = None,
        padding: int = 0,
        return_indices: bool = False,
    ) -> None:
        super().__init__(kernel_size, stride, padding)
        self.return_indices = return_indices

    def forward(self, x: Any) -> Any:
        return F.max_pool1d(
            x, self.kernel_size, self.stride, self.padding, return_indices=self.return_indices
        )


class AvgPool1d(_Pool1d):
    """Mean over windows of (N, C, L) input (padded zeros counted)."""

    _function = "avg_pool1d"

    def forward(self, x: Any) -> Tensor:
        return F.avg_pool1d(x, self.kernel_size, self.stride, self.padding)


class AdaptiveAvgPool2d(Layer):
    """Average pooling to a fixed output size (OH, OW) with PyTorch's bins."""

    _function = "adaptive_avg_pool2d"

    def __init__(self, output_size: int | tuple[int | None, int | None]) -> None:
        super().__init__()
        F.adaptive_avg_pool2d(np.zeros((1, 1, 1)), output_size)  # checks the setting
        self.output_size = output_size

    def forward(self, x: Any) -> Tensor:
        return F.adaptive_avg_pool2d(x, self.output_size)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"
