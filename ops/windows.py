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

from autograd_core.op import defop
from autograd_core.tensor import Tensor

Pair = tuple[int, int]


def pair(value: Any, what: str, op: str, minimum: int = 1) -> Pair:
    """An int or an (h, w) pair of ints, each checked to be >= `minimum`; the errors name
    `op` and the argument `what`. Every windowed op and layer reads its kernel size,
    stride, padding and dilation with this."""
    hw = (value, value) if isinstance(value, (int, np.integer)) else value
    try:
        hw = tuple(hw)
    except TypeError:
        hw = ()
    if len(hw) != 2 or not all(
        isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in hw
    ):
        raise TypeError(f"{op}: {what} must be an int or a pair of ints (h, w); got {value!r}.")
    if min(hw) < minimum:
        raise ValueError(f"{op}: {what} must be >= {minimum}; got {value!r}.")
    return int(hw[0]), int(hw[1])


def output_size(
    size: int, kernel: int, stride: int = 1, dilation: int = 1, padding: int = 0
) -> int:
    """How many windows fit along one axis of length `size` padded by `padding` on both
    sides: (size + 2 padding - dilation (kernel - 1) - 1) // stride + 1, or 0 when the
    kernel does not fit. Convolution, pooling and the window view all count with it."""
    return max((size + 2 * padding - dilation * (kernel - 1) - 1) // stride + 1, 0)


def _window_view(x: Any, kernel: Pair, stride: Pair, dilation: Pair) -> np.ndarray:
    v = np.asarray(x)
    if v.ndim < 2:
        raise ValueError(f"sliding_window: needs (..., H, W); got shape {v.shape}.")
    (h, w), k, s, d = v.shape[-2:], kernel, stride, dilation
    oh, ow = output_size(h, k[0], s[0], d[0]), output_size(w, k[1], s[1], d[1])
    if oh == 0 or ow == 0:
        raise ValueError(
            f"sliding_window: a {k[0]}x{k[1]} kernel with dilation {d} does not fit in an "
            f"input of spatial size {h}x{w}; pad the input or use a smaller kernel."
        )
    sh, sw = v.strides[-2:]
    return as_strided(
        v,
        v.shape[:-2] + (oh, ow) + k,
        v.strides[:-2] + (sh * s[0], sw * s[1], sh * d[0], sw * d[1]),
        writeable=False,
    )


def _fold_forward(
    g: Any, shape: tuple[int, ...], kernel: Pair, stride: Pair, dilation: Pair
) -> np.ndarray:
    """Add each window back where it was read: one strided add per kernel offset."""
    out = np.zeros(shape, dtype=g.dtype)
    oh, ow = g.shape[-4:-2]
    for p in range(kernel[0]):
        rows = slice(p * dilation[0], p * dilation[0] + stride[0] * (oh - 1) + 1, stride[0])
        for q in range(kernel[1]):
            cols = slice(q * dilation[1], q * dilation[1] + stride[1] * (ow - 1) + 1, stride[1])
            out[..., rows, cols] += g[..., p, q]
    return out


_sliding_window = defop(
    "sliding_window",
    _window_view,
    lambda g, y, x, kernel, stride, dilation: fold(g, x.shape, kernel, stride, dilation),
    rules="vjp: windows of g folded back (col2im)",
)

# The adjoint, recorded when backward builds a graph; its own vjp is the window view.
_fold = defop(
    "fold",
    _fold_forward,
    lambda gg, y, g, shape, kernel, stride, dilation: sliding_window(gg, kernel, stride, dilation),
    rules="vjp: sliding windows of g",
)


def sliding_window(x: Any, kernel_size: Any, stride: Any = 1, dilation: Any = 1) -> Tensor:
    """Windows of the last two axes: (..., H, W) -> (..., OH, OW, KH, KW), a view of a
    Tensor's data (no copy)."""
    k = pair(kernel_size, "kernel_size", "sliding_window")
    s = pair(stride, "stride", "sliding_window")
    d = pair(dilation, "dilation", "sliding_window")
    return _sliding_window(x, kernel=k, stride=s, dilation=d)


def fold(g: Any, shape: tuple[int, ...], kernel: Pair, stride: Pair, dilation: Pair) -> Any:
    """Adjoint of `sliding_window`: add each window back where it was read (col2im).

    On an array the result is an array; on a Tensor (create_graph=True) it is recorded,
    with `sliding_window` as its own vjp."""
    if isinstance(g, Tensor):
        return _fold(g, shape=shape, kernel=kernel, stride=stride, dilation=dilation)
    return _fold_forward(g, shape, kernel, stride, dilation)


# ---- the window maximum, for max pooling -------------------------------------------------


def _at_offset(
    v: np.ndarray, a: int, b: int, s: tuple[int, int], out: tuple[int, int]
) -> np.ndarray:
    """The strided view of `v` holding cell (a, b) of every window: element (i, j) is
    v[..., i * s0 + a, j * s1 + b] for the out = (OH, OW) windows."""
    return v[..., a : a + s[0] * (out[0] - 1) + 1 : s[0], b : b + s[1] * (out[1] - 1) + 1 : s[1]]


def _window_argmax(
    v: np.ndarray, k: tuple[int, int], s: tuple[int, int], p: tuple[int, int], out: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """Each window's maximum and where it is, as the offset a * KW + b inside the window.

    One pass per kernel offset (KH*KW strided views, no window copy). The first maximum
    wins ties, NaN wins over numbers (it propagates, as in PyTorch), and padded cells
    never win."""
    (oh, ow), (h, w) = out, v.shape[-2:]
    if v.dtype.kind != "f":
        v = v.astype(np.float64)
    nan = bool(np.isnan(v).any())
    if p == (0, 0) and not nan:
        return _window_argmax_plain(v, k, s, out)
    if p != (0, 0):
        v = np.pad(v, [(0, 0)] * (v.ndim - 2) + [(p[0], p[0]), (p[1], p[1])])
    top = np.full(v.shape[:-2] + out, -np.inf, dtype=v.dtype)
    where = np.zeros(top.shape, dtype=np.int32)
    seen = np.zeros(out, dtype=bool)  # windows that have met a real (unpadded) cell
    rows, cols = np.arange(oh) * s[0] - p[0], np.arange(ow) * s[1] - p[1]
    for a in range(k[0]):
        for b in range(k[1]):
            cand = _at_offset(v, a, b, s, out)
            better = cand > top
            if nan:
                better |= np.isnan(cand) & ~np.isnan(top)
            if p != (0, 0):
                real = ((rows + a >= 0) & (rows + a < h))[:, None] & (
                    (cols + b >= 0) & (cols + b < w)
                )
                better |= ~seen
                better &= real
                seen |= real
            np.copyto(top, cand, where=better)
            np.copyto(where, a * k[1] + b, where=better)
    return top, where


def _route_to_argmax(
    g: np.ndarray,
    where: np.ndarray,
    shape: tuple[int, ...],
    k: tuple[int, int],
    s: tuple[int, int],
) -> np.ndarray:
    """max_pool2d's vjp on arrays: the routing of the one-hot fold, without its
    (..., OH, OW, KH, KW) temporary. For each kernel offset, every window sends
    delta * [its maximum sits there] to the strided view of the input at that offset:
    written when windows do not overlap (each cell then belongs to one window at one
    offset), added when they do. A NaN or inf in delta takes the slower `np.where`, so
    it reaches only the argmax cells (NaN * 0 would be NaN elsewhere)."""
    oh, ow = g.shape[-2:]
    overlap = s[0] < k[0] or s[1] < k[1]
    tiles = not overlap and s == k and shape[-2:] == (oh * s[0], ow * s[1])
    out = np.empty(shape, dtype=g.dtype) if tiles else np.zeros(shape, dtype=g.dtype)
    with np.errstate(over="ignore"):  # a finite sum means every element is finite
        finite = bool(np.isfinite(g.sum()))
    zero = g.dtype.type(0)
    for a in range(k[0]):
        for b in range(k[1]):
            view = _at_offset(out, a, b, s, (oh, ow))
            here = where == a * k[1] + b
            if overlap:
                view += g * here if finite else np.where(here, g, zero)
            elif finite:
                np.multiply(g, here, out=view)
            else:
                view[...] = np.where(here, g, zero)
    return out


def _window_argmax_plain(
    v: np.ndarray, k: tuple[int, int], s: tuple[int, int], out: tuple[int, int]
) -> tuple[np.ndarray, np.ndarray]:
    """`_window_argmax` without padding or NaN, the common case, in plain arithmetic
    (masked copies are slow): the running maximum is `np.maximum`, and the offset moves
    to a * KW + b where the candidate is strictly larger (so the first maximum wins)."""
    top, where = None, np.zeros(v.shape[:-2] + out, dtype=np.int32)
    for a in range(k[0]):
        for b in range(k[1]):
            cand = _at_offset(v, a, b, s, out)
            if top is None:  # offset 0 is in every window, and where starts at 0
                top = cand.copy()
                continue
            better = cand > top
            np.maximum(top, cand, out=top)
            where += better * (a * k[1] + b - where)
    return top, where


def _window_max_forward(
    x: Any, kernel: Pair, stride: Pair, padding: Pair
) -> tuple[np.ndarray, dict[str, Any]]:
    v = np.asarray(x)
    out = tuple(
        output_size(n, k, s, 1, p) for n, k, s, p in zip(v.shape[-2:], kernel, stride, padding)
    )
    top, where = _window_argmax(v, kernel, stride, padding, out)  # type: ignore[arg-type]
    return top.astype(v.dtype, copy=False), {"where": where}


def _window_max_vjp(
    g: Any, y: Any, x: Any, kernel: Pair, stride: Pair, padding: Pair, where: np.ndarray
) -> Any:
    """Each window's delta goes to its argmax, added up where windows overlap; then the
    padding is cropped off. On arrays `_route_to_argmax` does it one kernel offset at a
    time; on Tensors (create_graph=True) it is written with ops: a one-hot mask over the
    window axes, and `fold`, the window view's adjoint."""
    (h, w), (ph, pw) = x.shape[-2:], padding
    padded = (*x.shape[:-2], h + 2 * ph, w + 2 * pw)
    if isinstance(g, Tensor):
        offsets = np.arange(kernel[0] * kernel[1], dtype=np.int32).reshape(kernel)
        onehot = where[..., None, None] == offsets  # (..., OH, OW, KH, KW), a constant
        spread = np.where(onehot, np.expand_dims(g, (-2, -1)), 0)
        routed = fold(spread, padded, kernel, stride, (1, 1))
    else:
        routed = _route_to_argmax(g, where, padded, kernel, stride)
    return routed if padding == (0, 0) else routed[..., ph : ph + h, pw : pw + w]


window_max = defop(
    "max_pool2d",
    _window_max_forward,
    _window_max_vjp,
    residuals=True,
    rules="vjp: g routed to each window's argmax",
    doc="""The maximum of each (kernel) window of the last two axes, windows `stride` apart
    on the input padded by `padding` (padded cells never win): the max-pooling primitive.
    Its vjp sends each window's delta to the window's argmax (the first at ties, NaN
    winning over numbers, as PyTorch), accumulating where windows overlap.

    One primitive instead of a composition (window view, then a gather): the gather's
    scatter-add backward cost more than the rest of a small CNN step.""",
)


def window_argmax(x: Any, kernel: Pair, stride: Pair, padding: Pair) -> np.ndarray:
    """Where each window's maximum sits, as row * W + col in the unpadded (H, W) plane
    (PyTorch's max-pool indices); an int64 array of the pooled shape."""
    v = np.asarray(x._data if isinstance(x, Tensor) else x)
    out = tuple(
        output_size(n, k, s, 1, p) for n, k, s, p in zip(v.shape[-2:], kernel, stride, padding)
    )
    where = _window_argmax(v, kernel, stride, padding, out)[1]  # type: ignore[arg-type]
    a, b = np.divmod(where, kernel[1])
    rows = np.arange(out[0])[:, None] * stride[0] + a - padding[0]
    cols = np.arange(out[1])[None, :] * stride[1] + b - padding[1]
    return (rows * v.shape[-1] + cols).astype(np.int64)
