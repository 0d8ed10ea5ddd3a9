"""Training utilities with PyTorch's names: gradient clipping by total norm or by value.

Both rebind each parameter's `.grad` to a new, clipped array (never writing into the
old one, which a graph built with create_graph=True may hold), in the gradient's dtype.
Parameters whose `.grad` is None are skipped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import Any

import numpy as np

from autograd_core.tensor import Tensor


def _with_grads(parameters: Tensor | Iterable[Tensor], fn: str) -> list[Tensor]:
    params = [parameters] if isinstance(parameters, Tensor) else list(parameters)
    for p in params:
        if not isinstance(p, Tensor):
            raise TypeError(
                f"{fn}: expected Tensors such as model.parameters(); got {type(p).__name__}."
            )
    return [p for p in params if p.grad is not None]


def clip_grad_norm_(
    parameters: Tensor | Iterable[Tensor],
    max_norm: float,
    norm_type: float = 2.0,
    error_if_nonfinite: bool = False,
) -> Tensor:
    """Scale the gradients so that their total norm (of all gradients together, as one
    vector) is at most `max_norm`, as PyTorch's clip_grad_norm_: each gradient is
    multiplied by min(1, max_norm / (total_norm + 1e-6)). `norm_type` is p of the p-norm
    (math.inf for the largest absolute value). Returns the total norm before clipping,
    as a 0-d float64 Tensor. With error_if_nonfinite=True a NaN or infinite norm raises
    RuntimeError instead."""
    fn = "clip_grad_norm_"
    params = _with_grads(parameters, fn)
    max_norm, norm_type = float(max_norm), float(norm_type)
    if not params:
        return Tensor(0.0)
    grads = [np.asarray(p.grad.data, dtype=np.float64) for p in params]
    if norm_type == math.inf:
        total = max(float(np.abs(g).max(initial=0.0)) for g in grads)
    else:
        total = sum(float((np.abs(g) ** norm_type).sum()) for g in grads) ** (1 / norm_type)
    if error_if_nonfinite and not math.isfinite(total):
        raise RuntimeError(
            f"{fn}: the total {norm_type}-norm of the gradients is {total}; a gradient holds "
            "NaN or inf. Find where with autograd_core.detect_anomaly(), or pass "
            "error_if_nonfinite=False."
        )
    coef = max_norm / (total + 1e-6)
    if coef < 1:
        for p in params:
            p.grad = Tensor(p.grad.data * np.asarray(coef, dtype=p.grad.dtype))
    return Tensor(total)


def clip_grad_value_(parameters: Tensor | Iterable[Tensor], clip_value: float) -> None:
    """Clip every gradient element to [-clip_value, clip_value], as PyTorch's
    clip_grad_value_."""
    fn = "clip_grad_value_"
    clip_value = float(clip_value)
    if clip_value < 0:
        raise ValueError(f"{fn}: clip_value must be >= 0; got {clip_value}.")
    for p in _with_grads(parameters, fn):
        p.grad = Tensor(np.clip(p.grad.data, -clip_value, clip_value))


def parameters_to_vector(parameters: Iterable[Tensor]) -> np.ndarray:
    """Every parameter's values, flattened and joined into one array (PyTorch's
    parameters_to_vector, for inspection)."""
    return np.concatenate([np.ravel(p.data) for p in parameters])


__all__: list[Any] = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector"]
