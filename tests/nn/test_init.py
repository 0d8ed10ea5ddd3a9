"""nn.init: PyTorch's gains and fans, seedable, rebinding the data in its dtype."""

import math

import numpy as np
import pytest

import nn
from nn import init


@pytest.mark.parametrize(
    "nonlinearity, param, gain",
    [
        ("linear", None, 1.0),
        ("conv2d", None, 1.0),
        ("sigmoid", None, 1.0),
        ("tanh", None, 5 / 3),
        ("relu", None, math.sqrt(2)),
        ("leaky_relu", None, math.sqrt(2 / (1 + 0.01**2))),
        ("leaky_relu", 0.2, math.sqrt(2 / 1.04)),
        ("leaky_relu", math.sqrt(5), math.sqrt(1 / 3)),
        ("selu", None, 0.75),
    ],
)
def test_calculate_gain(nonlinearity, param, gain):
    assert init.calculate_gain(nonlinearity, param) == pytest.approx(gain)


def test_calculate_gain_rejects_unknown_names():
    with pytest.raises(ValueError, match="unsupported nonlinearity 'swish'"):
        init.calculate_gain("swish")


# shape (out, in, kh, kw) = (64, 32, 3, 3): fan_in = 288, fan_out = 576
SHAPE = (64, 32, 3, 3)
FAN_IN, FAN_OUT = 32 * 9, 64 * 9


@pytest.mark.parametrize(
    "fill, low_high, std",
    [
        (lambda w, g: init.xavier_uniform_(w, rng=g), math.sqrt(6 / (FAN_IN + FAN_OUT)), None),
        (lambda w, g: init.xavier_uniform_(w, gain=2.0, rng=g),
         2 * math.sqrt(6 / (FAN_IN + FAN_OUT)), None),
        (lambda w, g: init.xavier_normal_(w, rng=g), None, math.sqrt(2 / (FAN_IN + FAN_OUT))),
        (lambda w, g: init.kaiming_uniform_(w, rng=g), math.sqrt(2) * math.sqrt(3 / FAN_IN), None),
        (lambda w, g: init.kaiming_uniform_(w, a=math.sqrt(5), rng=g), 1 / math.sqrt(FAN_IN),
         None),
        (lambda w, g: init.kaiming_uniform_(w, mode="fan_out", nonlinearity="relu", rng=g),
         math.sqrt(6 / FAN_OUT), None),
        (lambda w, g: init.kaiming_normal_(w, rng=g), None, math.sqrt(2 / FAN_IN)),
        (lambda w, g: init.kaiming_normal_(w, mode="fan_out", nonlinearity="tanh", rng=g), None,
         5 / 3 / math.sqrt(FAN_OUT)),
        (lambda w, g: init.uniform_(w, -0.3, 0.3, rng=g), 0.3, None),
        (lambda w, g: init.normal_(w, 0.0, 0.02, rng=g), None, 0.02),
    ],
)  # fmt: skip
def test_random_initialisers_have_pytorchs_scale(fill, low_high, std):
    w = nn.Parameter(np.zeros(SHAPE, np.float32))
    old = w.data
    assert fill(w, np.random.default_rng(0)) is w
    values = w.data
    assert values is not old and not old.any()  # rebinds; never writes into the old array
    assert values.dtype == np.float32 and not values.flags.writeable
    if low_high is not None:
        assert np.abs(values).max() <= low_high
        assert np.abs(values).max() > 0.98 * low_high
        assert values.std() == pytest.approx(low_high / math.sqrt(3), rel=0.03)
    else:
        assert values.std() == pytest.approx(std, rel=0.03)
        assert abs(values.mean()) < 0.05 * std


def test_seeds_make_initialisation_reproducible():
    a, b = nn.Parameter(np.zeros((5, 7))), nn.Parameter(np.zeros((5, 7)))
    init.xavier_normal_(a, rng=3)
    init.xavier_normal_(b, rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a.data, b.data)
    init.xavier_normal_(b, rng=4)
    assert not np.array_equal(a.data, b.data)


def test_constant_initialisers():
    w = nn.Parameter(np.full((2, 3), 7.0))
    np.testing.assert_array_equal(init.zeros_(w).data, np.zeros((2, 3)))
    np.testing.assert_array_equal(init.ones_(w).data, np.ones((2, 3)))
    np.testing.assert_array_equal(init.constant_(w, 0.25).data, np.full((2, 3), 0.25))


def test_fan_based_initialisers_need_two_dimensions():
    with pytest.raises(ValueError, match="at least 2 dimensions; got shape \\(4,\\)"):
        init.xavier_uniform_(nn.Parameter(np.zeros(4)))
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out'"):
        init.kaiming_normal_(nn.Parameter(np.zeros((2, 2))), mode="fan")
    with pytest.raises(TypeError, match="expects a Tensor"):
        init.zeros_(np.zeros(3))
