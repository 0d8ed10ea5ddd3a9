"""Hand-written NumPy references: the MLP and the CNN with their backward passes derived
by hand. They are what a careful NumPy programmer would write, so the engine's overhead
is measured against a fair floor: a numerically stable softmax, BLAS for every
product, im2col through a strided view and one matmul per convolution, and in-place
updates where nothing else holds the array.

Parameters use PyTorch's layouts (see `data.py`); gradients come back in the same order
as the parameters. `tests/benchmarks/test_references.py` checks both against the engine.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.lib.stride_tricks import as_strided

from .data import LR

Grads = list[np.ndarray]


# ---- loss ------------------------------------------------------------------------------
def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    """Mean over rows of -log softmax(logits)[n, y[n]], and its gradient
    (softmax(logits) - onehot(y)) / N. Shifting by the row max keeps exp from overflowing."""
    n = logits.shape[0]
    rows = np.arange(n)
    shifted = logits - logits.max(axis=1, keepdims=True)
    exp = np.exp(shifted)
    total = exp.sum(axis=1, keepdims=True)
    loss = float(np.mean(np.log(total[:, 0]) - shifted[rows, y]))
    grad = exp
    grad /= total
    grad[rows, y] -= 1
    grad /= n
    return loss, grad


# ---- MLP -------------------------------------------------------------------------------
def mlp_loss_and_grads(
    params: list[np.ndarray], x: np.ndarray, y: np.ndarray
) -> tuple[float, Grads]:
    """Linear - ReLU - ... - Linear, then mean softmax cross-entropy.

    Backward, layer by layer from the top: dW = delta^T a_in, db = sum of delta over the
    batch, and delta_in = (delta W) * [a_in > 0] (ReLU's derivative, 0 at 0)."""
    weights, biases = params[0::2], params[1::2]
    acts = [x]
    h = x
    for i, (w, b) in enumerate(zip(weights, biases)):
        h = h @ w.T
        h += b
        if i < len(weights) - 1:
            np.maximum(h, 0, out=h)
        acts.append(h)
    loss, delta = softmax_cross_entropy(h, y)
    grads: Grads = [delta] * len(params)
    for i in reversed(range(len(weights))):
        grads[2 * i] = delta.T @ acts[i]
        grads[2 * i + 1] = delta.sum(axis=0)
        if i > 0:  # the input needs no gradient
            delta = delta @ weights[i]
            delta *= acts[i] > 0
    return loss, grads


# ---- CNN building blocks (channels-last inside) -----------------------------------------
# The CNN computes in NHWC: then every im2col row gathers contiguous channel vectors, a
# convolution's matmul yields NHWC directly, and pooling windows are plain reshapes.
# Only the boundaries change layout: the NCHW input (free for one channel) and the
# PyTorch-layout weights (small), whose gradients are mapped back the same way.
def _kernel_matrix(k: np.ndarray) -> np.ndarray:
    """(O, C, KH, KW) -> (KH*KW*C, O), rows in im2col's (kh, kw, c) order."""
    return k.transpose(2, 3, 1, 0).reshape(-1, k.shape[0])


def im2col(x: np.ndarray, kh: int, kw: int, pad: int) -> np.ndarray:
    """(N, H, W, C) -> (N*OH*OW, KH*KW*C) for a stride-1 convolution: one strided view
    of the padded input, copied once into matrix form."""
    xp = np.pad(x, ((0, 0), (pad, pad), (pad, pad), (0, 0))) if pad else x
    n, h, w, c = xp.shape
    oh, ow = h - kh + 1, w - kw + 1
    sn, sh, sw, sc = xp.strides
    windows = as_strided(xp, (n, oh, ow, kh, kw, c), (sn, sh, sw, sh, sw, sc), writeable=False)
    return windows.reshape(n * oh * ow, kh * kw * c)


def col2im(dcols: np.ndarray, shape: tuple[int, ...], kh: int, kw: int, pad: int) -> np.ndarray:
    """Adjoint of `im2col`: add every window's gradient back onto the pixels it read,
    one strided add per kernel offset, then drop the padding."""
    n, h, w, c = shape
    oh, ow = h + 2 * pad - kh + 1, w + 2 * pad - kw + 1
    d = dcols.reshape(n, oh, ow, kh, kw, c)
    dxp = np.zeros((n, h + 2 * pad, w + 2 * pad, c), dtype=dcols.dtype)
    for p in range(kh):
        for q in range(kw):
            dxp[:, p : p + oh, q : q + ow] += d[:, :, :, p, q]
    return dxp[:, pad : pad + h, pad : pad + w]


def conv2d(x: np.ndarray, k: np.ndarray, b: np.ndarray, pad: int) -> tuple[np.ndarray, np.ndarray]:
    """Stride-1 convolution of NHWC `x` with a PyTorch-layout kernel: (NHWC output, the
    im2col matrix kept for backward)."""
    o, _, kh, kw = k.shape
    n, h, w, _ = x.shape
    cols = im2col(x, kh, kw, pad)
    out = cols @ _kernel_matrix(k)
    out += b
    return out.reshape(n, h + 2 * pad - kh + 1, w + 2 * pad - kw + 1, o), cols


def conv2d_backward(
    dout: np.ndarray,
    cols: np.ndarray,
    k: np.ndarray,
    x_shape: tuple[int, ...],
    pad: int,
    need_input_grad: bool = True,
) -> tuple[np.ndarray | None, np.ndarray, np.ndarray]:
    """(dx, dk, db) with delta = dout as a (N*OH*OW, O) matrix: dk = cols^T delta (back
    in PyTorch layout), db = delta summed, dx = col2im(delta K^T)."""
    o, c, kh, kw = k.shape
    d = dout.reshape(-1, o)
    dk = (cols.T @ d).reshape(kh, kw, c, o).transpose(3, 2, 0, 1)
    db = d.sum(axis=0)
    dx = col2im(d @ _kernel_matrix(k).T, x_shape, kh, kw, pad) if need_input_grad else None
    return dx, dk, db


def _pool_windows(x: np.ndarray) -> np.ndarray:
    """(N, H, W, C) -> (N, H/2, W/2, 4, C): each 2x2 window's cells on axis 3."""
    n, h, w, c = x.shape
    windows = x.reshape(n, h // 2, 2, w // 2, 2, c).transpose(0, 1, 3, 2, 4, 5)
    return windows.reshape(n, h // 2, w // 2, 4, c)


def max_pool2(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """2x2 max pooling, stride 2, NHWC (H, W even): (output, argmax within each window)."""
    windows = _pool_windows(x)
    arg = windows.argmax(axis=3)
    return np.take_along_axis(windows, arg[:, :, :, None], axis=3)[:, :, :, 0], arg


def max_pool2_backward(dout: np.ndarray, arg: np.ndarray, x_shape: tuple[int, ...]) -> np.ndarray:
    """Route each window's gradient to its argmax; the other three cells get 0."""
    n, h, w, c = x_shape
    dwin = np.zeros((n, h // 2, w // 2, 4, c), dtype=dout.dtype)
    np.put_along_axis(dwin, arg[:, :, :, None], dout[:, :, :, None], axis=3)
    return dwin.reshape(n, h // 2, w // 2, 2, 2, c).transpose(0, 1, 3, 2, 4, 5).reshape(x_shape)


# ---- CNN -------------------------------------------------------------------------------
def cnn_loss_and_grads(
    params: list[np.ndarray], x: np.ndarray, y: np.ndarray
) -> tuple[float, Grads]:
    """conv 3x3 pad 1 - ReLU - maxpool 2 - conv 3x3 pad 1 - ReLU - maxpool 2 - linear,
    then mean softmax cross-entropy; `x` is NCHW and gets no gradient."""
    k1, c1, k2, c2, w, b = params
    x = x.transpose(0, 2, 3, 1)
    z1, cols1 = conv2d(x, k1, c1, pad=1)
    a1 = np.maximum(z1, 0)
    p1, arg1 = max_pool2(a1)
    z2, cols2 = conv2d(p1, k2, c2, pad=1)
    a2 = np.maximum(z2, 0)
    p2, arg2 = max_pool2(a2)
    n, h, wd, c = p2.shape
    # The linear layer's columns are in PyTorch's (C, H, W) flattening order; permute
    # them to (H, W, C) instead of the activations.
    w_hwc = w.reshape(-1, c, h, wd).transpose(0, 2, 3, 1).reshape(w.shape)
    flat = p2.reshape(n, -1)
    logits = flat @ w_hwc.T
    logits += b
    loss, delta = softmax_cross_entropy(logits, y)

    dw = (delta.T @ flat).reshape(-1, h, wd, c).transpose(0, 3, 1, 2).reshape(w.shape)
    db = delta.sum(axis=0)
    da2 = max_pool2_backward((delta @ w_hwc).reshape(p2.shape), arg2, a2.shape)
    da2 *= a2 > 0
    dp1, dk2, dc2 = conv2d_backward(da2, cols2, k2, p1.shape, pad=1)
    da1 = max_pool2_backward(dp1, arg1, a1.shape)
    da1 *= a1 > 0
    _, dk1, dc1 = conv2d_backward(da1, cols1, k1, x.shape, pad=1, need_input_grad=False)
    return loss, [dk1, dc1, dk2, dc2, dw, db]


# ---- training --------------------------------------------------------------------------
def sgd_update(params: list[np.ndarray], grads: Grads, lr: float) -> None:
    """w <- w - lr * g, in place."""
    for p, g in zip(params, grads):
        p -= lr * g


class NumpyTrainer:
    """The same interface as `models.Trainer`, over a hand-written loss-and-gradients."""

    def __init__(
        self,
        loss_and_grads: Callable[[list[np.ndarray], np.ndarray, np.ndarray], tuple[float, Grads]],
        params: list[np.ndarray],
        lr: float = LR,
    ) -> None:
        self.loss_and_grads, self.lr = loss_and_grads, lr
        self.params = [p.copy() for p in params]
        self.grads: Grads = []

    def inputs(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return x, y

    def forward_backward(self, x: np.ndarray, y: np.ndarray) -> float:
        loss, self.grads = self.loss_and_grads(self.params, x, y)
        return loss

    def update(self) -> None:
        sgd_update(self.params, self.grads, self.lr)

    def gradients(self) -> Grads:
        return self.grads

    def values(self) -> list[np.ndarray]:
        return self.params
