"""getitem: basic and advanced NumPy indexing, and its adjoint (scatter-add).

For y = x[index], dL/dx is zeros with dL/dy added at `index`; an element selected k
times receives the sum of its k gradients.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from autograd_core import Tensor

X = np.arange(12.0).reshape(3, 4)
MASK = np.array([True, False, True])

BASIC = [
    2,
    -1,
    (1, -2),
    slice(None, None, 2),
    slice(3, 0, -2),
    (slice(None), slice(1, None, 2)),
    (Ellipsis, -1),
    (None, 0),
    (0, None, slice(None, 2)),
    (Ellipsis, None),
    (),
]


@pytest.mark.parametrize("index", BASIC, ids=repr)
def test_basic_index_value_and_gradient(index: Any):
    """Basic indexing never repeats an element, so dL/dx = dL/dy placed at `index`."""
    x = Tensor(X, requires_grad=True)
    y = x[index]
    np.testing.assert_array_equal(y.data, X[index])
    upstream = np.arange(1.0, 1.0 + y.size).reshape(y.shape)
    y.backward(upstream)
    expected = np.zeros_like(X)
    expected[index] = upstream
    np.testing.assert_array_equal(x.grad.data, expected)


# (index, upstream gradient of x[index], expected gradient of x, worked by hand)
ADVANCED = [
    pytest.param([0, 0, 1], np.ones((3, 4)), [[2] * 4, [1] * 4, [0] * 4], id="rows-repeated"),
    pytest.param(
        np.array([2, 0, 2]),
        np.array([[1.0], [10.0], [100.0]]).repeat(4, axis=1),
        [[10] * 4, [0] * 4, [101] * 4],
        id="rows-weighted",
    ),
    pytest.param(
        ([0, 0, 2], [1, 1, 3]),
        [1.0, 2.0, 4.0],
        [[0, 3, 0, 0], [0, 0, 0, 0], [0, 0, 0, 4]],
        id="pairs-repeated",
    ),
    pytest.param(
        (slice(None), [1, 1, 1]), np.ones((3, 3)), [[0, 3, 0, 0]] * 3, id="columns-repeated"
    ),
    pytest.param(
        ([0, 0], slice(1, 3)), np.ones((2, 2)), [[0, 2, 2, 0], [0] * 4, [0] * 4], id="mixed-slice"
    ),
    pytest.param(MASK, np.ones((2, 4)), [[1] * 4, [0] * 4, [1] * 4], id="bool-rows"),
    pytest.param(
        X % 5 == 0, [1.0, 2.0, 3.0], [[1, 0, 0, 0], [0, 2, 0, 0], [0, 0, 3, 0]], id="bool-elements"
    ),
    pytest.param(
        (MASK, [3, 3]), [1.0, 2.0], [[0, 0, 0, 1], [0] * 4, [0, 0, 0, 2]], id="bool-and-int"
    ),
    pytest.param((Ellipsis, [-1, -1]), np.ones((3, 2)), [[0, 0, 0, 2]] * 3, id="ellipsis-neg"),
    pytest.param((None, [0, 0]), np.ones((1, 2, 4)), [[2] * 4, [0] * 4, [0] * 4], id="none-int"),
    pytest.param(
        np.array([[1], [1]]), np.ones((2, 1, 4)), [[0] * 4, [2] * 4, [0] * 4], id="2d-index"
    ),
    pytest.param(Tensor([1, 1]), np.ones((2, 4)), [[0] * 4, [2] * 4, [0] * 4], id="tensor-index"),
]


@pytest.mark.parametrize(("index", "upstream", "expected"), ADVANCED)
def test_advanced_index_accumulates_repeats(index: Any, upstream: Any, expected: Any):
    x = Tensor(X, requires_grad=True)
    y = x[index]
    np.testing.assert_array_equal(y.data, X[index.data if isinstance(index, Tensor) else index])
    y.backward(np.asarray(upstream))
    np.testing.assert_array_equal(x.grad.data, expected)


def test_repeated_index_sum_counts():
    """x[[0, 0, 1]].sum() uses x0 twice and x1 once: gradient [2, 1, 0, 0]."""
    x = Tensor(np.arange(4.0), requires_grad=True)
    x[[0, 0, 1]].sum().backward()
    np.testing.assert_array_equal(x.grad.data, [2, 1, 0, 0])


def test_indexing_a_bool_mask_of_the_tensor_itself():
    """x[x > 0] picks the positive entries; the gradient is the mask."""
    x = Tensor([-1.0, 2.0, -3.0, 4.0], requires_grad=True)
    (x[x > 0] * 3).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0, 3, 0, 3])


def test_iterating_a_tensor_indexes_each_row():
    """for row in x uses x[i]; summing rows twice doubles every gradient."""
    x = Tensor(X, requires_grad=True)
    total = sum(row.sum() for row in x) * 2
    total.backward()
    np.testing.assert_array_equal(x.grad.data, np.full((3, 4), 2.0))


def test_index_array_changed_after_forward_does_not_change_gradient():
    """The index is fixed at forward time, as every saved value is: writing into the
    caller's index array before backward must not move the gradient."""
    x = Tensor(np.arange(4.0), requires_grad=True)
    index = np.array([0, 1])
    y = x[index]
    index[0] = 3
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [1, 1, 0, 0])


def test_index_out_of_range_raises_index_error_naming_the_shape():
    x = Tensor(X, requires_grad=True)
    with pytest.raises(IndexError, match=r"\(3, 4\)"):
        x[3]


def test_getitem_second_derivative_is_getitem():
    """Under create_graph the adjoint is itself differentiable: d/dx of
    sum(w * scatter(g)) with g = x[idx] * x[idx] is exact."""
    from autograd_core import grad

    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    (g,) = grad((x[[0, 0, 2]] ** 2).sum(), x, create_graph=True)
    np.testing.assert_array_equal(g.data, [4, 0, 6])  # 2 * 2 x0, 0, 2 x2
    (gg,) = grad((g * Tensor([1.0, 10.0, 100.0])).sum(), x)
    np.testing.assert_array_equal(gg.data, [4, 0, 200])
