"""Creation functions: NumPy's values, shapes and default dtypes, PyTorch's
requires_grad=, and random draws that manual_seed repeats."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor


@pytest.mark.parametrize(
    ("made", "expected"),
    [
        (lambda: ag.zeros(2, 3), np.zeros((2, 3))),
        (lambda: ag.zeros((2, 3)), np.zeros((2, 3))),
        (lambda: ag.zeros([4]), np.zeros(4)),
        (lambda: ag.zeros(()), np.zeros(())),
        (lambda: ag.ones(3, dtype=np.float32), np.ones(3, dtype=np.float32)),
        (lambda: ag.empty(2, 2), np.zeros((2, 2))),
        (lambda: ag.full((2, 2), 1.5), np.full((2, 2), 1.5)),
        (lambda: ag.full(3, 7), np.full(3, 7)),
        (lambda: ag.zeros_like(np.ones((2, 1), dtype=np.float32)), np.zeros((2, 1), np.float32)),
        (lambda: ag.ones_like(Tensor([1, 2])), np.ones(2, dtype=np.int64)),
        (lambda: ag.full_like(Tensor([1.0, 2.0]), 4), np.full(2, 4.0)),
        (lambda: ag.empty_like(Tensor([1.0, 2.0])), np.zeros(2)),
        (lambda: ag.arange(5), np.arange(5)),
        (lambda: ag.arange(1, 7, 2), np.arange(1, 7, 2)),
        (lambda: ag.arange(0.0, 1.0, 0.25), np.arange(0.0, 1.0, 0.25)),
        (lambda: ag.arange(3, dtype=np.float32), np.arange(3, dtype=np.float32)),
        (lambda: ag.linspace(0, 1, 5), np.linspace(0, 1, 5)),
        (lambda: ag.linspace(0, 1, 4, endpoint=False), np.linspace(0, 1, 4, endpoint=False)),
        (lambda: ag.eye(3), np.eye(3)),
        (lambda: ag.eye(2, 3, k=1), np.eye(2, 3, k=1)),
        (lambda: np.zeros_like(Tensor([1.0, 2.0])), np.zeros(2)),
        (lambda: np.full_like(Tensor([1.0, 2.0]), 3.0), np.full(2, 3.0)),
    ],
)
def test_values_shapes_and_dtypes_follow_numpy(made: Any, expected: np.ndarray):
    t = made()
    assert isinstance(t, Tensor) and t.is_leaf and not t.requires_grad
    assert t.shape == expected.shape and t.dtype == expected.dtype
    np.testing.assert_array_equal(t.data, expected)


@pytest.mark.parametrize(
    "make",
    [
        lambda **kw: ag.zeros(2, **kw),
        lambda **kw: ag.ones((2, 2), **kw),
        lambda **kw: ag.full(2, 0.5, **kw),
        lambda **kw: ag.zeros_like(np.ones(2), **kw),
        lambda **kw: ag.arange(0.0, 3.0, **kw),
        lambda **kw: ag.linspace(0, 1, 3, **kw),
        lambda **kw: ag.eye(2, **kw),
        lambda **kw: ag.rand(2, **kw),
        lambda **kw: ag.randn(2, 2, **kw),
        lambda **kw: ag.normal(0, 1, (2,), **kw),
        lambda **kw: ag.uniform(-1, 1, 3, **kw),
    ],
)
def test_requires_grad_makes_a_leaf_to_differentiate(make: Any):
    t = make(requires_grad=True, name="p")
    assert t.requires_grad and t.is_leaf and t.name == "p"
    (t * t).sum().backward()
    np.testing.assert_allclose(t.grad.data, 2 * t.data)


def test_an_integer_leaf_cannot_require_grad():
    with pytest.raises(TypeError, match="Only floating-point tensors can require grad"):
        ag.arange(5, requires_grad=True)
    with pytest.raises(TypeError, match="randn: .*floating"):
        ag.randn(2, dtype=np.int64)
    with pytest.raises(ValueError, match="zeros: the shape"):
        ag.zeros(2, -1)


@pytest.mark.parametrize(
    "draw",
    [
        lambda: ag.rand(3, 2),
        lambda: ag.randn(4),
        lambda: ag.randint(0, 10, (5,)),
        lambda: ag.normal(2.0, 0.5, (3,)),
        lambda: ag.uniform(-1, 1, (2, 2)),
    ],
)
def test_manual_seed_repeats_the_random_ones(draw: Any):
    ag.manual_seed(123)
    first = draw()
    ag.manual_seed(123)
    again = draw()
    np.testing.assert_array_equal(first.data, again.data)
    assert draw().shape == first.shape


def test_random_draws_have_numpy_distributions_and_dtypes():
    ag.manual_seed(0)
    u, n = ag.rand(20000), ag.randn(20000)
    assert 0 <= u.data.min() and u.data.max() < 1 and abs(u.data.mean() - 0.5) < 0.01
    assert abs(n.data.mean()) < 0.03 and abs(n.data.std() - 1) < 0.03
    assert ag.rand(2, dtype=np.float32).dtype == np.float32
    assert ag.randn(2, dtype=np.float16).dtype == np.float16
    assert ag.randint(5, size=3).dtype == np.int64 and ag.randint(5, size=3).data.max() < 5
    assert ag.normal(size=None).shape == ()
    r = ag.uniform(2.0, 3.0, (100,))
    assert (r.data >= 2).all() and (r.data < 3).all()


def test_rng_overrides_the_engine_generator():
    a = ag.randn(3, rng=5)
    b = ag.randn(3, rng=np.random.default_rng(5))
    np.testing.assert_array_equal(a.data, b.data)
    np.testing.assert_array_equal(a.data, np.random.default_rng(5).standard_normal(3))
