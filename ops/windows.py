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

from .linalg.products import matmul
from .reductions import sum as total
from .shape import getitem, pad, reshape, transpose

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


# ---- convolution, for conv2d --------------------------------------------------------------


def _padded(x: np.ndarray, padding: Pair) -> np.ndarray:
    """x with `padding` zeros on both sides of its last two axes (np.pad's Python work
    costs more than the copy on small images)."""
    if padding == (0, 0):
        return x
    (ph, pw), (h, w) = padding, x.shape[-2:]
    out = np.zeros((*x.shape[:-2], h + 2 * ph, w + 2 * pw), dtype=x.dtype)
    out[..., ph : ph + h, pw : pw + w] = x
    return out


def _conv_geometry(
    x: Any, w: Any, stride: Pair, padding: Pair, dilation: Pair, groups: int
) -> tuple[int, ...]:
    """(N, C, H, W, O, C/g, KH, KW, OH, OW) of a convolution."""
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    oh = output_size(h, kh, stride[0], dilation[0], padding[0])
    ow = output_size(wd, kw, stride[1], dilation[1], padding[1])
    return n, c, h, wd, o, cg, kh, kw, oh, ow


def _im2col(x: np.ndarray, kernel: Pair, stride: Pair, padding: Pair, dilation: Pair, groups: int):
    """(N, C, H, W) -> (N, G, C/g*KH*KW, OH*OW), rows in the weight's (c, kh, kw) order:
    one copy of a strided view of the padded input, laid out for one batched matmul."""
    xp = _padded(x, padding)
    n, c, hp, wp = xp.shape
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    oh, ow = output_size(hp, kh, sh, dh), output_size(wp, kw, sw, dw)
    bn, bc, bh, bw = xp.strides
    cg = c // groups
    view = as_strided(
        xp,
        (n, groups, cg, kh, kw, oh, ow),
        (bn, bc * cg, bc, bh * dh, bw * dw, bh * sh, bw * sw),
        writeable=False,
    )
    cols = np.empty((n, groups, cg * kh * kw, oh * ow), dtype=x.dtype)
    np.copyto(cols.reshape(view.shape), view)
    return cols


