"""Padding (every mode) and cropping: values, the derived gradients, gradchecks, errors."""

import numpy as np
import pytest

import nn.functional as F
from autograd_core import Tensor
from tests.helpers import check_grads, rng


def grad_of(fn, x, delta):
    t = Tensor(x, requires_grad=True)
    y = fn(t)
    y.backward(delta)
    return y.data, t.grad.data


X1 = np.array([1.0, 2.0, 3.0])  # a, b, c
DELTA = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0])


def test_pad_constant_1d():
    y, dx = grad_of(lambda t: F.pad(t, (2, 1), value=-1.0), X1, DELTA)
    np.testing.assert_array_equal(y, [-1, -1, 1, 2, 3, -1])
    np.testing.assert_array_equal(dx, [3, 4, 5])  # delta cropped back


def test_pad_reflect_1d():
    y, dx = grad_of(lambda t: F.pad(t, (2, 1), mode="reflect"), X1, DELTA)
    np.testing.assert_array_equal(y, [3, 2, 1, 2, 3, 2])  # c b | a b c | b
    np.testing.assert_array_equal(dx, [3, 2 + 4 + 6, 1 + 5])  # summed over the copies


def test_pad_edge_1d():
    y, dx = grad_of(lambda t: F.pad(t, (2, 1), mode="edge"), X1, DELTA)
    np.testing.assert_array_equal(y, [1, 1, 1, 2, 3, 3])  # a a | a b c | c
    np.testing.assert_array_equal(dx, [1 + 2 + 3, 4, 5 + 6])


@pytest.mark.parametrize("mode", ["constant", "reflect", "edge"])
@pytest.mark.parametrize(
    "pad_width", [1, (1, 2), ((0, 0), (0, 0), (1, 0), (2, 1)), [[0, 0], [1, 1], [0, 2], [2, 0]]]
)
def test_pad_matches_numpy_and_gradcheck(mode, pad_width):
    x = rng(0).standard_normal((1, 2, 3, 3))
    kwargs = {"constant_values": 0.5} if mode == "constant" else {}
    y = F.pad(x, pad_width, mode=mode, value=0.5)
    np.testing.assert_array_equal(y.data, np.pad(x, pad_width, mode=mode, **kwargs))
    check_grads(lambda t: F.pad(t, pad_width, mode=mode, value=0.5), x)


def test_crop_value_and_gradient():
    x = np.arange(20.0).reshape(1, 4, 5)
    delta = np.array([[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]])
    y, dx = grad_of(lambda t: F.crop(t, 1, 2, 3, 2), x, delta)
    np.testing.assert_array_equal(y, [[[7, 8], [12, 13], [17, 18]]])
    expected = np.zeros((1, 4, 5))
    expected[0, 1:4, 2:4] = delta[0]  # delta back in its window, zero elsewhere
    np.testing.assert_array_equal(dx, expected)
    check_grads(lambda t: F.crop(t, 0, 1, 2, 3), rng(1).standard_normal((2, 1, 3, 4)))


def test_pad_then_crop_is_identity():
    x = rng(2).standard_normal((2, 3, 4))
    padded = F.pad(x, ((0, 0), (1, 2), (3, 0)), mode="reflect")
    np.testing.assert_array_equal(F.crop(padded, 1, 3, 3, 4).data, x)


def test_errors():
    x = np.ones((2, 3, 3))
    with pytest.raises(ValueError, match="pad: mode must be one of"):
        F.pad(x, 1, mode="wrap")
    with pytest.raises(ValueError, match="pad: pad widths must be >= 0"):
        F.pad(x, (-1, 0))
    with pytest.raises(ValueError, match="pad: pad_width"):
        F.pad(x, ((1, 1), (1, 1)))
    with pytest.raises(TypeError, match="pad: pad_width must hold integers"):
        F.pad(x, 1.5)
    with pytest.raises(ValueError, match="crop: the window"):
        F.crop(x, 1, 1, 3, 1)
    with pytest.raises(ValueError, match="crop: the window"):
        F.crop(x, 0, 0, 0, 1)
    with pytest.raises(TypeError, match="crop: top must be an int"):
        F.crop(x, 0.5, 0, 1, 1)
