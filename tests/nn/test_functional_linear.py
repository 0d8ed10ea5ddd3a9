"""Fully connected layer and Gram matrix: the reference's closed forms (W^T delta,
delta x^T, delta; (delta + delta^T) X), gradchecks, and the two-layer ReLU MLP of
mlp-backprop-numpy compared with a NumPy backward written out by hand."""

import numpy as np
import pytest

import nn.functional as F
from autograd_core import Tensor
from tests.helpers import check_grads, rng


def test_linear_closed_form():
    """y = W x + b for one column vector x: dE/dx = W^T delta, dE/dW = delta x^T,
    dE/db = delta (the API's batched form is y = x @ W^T + b, one row per sample)."""
    r = rng(0)
    W, x, b, delta = (
        r.standard_normal((3, 4)),
        r.standard_normal(4),
        r.standard_normal(3),
        r.standard_normal(3),
    )
    tx, tW, tb = (Tensor(a, requires_grad=True) for a in (x, W, b))
    y = F.linear(tx, tW, tb)
    np.testing.assert_allclose(y.data, W @ x + b)
    y.backward(delta)
    np.testing.assert_allclose(tx.grad.data, W.T @ delta)
    np.testing.assert_allclose(tW.grad.data, np.outer(delta, x))
    np.testing.assert_allclose(tb.grad.data, delta)


def test_linear_batched_closed_form():
    r = rng(1)
    X, W, b = r.standard_normal((5, 4)), r.standard_normal((3, 4)), r.standard_normal(3)
    delta = r.standard_normal((5, 3))
    tX, tW, tb = (Tensor(a, requires_grad=True) for a in (X, W, b))
    F.linear(tX, tW, tb).backward(delta)
    np.testing.assert_allclose(tX.grad.data, delta @ W)
    np.testing.assert_allclose(tW.grad.data, delta.T @ X)  # sum over samples of delta x^T
    np.testing.assert_allclose(tb.grad.data, delta.sum(axis=0))


@pytest.mark.parametrize("shape", [(4,), (2, 4), (2, 3, 4)])
def test_linear_gradcheck(shape):
    r = rng(2)
    check_grads(F.linear, r.standard_normal(shape), r.standard_normal((3, 4)), r.standard_normal(3))
    check_grads(F.linear, r.standard_normal(shape), r.standard_normal((2, 4)))


def test_linear_keeps_float32_and_contiguous_weight_gradient():
    """linear is a fused primitive (x @ W^T + b in one node): float32 in, float32 out,
    and dW arrives C-contiguous in W's layout, ready for a fast optimiser update."""
    r = rng(3)
    x = r.standard_normal((6, 4)).astype(np.float32)
    W = Tensor(r.standard_normal((3, 4)).astype(np.float32), requires_grad=True)
    b = Tensor(np.zeros(3, np.float32), requires_grad=True)
    y = F.linear(x, W, b)
    assert y.dtype == np.float32 and y.op == "linear"
    y.sum().backward()
    assert W.grad.dtype == np.float32 and b.grad.dtype == np.float32
    assert W.grad.data.flags.c_contiguous
    np.testing.assert_allclose(W.grad.data, np.ones((6, 3)).T @ x, rtol=1e-6)


def test_gram_matrix_closed_form():
    r = rng(3)
    X, delta = r.standard_normal((3, 5)), r.standard_normal((3, 3))
    t = Tensor(X, requires_grad=True)
    G = F.gram_matrix(t)
    np.testing.assert_allclose(G.data, X @ X.T)
    G.backward(delta)
    np.testing.assert_allclose(t.grad.data, (delta + delta.T) @ X)


def test_gram_matrix_batched_images():
    r = rng(4)
    x, delta = r.standard_normal((2, 3, 2, 2)), r.standard_normal((2, 3, 3))
    t = Tensor(x, requires_grad=True)
    G = F.gram_matrix(t)
    flat = x.reshape(2, 3, 4)
    np.testing.assert_allclose(G.data, np.einsum("bcn,bdn->bcd", flat, flat))
    G.backward(delta)
    expected = (delta + delta.transpose(0, 2, 1)) @ flat
    np.testing.assert_allclose(t.grad.data, expected.reshape(x.shape))


@pytest.mark.parametrize("shape", [(3, 4), (2, 3, 4), (1, 2, 2, 3)])
def test_gram_matrix_gradcheck(shape):
    check_grads(F.gram_matrix, rng(5).standard_normal(shape))


def test_errors():
    with pytest.raises(ValueError, match=r"linear: the input's last axis must be in_features = 4"):
        F.linear(np.ones((2, 3)), np.ones((5, 4)))
    with pytest.raises(ValueError, match=r"linear: bias must have shape \(5,\)"):
        F.linear(np.ones((2, 4)), np.ones((5, 4)), np.ones(4))
    with pytest.raises(ValueError, match="linear: weight must be"):
        F.linear(np.ones((2, 4)), np.ones(4))
    with pytest.raises(ValueError, match="gram_matrix: expected"):
        F.gram_matrix(np.ones(3))


def test_two_layer_relu_mlp_matches_hand_written_backward():
    """The network of mlp-backprop-numpy: y1 = X W1 + b1, h1 = max(0, y1),
    y2 = h1 W2 + b2, L = mean over samples of -log softmax(y2)[label]."""
    r = rng(6)
    N, D, H, C = 6, 4, 5, 3
    X, labels = r.standard_normal((N, D)), r.integers(0, C, N)
    W1, b1 = r.standard_normal((D, H)), r.standard_normal(H)
    W2, b2 = r.standard_normal((H, C)), r.standard_normal(C)

    params = [Tensor(a, requires_grad=True) for a in (W1, b1, W2, b2)]
    tW1, tb1, tW2, tb2 = params
    h1 = F.relu(F.linear(X, tW1.T, tb1))  # F.linear takes (out, in) weights
    loss = F.cross_entropy(F.linear(h1, tW2.T, tb2), labels)
    loss.backward()

    # the hand-written NumPy forward and backward
    y1 = X @ W1 + b1
    h = np.maximum(0, y1)
    scores = h @ W2 + b2
    exp_scores = np.exp(scores - scores.max(axis=1, keepdims=True))
    probs = exp_scores / exp_scores.sum(axis=1, keepdims=True)
    expected_loss = -np.log(probs[np.arange(N), labels]).sum() / N
    dy2 = probs.copy()
    dy2[np.arange(N), labels] -= 1
    dy2 /= N
    dW2, db2 = h.T @ dy2, dy2.sum(axis=0)
    dh1 = dy2 @ W2.T
    dy1 = dh1 * (y1 > 0)
    dW1, db1 = X.T @ dy1, dy1.sum(axis=0)

    np.testing.assert_allclose(loss.data, expected_loss)
    for t, expected in zip(params, (dW1, db1, dW2, db2), strict=True):
        np.testing.assert_allclose(t.grad.data, expected)
