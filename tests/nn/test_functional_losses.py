"""Losses: the reference's closed-form gradients (Euclidean, softmax with cross entropy,
BCE, total variation), stability for logits of magnitude 1e4, gradchecks and errors."""

import numpy as np
import pytest

import nn.functional as F
import ops
from autograd_core import Tensor
from autograd_core.graph import topological_order
from tests.helpers import check_grads, rng

REDUCTIONS = ["mean", "sum", "none"]


def grads(fn, *arrays):
    """Value of fn and the gradients of its sum (or of itself when scalar)."""
    ts = [Tensor(a, requires_grad=True) for a in arrays]
    out = fn(*ts)
    out.backward(np.ones(out.shape))
    return out.data, [t.grad.data for t in ts]


def softmax_np(z):
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


# ---- Euclidean and MSE ---------------------------------------------------------------------


def test_euclidean_loss_value_and_closed_form():
    r = rng(0)
    x, y = r.standard_normal((4, 2, 3)), r.standard_normal((4, 2, 3))
    value, (dx, dy) = grads(F.euclidean_loss, x, y)
    np.testing.assert_allclose(value, np.sum((x - y) ** 2) / (2 * 4))
    np.testing.assert_allclose(dx, (x - y) / 4)  # Delta = (X - Y) / N
    np.testing.assert_allclose(dy, -(x - y) / 4)


def test_euclidean_loss_gradcheck():
    r = rng(1)
    check_grads(F.euclidean_loss, r.standard_normal((3, 2)), r.standard_normal((3, 2)))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_mse_loss(reduction):
    r = rng(2)
    x, y = r.standard_normal((3, 2)), r.standard_normal((3, 2))
    value, (dx, _) = grads(lambda a, b: F.mse_loss(a, b, reduction=reduction), x, y)
    expected = {"mean": np.mean, "sum": np.sum, "none": lambda a: a}[reduction]((x - y) ** 2)
    np.testing.assert_allclose(value, expected)
    np.testing.assert_allclose(dx, 2 * (x - y) / (x.size if reduction == "mean" else 1))
    check_grads(lambda a, b: F.mse_loss(a, b, reduction=reduction), x, y)


# ---- cross entropy ----------------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_gradient_is_p_minus_y(reduction):
    r = rng(3)
    z, target = r.standard_normal((4, 3)), np.array([0, 2, 1, 2])
    value, (dz,) = grads(lambda t: F.cross_entropy(t, target, reduction=reduction), z)
    p, y = softmax_np(z), np.eye(3)[target]
    per_sample = -np.log(p[np.arange(4), target])
    scale = 4 if reduction == "mean" else 1
    np.testing.assert_allclose(
        value, per_sample.sum() / scale if reduction != "none" else per_sample
    )
    np.testing.assert_allclose(dz, (p - y) / scale)


def test_cross_entropy_with_probability_targets():
    r = rng(4)
    z, y = r.standard_normal((3, 4)), r.dirichlet(np.ones(4), size=3)
    value, (dz, dy) = grads(F.cross_entropy, z, y)
    logp = np.log(softmax_np(z))
    np.testing.assert_allclose(value, -(y * logp).sum() / 3)
    np.testing.assert_allclose(dz, (softmax_np(z) - y) / 3)  # rows of y sum to 1
    np.testing.assert_allclose(dy, -logp / 3)


def test_cross_entropy_class_axis():
    r = rng(5)
    z, target = r.standard_normal((2, 3, 4)), r.integers(0, 3, (2, 4))  # classes on axis 1
    moved = np.moveaxis(z, 1, -1)
    np.testing.assert_allclose(
        F.cross_entropy(z, target, axis=1).data, F.cross_entropy(moved, target).data
    )
    check_grads(lambda t: F.cross_entropy(t, target, axis=1, reduction="sum"), z)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_and_nll_gradcheck(reduction):
    r = rng(6)
    z, target = r.standard_normal((3, 4)), np.array([3, 0, 1])
    check_grads(lambda t: F.cross_entropy(t, target, reduction=reduction), z)
    check_grads(lambda t: F.nll_loss(t, target, reduction=reduction), z)
    soft = r.dirichlet(np.ones(4), size=3)
    check_grads(lambda t, y: F.cross_entropy(t, y, reduction=reduction), z, soft)


def test_nll_loss_value():
    log_probs = np.log(np.array([[0.5, 0.25, 0.25], [0.1, 0.1, 0.8]]))
    value = F.nll_loss(log_probs, np.array([1, 2]), reduction="none").data
    np.testing.assert_allclose(value, [np.log(4), -np.log(0.8)])