def _conv_forward(
    x: Any, w: Any, *bias: Any, stride: Pair, padding: Pair, dilation: Pair, groups: int
) -> tuple[np.ndarray, dict[str, Any]]:
    x, w = np.asarray(x), np.asarray(w)
    n, c, h, wd, o, cg, kh, kw, oh, ow = _conv_geometry(x, w, stride, padding, dilation, groups)
    dtype = np.result_type(x, w, *bias)
    cols = _im2col(x.astype(dtype, copy=False), (kh, kw), stride, padding, dilation, groups)
    y = np.empty((n, o, oh, ow), dtype=dtype)  # the matmul writes it: no copy to reshape
    np.matmul(
        w.astype(dtype, copy=False).reshape(groups, o // groups, cg * kh * kw),
        cols,
        out=y.reshape(n, groups, o // groups, oh * ow),
    )
    if bias:
        y += np.asarray(bias[0]).reshape(o, 1, 1)
    return y, {"cols": cols}


def _fold_into(
    out: np.ndarray, d: np.ndarray, padding: Pair, stride: Pair, dilation: Pair
) -> np.ndarray:
    """Add d (N, C, KH, KW, OH, OW) into out (N, C, H, W), the unpadded input: kernel
    offset (a, b) of window (i, j) read pixel (i s + a d - p, j s' + b d' - p'); only
    the part of each offset that lands inside the image is added (the padding's share
    is dropped, never written). One strided add per kernel offset."""
    kh, kw, oh, ow = d.shape[-4:]
    h, w = out.shape[-2:]
    spans = []
    for size, k, n, s, dl, p in zip((h, w), (kh, kw), (oh, ow), stride, dilation, padding):
        axis = []
        for a in range(k):
            first = max(0, -((a * dl - p) // s))  # ceil((p - a dl) / s)
            last = min(n - 1, (size - 1 + p - a * dl) // s)
            start = first * s + a * dl - p
            axis.append((slice(first, last + 1), slice(start, start + (last - first) * s + 1, s)))
        spans.append(axis)
    for a in range(kh):
        (ri, ro) = spans[0][a]
        for b in range(kw):
            (ci, co) = spans[1][b]
            if ri.stop > ri.start and ci.stop > ci.start:
                out[..., ro, co] += d[..., a, b, ri, ci]
    return out


def _conv_vjp_x(
    g: Any,
    y: Any,
    x: Any,
    w: Any,
    *bias: Any,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
    groups: int,
    cols: Any,
) -> Any:
    """dX: each window's gradient W^T delta (a matmul), added back onto the pixels the
    window read (col2im): delta fully convolved with the kernel rotated by 180 degrees."""
    n, c, h, wd, o, cg, kh, kw, oh, ow = _conv_geometry(x, w, stride, padding, dilation, groups)
    wm = w.reshape(groups, o // groups, cg * kh * kw)
    gm = g.reshape(n, groups, o // groups, oh * ow)
    if isinstance(g, Tensor) or isinstance(w, Tensor):
        dcols = matmul(transpose(wm, (0, 2, 1)), gm)  # (N, G, C/g*KH*KW, OH*OW)
        windows = transpose(reshape(dcols, (n, c, kh, kw, oh, ow)), (0, 1, 4, 5, 2, 3))
        (ph, pw) = padding
        full = fold(windows, (n, c, h + 2 * ph, wd + 2 * pw), (kh, kw), stride, dilation)
        return getitem(full, (slice(None), slice(None), slice(ph, ph + h), slice(pw, pw + wd)))
    dcols = np.matmul(wm.transpose(0, 2, 1), gm)
    out = np.zeros(x.shape, dtype=dcols.dtype)
    return _fold_into(out, dcols.reshape(n, c, kh, kw, oh, ow), padding, stride, dilation)


def _conv_vjp_w(
    g: Any,
    y: Any,
    x: Any,
    w: Any,
    *bias: Any,
    stride: Pair,
    padding: Pair,
    dilation: Pair,
    groups: int,
    cols: Any,
) -> Any:
    """dW = delta correlated with X: delta @ cols^T, summed over the batch; on arrays
    the forward's im2col matrix is reused."""
    n, c, h, wd, o, cg, kh, kw, oh, ow = _conv_geometry(x, w, stride, padding, dilation, groups)
    gm = g.reshape(n, groups, o // groups, oh * ow)
    if isinstance(g, Tensor) or isinstance(x, Tensor):
        (ph, pw) = padding
        xp = pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw))) if padding != (0, 0) else x
        windows = sliding_window(xp, (kh, kw), stride, dilation)  # (N, C, OH, OW, KH, KW)
        windows = transpose(
            reshape(windows, (n, groups, cg, oh, ow, kh, kw)), (0, 1, 3, 4, 2, 5, 6)
        )
        rows = reshape(windows, (n, groups, oh * ow, cg * kh * kw))  # cols^T
        return reshape(total(matmul(gm, rows), axis=0), w.shape)
    return np.matmul(gm, cols.transpose(0, 1, 3, 2)).sum(axis=0).reshape(w.shape)


def _conv_vjp_b(g: Any, y: Any, x: Any, w: Any, b: Any, **settings: Any) -> Any:
    return g.sum(axis=(0, 2, 3))


window_conv = defop(
    "conv2d",
    _conv_forward,
    _conv_vjp_x,
    _conv_vjp_w,
    _conv_vjp_b,
    residuals=True,
    rules=("vjp: col2im(Wᵀ @ g)", "vjp: g @ colsᵀ, summed over the batch", "vjp: g summed"),
    doc="""2-D cross-correlation of x (N, C, H, W) with w (O, C/groups, KH, KW) (+ b (O,)):
    Y[n, o, i, j] = b[o] + sum over c in o's group, a, b' of
    W[o, c, a, b'] Xpad[n, c, i s + a d, j s' + b' d'], the convolution primitive.

    Forward: im2col (one copy of the padded input's window view into a
    (N, G, C/g*KH*KW, OH*OW) matrix) and one batched matmul written straight into the
    NCHW output, the bias added in place. The im2col matrix is kept for dW = delta @
    cols^T (summed over the batch); dX = col2im(W^T delta); db = delta summed. Under
    create_graph the vjps are the same formulas written with ops (sliding_window,
    matmul, fold), so they differentiate again. Shapes are checked by
    `nn.functional.conv2d`.""",
)
