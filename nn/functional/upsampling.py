"""Resizing: interpolate (nearest-neighbour and linear / bilinear), with PyTorch's index
rules, as gathers (`getitem` with integer arrays) and weighted sums, so the gradient
is the engine's: each output's delta is added back to the inputs it was read from,
times the weight it was read with.

For an axis of input length n resized to m, with r = n / m (or 1 / scale_factor when
a scale factor is given, as PyTorch does):
- nearest: output i reads input min(floor(i r), n - 1);
- linear, align_corners=False: source s = max((i + 1/2) r - 1/2, 0), the pixel centres
  lined up; output i = (1 - t) x[floor(s)] + t x[min(floor(s) + 1, n - 1)],
  t = s - floor(s);
- linear, align_corners=True: s = i (n - 1) / (m - 1) (0 when m = 1), the corner
  pixels lined up.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

from autograd_core import Tensor
from autograd_core.grad_mode import composite

from ._utils import TensorLike, as_tensor

MODES = {"nearest": (3, 4), "linear": (3,), "bilinear": (4,)}


def _scale(n: int, m: int, factor: float | None, align_corners: bool) -> float:
    if align_corners:
        return (n - 1) / (m - 1) if m > 1 else 0.0
    return 1.0 / factor if factor is not None else n / m


def _nearest_index(n: int, m: int, factor: float | None) -> np.ndarray:
    r = _scale(n, m, factor, False)
    return np.minimum(np.floor(np.arange(m) * r).astype(np.int64), n - 1)


def _linear_weights(
    n: int, m: int, factor: float | None, align_corners: bool
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For each output position: the two input positions and the weight of the second."""
    r = _scale(n, m, factor, align_corners)
    i = np.arange(m, dtype=np.float64)
    s = i * r if align_corners else np.maximum((i + 0.5) * r - 0.5, 0.0)
    lo = np.minimum(np.floor(s).astype(np.int64), n - 1)
    hi = np.minimum(lo + 1, n - 1)
    return lo, hi, s - lo


def _along(x: Tensor, axis: int, index: np.ndarray) -> Tensor:
    where: list[Any] = [slice(None)] * x.ndim
    where[axis] = index
    return x[tuple(where)]


def _output_sizes(
    shape: tuple[int, ...], size: Any, scale_factor: Any, fn: str
) -> tuple[list[int], list[float | None]]:
    spatial = len(shape) - 2
    if (size is None) == (scale_factor is None):
        raise ValueError(f"{fn}: give exactly one of size and scale_factor.")
    if size is not None:
        sizes = list(size) if isinstance(size, Sequence) else [size] * spatial
        if len(sizes) != spatial or not all(
            isinstance(s, (int, np.integer)) and not isinstance(s, bool) and s >= 1 for s in sizes
        ):
            raise ValueError(
                f"{fn}: size must be an int or {spatial} ints >= 1 for an input of shape "
                f"{shape}; got {size!r}."
            )
        return [int(s) for s in sizes], [None] * spatial
    factors = list(scale_factor) if isinstance(scale_factor, Sequence) else [scale_factor] * spatial
    if len(factors) != spatial or not all(
        isinstance(f, (int, float, np.number)) and not isinstance(f, bool) and f > 0
        for f in factors
    ):
        raise ValueError(
            f"{fn}: scale_factor must be a number > 0 or {spatial} of them for an input of "
            f"shape {shape}; got {scale_factor!r}."
        )
    sizes = [math.floor(n * float(f)) for n, f in zip(shape[2:], factors, strict=True)]
    if min(sizes) < 1:
        raise ValueError(f"{fn}: scale_factor {scale_factor!r} makes an empty output from {shape}.")
    return sizes, [float(f) for f in factors]


@composite("interpolate")
def interpolate(
    x: TensorLike,
    size: int | Sequence[int] | None = None,
    scale_factor: float | Sequence[float] | None = None,
    mode: str = "nearest",
    align_corners: bool | None = None,
) -> Tensor:
    """Resize x (N, C, L) or (N, C, H, W) to `size` or by `scale_factor` (output size
    floor(input size * scale_factor)), as PyTorch's F.interpolate: mode "nearest" (3-d
    or 4-d input), "linear" (3-d) or "bilinear" (4-d); align_corners (linear modes only,
    False by default) lines up the corner pixels instead of the pixel centres."""
    fn = "interpolate"
    x = as_tensor(x)
    if mode not in MODES:
        raise ValueError(f"{fn}: mode must be 'nearest', 'linear' or 'bilinear'; got {mode!r}.")
    if x.ndim not in MODES[mode]:
        shapes = {3: "(N, C, L)", 4: "(N, C, H, W)"}
        expected = " or ".join(shapes[d] for d in MODES[mode])
        raise ValueError(f"{fn}: mode {mode!r} expects input {expected}; got {x.shape}.")
    if mode == "nearest" and align_corners is not None:
        raise ValueError(
            f"{fn}: align_corners applies to the linear modes only; leave it None for 'nearest'."
        )
    sizes, factors = _output_sizes(x.shape, size, scale_factor, fn)
    y = x
    for k, (m, factor) in enumerate(zip(sizes, factors, strict=True)):
        axis, n = 2 + k, x.shape[2 + k]
        if mode == "nearest":
            y = _along(y, axis, _nearest_index(n, m, factor))
            continue
        lo, hi, t = _linear_weights(n, m, factor, bool(align_corners))
        t = t.reshape((m,) + (1,) * (x.ndim - 1 - axis)).astype(
            x.dtype if x.dtype.kind == "f" else np.float64
        )
        low = _along(y, axis, lo)
        y = low + (_along(y, axis, hi) - low) * t
    return y
