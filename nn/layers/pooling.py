"""Pooling and unpooling layers, calling `nn.functional.pooling`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd_core.tensor import Tensor
from ops.windows import pair

from .. import functional as F
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
