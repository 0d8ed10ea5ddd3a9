"""Convolution and transposed convolution (NCHW, PyTorch layouts), vectorized; conv1d is
conv2d on a height-1 image.

conv2d is `ops.windows.window_conv`, one primitive: im2col + one batched matmul,

    cols = windows of pad(x), copied once           (N, G, C/g*KH*KW, OH*OW)
    Y[n, g] = W[g] @ cols[n, g] + b                 (Og, C/g*KH*KW) @ (C/g*KH*KW, OH*OW)

Groups become a batch axis of that matmul, so there is no Python loop. Its vjps are
the gradients derived in the "CNN example" of "Back propagation" (the "Vectorized
Gradient" notes): dW = delta correlated with X (`delta @ cols^T`, with the forward's
cols), and dX = delta fully convolved with the kernel rotated by 180 degrees, which is
`W^T @ delta` followed by col2im (the window view's adjoint, `ops.fold`). As a
composition (window view, reshapes, transpose, matmul, add) it made six nodes and
copied the windows twice; the primitive writes its output in place and keeps one
im2col matrix for backward.

conv_transpose2d is, by definition, the adjoint of conv2d with respect to its input
(the "deconvolution" of "Back propagation reference", section 3.7, which that
reference leaves empty). The same two steps run in reverse
order: a matmul makes, for every input pixel, its KH x KW patch of output contributions,

    cols[n, g] = W[g]^T @ X[n, g]                  (Og*KH*KW, C/g) @ (C/g, H*W)

and `ops.fold` adds each patch into the output at stride `stride` with dilation
`dilation`; then `padding` is cropped from both sides and `output_padding` rows/columns
are added at the bottom/right. Written out:

    Y[n, o, i*s - p + a*d, j*s - p + b*d] += X[n, c, i, j] * W[c, o, a, b]

Its gradients, again from the engine: dX = conv2d(delta, W) with the same stride,
padding and dilation; dW[c, o, a, b] = sum over n, i, j of X[n, c, i, j] times
delta[n, o, i*s - p + a*d, j*s - p + b*d].
"""

from __future__ import annotations

import ops
from autograd_core import Tensor
from autograd_core.grad_mode import composite
from ops.windows import output_size, pair

from ._utils import (
    TensorLike,
    as_tensor,
    positive_int,
    sequence_input,
    sequence_output,
    single,
    transposed_output_size,
)


def check_groups(groups: int, in_channels: int, out_channels: int | None, fn: str) -> None:
    """The channel counts must split into `groups` equal groups. conv_transpose2d passes
    out_channels=None: its weight holds out_channels // groups, so only in_channels can
    fail to divide."""
    if out_channels is None:
        if in_channels % groups:
            raise ValueError(
                f"{fn}: in_channels ({in_channels}) must be divisible by groups ({groups})."
            )
    elif in_channels % groups or out_channels % groups:
        raise ValueError(
            f"{fn}: in_channels ({in_channels}) and out_channels ({out_channels}) must both "
            f"be divisible by groups ({groups})."
        )


def check_output_padding(
    output_padding: tuple[int, int], stride: tuple[int, int], dilation: tuple[int, int], fn: str
) -> None:
    """conv_transpose2d's output_padding (rows and columns added at the bottom and right)
    must be smaller than the stride or the dilation along each axis, as in PyTorch."""
    for axis in (0, 1):
        if output_padding[axis] >= max(stride[axis], dilation[axis]):
            raise ValueError(
                f"{fn}: output_padding {output_padding} must be smaller than stride {stride} "
                f"or dilation {dilation} along each axis."
            )


def _batched(x: Tensor, fn: str) -> tuple[Tensor, bool]:
    """(N, C, H, W) as is; an unbatched (C, H, W) gets a batch axis of 1."""
    if x.ndim == 4:
        return x, True
    if x.ndim == 3:
        return ops.reshape(x, (1, *x.shape)), False
    raise ValueError(f"{fn}: expected input of shape (N, C, H, W) or (C, H, W); got {x.shape}.")


def _bias(bias: TensorLike | None, channels: int, fn: str) -> Tensor | None:
    if bias is None:
        return None
    bias = as_tensor(bias)
    if bias.shape != (channels,):
        raise ValueError(
            f"{fn}: bias must have shape ({channels},), one value per output channel; "
            f"got {bias.shape}."
        )
    return bias


