"""Upsample, calling `nn.functional.interpolate`."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from autograd_core.tensor import Tensor

from .. import functional as F
from ..functional.upsampling import MODES
from ._base import Layer


class Upsample(Layer):
    """Resize (N, C, L) or (N, C, H, W) input to `size` or by `scale_factor`, mode
    "nearest", "linear" or "bilinear", as PyTorch's Upsample (see F.interpolate)."""

    _function = "interpolate"

    def __init__(
        self,
        size: int | Sequence[int] | None = None,
        scale_factor: float | Sequence[float] | None = None,
        mode: str = "nearest",
        align_corners: bool | None = None,
    ) -> None:
        super().__init__()
        if mode not in MODES:
            raise ValueError(
                f"{self._function}: mode must be 'nearest', 'linear' or 'bilinear'; got {mode!r}."
            )
        if (size is None) == (scale_factor is None):
            raise ValueError(f"{self._function}: give exactly one of size and scale_factor.")
        self.size, self.scale_factor = size, scale_factor
        self.mode, self.align_corners = mode, align_corners

    def forward(self, x: Any) -> Tensor:
        return F.interpolate(x, self.size, self.scale_factor, self.mode, self.align_corners)

    def extra_repr(self) -> str:
        what = f"size={self.size}" if self.size is not None else f"scale_factor={self.scale_factor}"
        return f"{what}, mode={self.mode!r}"
