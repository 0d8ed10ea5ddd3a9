"""Numerical edges: large logits and the documented values at singular points.

The suite turns every warning into an error (pyproject's filterwarnings), and the
forward passes below also run under np.errstate(over/divide/invalid="raise"), so
"no NumPy warnings" is checked twice. Each value and gradient is compared with a closed
form, not only with "finite".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import nn.functional as F
import ops
from autograd_core import Tensor, detect_anomaly

MAGNITUDES = [1e4, 1e30]
FLOAT_TYPES = [np.float64, np.float32]


def forward_and_grad(
    fn: Callable[[Tensor], Tensor], x: np.ndarray, upstream: Any = None
) -> tuple[np.ndarray, np.ndarray]:
    """fn(x) and d sum(upstream * fn(x)) / dx, with overflow, division by zero and
    invalid operations raising in the forward pass."""
    t = Tensor(x, requires_grad=True)
    with np.errstate(over="raise", divide="raise", invalid="raise"):
        y = fn(t)
    y.backward(np.ones(y.shape, y.dtype) if upstream is None else upstream)
    assert y.dtype == x.dtype and t.grad.dtype == x.dtype
    return y.data, t.grad.data


def sigmoid_reference(x: np.ndarray) -> np.ndarray:
    """1 / (1 + e^-x) evaluated where it cannot overflow, in float64."""
    x = x.astype(np.float64)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def close(actual: np.ndarray, expected: Any, dtype: Any) -> None:
    assert np.isfinite(actual).all(), actual
    tol = 1e-6 if dtype == np.float32 else 1e-12
    np.testing.assert_allclose(actual, np.asarray(expected, dtype=np.float64), rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", FLOAT_TYPES)
@pytest.mark.parametrize("m", MAGNITUDES)
def test_sigmoid_tanh_softplus_saturate_cleanly(m, dtype):
    x = np.array([-m, -30.0, -1.0, 0.0, 1.0, 30.0, m], dtype=dtype)
    s = sigmoid_reference(x)

    y, g = forward_and_grad(ops.sigmoid, x)
    close(y, s, dtype)
    close(g, s * (1 - s), dtype)

    y, g = forward_and_grad(ops.tanh, x)
    close(y, np.tanh(x.astype(np.float64)), dtype)
    close(g, 1 - np.tanh(x.astype(np.float64)) ** 2, dtype)

    y, g = forward_and_grad(F.softplus, x)
    x64 = x.astype(np.float64)
    close(y, np.maximum(x64, 0) + np.log1p(np.exp(-np.abs(x64))), dtype)
    close(g, s, dtype)  # softplus' = sigmoid


@pytest.mark.parametrize("dtype", FLOAT_TYPES)
@pytest.mark.parametrize("m", MAGNITUDES)
def test_log_softmax_and_softmax_with_huge_logits(m, dtype):
    x = np.array([[m, 0.0, -m], [0.0, 0.0, 0.0], [-m, -m, m]], dtype=dtype)
    expected = np.array([[0.0, -m, -2 * m], [-np.log(3)] * 3, [-2 * m, -2 * m, 0.0]])
    upstream = np.array([[1.0, 2.0, 3.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]], dtype=dtype)
    y, g = forward_and_grad(F.log_softmax, x, upstream)
    close(y, expected, dtype)
    p = np.exp(expected)  # softmax, exactly 0 or 1 or 1/3 here
    close(g, upstream - p * upstream.sum(axis=1, keepdims=True), dtype)

    y, g = forward_and_grad(F.softmax, x, upstream)
    close(y, p, dtype)
    close(g, p * (upstream - (p * upstream).sum(axis=1, keepdims=True)), dtype)


@pytest.mark.parametrize("dtype", FLOAT_TYPES)
@pytest.mark.parametrize("m", MAGNITUDES)
def test_cross_entropy_with_huge_logits(m, dtype):
    z = np.array([[m, 0.0, -m], [m, 0.0, -m], [-m, m, 0.0]], dtype=dtype)
    target = np.array([0, 2, 0])
    y, g = forward_and_grad(lambda t: F.cross_entropy(t, target, reduction="sum"), z)
    close(y, 0.0 + 2 * m + 2 * m, dtype)
    onehot = np.eye(3)[target]
    softmax = np.array([[1.0, 0, 0], [1, 0, 0], [0, 1, 0]])
    close(g, softmax - onehot, dtype)

    probabilities = np.array([[0.5, 0.5, 0.0]] * 3, dtype=dtype)
    y, g = forward_and_grad(lambda t: F.cross_entropy(t, probabilities, reduction="none"), z)
    close(y, [0.5 * m, 0.5 * m, 1.0 * m], dtype)
    close(g, softmax - probabilities, dtype)


@pytest.mark.parametrize("dtype", FLOAT_TYPES)
@pytest.mark.parametrize("m", MAGNITUDES)
def test_bce_with_logits_with_huge_logits(m, dtype):
    z = np.array([m, m, -m, -m, 0.0], dtype=dtype)
    y_true = np.array([1.0, 0.0, 1.0, 0.0, 1.0], dtype=dtype)
    loss, g = forward_and_grad(
        lambda t: F.binary_cross_entropy_with_logits(t, y_true, reduction="none"), z
    )
    close(loss, [0.0, m, m, 0.0, np.log(2)], dtype)
    close(g, sigmoid_reference(z) - y_true, dtype)


@pytest.mark.parametrize("p", [0.0, 1.0])
def test_bce_on_saturated_probabilities_is_clamped_and_finite(p):
    loss, g = forward_and_grad(
        lambda t: F.binary_cross_entropy(t, np.array([1.0 - p]), reduction="sum"), np.array([p])
    )
    close(loss, 100.0, np.float64)  # log clamped at -100, as PyTorch
    assert np.isfinite(g).all()


def test_normalizing_a_constant_input_stays_finite():
    """Zero variance: eps keeps the division finite, and the output is 0 with a finite
    gradient (the gradient of a centred input is 0 in every direction that matters)."""
    x = np.full((2, 3, 4, 4), 7.0)
    for fn in (F.instance_norm, lambda t: F.layer_norm(t, (4, 4)),
               lambda t: F.batch_norm(t, None, None, training=True)):  # fmt: skip
        y, g = forward_and_grad(fn, x, np.random.default_rng(0).normal(size=x.shape))
        close(y, np.zeros(x.shape), np.float64)
        assert np.isfinite(g).all()


def test_softmax_of_masked_logits():
    """-inf logits (a mask) get probability 0 and a zero, finite gradient."""
    x = np.array([[0.0, -np.inf, 1.0], [-np.inf, 2.0, -np.inf]])
    upstream = np.array([[1.0, 5.0, 2.0], [3.0, 4.0, 5.0]])
    y, g = forward_and_grad(F.softmax, x, upstream)
    p = np.array([[1 / (1 + np.e), 0.0, np.e / (1 + np.e)], [0.0, 1.0, 0.0]])
    close(y, p, np.float64)
    close(g, p * (upstream - (p * upstream).sum(axis=1, keepdims=True)), np.float64)


# ---- singular points behave as README's "Conventions" section says -------------------------


def test_sqrt_at_zero_is_zero_with_an_infinite_gradient_and_no_warning():
    y, g = forward_and_grad(ops.sqrt, np.array([0.0, 4.0]))
    assert y.tolist() == [0.0, 2.0]
    assert g[0] == np.inf and g[1] == 0.25


def test_abs_and_relu_at_zero_have_zero_gradient():
    for fn in (ops.abs, ops.relu):
        y, g = forward_and_grad(fn, np.array([0.0, -0.0, 2.0]))
        assert y.tolist() == [0.0, 0.0, 2.0]
        assert g.tolist() == [0.0, 0.0, 1.0]


def test_log_at_zero_is_minus_inf_with_numpys_warning_and_an_infinite_gradient():
    """The forward pass follows NumPy, warning included; backward does not warn."""
    x = Tensor([0.0, 1.0], requires_grad=True)
    with pytest.warns(RuntimeWarning, match="divide by zero encountered in log"):
        y = ops.log(x)
    assert y.data.tolist() == [-np.inf, 0.0]
    y.backward(np.ones(2))  # would raise here if backward warned (warnings are errors)
    assert x.grad.data.tolist() == [np.inf, 1.0]


def test_powers_at_zero():
    """d/dx x^2 = 0, d/dx x^0.5 = inf and d/db 0^b = 0 (documented) at x = 0."""
    for b, expected in ((2.0, 0.0), (0.5, np.inf), (1.0, 1.0)):
        _, g = forward_and_grad(lambda t, b=b: t**b, np.array([0.0]))
        assert g.tolist() == [expected]
    exponent = Tensor([2.0], requires_grad=True)
    (Tensor([0.0]) ** exponent).sum().backward()
    assert exponent.grad.data.tolist() == [0.0]


def test_a_singular_gradient_stops_detect_anomaly():
    x = Tensor([0.0, 1.0], requires_grad=True)
    with detect_anomaly(), pytest.raises(FloatingPointError, match="'sqrt'.*inf"):
        ops.sqrt(x).sum().backward()
