"""Reductions over axes. Primitives: sum, max, min, norm2 (the Euclidean norm),
logsumexp, softmax, log_softmax, softmax_cross_entropy, standardize ((x - mean) /
sqrt(var + eps)); prod, whose vjp needs cumprod, is in `cumulative.py`. Compositions:
mean, var, std (norm2 of the centred values), amax and amin (NumPy's aliases of max and
min). Not differentiable (they return indices, counts or bools): argmax argmin argsort
any all count_nonzero.

Keywords follow NumPy: `axis` is None, an int or a tuple of ints; `keepdims` keeps the
reduced axes with length 1.
"""

from __future__ import annotations

import builtins
import math
from typing import Any

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor

from .elementwise import unwrap

Axis = int | tuple[int, ...] | None


def _axes(axis: Axis, ndim: int, op: str = "sum") -> tuple[int, ...]:
    """`axis` as a tuple of axes in [0, ndim); anything NumPy would refuse (an axis out
    of range, a repeat, a non-integer) raises AxisError naming `op`."""
    if axis is None:
        return tuple(range(ndim))
    if ndim == 0 and axis in (0, -1, (0,), (-1,)):
        return ()  # a 0-d tensor has one element: reducing it over "axis 0" keeps it
    axes = (axis,) if isinstance(axis, (int, np.integer)) else axis
    if isinstance(axes, tuple) and builtins.all(  # `all` here is the op
        isinstance(a, (int, np.integer)) and not isinstance(a, bool) and -ndim <= a < ndim
        for a in axes
    ):
        out = tuple(int(a) % ndim for a in axes)
        if len(set(out)) == len(out):
            return out
    raise np.exceptions.AxisError(
        f"{op}: axis={axis!r} does not fit a tensor with {ndim} axes; give None (all axes), "
        f"an int or a tuple of distinct ints in [{-ndim}, {ndim - 1}]."
    )


def _kept_shape(shape: tuple[int, ...], axis: Axis) -> tuple[int, ...]:
    """`shape` with the reduced axes set to 1 (the keepdims shape)."""
    axes = _axes(axis, len(shape))
    return tuple(1 if i in axes else n for i, n in enumerate(shape))


def _spread(g: Any, shape: tuple[int, ...], axis: Axis) -> Any:
    """Send a reduced gradient back over the axes it was reduced along."""
    return np.broadcast_to(g.reshape(_kept_shape(shape, axis)), shape)


def _reduce(name: str, reduce: Any) -> Any:
    """NumPy's reduction, with an axis error that names the op and what would fit."""

    def forward(x: Any, axis: Axis, keepdims: bool) -> Any:
        try:
            return reduce(x, axis=_axes(axis, np.ndim(x), name), keepdims=keepdims)
        except ValueError:
            if np.size(x) == 0:
                raise ValueError(
                    f"{name}: the tensor of shape {np.shape(x)} is empty along axis={axis!r}, "
                    f"and an empty set has no {name}imum. Check the shape, or reduce a "
                    "non-empty tensor."
                ) from None
            raise

    return forward


def _extreme_vjp(g: Any, y: Any, x: Any, axis: Axis, keepdims: bool) -> Any:
    """The gradient goes to the elements equal to the extreme, split evenly at ties."""
    v, kept = unwrap(x), np.reshape(unwrap(y), _kept_shape(np.shape(x), axis))
    hits = v == kept
    share = hits / hits.sum(axis=_axes(axis, v.ndim), keepdims=True)
    return _spread(g, v.shape, axis) * share.astype(v.dtype, copy=False)


_sum = defop(
    "sum",
    _reduce("sum", np.sum),
    lambda g, y, x, axis, keepdims: _spread(g, x.shape, axis),
    rules="vjp: g copied to every summed element",
)
_max = defop(
    "max", _reduce("max", np.max), _extreme_vjp, rules="∂/∂x = 1 at the maximum (split at ties)"
)
_min = defop(
    "min", _reduce("min", np.min), _extreme_vjp, rules="∂/∂x = 1 at the minimum (split at ties)"
)


