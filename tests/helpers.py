"""The one finite-difference helper the tests share: wraps autograd_core.gradcheck."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from autograd_core import Tensor, gradcheck, gradgradcheck


def leaves(*arrays: Any) -> list[Any]:
    """float64 leaves requiring grad for floating arrays; anything else passes through."""
    out = []
    for a in arrays:
        if isinstance(a, np.ndarray) and a.dtype.kind == "f":
            out.append(Tensor(a.astype(np.float64), requires_grad=True))
        else:
            out.append(a)
    return out


def check_grads(
    fn: Callable[..., Any],
    *arrays: Any,
    second_order: bool = True,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> None:
    """Assert fn's gradients (and, by default, its second derivatives) with respect to
    every floating ndarray argument match central finite differences in float64."""
    args = leaves(*arrays)
    assert gradcheck(fn, args, atol=atol, rtol=rtol)
    if second_order:
        assert gradgradcheck(fn, args, atol=atol, rtol=rtol)


def rng(seed: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed)
