"""Embedding, F.embedding and F.one_hot: rows picked by index, repeated indices adding
their gradients, the padding row fixed at zero, PyTorch's init and layout, bad indices."""

import numpy as np
import pytest

import autograd_core
import nn
import nn.functional as F
from autograd_core import Tensor
from tests.helpers import check_grads, rng

IDX = np.array([[1, 3, 1], [0, 3, 3]])


def test_embedding_picks_rows_and_repeats_add_their_gradients():
    w = rng(0).standard_normal((5, 4))
    delta = rng(1).standard_normal((2, 3, 4))
    t = Tensor(w, requires_grad=True)
    out = F.embedding(IDX, t)
    np.testing.assert_array_equal(out.data, w[IDX])
    out.backward(delta)
    expected = np.zeros_like(w)  # by hand: row i collects delta wherever idx == i
    for (a, b), i in np.ndenumerate(IDX):
        expected[i] += delta[a, b]
    np.testing.assert_allclose(t.grad.data, expected)


def test_embedding_gradcheck():
    check_grads(lambda w: F.embedding(IDX, w), rng(2).standard_normal((5, 2)))


def test_padding_row_gives_its_value_but_no_gradient():
    w = Tensor(rng(3).standard_normal((5, 2)), requires_grad=True)
    out = F.embedding(IDX, w, padding_idx=3)
    np.testing.assert_array_equal(out.data, w.data[IDX])
    out.sum().backward()
    np.testing.assert_array_equal(w.grad.data[3], [0.0, 0.0])
    np.testing.assert_array_equal(w.grad.data[1], [2.0, 2.0])


def test_embedding_module_like_pytorch():
    autograd_core.manual_seed(0)
    emb = nn.Embedding(1000, 8, padding_idx=-1)
    assert emb.weight.shape == (1000, 8) and emb.weight.dtype == np.float32
    assert emb.padding_idx == 999 and not emb.weight.data[999].any()
    rows = emb.weight.data[:999]
    assert abs(rows.mean()) < 0.02 and abs(rows.std() - 1) < 0.02  # N(0, 1)
    out = emb(np.array([[999, 5]]))
    assert out.shape == (1, 2, 8)
    out.sum().backward()
    assert not emb.weight.grad.data[999].any() and emb.weight.grad.data[5].all()
    assert list(emb.state_dict()) == ["weight"]
    assert repr(emb) == "Embedding(1000, 8, padding_idx=999)"


def test_from_pretrained_is_frozen_by_default():
    table = rng(4).standard_normal((3, 2))
    emb = nn.Embedding.from_pretrained(table)
    np.testing.assert_array_equal(emb(np.array([2, 0])).data, table[[2, 0]])
    assert not emb.weight.requires_grad
    assert nn.Embedding.from_pretrained(table, freeze=False).weight.requires_grad


def test_bad_indices_and_settings():
    emb = nn.Embedding(10, 4)
    with pytest.raises(IndexError, match=r"index 12 is out of range for a table of 10 embed"):
        emb(np.array([1, 12]))
    with pytest.raises(IndexError, match=r"index -1 is out of range.*\[0, 9\]"):
        F.embedding(np.array([-1]), np.zeros((10, 4)))
    with pytest.raises(TypeError, match=r"Embedding \(num_embeddings=10, embedding_dim=4\): "):
        emb(np.array([1.0, 2.0]))
    with pytest.raises(ValueError, match=r"padding_idx must lie in \[-10, 9\]"):
        nn.Embedding(10, 4, padding_idx=10)
    with pytest.raises(ValueError, match="weight must be a 2-d table"):
        F.embedding(np.array([0]), np.zeros(3))


def test_one_hot_like_pytorch():
    out = F.one_hot(np.array([[0, 2], [1, 2]]))
    assert out.dtype == np.int64 and out.shape == (2, 2, 3) and not out.requires_grad
    np.testing.assert_array_equal(out.data[0], [[1, 0, 0], [0, 0, 1]])
    assert F.one_hot(np.array([1]), num_classes=4).tolist() == [[0, 1, 0, 0]]
    with pytest.raises(ValueError, match=r"one_hot: class values must lie in \[0, 1\]"):
        F.one_hot(np.array([2]), num_classes=2)
    with pytest.raises(TypeError, match="one_hot: indices must be integers"):
        F.one_hot(np.array([0.5]))