def sum(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Sum over `axis`; every summed element receives the output's gradient."""
    return _sum(x, axis=axis, keepdims=keepdims)


def mean(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Composition: sum(x, axis) / (number of elements reduced)."""
    shape = np.shape(unwrap(x))
    count = math.prod(shape[a] for a in _axes(axis, len(shape), "mean"))
    return sum(x, axis, keepdims) / count  # type: ignore[operator]


def max(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Largest element over `axis`. The gradient goes to the element(s) equal to the
    maximum; when several tie, it is split evenly among them (each gets g / count)."""
    return _max(x, axis=axis, keepdims=keepdims)


def min(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Smallest element over `axis`; ties split the gradient evenly, as in `max`."""
    return _min(x, axis=axis, keepdims=keepdims)


def var(x: Any, axis: Axis = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
    """Composition: sum((x - mean)^2) / (n - ddof); ddof=0 (biased) unless given. As in
    NumPy, ddof >= n divides by 0: inf (NaN for a constant x), with NumPy's warning."""
    shape = np.shape(unwrap(x))
    count = math.prod(shape[a] for a in _axes(axis, len(shape), "var"))
    centred = x - mean(x, axis, keepdims=True)
    return sum(centred * centred, axis, keepdims) / (count - ddof if count > ddof else 0)


def max_shift(v: Any, axis: Axis, op: str = "softmax") -> np.ndarray:
    """max(v) along `axis` (kept), as a constant for a stable exponent (softmax,
    log-softmax): 0 where it is not finite, and 0 for an empty axis. `axis` errors name
    `op`."""
    axes = _axes(axis, np.ndim(v), op)
    if np.size(v) == 0:
        return np.zeros(_kept_shape(np.shape(v), axes), dtype=np.result_type(v, 0.0))
    m = np.max(v, axis=axes, keepdims=True)
    return np.where(np.isfinite(m), m, 0)


# ---- further reductions -------------------------------------------------------------------


def amax(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """NumPy's alias of `max` (the same op)."""
    return _max(x, axis=axis, keepdims=keepdims)


def amin(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """NumPy's alias of `min` (the same op)."""
    return _min(x, axis=axis, keepdims=keepdims)


def _norm2_forward(x: Any, axis: Axis, keepdims: bool) -> Any:
    v = np.asarray(x)
    return np.sqrt(np.sum(v * v, axis=_axes(axis, v.ndim, "norm"), keepdims=keepdims))


def _norm2_vjp(g: Any, y: Any, x: Any, axis: Axis, keepdims: bool) -> Any:
    # x / y, with y replaced by 1 where it is 0: x is 0 there too, so the gradient is the
    # subgradient 0 (as PyTorch's) and no branch holds 0/0.
    kept = np.reshape(y, _kept_shape(np.shape(x), axis))
    return _spread(g, np.shape(x), axis) * (x / np.where(kept == 0, 1, kept))


_norm2 = defop("norm", _norm2_forward, _norm2_vjp, rules="∂/∂x = x/‖x‖ (0 at 0)")


def norm2(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Primitive: the Euclidean (Frobenius) norm sqrt(sum x^2) over `axis`. d/dx = x / y,
    and 0 at x = 0 (the subgradient PyTorch takes). `ops.linalg.norm` builds on it."""
    return _norm2(x, axis=axis, keepdims=keepdims)


def std(x: Any, axis: Axis = None, ddof: int = 0, keepdims: bool = False) -> Tensor:
    """Composition: norm2(x - mean) / sqrt(n - ddof), the standard deviation (ddof=0,
    NumPy's default, unless given). Through the norm's subgradient, a constant x has
    gradient 0 (as in PyTorch), not the 0 * inf of sqrt(var). ddof >= n divides by 0."""
    shape = np.shape(unwrap(x))
    count = math.prod(shape[a] for a in _axes(axis, len(shape), "std"))
    centred = x - mean(x, axis, keepdims=True)
    return norm2(centred, axis, keepdims) / (count - ddof if count > ddof else 0) ** 0.5


def _logsumexp_forward(x: Any, axis: Axis, keepdims: bool) -> Any:
    v = np.asarray(x)
    axes = _axes(axis, v.ndim, "logsumexp")
    shift = max_shift(v, axes, "logsumexp")
    with np.errstate(divide="ignore"):  # an all -inf (or empty) slice: log 0 = -inf
        out = np.log(np.sum(np.exp(v - shift), axis=axes, keepdims=True)) + shift
    return out if keepdims else np.squeeze(out, axis=axes)


_logsumexp = defop(
    "logsumexp",
    _logsumexp_forward,
    lambda g, y, x, axis, keepdims: (
        _spread(g, np.shape(x), axis) * np.exp(x - np.reshape(y, _kept_shape(np.shape(x), axis)))
    ),
    rules="∂/∂x = softmax(x) = eˣ⁻ʸ",
)


def logsumexp(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Primitive: log(sum(exp(x))) over `axis`, stable: the maximum is shifted out first,
    so it neither overflows nor underflows (logsumexp([1000, 1000]) = 1000 + log 2).
    d/dx = e^(x - y), the softmax. An all -inf slice gives -inf (and NaN gradient, as
    PyTorch's), without a warning."""
    return _logsumexp(x, axis=axis, keepdims=keepdims)


# ---- softmax, log_softmax, standardize: the normalising layers' primitives ---------------


def _softmax_forward(x: Any, axis: tuple[int, ...]) -> Any:
    e = np.exp(x - max_shift(x, axis, "softmax"))
    return e / np.sum(e, axis=axis, keepdims=True)


_softmax = defop(
    "softmax",
    _softmax_forward,
    lambda g, y, x, axis: y * (g - (g * y).sum(axis=axis, keepdims=True)),
    rules="vjp: y (g − Σ g y)",
)


def softmax(x: Any, axis: Axis = -1) -> Tensor:
    """Primitive: e^(x - m) / sum(e^(x - m)) along `axis` (an int or a tuple), m the
    maximum (a constant shift: no overflow for any x). vjp: y (g - sum(g y)), one node
    instead of five (shift, exp, sum, divide and the broadcast)."""
    return _softmax(x, axis=_axes(axis, np.ndim(unwrap(x)), "softmax"))


def _log_softmax_forward(x: Any, axis: tuple[int, ...]) -> Any:
    z = x - max_shift(x, axis, "log_softmax")
    if np.size(z) == 0:
        return z  # an empty axis: nothing to normalise (and no log of an empty sum)
    return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


_log_softmax = defop(
    "log_softmax",
    _log_softmax_forward,
    lambda g, y, x, axis: g - np.exp(y) * g.sum(axis=axis, keepdims=True),
    rules="vjp: g − eʸ Σ g",
)


def log_softmax(x: Any, axis: Axis = -1) -> Tensor:
    """Primitive: (x - m) - log(sum(e^(x - m))) along `axis`, m the maximum: the
    exponents are <= 0 and the log's argument >= 1, so finite for logits of any size.
    vjp: g - softmax(x) sum(g)."""
    return _log_softmax(x, axis=_axes(axis, np.ndim(unwrap(x)), "log_softmax"))


def _target_positions(shape: tuple[int, ...], target: Any, axis: int) -> Any:
    """The flat (C-order) positions of the target classes in an array of `shape` with
    classes along `axis`: position k of `target` (in C order) is row k // post and
    column k % post of the (pre, classes, post) view, so its class t sits at
    k + (k // post) (classes - 1) post + t post."""
    post = math.prod(shape[axis + 1 :])
    k = np.arange(np.size(target))
    return k + (k // post) * ((shape[axis] - 1) * post) + np.reshape(target, -1) * post


def _cross_entropy_forward(z: Any, target: Any, axis: int) -> Any:
    shifted = z - max_shift(z, axis, "softmax_cross_entropy")
    e = np.exp(shifted)
    total = np.sum(e, axis=axis, keepdims=True)
    at = _target_positions(np.shape(z), target, axis)
    picked = np.ravel(shifted)[at].reshape(np.shape(target))
    with np.errstate(divide="ignore"):  # an empty axis: log 0 (no target can index it)
        loss = np.log(total).reshape(np.shape(target)) - picked
    e /= total  # the softmax, which the vjp needs
    return loss, {"p": e, "at": at}


def _cross_entropy_vjp(g: Any, y: Any, z: Any, target: Any, axis: int, p: Any, at: Any) -> Any:
    """dz = g (p - onehot(target)), p the softmax of z along `axis`."""
    gk = g.reshape(g.shape[:axis] + (1,) + g.shape[axis:])
    if isinstance(g, Tensor):  # create_graph=True: p as a function of z
        onehot = np.zeros(np.size(z), dtype=bool)
        onehot[at] = True
        return (_softmax(z, axis=(axis,)) - onehot.reshape(np.shape(z))) * gk
    dz = np.multiply(p, gk, order="C")
    dz.reshape(-1)[at] -= np.ravel(g)  # a view of dz: C order, one target per position
    return dz


_cross_entropy = defop(
    "softmax_cross_entropy",
    _cross_entropy_forward,
    _cross_entropy_vjp,
    None,
    residuals=True,
    rules="vjp: g (softmax(z) − onehot(target))",
)


def softmax_cross_entropy(z: Any, target: Any, axis: int = -1) -> Tensor:
    """Primitive: -log softmax(z)[target] along `axis`, one loss per position:
    log(sum(e^(z - m))) - (z[target] - m), m the maximum (finite for logits of any size).
    `target` holds integer class indices of z's shape without `axis` (not checked here:
    `nn.functional.cross_entropy` does that). vjp: g (softmax(z) - onehot(target)), one
    node instead of three (log_softmax, the gather of the targets, whose backward
    scatters into zeros, and its negation)."""
    shape = np.shape(unwrap(z))
    if not shape:
        raise ValueError(
            "softmax_cross_entropy: the logits need an axis of classes; got a 0-d input. "
            "Give one row of logits per position, such as shape (batch, classes)."
        )
    if isinstance(axis, bool) or not isinstance(axis, (int, np.integer)):
        raise TypeError(
            f"softmax_cross_entropy: axis is the one axis of classes, an int; got {axis!r}."
        )
    (a,) = _axes(axis, len(shape), "softmax_cross_entropy")
    return _cross_entropy(z, target, axis=a)


def _standardize_forward(x: Any, axis: tuple[int, ...], eps: float) -> Any:
    centred = x - np.mean(x, axis=axis, keepdims=True)
    std = np.sqrt(np.mean(centred * centred, axis=axis, keepdims=True) + eps)
    return centred / std, {"std": std}


def _standardize_vjp(g: Any, y: Any, x: Any, axis: tuple[int, ...], eps: float, std: Any) -> Any:
    """dx = (g - mean(g) - y mean(g y)) / std, means over `axis`."""
    if isinstance(g, Tensor):  # create_graph=True: std as a function of x
        centred = x - x.mean(axis=axis, keepdims=True)
        std = ((centred * centred).mean(axis=axis, keepdims=True) + eps) ** 0.5
    return (g - g.mean(axis=axis, keepdims=True) - y * (g * y).mean(axis=axis, keepdims=True)) / std


_standardize = defop(
    "standardize",
    _standardize_forward,
    _standardize_vjp,
    residuals=True,
    rules="vjp: (g − mean g − y mean(g y)) / √(var + ε)",
)


def standardize(x: Any, axis: Axis = -1, eps: float = 1e-5) -> Tensor:
    """Primitive: (x - mean) / sqrt(var + eps) over `axis` (biased variance), the core of
    layer, instance and group normalisation. With y the output and means over `axis`,
    d/dx = (g - mean(g) - y mean(g y)) / sqrt(var + eps): one node instead of seven."""
    return _standardize(x, axis=_axes(axis, np.ndim(unwrap(x)), "standardize"), eps=float(eps))


_argmax = defop("argmax", lambda x, axis, keepdims: np.argmax(x, axis=axis, keepdims=keepdims))
_argmin = defop("argmin", lambda x, axis, keepdims: np.argmin(x, axis=axis, keepdims=keepdims))
_argsort = defop(
    "argsort", lambda x, axis, kind, stable: np.argsort(x, axis=axis, kind=kind, stable=stable)
)
_any = defop("any", lambda x, axis, keepdims: np.any(x, axis=axis, keepdims=keepdims))
_all = defop("all", lambda x, axis, keepdims: np.all(x, axis=axis, keepdims=keepdims))
_count_nonzero = defop(
    "count_nonzero", lambda x, axis, keepdims: np.count_nonzero(x, axis=axis, keepdims=keepdims)
)


def argmax(x: Any, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """The index of the (first) maximum along `axis` (of the flattened tensor for None),
    as an int64 Tensor; not differentiable."""
    return _argmax(x, axis=axis, keepdims=keepdims)


def argmin(x: Any, axis: int | None = None, keepdims: bool = False) -> Tensor:
    """The index of the (first) minimum along `axis`; not differentiable."""
    return _argmin(x, axis=axis, keepdims=keepdims)


def argsort(
    x: Any, axis: int | None = -1, kind: str | None = None, stable: bool | None = None
) -> Tensor:
    """The indices that sort x along `axis` (NumPy's argsort); not differentiable."""
    return _argsort(x, axis=axis, kind=kind, stable=stable)


def any(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Whether any element along `axis` is nonzero, as a bool Tensor; not differentiable."""
    return _any(x, axis=axis, keepdims=keepdims)


def all(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """Whether every element along `axis` is nonzero, as a bool Tensor; not differentiable."""
    return _all(x, axis=axis, keepdims=keepdims)


def count_nonzero(x: Any, axis: Axis = None, keepdims: bool = False) -> Tensor:
    """How many elements along `axis` are nonzero, as an int Tensor; not differentiable."""
    return _count_nonzero(x, axis=axis, keepdims=keepdims)
