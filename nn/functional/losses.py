"""Losses. `reduction` is "mean" (of all elements), "sum" or "none" wherever it appears.

Gradients (the engine's, through these compositions):
- euclidean: dE/dX = (X - Y) / N for E = sum((X - Y)^2) / (2N);
- cross entropy of softmax: dE/dz = softmax(z) - y per sample, divided by the number of
  samples for "mean" (section 5.2 of "Back propagation reference" is empty; the
  derivation is section 3.3.1 of "Deriving Backpropagation");
- binary cross entropy: dE/dp = -y/p + (1 - y)/(1 - p); with logits: dE/dz = sigmoid(z) - y
  ("Deriving Backpropagation", section 3.2.1);
- total variation: see `total_variation`;
- l1: dE/dx = sign(x - y) (0 where they are equal); smooth L1 and Huber: d / beta (resp.
  d) inside the quadratic zone and sign(d) (resp. delta sign(d)) outside, d = x - y;
- KL divergence: dE/dinput = -target (times exp for log targets);
- cosine similarity: see `cosine_similarity`.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import ops
from autograd_core import Tensor
from autograd_core.grad_mode import composite

from ._utils import TensorLike, as_tensor, check_reduction, real_number, reduce, same_shape
from .activations import log1p_exp, log_softmax

_LOG_FLOOR = math.exp(-100.0)  # BCE clamps log(p) at -100, as PyTorch does


@composite("euclidean_loss")
def euclidean_loss(x: TensorLike, y: TensorLike) -> Tensor:
    """E = sum((x - y)^2) / (2 N), N = x.shape[0] (the batch size); dE/dx = (x - y) / N.

    ("Back propagation reference", section 5.1, writes E for one example normalized by
    C*H*W instead; this is Caffe's EuclideanLoss, which divides by the batch size.)"""
    fn = "euclidean_loss"
    x, y = as_tensor(x), as_tensor(y)
    same_shape(x, y, fn)
    if x.ndim == 0:
        raise ValueError(f"{fn}: expected a batch of shape (N, ...); got a 0-d input.")
    d = x - y
    return ops.sum(d * d) / (2 * x.shape[0])


@composite("mse_loss")
def mse_loss(x: TensorLike, y: TensorLike, reduction: str = "mean") -> Tensor:
    """(x - y)^2, reduced; for "mean", dE/dx = 2 (x - y) / x.size."""
    fn = "mse_loss"
    check_reduction(reduction, fn)
    x, y = as_tensor(x), as_tensor(y)
    same_shape(x, y, fn)
    d = x - y
    return reduce(d * d, reduction, fn)


def _class_indices(target: TensorLike, shape: tuple[int, ...], axis: int, fn: str) -> np.ndarray:
    """`target` as an integer array of `shape` without `axis`, checked to be in range."""
    t = np.asarray(target.data if isinstance(target, Tensor) else target)
    if t.dtype.kind not in "iu":
        raise TypeError(
            f"{fn}: class-index targets must be integers; got dtype {t.dtype}. Convert them "
            "with .astype(int)."
        )
    expected = shape[:axis] + shape[axis + 1 :]
    if t.shape != expected:
        raise ValueError(
            f"{fn}: for input of shape {shape} with classes along axis {axis}, the target "
            f"must have shape {expected}; got {t.shape}."
        )
    classes = shape[axis]
    if t.size and (t.min() < 0 or t.max() >= classes):
        bad = t[(t < 0) | (t >= classes)].reshape(-1)[0]
        raise ValueError(
            f"{fn}: class index {bad} is out of range for {classes} classes; targets must "
            f"lie in [0, {classes - 1}]."
        )
    return t


def _axis(axis: int, ndim: int, fn: str) -> int:
    if ndim == 0 or not -ndim <= axis < ndim:
        raise ValueError(f"{fn}: axis {axis} is out of range for an input with {ndim} axes.")
    return axis % ndim


def _nll(log_probs: Tensor, target: TensorLike, reduction: str, axis: int, fn: str) -> Tensor:
    axis = _axis(axis, log_probs.ndim, fn)
    t = _class_indices(target, log_probs.shape, axis, fn)
    grids = np.indices(t.shape, sparse=True)
    picked = log_probs[(*grids[:axis], t, *grids[axis:])]
    return reduce(-picked, reduction, fn)


@composite("nll_loss")
def nll_loss(
    log_probs: TensorLike, target: TensorLike, reduction: str = "mean", axis: int = -1
) -> Tensor:
    """Negative log-likelihood: loss[n] = -log_probs[n, target[n]], reduced.

    Classes lie along `axis` (the last by default, as in cross_entropy; PyTorch's
    (N, C) case is the same); `target` holds integer class indices of the input's
    shape without that axis. d loss[n] / d log_probs[n, c] = -[c = target[n]]."""
    fn = "nll_loss"
    check_reduction(reduction, fn)
    return _nll(as_tensor(log_probs), target, reduction, axis, fn)


@composite("cross_entropy")
def cross_entropy(
    logits: TensorLike, target: TensorLike, axis: int = -1, reduction: str = "mean"
) -> Tensor:
    """Softmax cross entropy, loss[n] = -sum_c y[n, c] log softmax(z[n])_c, reduced.

    `target` is either integer class indices (the input's shape without `axis`; y is
    then one-hot: one `ops.softmax_cross_entropy` node) or a floating array of class
    probabilities of the logits' shape (built on `ops.log_softmax`). Both shift out the
    maximum, so logits of any magnitude give finite values and gradients:
    d loss[n] / d z[n] = softmax(z[n]) - y[n]."""
    fn = "cross_entropy"
    check_reduction(reduction, fn)
    z = as_tensor(logits)
    axis = _axis(axis, z.ndim, fn)
    kind = np.asarray(target.data if isinstance(target, Tensor) else target).dtype.kind
    if kind in "iu":  # one node: -log softmax(z)[target], whose vjp is softmax(z) - y
        t = _class_indices(target, z.shape, axis, fn)
        return reduce(ops.softmax_cross_entropy(z, t, axis=axis), reduction, fn)
    if kind != "f":
        raise TypeError(
            f"{fn}: target must be integer class indices or floating class probabilities; "
            f"got dtype {np.asarray(target).dtype}."
        )
    y = as_tensor(target)
    if y.shape != z.shape:
        raise ValueError(
            f"{fn}: a floating target holds class probabilities and must have the logits' "
            f"shape {z.shape}; got {y.shape}. For class indices pass an integer array of "
            f"shape {z.shape[:axis] + z.shape[axis + 1 :]}."
        )
    return reduce(-ops.sum(y * log_softmax(z, axis=axis), axis=axis), reduction, fn)


@composite("binary_cross_entropy")
def binary_cross_entropy(p: TensorLike, y: TensorLike, reduction: str = "mean") -> Tensor:
    """-(y log p + (1 - y) log(1 - p)), reduced; p in [0, 1].

    Each log is clamped at -100 (as PyTorch), so p = 0 or 1 gives a finite loss.
    dE/dp = -y/p + (1 - y)/(1 - p) = (p - y) / (p (1 - p))."""
    fn = "binary_cross_entropy"
    check_reduction(reduction, fn)
    p, y = as_tensor(p), as_tensor(y)
    same_shape(p, y, fn, "probabilities and targets")
    if p.size and ((p.data < 0).any() or (p.data > 1).any()):
        raise ValueError(
            f"{fn}: p must hold probabilities in [0, 1]; got values in "
            f"[{p.data.min()}, {p.data.max()}]. For raw scores use "
            "binary_cross_entropy_with_logits."
        )
    log_p = ops.log(ops.clip(p, _LOG_FLOOR, None))
    log_q = ops.log(ops.clip(1 - p, _LOG_FLOOR, None))
    return reduce(-(y * log_p + (1 - y) * log_q), reduction, fn)


@composite("binary_cross_entropy_with_logits")
def binary_cross_entropy_with_logits(
    z: TensorLike, y: TensorLike, reduction: str = "mean"
) -> Tensor:
    """binary_cross_entropy(sigmoid(z), y) computed stably as softplus(z) - y z, reduced.

    softplus(z) = log(1 + e^z) is evaluated with a constant shift (see `log1p_exp`), so
    logits of any magnitude give finite values; dE/dz = sigmoid(z) - y, exact at z = 0."""
    fn = "binary_cross_entropy_with_logits"
    check_reduction(reduction, fn)
    z, y = as_tensor(z), as_tensor(y)
    same_shape(z, y, fn, "logits and targets")
    return reduce(log1p_exp(z) - y * z, reduction, fn)


@composite("total_variation")
def total_variation(x: TensorLike, eps: float = 0.0) -> Tensor:
    """TV(X) = sum over batch, channel, i < H-1, j < W-1 of |grad_ij X|, with
    |grad_ij X| = sqrt((X[i, j+1] - X[i, j])^2 + (X[i+1, j] - X[i, j])^2 + eps).

    Derivative ("Back propagation reference", eq. 41, with its typos fixed), terms present
    only where their indices are in range:
        dTV/dX[m, n] = (X[m, n] - X[m, n-1]) / |grad_{m, n-1}|
                     + (X[m, n] - X[m-1, n]) / |grad_{m-1, n}|
                     - (X[m, n+1] + X[m+1, n] - 2 X[m, n]) / |grad_{m, n}|.
    It is infinite where a gradient magnitude is 0, so use eps > 0 on flat images."""
    fn = "total_variation"
    x = as_tensor(x)
    if x.ndim < 2:
        raise ValueError(f"{fn}: expected an image (..., H, W); got shape {x.shape}.")
    here = x[..., :-1, :-1]
    right = x[..., :-1, 1:] - here
    down = x[..., 1:, :-1] - here
    return ops.sum(ops.sqrt(right * right + down * down + eps))


def l1_loss(x: TensorLike, y: TensorLike, reduction: str = "mean") -> Tensor:
    """|x - y|, reduced; dE/dx = sign(x - y) (0 where x = y, as PyTorch)."""
    fn = "l1_loss"
    check_reduction(reduction, fn)
    x, y = as_tensor(x), as_tensor(y)
    same_shape(x, y, fn)
    return reduce(ops.abs(x - y), reduction, fn)


def _zoned(x: TensorLike, y: TensorLike, width: float, fn: str) -> tuple[Tensor, Tensor, Any]:
    """d = x - y, |d| and where |d| < width (the quadratic zone)."""
    x, y = as_tensor(x), as_tensor(y)
    same_shape(x, y, fn)
    d = x - y
    a = ops.abs(d)
    return d, a, a.data < width


def smooth_l1_loss(
    x: TensorLike, y: TensorLike, reduction: str = "mean", beta: float = 1.0
) -> Tensor:
    """0.5 d^2 / beta where |d| < beta, |d| - 0.5 beta elsewhere (d = x - y), reduced,
    as PyTorch's smooth_l1_loss; beta = 0 is the L1 loss."""
    fn = "smooth_l1_loss"
    check_reduction(reduction, fn)
    beta = real_number(beta, "beta", fn)
    if beta < 0:
        raise ValueError(f"{fn}: beta must be >= 0; got {beta}.")
    d, a, inside = _zoned(x, y, beta, fn)
    if beta == 0:
        return reduce(a, reduction, fn)
    return reduce(ops.where(inside, d * d * (0.5 / beta), a - 0.5 * beta), reduction, fn)


def huber_loss(x: TensorLike, y: TensorLike, reduction: str = "mean", delta: float = 1.0) -> Tensor:
    """0.5 d^2 where |d| < delta, delta (|d| - 0.5 delta) elsewhere (d = x - y), reduced,
    as PyTorch's huber_loss (= delta * smooth_l1_loss with beta = delta)."""
    fn = "huber_loss"
    check_reduction(reduction, fn)
    delta = real_number(delta, "delta", fn)
    if delta <= 0:
        raise ValueError(f"{fn}: delta must be > 0; got {delta}.")
    d, a, inside = _zoned(x, y, delta, fn)
    return reduce(ops.where(inside, d * d * 0.5, (a - 0.5 * delta) * delta), reduction, fn)


def kl_div(
    input: TensorLike,  # noqa: A002 - PyTorch's name
    target: TensorLike,
    reduction: str = "mean",
    log_target: bool = False,
) -> Tensor:
    """Pointwise KL divergence of `target` from the distribution whose log-probabilities
    are `input`, as PyTorch's kl_div:

        target (log target - input)                       (0 where target = 0)
        exp(target) (target - input)                      with log_target=True

    reduced by "mean" (over every element, as PyTorch: not the KL divergence of the
    distributions), "batchmean" (the sum divided by the batch size input.shape[0], the
    true KL divergence per sample), "sum" or "none". A target of 0 contributes 0 and
    receives zero gradient (PyTorch's is NaN there)."""
    fn = "kl_div"
    if reduction not in ("mean", "batchmean", "sum", "none"):
        raise ValueError(
            f"{fn}: reduction must be 'mean', 'batchmean', 'sum' or 'none'; got {reduction!r}."
        )
    x, t = as_tensor(input), as_tensor(target)
    same_shape(x, t, fn)
    if log_target:
        pointwise = ops.exp(t) * (t - x)
    else:
        positive = t.data > 0
        log_t = ops.log(ops.where(positive, t, 1.0))  # log 1 = 0 where target = 0
        pointwise = ops.where(positive, t * (log_t - x), 0.0)
    if reduction == "batchmean":
        batch = x.shape[0] if x.ndim else 1
        return ops.sum(pointwise) / batch
    return reduce(pointwise, reduction, fn)


def cosine_similarity(x1: TensorLike, x2: TensorLike, axis: int = 1, eps: float = 1e-8) -> Tensor:
    """sum(x1 x2) / (max(||x1||, eps) max(||x2||, eps)) along `axis` (PyTorch's dim), the
    inputs broadcast, as PyTorch's cosine_similarity.

    Each norm is sqrt(max(sum x^2, eps^2)), which is max(||x||, eps) with a finite
    gradient for a zero vector too; below eps the norm is a constant."""
    fn = "cosine_similarity"
    x1, x2 = as_tensor(x1), as_tensor(x2)
    eps = real_number(eps, "eps", fn)
    try:
        shape = np.broadcast_shapes(x1.shape, x2.shape)
    except ValueError:
        raise ValueError(
            f"{fn}: x1 {x1.shape} and x2 {x2.shape} do not broadcast to one shape."
        ) from None
    if not -len(shape) <= axis < len(shape):
        raise ValueError(f"{fn}: axis {axis} is out of range for inputs of shape {shape}.")
    x1, x2 = (x if x.shape == shape else ops.broadcast_to(x, shape) for x in (x1, x2))

    def norm(x: Tensor) -> Tensor:
        return ops.sqrt(ops.maximum(ops.sum(x * x, axis=axis), eps * eps))

    return ops.sum(x1 * x2, axis=axis) / (norm(x1) * norm(x2))
