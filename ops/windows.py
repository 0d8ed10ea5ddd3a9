"""Sliding windows over the last two axes: the one primitive the windowed layers need.

`sliding_window(x, kernel, stride, dilation)` turns (..., H, W) into a read-only view of
shape (..., OH, OW, KH, KW) in which [..., i, j, p, q] is
x[..., i*sh + p*dh, j*sw + q*dw]. Convolution (window view @ kernel), pooling (max or
mean over the last two axes) and their transposes are compositions of it.

Its vjp, `fold`, is the adjoint (col2im): every window's gradient is added back to the
pixels it was read from, overlapping windows accumulating. It loops over the KH*KW
kernel offsets only; each step is one strided add over batch, channels and pixels.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.lib.stride_tricks import as_strided

from autograd_core.engine import record
from autograd_core.tensor import Tensor

from .shape import viewed

Pair = tuple[int, int]


def pair(v: Any, what: str, op: str, minimum: int = 1) -> Pair:
    """An int or (h, w) pair, checked to be >= minimum."""
    hw = (v, v) if isinstance(v, (int, np.integer)) else tuple(v)
    if len(hw) != 2 or not all(isinstance(n, (int, np.integer)) for n in hw):
        raise TypeError(f"{op}: {what} must be an int or a pair of ints; got {v!r}.")
    if min(hw) < minimum:
        raise ValueError(f"{op}: {what} must be >= {minimum}; got {v!r}.")
    return int(hw[0]), int(hw[1])


def output_size(size: int, kernel: int, stride: int, dilation: int) -> int:
    """How many windows fit along one axis (0 when the kernel does not fit)."""
    return max((size - dilation * (kernel - 1) - 1) // stride + 1, 0)


def sliding_window(x: Any, kernel_size: Any, stride: Any = 1, dilation: Any = 1) -> Tensor:
    """Windows of the last two axes: (..., H, W) -> (..., OH, OW, KH, KW), a view of a
    Tensor's data (no copy)."""
    v = viewed(x)
    k = pair(kernel_size, "kernel_size", "sliding_window")
    s = pair(stride, "stride", "sliding_window")
    d = pair(dilation, "dilation", "sliding_window")
    if v.ndim < 2:
        raise ValueError(f"sliding_window: needs (..., H, W); got shape {v.shape}.")
    h, w = v.shape[-2:]
    oh, ow = output_size(h, k[0], s[0], d[0]), output_size(w, k[1], s[1], d[1])
    if oh == 0 or ow == 0:
        raise ValueError(
            f"sliding_window: a {k[0]}x{k[1]} kernel with dilation {d} does not fit in an "
            f"input of spatial size {h}x{w}; pad the input or use a smaller kernel."
        )
    sh, sw = v.strides[-2:]
    view = as_strided(
        v,
        v.shape[:-2] + (oh, ow) + k,
        v.strides[:-2] + (sh * s[0], sw * s[1], sh * d[0], sw * d[1]),
        writeable=False,
    )
    return record("sliding_window", view, (x,), (lambda g, y, x: fold(g, x.shape, k, s, d),))


def fold(g: Any, shape: tuple[int, ...], kernel: Pair, stride: Pair, dilation: Pair) -> Any:
    """Adjoint of `sliding_window`: add each window back where it was read (col2im).

    On a Tensor (create_graph=True) it is recorded as an op whose vjp is
    `sliding_window` again."""
    if isinstance(g, Tensor):
        return record(
            "fold",
            fold(g.data, shape, kernel, stride, dilation),
            (g,),
            (lambda gg, y, g: sliding_window(gg, kernel, stride, dilation),),
        )
    out = np.zeros(shape, dtype=g.dtype)
    oh, ow = g.shape[-4:-2]
    for p in range(kernel[0]):
        rows = slice(p * dilation[0], p * dilation[0] + stride[0] * (oh - 1) + 1, stride[0])
        for q in range(kernel[1]):
            cols = slice(q * dilation[1], q * dilation[1] + stride[1] * (ow - 1) + 1, stride[1])
            out[..., rows, cols] += g[..., p, q]
    return out
