"""gelu (both forms), silu, elu, selu, softplus with beta and threshold, softsign,
hardtanh, log_sigmoid and mish: finite differences to second order, hand-written NumPy
references (PyTorch's formulas and constants), kinks as PyTorch takes them, stability at
1e4, float32, bad settings; their Modules; Identity, ModuleList and ModuleDict."""

import math

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import Tensor
from tests.helpers import check_grads, rng

X = np.concatenate([np.linspace(-4.3, 4.1, 9), [-0.37, 0.52]])
ERF = np.vectorize(math.erf)
SIGMOID = lambda x: 1 / (1 + np.exp(-x))  # noqa: E731
SOFTPLUS = lambda x: np.log1p(np.exp(x))  # noqa: E731

# name: (function, NumPy reference of the value, of the derivative)
REFERENCES = {
    "gelu": (
        F.gelu,
        lambda x: 0.5 * x * (1 + ERF(x / math.sqrt(2))),
        lambda x: (
            0.5 * (1 + ERF(x / math.sqrt(2))) + x * np.exp(-x * x / 2) / math.sqrt(2 * math.pi)
        ),
    ),
    "gelu_tanh": (
        lambda x: F.gelu(x, approximate="tanh"),
        lambda x: 0.5 * x * (1 + np.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3))),
        None,
    ),
    "silu": (F.silu, lambda x: x * SIGMOID(x), lambda x: SIGMOID(x) * (1 + x * (1 - SIGMOID(x)))),
    "elu": (
        lambda x: F.elu(x, alpha=0.7),
        lambda x: np.where(x > 0, x, 0.7 * (np.exp(x) - 1)),
        lambda x: np.where(x > 0, 1.0, 0.7 * np.exp(x)),
    ),
    "selu": (
        F.selu,
        lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(x)),
        None,
    ),
    "softplus_beta": (
        lambda x: F.softplus(x, beta=2.0, threshold=5.0),
        lambda x: np.where(2 * x > 5, x, SOFTPLUS(2 * x) / 2),
        lambda x: np.where(2 * x > 5, 1.0, SIGMOID(2 * x)),
    ),
    "softsign": (F.softsign, lambda x: x / (1 + np.abs(x)), lambda x: 1 / (1 + np.abs(x)) ** 2),
    "hardtanh": (
        lambda x: F.hardtanh(x, -2.0, 1.5),
        lambda x: np.clip(x, -2.0, 1.5),
        lambda x: ((x > -2.0) & (x < 1.5)).astype(float),
    ),
    "log_sigmoid": (F.log_sigmoid, lambda x: -SOFTPLUS(-x), lambda x: 1 - SIGMOID(x)),
    "mish": (
        F.mish,
        lambda x: x * np.tanh(SOFTPLUS(x)),
        lambda x: np.tanh(SOFTPLUS(x)) + x * SIGMOID(x) * (1 - np.tanh(SOFTPLUS(x)) ** 2),
    ),
}


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_value_and_derivative_against_numpy(name):
    fn, value, derivative = REFERENCES[name]
    t = Tensor(X, requires_grad=True)
    y = fn(t)
    np.testing.assert_allclose(y.data, value(X), rtol=1e-13, atol=1e-15)
    if derivative is not None:
        y.sum().backward()
        np.testing.assert_allclose(t.grad.data, derivative(X), rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("name", sorted(REFERENCES))
@pytest.mark.parametrize("shape", [(), (2, 3)])
def test_gradcheck_to_second_order(name, shape):
    x = rng(1).standard_normal(shape) * 2
    x = np.asarray(x + 0.1 * np.sign(x))  # away from the kinks at 0
    check_grads(REFERENCES[name][0], x)


def test_gelu_exact_in_both_tails():
    """Phi(x) keeps its relative precision far out: gelu(-10) = -10 Phi(-10) ~ -7.6e-23."""
    x = np.array([-10.0, -30.0, 10.0, 30.0])
    phi = 0.5 * np.vectorize(math.erfc)(-x / math.sqrt(2))
    np.testing.assert_allclose(F.gelu(x).data, x * phi, rtol=1e-12)


def test_kinks_follow_pytorch():
    t = Tensor(np.array([0.0, -2.0, 1.5, 0.0]), requires_grad=True)
    F.hardtanh(t[1:3], -2.0, 1.5).sum().backward()
    np.testing.assert_array_equal(t.grad.data, [0, 0, 0, 0])  # zero at the bounds
    t = Tensor(np.array([0.0]), requires_grad=True)
    F.elu(t, alpha=0.7).sum().backward()
    assert t.grad.item() == pytest.approx(0.7)  # the x <= 0 side at 0
    t = Tensor(np.array([0.0]), requires_grad=True)
    F.gelu(t).sum().backward()
    assert t.grad.item() == pytest.approx(0.5)


@pytest.mark.parametrize(
    "fn", [F.gelu, F.silu, F.elu, F.selu, F.softplus, F.softsign, F.log_sigmoid, F.mish]
)
def test_finite_at_1e4_in_both_directions(fn):
    t = Tensor(np.array([1e4, -1e4]), requires_grad=True)
    y = fn(t)
    y.sum().backward()
    assert np.isfinite(y.data).all() and np.isfinite(t.grad.data).all()


def test_log_sigmoid_and_softplus_at_1e4():
    np.testing.assert_allclose(F.log_sigmoid(np.array([1e4, -1e4])).data, [0.0, -1e4])
    np.testing.assert_allclose(F.softplus(np.array([1e4, -1e4]), beta=0.5).data, [1e4, 0.0])


@pytest.mark.parametrize("name", sorted(REFERENCES))
def test_float32_stays_float32(name):
    x = Tensor(X.astype(np.float32), requires_grad=True)
    y = REFERENCES[name][0](x)
    y.sum().backward()
    assert y.dtype == np.float32 and x.grad.dtype == np.float32


def test_bad_settings_name_the_function():
    with pytest.raises(ValueError, match=r"gelu: approximate must be 'none' or 'tanh'; got 'erf'"):
        F.gelu(X, approximate="erf")
    with pytest.raises(ValueError, match=r"gelu: approximate"):
        nn.GELU("fast")
    with pytest.raises(ValueError, match="softplus: beta must not be 0"):
        nn.Softplus(beta=0)
    with pytest.raises(TypeError, match="elu: alpha must be a real number; got str"):
        nn.ELU(alpha="1")
    with pytest.raises(ValueError, match="hardtanh: need min_val <= max_val"):
        nn.Hardtanh(1.0, -1.0)


MODULES = [
    (nn.GELU(), F.gelu),
    (nn.GELU(approximate="tanh"), lambda x: F.gelu(x, "tanh")),
    (nn.SiLU(), F.silu),
    (nn.ELU(alpha=0.5), lambda x: F.elu(x, 0.5)),
    (nn.SELU(), F.selu),
    (nn.Softplus(beta=3, threshold=2), lambda x: F.softplus(x, 3, 2)),
    (nn.Softsign(), F.softsign),
    (nn.Hardtanh(-0.5, 0.5), lambda x: F.hardtanh(x, -0.5, 0.5)),
    (nn.LogSigmoid(), F.log_sigmoid),
    (nn.Mish(), F.mish),
    (nn.Softmax(dim=0), lambda x: F.softmax(x, axis=0)),
    (nn.LogSoftmax(dim=0), lambda x: F.log_softmax(x, axis=0)),
]


@pytest.mark.parametrize("module, fn", MODULES, ids=lambda m: type(m).__name__)
def test_modules_call_their_function(module, fn):
    x = rng(2).standard_normal((3, 4))
    np.testing.assert_array_equal(module(x).data, fn(x).data)
    assert repr(module).startswith(type(module).__name__)


def test_identity_takes_and_ignores_arguments():
    x = Tensor(np.ones(3))
    assert nn.Identity(54, unused_argument=0.1)(x) is x


def test_module_list_like_pytorch():
    layers = nn.ModuleList([nn.Linear(2, 2, rng=0), nn.ReLU()])
    layers.extend([nn.Linear(2, 3, rng=1)])
    layers.insert(1, nn.Tanh())
    assert [type(m).__name__ for m in layers] == ["Linear", "Tanh", "ReLU", "Linear"]
    assert [n for n, _ in layers.named_parameters()] == ["0.weight", "0.bias", "3.weight", "3.bias"]
    assert isinstance(layers[1:3], nn.ModuleList) and len(layers[1:3]) == 2
    layers[2] = nn.Sigmoid()
    del layers[1]
    assert [type(m).__name__ for m in layers] == ["Linear", "Sigmoid", "Linear"]
    assert list(layers.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    with pytest.raises(TypeError, match="append for one module"):
        layers.extend(nn.ReLU())
    with pytest.raises(IndexError, match="out of range for 3 modules"):
        layers[3]


def test_module_dict_like_pytorch():
    heads = nn.ModuleDict({"a": nn.Linear(2, 2, rng=0)})
    heads["b"] = nn.Linear(2, 1, rng=1)
    heads.update([("c", nn.ReLU())])
    assert heads.keys() == ["a", "b", "c"] and "b" in heads and len(heads) == 3
    heads["a"] = nn.Linear(2, 2, rng=2)  # replaced where it stands
    assert list(heads) == ["a", "b", "c"]
    assert [n for n, _ in heads.named_parameters()] == ["a.weight", "a.bias", "b.weight", "b.bias"]
    assert isinstance(heads.pop("c"), nn.ReLU) and "c" not in heads
    assert [k for k, _ in heads.items()] == ["a", "b"]
    with pytest.raises(KeyError, match=r"no module 'z'; its keys are \['a', 'b'\]"):
        heads["z"]
    with pytest.raises(TypeError, match="not an nn.Module"):
        heads["d"] = 3
    heads.clear()
    assert len(heads) == 0 and list(heads.parameters()) == []
