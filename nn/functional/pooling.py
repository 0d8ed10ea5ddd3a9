"""Pooling and unpooling over the last two axes (..., H, W), usually (N, C, H, W).

- avg_pool2d: zero padding, window view (`ops.sliding_window`), mean of each window.
  Derivative ("Back propagation reference", section 3.3): every input in window X_k gets
  delta / |X_k|, with |X_k| = KH*KW since padded zeros count (count_include_pad=True);
  overlapping windows add.
- max_pool2d: `ops.window_max`, a primitive: the winner of each window is found in
  NumPy, and its vjp routes each delta to its window's argmax (the first one at ties,
  as PyTorch), adding up where windows overlap.
- max_unpool2d (section 3.2 of that reference is empty; derived here): the partial
  inverse of max pooling, Y = zeros with Y[idx_k] = x_k. Then dE/dx_k = delta[idx_k]: a
  gather of the incoming gradient at the saved indices.
- avg_unpool2d (section 3.4 is empty too; derived here): nearest-neighbour upsampling,
  Y[i*kh + a, j*kw + b] = X[i, j]. Each input is copied KH*KW times, so
  dE/dX[i, j] = sum of delta over its KH x KW block (the adjoint of a broadcast).
- max_pool1d, avg_pool1d: the 2-d layers on a height-1 image (N, C, 1, L).
- adaptive_avg_pool2d: PyTorch's bins, rows floor(i H / OH) to ceil((i + 1) H / OH); the
  mean over them is a matrix product on each side, Y = P_H X P_W^T, where row i of P_H
  holds 1 / (bin length) on bin i, so dE/dX = P_H^T delta P_W.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

import ops
from autograd_core import Tensor
from autograd_core.grad_mode import composite
from ops.windows import pair

from ._utils import (
    TensorLike,
    as_tensor,
    sequence_input,
    sequence_output,
    single,
    spatial,
    transposed_output_size,
)

Pair = tuple[int, int]


def window_settings(
    kernel_size: Any, stride: Any, padding: Any, fn: str
) -> tuple[Pair, Pair, Pair]:
    """The kernel, stride (the kernel when None) and padding of a pooling or unpooling
    layer, checked: the kernel and stride >= 1, the padding >= 0."""
    k = pair(kernel_size, "kernel_size", fn)
    s = k if stride is None else pair(stride, "stride", fn)
    p = pair(padding, "padding", fn, minimum=0)
    return k, s, p


def pool_settings(kernel_size: Any, stride: Any, padding: Any, fn: str) -> tuple[Pair, Pair, Pair]:
    """`window_settings`, with the padding at most half the kernel, so that every window
    holds at least one input element (max_pool2d, avg_pool2d)."""
    k, s, p = window_settings(kernel_size, stride, padding, fn)
    if p[0] > k[0] // 2 or p[1] > k[1] // 2:
        raise ValueError(
            f"{fn}: padding {p} must be at most half the kernel size {k}, so that every "
            "window holds at least one input element."
        )
    return k, s, p


def _pool_args(
    x: Tensor,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None,
    padding: int | tuple[int, int],
    fn: str,
) -> tuple[Pair, Pair, Pair]:
    """Checked kernel, stride and padding of a pooling call, and at least one window
    fitting in the padded input."""
    spatial(x, fn)
    k, s, p = pool_settings(kernel_size, stride, padding, fn)
    h, w = x.shape[-2:]
    oh = ops.windows.output_size(h, k[0], s[0], 1, p[0])
    ow = ops.windows.output_size(w, k[1], s[1], 1, p[1])
    if oh < 1 or ow < 1:
        raise ValueError(
            f"{fn}: a {k[0]}x{k[1]} window does not fit in the input of spatial size "
            f"{h}x{w} padded by {p}; use a smaller kernel or more padding."
        )
    return k, s, p


def max_pool2d(
    x: TensorLike,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    """Y[..., i, j] = max over the window (i*s - p + a, j*s - p + b), a < KH, b < KW.

    Padded cells never win. dE/dX = delta routed to each window's argmax (the first one
    at ties, as PyTorch; accumulated where windows overlap). With return_indices=True,
    also returns the argmax positions as an int64 Tensor of Y's shape holding
    row * W + col within each input (H, W) plane, as PyTorch does (for max_unpool2d).
    stride defaults to kernel_size."""
    fn = "max_pool2d"
    x = as_tensor(x)
    k, s, p = _pool_args(x, kernel_size, stride, padding, fn)
    y = ops.window_max(x, kernel=k, stride=s, padding=p)
    if not return_indices:
        return y
    return y, Tensor(ops.window_argmax(x, k, s, p))


def _output_hw(
    output_size: Sequence[int] | None, default: tuple[int, int], lead: tuple[int, ...], fn: str
) -> tuple[int, int]:
    if output_size is None:
        return default
    size = tuple(int(n) for n in output_size)
    if len(size) == len(lead) + 2 and size[:-2] == lead:
        size = size[-2:]
    if len(size) != 2 or min(size) < 1:
        raise ValueError(
            f"{fn}: output_size must be (H, W) or the full output shape ending in (H, W); "
            f"got {tuple(output_size)} for an input with leading shape {lead}."
        )
    return size[0], size[1]


@composite("max_unpool2d")
def max_unpool2d(
    x: TensorLike,
    indices: TensorLike,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
    output_size: Sequence[int] | None = None,
) -> Tensor:
    """Partial inverse of max_pool2d: Y = 0 except Y[..., idx] = x, with `indices` as
    returned by max_pool2d(..., return_indices=True) (row * W + col in each plane).

    Default output size per axis: (H_in - 1) * s - 2p + K (`transposed_output_size`);
    `output_size` overrides it (pass the pooled input's size when pooling dropped rows).
    dE/dx = delta[..., idx].
    When an index repeats (overlapping windows with the same winner), the value is
    written once, as PyTorch does, and only that copy receives the gradient."""
    fn = "max_unpool2d"
    x = as_tensor(x)
    spatial(x, fn)
    k, s, p = window_settings(kernel_size, stride, padding, fn)
    idx = np.asarray(indices.data if isinstance(indices, Tensor) else indices)
    if idx.shape != x.shape:
        raise ValueError(
            f"{fn}: indices must have the input's shape {x.shape}; got {idx.shape}. Pass "
            "the indices returned by max_pool2d(..., return_indices=True)."
        )
    if idx.dtype.kind not in "iu":
        raise TypeError(f"{fn}: indices must be integers; got dtype {idx.dtype}.")
    lead, (h, w) = x.shape[:-2], x.shape[-2:]
    default = (
        transposed_output_size(h, k[0], s[0], 1, p[0]),
        transposed_output_size(w, k[1], s[1], 1, p[1]),
    )
    oh, ow = _output_hw(output_size, default, lead, fn)
    if idx.size and (idx.min() < 0 or idx.max() >= oh * ow):
        raise ValueError(
            f"{fn}: indices must lie in [0, {oh * ow}) for an output of size {oh}x{ow}; "
            f"got values in [{idx.min()}, {idx.max()}]. Check kernel_size, stride, "
            "padding or output_size."
        )
    planes = int(np.prod(lead, dtype=np.int64))
    # One flat position per (plane, index); keep the last occurrence of each repeat.
    where = (np.arange(planes)[:, None] * (oh * ow) + idx.reshape(planes, h * w)).reshape(-1)
    last = where.size - 1 - np.unique(where[::-1], return_index=True)[1]
    kept = ops.reshape(x, (-1,))[last]
    y = ops.scatter_add(kept, (where[last],), (planes * oh * ow,))
    return ops.reshape(y, (*lead, oh, ow))


@composite("avg_pool2d")
def avg_pool2d(
    x: TensorLike,
    kernel_size: int | tuple[int, int],
    stride: int | tuple[int, int] | None = None,
    padding: int | tuple[int, int] = 0,
) -> Tensor:
    """Y[..., i, j] = (1 / (KH KW)) * sum of the window at (i*s - p, j*s - p), padded
    zeros included (count_include_pad=True). dE/dX = delta / |X_k| added over every
    window X_k containing X. stride defaults to kernel_size."""
    fn = "avg_pool2d"
    x = as_tensor(x)
    k, s, p = _pool_args(x, kernel_size, stride, padding, fn)
    if p != (0, 0):
        width = [(0, 0)] * (x.ndim - 2) + [(p[0], p[0]), (p[1], p[1])]
        x = ops.pad(x, width)
    windows = ops.sliding_window(x, k, s)
    return ops.sum(windows, axis=(-2, -1)) / (k[0] * k[1])


@composite("avg_unpool2d")
def avg_unpool2d(x: TensorLike, kernel_size: int | tuple[int, int]) -> Tensor:
    """Nearest-neighbour upsampling: Y[..., i*KH + a, j*KW + b] = X[..., i, j].

    Every value is copied to each cell of its KH x KW block (no scaling), so
    dE/dX[i, j] = sum of delta over that block."""
    fn = "avg_unpool2d"
    x = as_tensor(x)
    spatial(x, fn)
    k = pair(kernel_size, "kernel_size", fn)
    lead, (h, w) = x.shape[:-2], x.shape[-2:]
    blocks = ops.broadcast_to(ops.reshape(x, (*lead, h, 1, w, 1)), (*lead, h, k[0], w, k[1]))
    return ops.reshape(blocks, (*lead, h * k[0], w * k[1]))


def _pool1d_args(
    x: Tensor, kernel_size: Any, stride: Any, padding: Any, fn: str
) -> tuple[Tensor, bool, Pair, Pair, Pair]:
    """The (N, C, 1, L) view of a 1-d pooling input and its 2-d settings, checked in 1-d
    terms."""
    image, batched = sequence_input(x, fn)
    k = single(kernel_size, "kernel_size", fn)
    s = k if stride is None else single(stride, "stride", fn)
    p = single(padding, "padding", fn, minimum=0)
    if p > k // 2:
        raise ValueError(
            f"{fn}: padding {p} must be at most half the kernel size {k}, so that every "
            "window holds at least one input element."
        )
    length = x.shape[-1]
    if ops.windows.output_size(length, k, s, 1, p) < 1:
        raise ValueError(
            f"{fn}: a window of size {k} does not fit in the input of length {length} padded "
            f"by {p}; use a smaller kernel or more padding."
        )
    return image, batched, (1, k), (1, s), (0, p)


def max_pool1d(
    x: TensorLike,
    kernel_size: int | tuple[int],
    stride: int | tuple[int] | None = None,
    padding: int | tuple[int] = 0,
    return_indices: bool = False,
) -> Tensor | tuple[Tensor, Tensor]:
    """Y[..., i] = max of x[..., i*s - p + a], a < K, over x (N, C, L) or (C, L), as
    PyTorch's max_pool1d (stride defaults to kernel_size; padded cells never win).
    With return_indices=True, also the positions of the maxima along L."""
    image, batched, k, s, p = _pool1d_args(as_tensor(x), kernel_size, stride, padding, "max_pool1d")
    y, idx = max_pool2d(image, k, s, p, return_indices=True)
    y = sequence_output(y, batched)
    if not return_indices:
        return y
    return y, Tensor(sequence_output(idx, batched).data)


def avg_pool1d(
    x: TensorLike,
    kernel_size: int | tuple[int],
    stride: int | tuple[int] | None = None,
    padding: int | tuple[int] = 0,
) -> Tensor:
    """Y[..., i] = (1 / K) sum of x[..., i*s - p + a], a < K, padded zeros counted, as
    PyTorch's avg_pool1d; x (N, C, L) or (C, L); stride defaults to kernel_size."""
    image, batched, k, s, p = _pool1d_args(as_tensor(x), kernel_size, stride, padding, "avg_pool1d")
    return sequence_output(avg_pool2d(image, k, s, p), batched)


def _bin_matrix(size: int, bins: int, dtype: Any) -> np.ndarray:
    """(bins, size): row i averages inputs floor(i size / bins) to ceil((i + 1) size / bins)."""
    i = np.arange(bins)
    start = (i * size) // bins
    end = -((-(i + 1) * size) // bins)  # ceil
    cols = np.arange(size)
    inside = (cols >= start[:, None]) & (cols < end[:, None])
    return (inside / (end - start)[:, None]).astype(dtype)


def adaptive_avg_pool2d(x: TensorLike, output_size: int | tuple[int | None, int | None]) -> Tensor:
    """Average pooling to a fixed (OH, OW) over x (N, C, H, W) or (C, H, W), with
    PyTorch's bins: output row i averages input rows floor(i H / OH) to
    ceil((i + 1) H / OH) (exclusive), likewise for columns; None keeps an input size.
    Y = P_H X P_W^T with those bin-averaging matrices."""
    fn = "adaptive_avg_pool2d"
    x = as_tensor(x)
    if x.ndim not in (3, 4):
        raise ValueError(f"{fn}: expected input (N, C, H, W) or (C, H, W); got {x.shape}.")
    sizes = (
        (output_size, output_size) if not isinstance(output_size, (tuple, list)) else output_size
    )
    if len(sizes) != 2:
        raise ValueError(
            f"{fn}: output_size must be an int or a pair (OH, OW); got {output_size!r}."
        )
    h, w = x.shape[-2:]
    oh, ow = (n if s is None else single(s, "output_size", fn) for s, n in zip(sizes, (h, w)))
    if (oh, ow) == (h, w):
        return x
    dtype = x.dtype if x.dtype.kind == "f" else np.float64
    return (_bin_matrix(h, oh, dtype) @ x) @ _bin_matrix(w, ow, dtype).T