def _check_weight(weight: Tensor, layout: str, fn: str) -> None:
    """A 4-d weight in `layout` whose kernel (its last two axes) holds an element."""
    if weight.ndim != 4:
        raise ValueError(f"{fn}: weight must have shape {layout}; got {weight.shape}.")
    kh, kw = weight.shape[2:]
    if kh < 1 or kw < 1:
        raise ValueError(
            f"{fn}: weight {weight.shape} has an empty {kh}x{kw} kernel; both kernel sizes "
            "(the last two axes of the weight) must be >= 1."
        )


@composite("conv2d")
def conv2d(
    x: TensorLike,
    weight: TensorLike,
    bias: TensorLike | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
) -> Tensor:
    """2-D cross-correlation, as PyTorch's conv2d.

    Y[n, o, i, j] = b[o] + sum over c in o's group, a, b' of
        W[o, c, a, b'] * Xpad[n, c, i*s + a*d, j*s + b'*d]

    with x (N, C, H, W) (or (C, H, W)), weight (O, C // groups, KH, KW), bias (O,).
    Output size per axis: (H + 2p - d (K - 1) - 1) // s + 1 (`ops.windows.output_size`)."""
    fn = "conv2d"
    x, weight = as_tensor(x), as_tensor(weight)
    s = pair(stride, "stride", fn)
    p = pair(padding, "padding", fn, minimum=0)
    d = pair(dilation, "dilation", fn)
    g = positive_int(groups, "groups", fn)
    given = x.shape
    x, batched = _batched(x, fn)
    _check_weight(weight, "(out_channels, in_channels // groups, kh, kw)", fn)
    n, c, h, w = x.shape
    o, cg, kh, kw = weight.shape
    check_groups(g, c, o, fn)
    if cg * g != c:
        raise ValueError(
            f"{fn}: the input {given} has {c} channels, but weight {weight.shape} expects "
            f"{cg} * groups = {cg * g}. The weight must be (out_channels, in_channels // "
            f"groups, kh, kw) = ({o}, {c // g}, {kh}, {kw})."
        )
    bias = _bias(bias, o, fn)
    oh = output_size(h, kh, s[0], d[0], p[0])
    ow = output_size(w, kw, s[1], d[1], p[1])
    if oh < 1 or ow < 1:
        raise ValueError(
            f"{fn}: a {kh}x{kw} kernel with dilation {d} does not fit in the input of "
            f"spatial size {h}x{w} padded by {p}; use more padding or a smaller kernel."
        )
    inputs = (x, weight) if bias is None else (x, weight, bias)
    y = ops.windows.window_conv(*inputs, stride=s, padding=p, dilation=d, groups=g)
    return y if batched else ops.reshape(y, (o, oh, ow))


