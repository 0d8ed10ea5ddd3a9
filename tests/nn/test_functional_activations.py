"""Activations, softmax and log-softmax: gradchecks, the reference's closed-form
derivatives, and stability for logits of magnitude 1e4."""

import numpy as np
import pytest

import nn.functional as F
from autograd_core import Tensor
from tests.helpers import check_grads, rng


def away_from_zero(shape, seed=0):
    """Random values at least 0.1 away from 0, so kinks are not straddled."""
    x = np.asarray(rng(seed).standard_normal(shape))
    return np.asarray(x + 0.1 * np.sign(x) + (x == 0) * 0.5)


def vjp(fn, x, delta):
    """(y, dE/dx) for E with dE/dy = delta."""
    t = Tensor(x, requires_grad=True)
    y = fn(t)
    y.backward(delta)
    return y.data, t.grad.data


ELEMENTWISE = {
    "relu": F.relu,
    "leaky_relu": lambda x: F.leaky_relu(x, negative_slope=0.2),
    "leaky_relu_default": F.leaky_relu,
    "tanh": F.tanh,
    "sigmoid": F.sigmoid,
    "abs": F.abs,
    "softplus": F.softplus,
}


@pytest.mark.parametrize("name", sorted(ELEMENTWISE))
@pytest.mark.parametrize("shape", [(), (5,), (2, 3)])
def test_elementwise_gradcheck(name, shape):
    check_grads(ELEMENTWISE[name], away_from_zero(shape))


@pytest.mark.parametrize(
    "power, scale, shift",
    [(2.0, 1.0, 0.0), (3, 0.5, 0.2), (0.5, 2.0, 3.0), (-1.5, 1.0, 4.0), (1.0, -2.0, 1.0)],
)
def test_power_gradcheck(power, scale, shift):
    x = rng(1).uniform(0.1, 1.0, (2, 3))  # keeps shift + scale * x > 0 for every case
    check_grads(lambda t: F.power(t, power, scale=scale, shift=shift), x)


def test_power_forward():
    y = F.power(np.array([1.0, 2.0, 3.0]), 2, scale=2.0, shift=-1.0)
    np.testing.assert_allclose(y.data, [1.0, 9.0, 25.0])  # (2x - 1)^2


# ---- closed forms from the layer reference -------------------------------------------


def test_tanh_closed_form():
    x, delta = away_from_zero((3, 4)), rng(2).standard_normal((3, 4))
    y, dx = vjp(F.tanh, x, delta)
    np.testing.assert_allclose(dx, delta * (1 - y**2))


def test_sigmoid_closed_form():
    x, delta = away_from_zero((3, 4)), rng(2).standard_normal((3, 4))
    y, dx = vjp(F.sigmoid, x, delta)
    np.testing.assert_allclose(y, 1 / (1 + np.exp(-x)))
    np.testing.assert_allclose(dx, delta * y * (1 - y))


def test_relu_closed_form():
    x, delta = away_from_zero((3, 4)), rng(2).standard_normal((3, 4))
    y, dx = vjp(F.relu, x, delta)
    np.testing.assert_array_equal(y, np.where(x >= 0, x, 0))
    np.testing.assert_array_equal(dx, np.where(x >= 0, delta, 0))  # [delta]_{x >= 0}


def test_relu_gradient_at_zero_is_zero():
    _, dx = vjp(F.relu, np.array([0.0]), np.array([1.0]))
    assert dx[0] == 0.0  # the PyTorch convention (the reference leaves x = 0 open)


def test_abs_closed_form():
    x, delta = away_from_zero((3, 4)), rng(2).standard_normal((3, 4))
    _, dx = vjp(F.abs, x, delta)
    np.testing.assert_allclose(dx, delta * x / np.abs(x))


def test_leaky_relu_closed_form():
    x, delta = away_from_zero((3, 4)), rng(2).standard_normal((3, 4))
    y, dx = vjp(lambda t: F.leaky_relu(t, 0.1), x, delta)
    np.testing.assert_allclose(y, np.where(x > 0, x, 0.1 * x))
    np.testing.assert_allclose(dx, np.where(x > 0, delta, 0.1 * delta))


def test_power_closed_form():
    x, delta = rng(1).uniform(0.5, 2.0, (3, 4)), rng(2).standard_normal((3, 4))
    _, dx = vjp(lambda t: F.power(t, 2.5, scale=1.5, shift=0.5), x, delta)
    np.testing.assert_allclose(dx, delta * 2.5 * 1.5 * (0.5 + 1.5 * x) ** 1.5)


