"""Instance, batch and layer normalization and dropout: hand-worked values, the derived
instance-norm gradient, running statistics, gradchecks and errors."""

import numpy as np
import pytest

import nn.functional as F
from autograd_core import Tensor
from tests.helpers import check_grads, rng

ROOT5 = np.sqrt(5.0)


def test_instance_norm_known_values():
    # plane [[1, 2], [3, 4]]: mean 2.5, biased var 1.25 -> (x - 2.5) / sqrt(5/4)
    # plane [[0, 0], [2, 2]]: mean 1, var 1 -> [[-1, -1], [1, 1]], then * 2 + 0.5
    x = np.array([[[[1.0, 2.0], [3.0, 4.0]], [[0.0, 0.0], [2.0, 2.0]]]])
    y = F.instance_norm(x, eps=0.0)
    np.testing.assert_allclose(y.data[0, 0], np.array([[-3, -1], [1, 3]]) / ROOT5)
    np.testing.assert_allclose(y.data[0, 1], [[-1, -1], [1, 1]])
    y = F.instance_norm(x, weight=np.array([1.0, 2.0]), bias=np.array([0.0, 0.5]), eps=0.0)
    np.testing.assert_allclose(y.data[0, 1], [[-1.5, -1.5], [2.5, 2.5]])
    # eps enters under the square root: plane 2 becomes (x - 1) / sqrt(1 + 3)
    np.testing.assert_allclose(F.instance_norm(x, eps=3.0).data[0, 1], [[-0.5, -0.5], [0.5, 0.5]])


def test_instance_norm_gradient_closed_form():
    """dE/dx = (d - mean(d) - x_hat mean(d x_hat)) / sigma with d = delta * weight, the
    means over each (H, W) plane, sigma = sqrt(var + eps)."""
    r = rng(0)
    x, weight, delta = (
        r.standard_normal((2, 3, 3, 4)),
        r.standard_normal(3),
        r.standard_normal((2, 3, 3, 4)),
    )
    eps = 1e-3
    t, wt = Tensor(x, requires_grad=True), Tensor(weight, requires_grad=True)
    F.instance_norm(t, weight=wt, eps=eps).backward(delta)
    mu = x.mean(axis=(2, 3), keepdims=True)
    sigma = np.sqrt(((x - mu) ** 2).mean(axis=(2, 3), keepdims=True) + eps)
    x_hat = (x - mu) / sigma
    d = delta * weight.reshape(3, 1, 1)
    mean = lambda a: a.mean(axis=(2, 3), keepdims=True)
    np.testing.assert_allclose(t.grad.data, (d - mean(d) - x_hat * mean(d * x_hat)) / sigma)
    np.testing.assert_allclose(wt.grad.data, (delta * x_hat).sum(axis=(0, 2, 3)))


def test_instance_norm_gradcheck():
    r = rng(1)
    x = r.standard_normal((2, 2, 3, 3))
    check_grads(F.instance_norm, x)
    check_grads(F.instance_norm, x, r.standard_normal(2), r.standard_normal(2))
    check_grads(lambda t: F.instance_norm(t, eps=0.1), x[0])  # unbatched (C, H, W)


def test_batch_norm_training_values_and_running_statistics():
    x = np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 4.0], [4.0, 4.0]])
    running_mean, running_var = np.zeros(2), np.ones(2)
    y = F.batch_norm(x, running_mean, running_var, training=True, momentum=0.1, eps=0.0)
    np.testing.assert_allclose(y.data[:, 0], np.array([-3, -1, 1, 3]) / ROOT5)
    np.testing.assert_allclose(y.data[:, 1], [-1, -1, 1, 1])
    # means 2.5 and 2; unbiased variances 5/3 and 16/3
    np.testing.assert_allclose(running_mean, [0.25, 0.2])
    np.testing.assert_allclose(running_var, [0.9 + 0.1 * 5 / 3, 0.9 + 0.1 * 16 / 3])


