"""Gradients where the derivative is not unique, checked by exact hand-worked values.

Finite differences are invalid at a kink, so these conventions are pinned directly:
max/min split the gradient evenly among tied elements (each of k ties gets g / k),
maximum/minimum give 1/2 to each side of a tie, relu'(0) = 0, |x|'(0) = 0, sign' = 0
everywhere, and clip passes the gradient at its bounds.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import ops
from autograd_core import Tensor


def grad_of(fn: Callable[[Tensor], Tensor], x: Any, upstream: Any = None) -> np.ndarray:
    """d/dx of sum(upstream * fn(x)) (upstream defaults to ones)."""
    t = Tensor(np.asarray(x, dtype=np.float64), requires_grad=True)
    out = fn(t)
    out.backward(np.ones(out.shape) if upstream is None else upstream)
    return t.grad.data


@pytest.mark.parametrize(
    ("fn", "x", "upstream", "expected"),
    [
        pytest.param(ops.max, [1.0, 3.0, 3.0], None, [0, 0.5, 0.5], id="max-two-ties"),
        pytest.param(ops.min, [2.0, 1.0, 1.0, 5.0], 4.0, [0, 2, 2, 0], id="min-two-ties-g4"),
        pytest.param(ops.max, [7.0, 7.0, 7.0], 3.0, [1, 1, 1], id="max-all-tie"),
        pytest.param(ops.max, [1.0, 9.0, 3.0], None, [0, 1, 0], id="max-no-tie"),
        pytest.param(
            lambda x: ops.max(x, axis=1),
            [[1.0, 3.0, 3.0], [4.0, 4.0, 4.0]],
            [2.0, 3.0],
            [[0, 1, 1], [1, 1, 1]],
            id="max-axis1",
        ),
        pytest.param(
            lambda x: ops.max(x, axis=0, keepdims=True),
            [[1.0, 5.0], [1.0, 2.0]],
            [[1.0, 1.0]],
            [[0.5, 1], [0.5, 0]],
            id="max-axis0-keepdims",
        ),
        pytest.param(
            lambda x: ops.min(x, axis=-1, keepdims=True),
            [[0.0, 0.0, 1.0, 0.0], [2.0, -1.0, -1.0, 3.0]],
            [[3.0], [1.0]],
            [[1, 1, 0, 1], [0, 0.5, 0.5, 0]],
            id="min-axis-1-keepdims",
        ),
        pytest.param(
            lambda x: ops.max(x, axis=(0, 2)),
            [[[1.0, 2.0], [0.0, 0.0]], [[2.0, 0.0], [0.0, 0.0]]],
            [1.0, 8.0],
            [[[0, 0.5], [2, 2]], [[0.5, 0], [2, 2]]],
            id="max-axes02",
        ),
        pytest.param(ops.relu, [-1.0, 0.0, 2.0], None, [0, 0, 1], id="relu-at-0"),
        pytest.param(ops.abs, [-2.0, 0.0, 3.0], None, [-1, 0, 1], id="abs-at-0"),
        pytest.param(ops.sign, [-2.0, 0.0, 3.0], None, [0, 0, 0], id="sign"),
        pytest.param(
            lambda x: ops.clip(x, 0.0, 1.0),
            [-1.0, 0.0, 0.5, 1.0, 2.0],
            None,
            [0, 1, 1, 1, 0],
            id="clip-bounds-inclusive",
        ),
    ],
)
def test_subgradient_conventions(fn, x, upstream, expected):
    np.testing.assert_array_equal(grad_of(fn, x, upstream), expected)


@pytest.mark.parametrize(
    ("op", "expected_a", "expected_b"),
    [
        (ops.maximum, [0.5, 1, 0, 0.5], [0.5, 0, 1, 0.5]),
        (ops.minimum, [0.5, 0, 1, 0.5], [0.5, 1, 0, 0.5]),
    ],
)
def test_elementwise_extreme_splits_ties_in_half(op, expected_a, expected_b):
    """a = [1, 2, 0, 3], b = [1, 0, 2, 3]: elements 0 and 3 tie."""
    a = Tensor([1.0, 2.0, 0.0, 3.0], requires_grad=True)
    b = Tensor([1.0, 0.0, 2.0, 3.0], requires_grad=True)
    op(a, b).sum().backward()
    np.testing.assert_array_equal(a.grad.data, expected_a)
    np.testing.assert_array_equal(b.grad.data, expected_b)


def test_maximum_with_broadcast_scalar_sums_the_halves():
    """maximum(x, c) with c a 0-d tensor: c collects 1/2 per tie and 1 per win."""
    x = Tensor([-1.0, 0.0, 2.0, 0.0], requires_grad=True)
    c = Tensor(0.0, requires_grad=True)
    ops.maximum(x, c).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [0, 0.5, 1, 0.5])
    assert c.grad.data == 2.0  # 1 (beats -1) + 0.5 + 0.5


def test_max_ties_keep_float32():
    x = Tensor(np.array([1, 3, 3], dtype=np.float32), requires_grad=True)
    ops.max(x).backward()
    assert x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad.data, [0, 0.5, 0.5])