@composite("conv_transpose2d")
def conv_transpose2d(
    x: TensorLike,
    weight: TensorLike,
    bias: TensorLike | None = None,
    stride: int | tuple[int, int] = 1,
    padding: int | tuple[int, int] = 0,
    output_padding: int | tuple[int, int] = 0,
    dilation: int | tuple[int, int] = 1,
    groups: int = 1,
) -> Tensor:
    """2-D transposed convolution ("deconvolution"), as PyTorch's conv_transpose2d:
    the adjoint of conv2d with respect to its input.

    Y[n, o, i*s - p + a*d, j*s - p + b'*d] += X[n, c, i, j] * W[c, o', a, b']  (+ b[o])

    with x (N, C, H, W) (or (C, H, W)), weight (C, O // groups, KH, KW), o' = o's index
    within its group. Output size per axis:
    (H - 1) s - 2p + d (K - 1) + output_padding + 1 (`transposed_output_size`);
    output_padding < max(s, d)."""
    fn = "conv_transpose2d"
    x, weight = as_tensor(x), as_tensor(weight)
    s = pair(stride, "stride", fn)
    p = pair(padding, "padding", fn, minimum=0)
    op = pair(output_padding, "output_padding", fn, minimum=0)
    d = pair(dilation, "dilation", fn)
    g = positive_int(groups, "groups", fn)
    given = x.shape
    x, batched = _batched(x, fn)
    _check_weight(weight, "(in_channels, out_channels // groups, kh, kw)", fn)
    n, c, h, w = x.shape
    if weight.shape[0] != c:
        raise ValueError(
            f"{fn}: the input {given} has {c} channels, but weight {weight.shape} expects "
            f"{weight.shape[0]}. The weight must be (in_channels, out_channels // groups, "
            "kh, kw)."
        )
    check_groups(g, c, None, fn)
    check_output_padding(op, s, d, fn)
    _, og, kh, kw = weight.shape
    cg, o = c // g, og * g
    b = _bias(bias, o, fn)
    # The full output that the input's windows cover, before padding crops it.
    hf, wf = transposed_output_size(h, kh, s[0], d[0]), transposed_output_size(w, kw, s[1], d[1])
    oh = transposed_output_size(h, kh, s[0], d[0], p[0], op[0])
    ow = transposed_output_size(w, kw, s[1], d[1], p[1], op[1])
    if oh < 1 or ow < 1:
        raise ValueError(
            f"{fn}: padding {p} crops away the whole {hf}x{wf} output of a {kh}x{kw} "
            f"kernel on a {h}x{w} input; use less padding."
        )
    wmat = ops.transpose(ops.reshape(weight, (g, cg, og * kh * kw)), (0, 2, 1))
    cols = wmat @ ops.reshape(x, (n, g, cg, h * w))  # (N, G, Og*KH*KW, H*W)
    cols = ops.reshape(cols, (n, o, kh, kw, h, w))
    cols = ops.transpose(cols, (0, 1, 4, 5, 2, 3))  # (N, O, H, W, KH, KW): one patch a pixel
    y = ops.fold(cols, (n, o, hf, wf), (kh, kw), s, d)
    if op != (0, 0):
        y = ops.pad(y, ((0, 0), (0, 0), (0, op[0]), (0, op[1])))
    if p != (0, 0):
        y = y[:, :, p[0] : p[0] + oh, p[1] : p[1] + ow]
    if b is not None:
        y = y + ops.reshape(b, (o, 1, 1))
    return y if batched else ops.reshape(y, (o, oh, ow))


def conv1d(
    x: TensorLike,
    weight: TensorLike,
    bias: TensorLike | None = None,
    stride: int | tuple[int] = 1,
    padding: int | tuple[int] = 0,
    dilation: int | tuple[int] = 1,
    groups: int = 1,
) -> Tensor:
    """1-D cross-correlation, as PyTorch's conv1d:

    Y[n, o, i] = b[o] + sum over c in o's group and a of W[o, c, a] Xpad[n, c, i*s + a*d]

    with x (N, C, L) (or (C, L)), weight (O, C // groups, K), bias (O,); output length
    (L + 2p - d (K - 1) - 1) // s + 1. Computed as conv2d on a height-1 image, with
    weight (O, C // groups, 1, K), so the gradients are conv2d's."""
    fn = "conv1d"
    x, weight = as_tensor(x), as_tensor(weight)
    s = single(stride, "stride", fn)
    p = single(padding, "padding", fn, minimum=0)
    d = single(dilation, "dilation", fn)
    g = positive_int(groups, "groups", fn)
    image, batched = sequence_input(x, fn)
    if weight.ndim != 3 or weight.shape[2] < 1:
        raise ValueError(
            f"{fn}: weight must have shape (out_channels, in_channels // groups, kernel_size) "
            f"with kernel_size >= 1; got {weight.shape}."
        )
    c, length = x.shape[-2:]
    o, cg, k = weight.shape
    check_groups(g, c, o, fn)
    if cg * g != c:
        raise ValueError(
            f"{fn}: the input {x.shape} has {c} channels, but weight {weight.shape} expects "
            f"{cg} * groups = {cg * g}. The weight must be (out_channels, in_channels // "
            f"groups, kernel_size) = ({o}, {c // g}, {k})."
        )
    if output_size(length, k, s, d, p) < 1:
        raise ValueError(
            f"{fn}: a kernel of size {k} with dilation {d} does not fit in the input of "
            f"length {length} padded by {p}; use more padding or a smaller kernel."
        )
    y = conv2d(image, ops.expand_dims(weight, 2), bias, (1, s), (0, p), (1, d), g)
    return sequence_output(y, batched)
