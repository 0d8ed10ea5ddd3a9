"""float32 stays float32: forward values, gradients and gradients of gradients.

NumPy 2 promotion keeps float32 when a Python number joins in (`t * 2.0`); each op must
keep it too, and its gradient must match the float64 one to float32 precision.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from autograd_core import Tensor, grad

from ._cases import ALL
from ._inputs import normal


def _leaves(arrays: tuple[np.ndarray, ...], dtype: Any) -> list[Any]:
    return [
        Tensor(a, dtype=dtype, requires_grad=True) if a.dtype.kind == "f" else a for a in arrays
    ]


@pytest.mark.parametrize(("fn", "arrays"), ALL)
def test_float32_forward_and_gradients(fn: Callable[..., Any], arrays: tuple[np.ndarray, ...]):
    xs32, xs64 = _leaves(arrays, np.float32), _leaves(arrays, np.float64)
    wrt32 = [x for x in xs32 if isinstance(x, Tensor)]
    wrt64 = [x for x in xs64 if isinstance(x, Tensor)]
    out32, out64 = fn(*xs32), fn(*xs64)
    assert out32.dtype == np.float32
    np.testing.assert_allclose(out32.data, out64.data, rtol=1e-5, atol=1e-6)

    upstream = normal(out32.shape, seed=7)
    gs32 = grad(out32, wrt32, upstream.astype(np.float32), create_graph=True)
    gs64 = grad(out64, wrt64, upstream)
    for g32, g64 in zip(gs32, gs64, strict=True):
        assert g32.dtype == np.float32
        np.testing.assert_allclose(g32.data, g64.data, rtol=1e-4, atol=1e-5)

    second = [g for g in gs32 if g.requires_grad]
    if second:
        total = sum(g.sum() for g in second)
        for gg in grad(total, wrt32, allow_unused=True):
            assert gg is None or gg.dtype == np.float32


@pytest.mark.parametrize(
    "expr",
    [
        lambda t: t * 2.0,
        lambda t: 2.0 * t,
        lambda t: t / 3,
        lambda t: 2 - t,
        lambda t: 2.0**t,
        lambda t: t**2.0,
        lambda t: t**0.5,
        lambda t: (t + 1.5).mean(),
        lambda t: t.sum() * 0.5,
        lambda t: np.exp(t),
        lambda t: np.where(t > 1, t, 0.0),
        lambda t: np.clip(t, 0.7, 1.2),
        lambda t: np.maximum(t, 1.0),
    ],
    ids=[
        "t*2.0",
        "2.0*t",
        "t/3",
        "2-t",
        "2.0**t",
        "t**2.0",
        "t**0.5",
        "mean(t+1.5)",
        "sum*0.5",
        "np.exp",
        "np.where",
        "np.clip",
        "np.maximum",
    ],
)
def test_python_numbers_keep_float32(expr: Callable[[Tensor], Tensor]):
    t = Tensor(np.linspace(0.5, 2.0, 6, dtype=np.float32).reshape(2, 3), requires_grad=True)
    out = expr(t)
    assert out.dtype == np.float32
    out.sum().backward()
    assert t.grad.dtype == np.float32


def test_zero_dim_float32_times_python_float_stays_float32():
    """A 0-d tensor is where NumPy 1's value-based casting used to give float64."""
    t = Tensor(np.float32(1.5), requires_grad=True)
    out = t * 2.0 + 1
    assert out.dtype == np.float32
    out.backward()
    assert t.grad.dtype == np.float32 and t.grad.item() == 2.0
