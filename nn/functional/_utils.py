"""Small helpers the functional layers share: argument checks and loss reductions."""

from __future__ import annotations

from typing import Any

import numpy as np

import ops
from autograd_core import Tensor

TensorLike = Any  # a Tensor, an ndarray or a Python number

REDUCTIONS = ("mean", "sum", "none")


def as_tensor(x: TensorLike) -> Tensor:
    """`x` itself when it is a Tensor, else a constant Tensor holding it."""
    return x if isinstance(x, Tensor) else Tensor(x)


def pair(value: Any, what: str, fn: str, minimum: int = 1) -> tuple[int, int]:
    """An int or an (h, w) pair of ints, each checked to be >= `minimum`."""
    hw = (value, value) if isinstance(value, (int, np.integer)) else value
    try:
        hw = tuple(hw)
    except TypeError:
        hw = ()
    if len(hw) != 2 or not all(
        isinstance(n, (int, np.integer)) and not isinstance(n, bool) for n in hw
    ):
        raise TypeError(f"{fn}: {what} must be an int or a pair of ints (h, w); got {value!r}.")
    if min(hw) < minimum:
        raise ValueError(f"{fn}: {what} must be >= {minimum}; got {value!r}.")
    return int(hw[0]), int(hw[1])


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
