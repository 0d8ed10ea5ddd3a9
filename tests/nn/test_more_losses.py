"""l1, smooth L1, Huber, KL divergence and cosine similarity (and their Modules): NumPy
references written from PyTorch's definitions, every reduction (KL's "mean" versus
"batchmean"), finite differences, the kinks, and bad settings."""

import numpy as np
import pytest

import nn
import nn.functional as F
from autograd_core import Tensor
from tests.helpers import check_grads, rng

X = rng(0).standard_normal((4, 5)) * 2
Y = rng(1).standard_normal((4, 5))
D = X - Y
REDUCE = {"mean": np.mean, "sum": np.sum, "none": lambda a: a}


def log_softmax(z):
    return z - np.log(np.exp(z).sum(axis=1, keepdims=True))


LOG_P = log_softmax(X)  # the input: log-probabilities
TARGET = np.exp(log_softmax(Y))
TARGET[0, 0] = 0.0  # a zero-probability class

POINTWISE = {
    "l1_loss": (F.l1_loss, {}, np.abs(D)),
    "smooth_l1_loss": (
        F.smooth_l1_loss, {"beta": 0.7},
        np.where(np.abs(D) < 0.7, 0.5 * D**2 / 0.7, np.abs(D) - 0.35),
    ),
    "smooth_l1_beta_0": (F.smooth_l1_loss, {"beta": 0.0}, np.abs(D)),
    "huber_loss": (
        F.huber_loss, {"delta": 1.3},
        np.where(np.abs(D) < 1.3, 0.5 * D**2, 1.3 * (np.abs(D) - 0.65)),
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(POINTWISE))
@pytest.mark.parametrize("reduction", sorted(REDUCE))
def test_regression_losses_match_the_reference(name, reduction):
    fn, settings, pointwise = POINTWISE[name]
    got = fn(X, Y, reduction=reduction, **settings)
    np.testing.assert_allclose(got.data, REDUCE[reduction](pointwise), rtol=1e-12)


@pytest.mark.parametrize("name", sorted(POINTWISE))
def test_regression_losses_gradcheck(name):
    fn, settings, _ = POINTWISE[name]
    x = np.asarray(X + 0.05 * np.sign(D))  # away from the kinks
    check_grads(lambda x, y: fn(x, y, reduction="sum", **settings), x, Y)


def test_huber_is_delta_times_smooth_l1_and_gradients_at_the_zone_edges():
    np.testing.assert_allclose(
        F.huber_loss(X, Y, delta=0.5).data, 0.5 * F.smooth_l1_loss(X, Y, beta=0.5).data
    )
    x = Tensor(np.array([1.0, 2.0, 3.0]), requires_grad=True)
    F.huber_loss(x, np.array([1.0, 1.0, 1.0]), reduction="sum").backward()
    np.testing.assert_array_equal(x.grad.data, [0.0, 1.0, 1.0])  # d = 0, d = delta, beyond
    x = Tensor(np.array([0.5]), requires_grad=True)
    F.l1_loss(x, np.array([0.5])).backward()
    assert x.grad.item() == 0.0  # sign(0) = 0, as PyTorch


def test_kl_div_reductions():
    pointwise = np.where(TARGET > 0, TARGET * (np.log(np.where(TARGET > 0, TARGET, 1)) - LOG_P), 0)
    assert np.isfinite(pointwise).all()
    np.testing.assert_allclose(
        F.kl_div(LOG_P, TARGET, reduction="none").data, pointwise, rtol=1e-12
    )
    np.testing.assert_allclose(F.kl_div(LOG_P, TARGET).data, pointwise.mean(), rtol=1e-12)
    per_sample = pointwise.sum() / 4  # "batchmean": the KL divergence per sample
    np.testing.assert_allclose(F.kl_div(LOG_P, TARGET, reduction="batchmean").data, per_sample)
    np.testing.assert_allclose(F.kl_div(LOG_P, TARGET, reduction="sum").data, pointwise.sum())
    log_t = np.log(np.where(TARGET > 0, TARGET, 1e-3))
    got = F.kl_div(LOG_P, log_t, reduction="sum", log_target=True)
    np.testing.assert_allclose(got.data, (np.exp(log_t) * (log_t - LOG_P)).sum(), rtol=1e-12)


def test_kl_div_gradients():
    target = np.abs(TARGET) + 0.01
    check_grads(lambda x, t: F.kl_div(x, t, reduction="batchmean"), LOG_P, target)
    check_grads(lambda x, t: F.kl_div(x, t, log_target=True), LOG_P, np.log(target))
    t = Tensor(TARGET, requires_grad=True)
    F.kl_div(LOG_P, t, reduction="sum").backward()
    assert t.grad.data[0, 0] == 0.0  # a zero target: no NaN


def test_cosine_similarity():
    want = (X * Y).sum(1) / (np.linalg.norm(X, axis=1) * np.linalg.norm(Y, axis=1))
    np.testing.assert_allclose(F.cosine_similarity(X, Y).data, want, rtol=1e-12)
    broadcast = F.cosine_similarity(X, Y[0], axis=-1).data
    np.testing.assert_allclose(
        broadcast, X @ Y[0] / np.linalg.norm(X, axis=1) / np.linalg.norm(Y[0])
    )
    check_grads(lambda a, b: F.cosine_similarity(a, b, axis=0), X, Y)
    zero = Tensor(np.zeros((1, 3)), requires_grad=True)
    sim = F.cosine_similarity(zero, np.ones((1, 3)))
    sim.sum().backward()
    assert sim.item() == 0.0 and np.isfinite(zero.grad.data).all()
    tiny = np.array([[1e-9, 2e-9]])  # norm below eps: divided by eps instead
    np.testing.assert_allclose(
        F.cosine_similarity(tiny, np.array([[1.0, 1.0]])).data, 3e-9 / 1e-8 / np.sqrt(2)
    )


MODULES = [
    (nn.L1Loss(), lambda x, y: F.l1_loss(x, y)),
    (nn.SmoothL1Loss(reduction="sum", beta=0.5), lambda x, y: F.smooth_l1_loss(x, y, "sum", 0.5)),
    (nn.HuberLoss(delta=2.0), lambda x, y: F.huber_loss(x, y, delta=2.0)),
    (nn.KLDivLoss(reduction="batchmean"), lambda x, y: F.kl_div(x, y, "batchmean")),
    (nn.CosineSimilarity(dim=0), lambda x, y: F.cosine_similarity(x, y, axis=0)),
]


@pytest.mark.parametrize("module, fn", MODULES, ids=lambda m: type(m).__name__)
def test_loss_modules_call_their_function(module, fn):
    np.testing.assert_array_equal(module(LOG_P, TARGET).data, fn(LOG_P, TARGET).data)


def test_bad_settings():
    with pytest.raises(ValueError, match="kl_div: reduction must be 'mean', 'batchmean'"):
        nn.KLDivLoss(reduction="average")
    with pytest.raises(ValueError, match="huber_loss: delta must be > 0"):
        nn.HuberLoss(delta=0)
    with pytest.raises(ValueError, match="smooth_l1_loss: beta must be >= 0"):
        nn.SmoothL1Loss(beta=-1)
    with pytest.raises(ValueError, match=r"L1Loss: l1_loss: input and target must have the same"):
        nn.L1Loss()(X, Y[:2])
    with pytest.raises(ValueError, match=r"cosine_similarity: x1 \(4, 5\) and x2 \(3,\) do not"):
        F.cosine_similarity(X, np.ones(3))