def test_cross_entropy_stable_at_1e4():
    z = np.array([[1e4, 0.0, -1e4], [1e4, 0.0, -1e4], [-1e4, -1e4, 1e4]])
    target = np.array([0, 2, 1])
    value, (dz,) = grads(lambda t: F.cross_entropy(t, target, reduction="none"), z)
    np.testing.assert_allclose(value, [0.0, 2e4, 2e4])
    np.testing.assert_allclose(dz, [[0, 0, 0], [1, 0, -1], [0, -1, 1]], atol=1e-300)
    soft = np.array([[0.5, 0.5, 0.0]] * 3)
    value, (dz,) = grads(lambda t: F.cross_entropy(t, soft, reduction="sum"), z)
    assert np.isfinite(value) and np.isfinite(dz).all()


def test_cross_entropy_with_indices_is_one_node_of_the_closed_form():
    r = rng(7)
    z, target = r.standard_normal((4, 3, 2)), r.integers(0, 4, (3, 2))  # classes on axis 0
    logits = Tensor(z, requires_grad=True)
    loss = ops.softmax_cross_entropy(logits, target, axis=0)
    picked = np.take_along_axis(z, target[None], 0)[0]
    np.testing.assert_allclose(loss.data, np.log(np.exp(z).sum(axis=0)) - picked, rtol=1e-14)
    assert loss.op == "softmax_cross_entropy"
    assert loss._node.parents[0] is logits and loss._node.parents[1] is None  # no target grad
    mean = F.cross_entropy(Tensor(z[:, :, 0].T, requires_grad=True), target[:, 0])
    assert {t.op for t in topological_order([mean])} == {
        None,
        "sum",
        "divide",
        "softmax_cross_entropy",
    }


def test_softmax_cross_entropy_refuses_what_has_no_class_axis():
    with pytest.raises(ValueError, match="softmax_cross_entropy: the logits need an axis"):
        ops.softmax_cross_entropy(Tensor(1.0), np.array(0))
    with pytest.raises(TypeError, match="softmax_cross_entropy: axis is the one axis"):
        ops.softmax_cross_entropy(Tensor(np.zeros((2, 3))), np.array([0, 1]), axis=(0, 1))
    with pytest.raises(np.exceptions.AxisError, match="softmax_cross_entropy"):
        ops.softmax_cross_entropy(Tensor(np.zeros((2, 3))), np.array([0, 1]), axis=2)


# ---- binary cross entropy --------------------------------------------------------------------


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_closed_form(reduction):
    r = rng(7)
    p, y = r.uniform(0.05, 0.95, (3, 2)), r.uniform(0, 1, (3, 2))
    value, (dp, dy) = grads(lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction), p, y)
    loss = -(y * np.log(p) + (1 - y) * np.log(1 - p))
    scale = p.size if reduction == "mean" else 1
    np.testing.assert_allclose(value, loss if reduction == "none" else loss.sum() / scale)
    np.testing.assert_allclose(dp, (-y / p + (1 - y) / (1 - p)) / scale)
    np.testing.assert_allclose(dy, (np.log(1 - p) - np.log(p)) / scale)
    check_grads(lambda a, b: F.binary_cross_entropy(a, b, reduction=reduction), p, y)


def test_binary_cross_entropy_clamps_the_logs():
    value = F.binary_cross_entropy(np.array([0.0, 1.0, 1.0]), np.array([1.0, 0.0, 1.0]), "none")
    np.testing.assert_allclose(value.data, [100.0, 100.0, 0.0])


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_bce_with_logits_closed_form(reduction):
    r = rng(8)
    z, y = r.standard_normal((3, 2)), r.uniform(0, 1, (3, 2))
    fn = lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction=reduction)
    value, (dz, dy) = grads(fn, z, y)
    s = 1 / (1 + np.exp(-z))
    loss = -(y * np.log(s) + (1 - y) * np.log(1 - s))
    scale = z.size if reduction == "mean" else 1
    np.testing.assert_allclose(value, loss if reduction == "none" else loss.sum() / scale)
    np.testing.assert_allclose(dz, (s - y) / scale)
    np.testing.assert_allclose(dy, -z / scale)
    check_grads(fn, z, y)


def test_bce_with_logits_exact_at_zero():
    _, (dz, _) = grads(F.binary_cross_entropy_with_logits, np.zeros(2), np.array([0.0, 1.0]))
    np.testing.assert_allclose(dz, [0.25, -0.25])  # (sigmoid(0) - y) / 2


def test_bce_with_logits_stable_at_1e4():
    z, y = np.array([1e4, -1e4, 1e4, -1e4]), np.array([1.0, 0.0, 0.0, 1.0])
    fn = lambda a, b: F.binary_cross_entropy_with_logits(a, b, reduction="none")
    value, (dz, dy) = grads(fn, z, y)
    np.testing.assert_allclose(value, [0.0, 0.0, 1e4, 1e4])
    np.testing.assert_allclose(dz, [0.0, 0.0, 1.0, -1.0])
    assert np.isfinite(dy).all()


# ---- total variation -----------------------------------------------------------------------


