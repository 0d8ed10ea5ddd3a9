"""Padding and cropping (section 4 of "Back propagation reference" names them but leaves
them empty; derived here).

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


def check_pad_mode(mode: str, fn: str) -> None:
    if mode not in PAD_MODES:
        raise ValueError(f"{fn}: mode must be one of {PAD_MODES}; got {mode!r}.")


def pad_widths(pad_width: Any, ndim: int | None, fn: str) -> np.ndarray:
    """`pad_width` as np.pad takes it (an int, a (before, after) pair, or one pair per
    axis), checked to hold integers >= 0; broadcast to one (before, after) row per axis of
    an `ndim`-axis input. With ndim=None (no input yet) only its form is checked."""
    try:
        width = np.asarray(pad_width)
        width = width.reshape(-1, 1) if width.size == 1 else width
        rows = ndim if ndim is not None else (len(width) if width.ndim == 2 else 1)
        width = np.broadcast_to(width, (rows, 2))
    except ValueError:
        fits = f"does not fit an input with {ndim} axes" if ndim is not None else "is malformed"
        raise ValueError(
            f"{fn}: pad_width {pad_width!r} {fits}; give an int, a (before, after) pair, or "
            "one pair per axis, as np.pad does."
        ) from None
    if width.dtype.kind not in "iu":
        raise TypeError(f"{fn}: pad_width must hold integers; got {pad_width!r}.")
    if (width < 0).any():
        raise ValueError(f"{fn}: pad widths must be >= 0; got {pad_width!r}.")
    return width


def pad(x: TensorLike, pad_width: Any, mode: str = "constant", value: float = 0.0) -> Tensor:
    """np.pad: `pad_width` as in NumPy (an int, a (before, after) pair, or one pair per
    axis); mode "constant" (filled with `value`), "reflect" (mirrored without repeating
    the edge) or "edge" (the edge repeated). Gradient: see the module docstring."""
    fn = "pad"
    x = as_tensor(x)
    check_pad_mode(mode, fn)
    return ops.pad(x, pad_widths(pad_width, x.ndim, fn), mode=mode, value=value)


def check_crop_window(top: int, left: int, height: int, width: int, fn: str) -> None:
    """A crop window's corner (top, left) must be ints >= 0, its height and width ints
    >= 1; whether it fits is checked against the input."""
    for name, v in (("top", top), ("left", left), ("height", height), ("width", width)):
        if not isinstance(v, (int, np.integer)) or isinstance(v, bool):
            raise TypeError(f"{fn}: {name} must be an int; got {v!r}.")
    if top < 0 or left < 0 or height < 1 or width < 1:
        raise ValueError(
            f"{fn}: the window top={top}, left={left}, height={height}, width={width} must "
            "have top, left >= 0 and height, width >= 1."
        )


def crop(x: TensorLike, top: int, left: int, height: int, width: int) -> Tensor:
    """Y = X[..., top : top + height, left : left + width] (the last two axes).

    dE/dX = delta in that window, 0 elsewhere. The window must lie inside X."""
    fn = "crop"
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"{fn}: expected an input (..., H, W); got shape {x.shape}.")
    check_crop_window(top, left, height, width, fn)
    h, w = x.shape[-2:]
    if top + height > h or left + width > w:
        raise ValueError(
            f"{fn}: the window top={top}, left={left}, height={height}, width={width} must "
            f"lie inside the input's {h}x{w} spatial size."
        )
    return x[..., top : top + height, left : left + width]
