"""Layers that move data around: Flatten (a reshape), and Pad and Crop, which call
`nn.functional.restructure`."""

from __future__ import annotations

from typing import Any

import numpy as np

import ops
from autograd_core.tensor import Tensor

from .. import functional as F
from ..functional.restructure import check_crop_window, check_pad_mode, pad_widths
from ._base import Layer, shape_of


class Flatten(Layer):
    """Merge axes start_dim..end_dim into one: (N, C, H, W) -> (N, C*H*W) by default."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Any) -> Tensor:
        shape = shape_of(x)
        n = len(shape)
        start, end = self.start_dim, self.end_dim
        if not (-n <= start < n and -n <= end < n) or start % n > end % n:
            raise ValueError(
                f"start_dim={start}, end_dim={end} do not select a range of axes of an "
                f"input of shape {shape}."
            )
        start, end = start % n, end % n
        merged = int(np.prod(shape[start : end + 1], dtype=np.int64))
        return ops.reshape(x, (*shape[:start], merged, *shape[end + 1 :]))

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Pad(Layer):
    """np.pad-style padding; `pad_width` as in NumPy, modes constant, reflect, edge."""

    _function = "pad"

    def __init__(self, pad_width: Any, mode: str = "constant", value: float = 0.0) -> None:
        super().__init__()
        check_pad_mode(mode, self._function)
        pad_widths(pad_width, None, self._function)
        self.pad_width, self.mode, self.value = pad_width, mode, value

    def forward(self, x: Any) -> Tensor:
        return F.pad(x, self.pad_width, mode=self.mode, value=self.value)

    def extra_repr(self) -> str:
        return f"pad_width={self.pad_width}, mode={self.mode!r}, value={self.value}"


class Crop(Layer):
    """x[..., top:top + height, left:left + width]."""

    _function = "crop"

    def __init__(self, top: int, left: int, height: int, width: int) -> None:
        super().__init__()
        check_crop_window(top, left, height, width, self._function)
        self.top, self.left, self.height, self.width = top, left, height, width

    def forward(self, x: Any) -> Tensor:
        return F.crop(x, self.top, self.left, self.height, self.width)

    def extra_repr(self) -> str:
        return f"top={self.top}, left={self.left}, height={self.height}, width={self.width}"