def test_total_variation_value():
    x = np.array([[0.0, 3.0, 3.0], [4.0, 0.0, 0.0], [4.0, 0.0, 1.0]])
    # only i, j < 2: (3, 4) -> 5; (0, -3) -> 3; (-4, 0) -> 4; (0, 0) -> 0
    np.testing.assert_allclose(F.total_variation(x).data, 12.0)
    with_eps = np.sqrt(25 + 9) + np.sqrt(9 + 9) + np.sqrt(16 + 9) + np.sqrt(0 + 9)
    np.testing.assert_allclose(F.total_variation(x[None, None], eps=9.0).data, with_eps)


def test_total_variation_gradient_closed_form():
    """dTV/dX[m, n] = (X[m,n] - X[m,n-1]) / |g[m,n-1]| + (X[m,n] - X[m-1,n]) / |g[m-1,n]|
    - (X[m,n+1] + X[m+1,n] - 2 X[m,n]) / |g[m,n]|, each term only where its g exists
    (i < H-1, j < W-1)."""
    r = rng(9)
    x, eps = r.standard_normal((2, 1, 4, 5)), 1e-3
    value, (dx,) = grads(lambda t: F.total_variation(t, eps=eps), x)
    h, w = x.shape[-2:]
    expected, total = np.zeros_like(x), 0.0
    for b in range(2):
        X = x[b, 0]
        norm = lambda i, j, X=X: np.sqrt(  # X bound now: the loop rebinds it
            (X[i, j + 1] - X[i, j]) ** 2 + (X[i + 1, j] - X[i, j]) ** 2 + eps
        )
        for m in range(h):
            for n in range(w):
                g = 0.0
                if n >= 1 and m < h - 1:
                    g += (X[m, n] - X[m, n - 1]) / norm(m, n - 1)
                if m >= 1 and n < w - 1:
                    g += (X[m, n] - X[m - 1, n]) / norm(m - 1, n)
                if m < h - 1 and n < w - 1:
                    g -= (X[m, n + 1] + X[m + 1, n] - 2 * X[m, n]) / norm(m, n)
                    total += norm(m, n)
                expected[b, 0, m, n] = g
        np.testing.assert_allclose(dx[b], expected[b])
    np.testing.assert_allclose(value, total)
    check_grads(lambda t: F.total_variation(t, eps=eps), x[:1], second_order=True)


# ---- errors ----------------------------------------------------------------------------------


LOSSES_WITH_REDUCTION = [
    ("mse_loss", lambda r: F.mse_loss(np.ones(2), np.ones(2), reduction=r)),
    ("cross_entropy", lambda r: F.cross_entropy(np.ones((2, 3)), np.array([0, 1]), reduction=r)),
    ("nll_loss", lambda r: F.nll_loss(np.ones((2, 3)), np.array([0, 1]), reduction=r)),
    ("binary_cross_entropy", lambda r: F.binary_cross_entropy(np.ones(2) / 2, np.ones(2), r)),
    (
        "binary_cross_entropy_with_logits",
        lambda r: F.binary_cross_entropy_with_logits(np.ones(2), np.ones(2), r),
    ),
]


@pytest.mark.parametrize("name, call", LOSSES_WITH_REDUCTION)
def test_bad_reduction(name, call):
    with pytest.raises(ValueError, match=f"{name}: reduction must be 'mean', 'sum' or 'none'"):
        call("average")


def test_loss_errors():
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"cross_entropy: class index 3 is out of range for 3"):
        F.cross_entropy(z, np.array([0, 3]))
    with pytest.raises(ValueError, match="cross_entropy: class index -1"):
        F.cross_entropy(z, np.array([-1, 0]))
    with pytest.raises(ValueError, match=r"cross_entropy: .* target must have shape \(2,\)"):
        F.cross_entropy(z, np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="cross_entropy: a floating target holds class prob"):
        F.cross_entropy(z, np.array([0.0, 1.0]))
    with pytest.raises(TypeError, match="cross_entropy: target must be integer"):
        F.cross_entropy(z, np.array([True, False]))
    with pytest.raises(TypeError, match="nll_loss: class-index targets must be integers"):
        F.nll_loss(z, np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"mse_loss: input and target must have the same shape"):
        F.mse_loss(np.ones((2, 3)), np.ones((3, 2)))
    with pytest.raises(ValueError, match="euclidean_loss: input and target"):
        F.euclidean_loss(np.ones(2), np.ones(3))
    with pytest.raises(ValueError, match=r"binary_cross_entropy: p must hold probabilities"):
        F.binary_cross_entropy(np.array([1.5]), np.array([1.0]))
    with pytest.raises(ValueError, match="binary_cross_entropy_with_logits: logits and targets"):
        F.binary_cross_entropy_with_logits(np.ones(2), np.ones((2, 1)))
    with pytest.raises(ValueError, match="total_variation: expected an image"):
        F.total_variation(np.ones(3))
