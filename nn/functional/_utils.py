"""Small helpers the functional layers share: argument checks, the transposed output
size, and loss reductions. The layer Modules call the same checks on their
constructor arguments, so a bad setting fails when the module is built."""

from __future__ import annotations

import numbers
from typing import Any

import numpy as np

import ops
from autograd_core import Tensor

TensorLike = Any  # a Tensor, an ndarray or a Python number

REDUCTIONS = ("mean", "sum", "none")


def as_tensor(x: TensorLike) -> Tensor:
    """`x` itself when it is a Tensor, else a constant Tensor holding it."""
    return x if isinstance(x, Tensor) else Tensor(x)


def positive_int(value: Any, what: str, fn: str) -> int:
    """`value` as an int, checked to be an int (not a bool) and >= 1; the errors name
    `fn` and the argument `what`. Channel and feature counts and `groups` use it."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise TypeError(f"{fn}: {what} must be an int; got {value!r}.")
    if value < 1:
        raise ValueError(f"{fn}: {what} must be >= 1; got {value!r}.")
    return int(value)


def real_number(value: Any, what: str, fn: str) -> float:
    """`value` as a float, checked to be a real number (not a bool); the errors name `fn`
    and the argument `what`. Activation and loss settings use it."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{fn}: {what} must be a real number; got {type(value).__name__} {value!r}."
        )
    return float(value)


def probability(p: Any, fn: str) -> float:
    """`p` checked to be a number in [0, 1]."""
    if isinstance(p, bool) or not isinstance(p, numbers.Real):
        raise TypeError(f"{fn}: p is a probability and must be a number; got {p!r}.")
    if not 0 <= p <= 1:
        raise ValueError(f"{fn}: p is a probability and must lie in [0, 1]; got {p}.")
    return p


def transposed_output_size(
    size: int,
    kernel: int,
    stride: int = 1,
    dilation: int = 1,
    padding: int = 0,
    output_padding: int = 0,
) -> int:
    """The output length of a transposed window layer (conv_transpose2d, max_unpool2d)
    along one axis of length `size`: (size - 1) stride - 2 padding + dilation
    (kernel - 1) + 1 + output_padding. With padding = output_padding = 0 it is the
    length that `size` windows, `stride` apart, cover; `ops.windows.output_size`, which
    counts windows, is its inverse."""
    return (size - 1) * stride - 2 * padding + dilation * (kernel - 1) + 1 + output_padding


def check_reduction(reduction: str, fn: str) -> None:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{fn}: reduction must be 'mean', 'sum' or 'none'; got {reduction!r}.")


def reduce(loss: Tensor, reduction: str, fn: str) -> Tensor:
    """Apply a loss reduction: the mean or the sum of all elements, or none."""
    check_reduction(reduction, fn)
    if reduction == "mean":
        return ops.mean(loss)
    if reduction == "sum":
        return ops.sum(loss)
    return loss


def same_shape(a: Tensor, b: Tensor, fn: str, names: str = "input and target") -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{fn}: {names} must have the same shape; got {a.shape} and {b.shape}. "
            "Reshape one of them (broadcasting is not applied in losses, to catch mistakes)."
        )


def spatial(x: Tensor, fn: str) -> None:
    """Windowed layers work on the last two axes, (..., H, W)."""
    if x.ndim < 2:
        raise ValueError(
            f"{fn}: expected an input with spatial axes (..., H, W), such as (N, C, H, W); "
            f"got shape {x.shape}."
        )


def single(value: Any, what: str, fn: str, minimum: int = 1) -> int:
    """An int or a 1-tuple of ints (as PyTorch's 1-d layers take), checked to be >=
    `minimum`; the errors name `fn` and the argument `what`."""
    n = value[0] if isinstance(value, (tuple, list)) and len(value) == 1 else value
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"{fn}: {what} must be an int or a 1-tuple of ints; got {value!r}.")
    if n < minimum:
        raise ValueError(f"{fn}: {what} must be >= {minimum}; got {value!r}.")
    return int(n)


def sequence_input(x: Tensor, fn: str, what: str = "(N, C, L) or (C, L)") -> tuple[Tensor, bool]:
    """A 1-d layer's input as (N, C, 1, L), for the 2-d layer that computes it, and
    whether it was batched: (N, C, L) or an unbatched (C, L)."""
    if x.ndim not in (2, 3):
        raise ValueError(f"{fn}: expected input of shape {what}; got {x.shape}.")
    batched = x.ndim == 3
    return ops.expand_dims(x if batched else ops.expand_dims(x, 0), 2), batched


def sequence_output(y: Tensor, batched: bool) -> Tensor:
    """The (N, C, 1, L) result of a 2-d layer back as (N, C, L), or (C, L) unbatched."""
    y = ops.squeeze(y, 2)
    return y if batched else ops.squeeze(y, 0)