def test_batch_norm_eval_uses_running_statistics():
    x = np.array([[1.0, 2.0], [3.0, 6.0]])
    running_mean, running_var = np.array([1.0, 2.0]), np.array([4.0, 16.0])
    y = F.batch_norm(
        x, running_mean, running_var, weight=np.array([2.0, 1.0]), bias=np.array([0.0, 1.0]),
        eps=0.0,
    )  # fmt: skip
    np.testing.assert_allclose(y.data, [[0.0, 1.0], [2.0, 2.0]])
    np.testing.assert_array_equal(running_mean, [1.0, 2.0])  # untouched


def test_batch_norm_updates_tensor_buffers_by_rebinding():
    rm, rv = Tensor(np.zeros(3)), Tensor(np.ones(3))
    x = rng(2).standard_normal((4, 3, 2, 2))
    F.batch_norm(x, rm, rv, training=True, momentum=0.5)
    np.testing.assert_allclose(rm.data, 0.5 * x.mean(axis=(0, 2, 3)))
    np.testing.assert_allclose(rv.data, 0.5 + 0.5 * x.var(axis=(0, 2, 3), ddof=1))


def test_batch_norm_gradcheck():
    r = rng(3)
    x = r.standard_normal((3, 2, 2, 2))
    w, b = r.standard_normal(2), r.standard_normal(2)
    check_grads(lambda t, w, b: F.batch_norm(t, None, None, w, b, training=True), x, w, b)
    stats = (r.standard_normal(2), r.uniform(0.5, 2.0, 2))
    check_grads(lambda t, w, b: F.batch_norm(t, *stats, w, b, training=False), x, w, b)
    check_grads(lambda t: F.batch_norm(t, None, None, training=True), r.standard_normal((4, 3)))


def test_layer_norm_values_and_gradcheck():
    y = F.layer_norm(np.array([[1.0, 2.0, 3.0, 4.0]]), 4, eps=0.0)
    np.testing.assert_allclose(y.data, np.array([[-3, -1, 1, 3]]) / ROOT5)
    r = rng(4)
    x = r.standard_normal((2, 2, 3))
    check_grads(lambda t: F.layer_norm(t, 3), x)
    check_grads(lambda t, w, b: F.layer_norm(t, (2, 3), w, b), x, *r.standard_normal((2, 2, 3)))


def test_normalization_errors():
    with pytest.raises(ValueError, match=r"instance_norm: weight must have shape \(2,\)"):
        F.instance_norm(np.ones((1, 2, 2, 2)), weight=np.ones(3))
    with pytest.raises(ValueError, match="instance_norm: expected input"):
        F.instance_norm(np.ones((2, 2)))
    with pytest.raises(ValueError, match="batch_norm: training needs more than one value"):
        F.batch_norm(np.ones((1, 3)), np.zeros(3), np.ones(3), training=True)
    with pytest.raises(ValueError, match=r"batch_norm: running statistics must have shape \(3,\)"):
        F.batch_norm(np.ones((2, 3)), np.zeros(2), np.ones(2))
    with pytest.raises(ValueError, match="layer_norm: the last axes"):
        F.layer_norm(np.ones((2, 3)), (2,))


# ---- dropout ------------------------------------------------------------------------------


def test_dropout_scales_kept_values_and_their_gradient():
    x = np.arange(1.0, 101.0)
    t = Tensor(x, requires_grad=True)
    y = F.dropout(t, p=0.25, training=True, rng=np.random.default_rng(0))
    kept = y.data != 0
    assert 50 < kept.sum() < 95
    np.testing.assert_allclose(y.data[kept], x[kept] / 0.75)
    y.sum().backward()
    np.testing.assert_allclose(t.grad.data, kept / 0.75)
    same = F.dropout(x, p=0.25, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(same.data, y.data)


def test_dropout_identity_and_edge_cases():
    x = rng(5).standard_normal((3, 4))
    np.testing.assert_array_equal(F.dropout(x, 0.5, training=False).data, x)
    np.testing.assert_array_equal(F.dropout(x, 0.0).data, x)
    np.testing.assert_array_equal(F.dropout(x, 1.0).data, np.zeros_like(x))
    with pytest.raises(ValueError, match="dropout: p"):
        F.dropout(x, 1.5)
    assert F.dropout(x.astype(np.float32), 0.5).dtype == np.float32
