"""Padding and cropping (reference section 4; its subsections are empty, derived here).

- pad, constant mode: Y = X surrounded by constants, so dE/dX = delta cropped back to X.
- pad, reflect/edge modes: border cells are copies of cells of X, so dE/dX[k] = the sum
  of delta over every copy of X[k] (the cell itself and its reflections/replicas).
- crop: Y = X[..., top:top+height, left:left+width], so dE/dX = delta placed back in that
  window and 0 elsewhere (constant zero padding of delta).
"""

from __future__ import annotations

from typing import Any

import numpy as np

import ops
from autograd_core import Tensor

from ._utils import TensorLike, as_tensor

PAD_MODES = ("constant", "reflect", "edge")


def pad(x: TensorLike, pad_width: Any, mode: str = "constant", value: float = 0.0) -> Tensor:
    """np.pad: `pad_width` as in NumPy (an int, a (before, after) pair, or one pair per
    axis); mode "constant" (filled with `value`), "reflect" (mirrored without repeating
    the edge) or "edge" (the edge repeated). Gradient: see the module docstring."""
    fn = "pad"
    x = as_tensor(x)
    if mode not in PAD_MODES:
        raise ValueError(f"{fn}: mode must be one of {PAD_MODES}; got {mode!r}.")
    try:
        width = np.asarray(pad_width)
        width = np.broadcast_to(width.reshape(-1, 1) if width.size == 1 else width, (x.ndim, 2))
    except ValueError:
        raise ValueError(
            f"{fn}: pad_width {pad_width!r} does not fit an input with {x.ndim} axes; give "
            "an int, a (before, after) pair, or one pair per axis, as np.pad does."
        ) from None
    if width.dtype.kind not in "iu":
        raise TypeError(f"{fn}: pad_width must hold integers; got {pad_width!r}.")
    if (width < 0).any():
        raise ValueError(f"{fn}: pad widths must be >= 0; got {pad_width!r}.")
    return ops.pad(x, width, mode=mode, value=value)


def crop(x: TensorLike, top: int, left: int, height: int, width: int) -> Tensor:
    """Y = X[..., top : top + height, left : left + width] (the last two axes).

    dE/dX = delta in that window, 0 elsewhere. The window must lie inside X."""
    fn = "crop"
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"{fn}: expected an input (..., H, W); got shape {x.shape}.")
    for name, v in (("top", top), ("left", left), ("height", height), ("width", width)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool):
            raise TypeError(f"{fn}: {name} must be an int; got {v!r}.")
    h, w = x.shape[-2:]
    if top < 0 or left < 0 or height < 1 or width < 1 or top + height > h or left + width > w:
        raise ValueError(
            f"{fn}: the window top={top}, left={left}, height={height}, width={width} must "
            f"lie inside the input's {h}x{w} spatial size with height, width >= 1."
        )
    return x[..., top : top + height, left : left + width]