def test_softplus_gradient_is_sigmoid_even_at_zero():
    x = np.array([-3.0, 0.0, 2.0])
    y, dx = vjp(F.softplus, x, np.ones(3))
    np.testing.assert_allclose(y, np.log1p(np.exp(x)))
    np.testing.assert_allclose(dx, 1 / (1 + np.exp(-x)))


# ---- softmax, log-softmax -------------------------------------------------------------


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_and_log_softmax_gradcheck(axis):
    x = rng(3).standard_normal((2, 3, 2))
    check_grads(lambda t: F.softmax(t, axis=axis), x)
    check_grads(lambda t: F.log_softmax(t, axis=axis), x)


def test_softmax_forward_and_jacobian():
    x = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]])
    s = np.exp(x) / np.exp(x).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(F.softmax(x).data, s)
    np.testing.assert_allclose(F.log_softmax(x).data, np.log(s))
    delta = rng(4).standard_normal(x.shape)
    _, dx = vjp(F.softmax, x, delta)
    # d s_i / d x_j = s_i ([i = j] - s_j)
    expected = s * (delta - (delta * s).sum(axis=1, keepdims=True))
    np.testing.assert_allclose(dx, expected)


def test_log_softmax_vjp_closed_form():
    """d/dx_j of log_softmax_i = [i = j] - s_j, so delta goes back as
    delta - s * sum(delta) along the class axis."""
    x = rng(6).standard_normal((4, 5))
    delta = rng(7).standard_normal(x.shape)
    s = np.exp(x) / np.exp(x).sum(axis=0, keepdims=True)
    _, dx = vjp(lambda t: F.log_softmax(t, axis=0), x, delta)
    np.testing.assert_allclose(dx, delta - s * delta.sum(axis=0, keepdims=True), rtol=1e-12)


@pytest.mark.parametrize("shape, axis", [((2, 3), 2), ((2, 3), -3), ((), 1), ((3,), 0.5)])
def test_log_softmax_axis_error(shape, axis):
    with pytest.raises(np.exceptions.AxisError, match=r"log_softmax: axis=.* does not fit"):
        F.log_softmax(np.zeros(shape), axis=axis)


@pytest.mark.parametrize("axis", [0, -1])
def test_softmax_and_log_softmax_of_a_0d_tensor(axis):
    """One element: softmax is 1 and log_softmax 0, with zero gradient, as in PyTorch."""
    x = Tensor(1.5, requires_grad=True)
    assert F.softmax(x, axis=axis).item() == 1.0
    y = F.log_softmax(x, axis=axis)
    assert y.item() == 0.0
    y.backward()
    assert x.grad.item() == 0.0


BIG = np.array([[1e4, -1e4, 0.0], [-1e4, -1e4, 1e4 - 1.0], [1e4, 1e4, -1e4]])


def test_softmax_stable_at_1e4():
    s, ds = vjp(F.softmax, BIG, rng(5).standard_normal(BIG.shape))
    np.testing.assert_allclose(s, [[1, 0, 0], [0, 0, 1], [0.5, 0.5, 0]], atol=1e-300)
    assert np.isfinite(ds).all()


def test_log_softmax_stable_at_1e4():
    ls, dls = vjp(F.log_softmax, BIG, np.ones(BIG.shape))
    expected = [
        [0.0, -2e4, -1e4],
        [-2e4 + 1, -2e4 + 1, 0.0],
        [-np.log(2), -np.log(2), -2e4 - np.log(2)],
    ]
    np.testing.assert_allclose(ls, expected, rtol=1e-12)
    assert np.isfinite(dls).all()
    # d/dx of sum_i log_softmax_i = 1 - C softmax
    np.testing.assert_allclose(dls, 1 - 3 * F.softmax(BIG).data, atol=1e-12)


def test_sigmoid_stable_at_1e4():
    y, dx = vjp(F.sigmoid, np.array([1e4, -1e4, 0.0]), np.ones(3))
    np.testing.assert_allclose(y, [1.0, 0.0, 0.5])
    np.testing.assert_allclose(dx, [0.0, 0.0, 0.25])


def test_softplus_stable_at_1e4():
    y, dx = vjp(F.softplus, np.array([1e4, -1e4]), np.ones(2))
    np.testing.assert_allclose(y, [1e4, 0.0])
    np.testing.assert_allclose(dx, [1.0, 0.0])


def test_float32_stays_float32():
    x = np.ones((2, 3), np.float32)
    for fn in (F.relu, F.tanh, F.sigmoid, F.softmax, F.log_softmax, F.leaky_relu):
        assert fn(x).dtype == np.float32
    assert F.power(x, 2.0, scale=0.5, shift=1.0).dtype == np.float32
