"""sliding_window, its adjoint fold, pad, and joins: known answers worked out by hand.

sliding_window(x, k, s, d)[i, j, p, q] = x[i*s + p*d, j*s + q*d]; its gradient adds
each window's gradient back where the window was read, so with all-ones upstream every
pixel receives the number of windows that read it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import ops
from autograd_core import Tensor
from tests.helpers import check_grads

from ._cases import WINDOWS
from ._inputs import normal

GRID = np.arange(16.0).reshape(4, 4)


@pytest.mark.parametrize(
    ("kernel", "stride", "dilation", "expected"),
    [
        pytest.param(
            2,
            2,
            1,
            [[[[0, 1], [4, 5]], [[2, 3], [6, 7]]], [[[8, 9], [12, 13]], [[10, 11], [14, 15]]]],
            id="k2-s2",
        ),
        pytest.param(
            2,
            1,
            2,
            [[[[0, 2], [8, 10]], [[1, 3], [9, 11]]], [[[4, 6], [12, 14]], [[5, 7], [13, 15]]]],
            id="k2-d2",
        ),
        pytest.param(
            (1, 3),
            (3, 1),
            1,
            [[[[0, 1, 2]], [[1, 2, 3]]], [[[12, 13, 14]], [[13, 14, 15]]]],
            id="k1x3-s3x1",
        ),
    ],
)
def test_sliding_window_known_answer(kernel: Any, stride: Any, dilation: Any, expected: Any):
    """On the 4x4 grid 0..15 (row r, column c holds 4r + c)."""
    out = ops.sliding_window(Tensor(GRID), kernel, stride, dilation)
    np.testing.assert_array_equal(out.data, expected)


@pytest.mark.parametrize(
    ("shape", "kernel", "stride", "dilation", "counts"),
    [
        pytest.param((3, 3), 2, 1, 1, [[1, 2, 1], [2, 4, 2], [1, 2, 1]], id="overlapping"),
        # rows and columns 0, 2, 4 are read by 1, 2, 1 windows; 1 and 3 by none
        pytest.param((5, 5), 2, 2, 2, np.outer([1, 0, 2, 0, 1], [1, 0, 2, 0, 1]), id="s2-d2"),
        # stride 2 with a 2-wide kernel on width 5: the last column is never read
        pytest.param((2, 5), (1, 2), (1, 2), 1, [[1, 1, 1, 1, 0]] * 2, id="uncovered-column"),
    ],
)
def test_sliding_window_gradient_counts_reads(shape, kernel, stride, dilation, counts):
    x = Tensor(np.ones(shape), requires_grad=True)
    ops.sliding_window(x, kernel, stride, dilation).sum().backward()
    np.testing.assert_array_equal(x.grad.data, counts)


@pytest.mark.parametrize(("shape", "kernel", "stride", "dilation"), WINDOWS)
def test_fold_is_the_adjoint_of_sliding_window(shape, kernel, stride, dilation):
    """<W x, g> = <x, W^T g> for the linear map W = sliding_window and W^T = fold."""
    x = normal(shape)
    windows = ops.sliding_window(Tensor(x), kernel, stride, dilation).data
    g = normal(windows.shape, seed=1)
    k, s, d = (ops.windows.pair(v, "", "") for v in (kernel, stride, dilation))
    np.testing.assert_allclose(np.sum(windows * g), np.sum(x * ops.fold(g, shape, k, s, d)))


def test_sliding_window_of_a_transposed_view():
    """Windows read the right elements when the input is not C-contiguous."""
    x = Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True)
    out = ops.sliding_window(x.T, 2)
    np.testing.assert_array_equal(out.data[0, 0], [[0, 4], [1, 5]])
    check_grads(lambda t: ops.sliding_window(t.T, 2, 1, 1), normal((3, 4)))


def test_sliding_window_kernel_too_large_raises():
    with pytest.raises(ValueError, match="does not fit"):
        ops.sliding_window(Tensor(np.ones((3, 3))), 2, 1, 3)


@pytest.mark.parametrize(
    ("width", "mode", "padded", "grad"),
    [
        # [a b c] -> [c b | a b c | b a]: a, c are read twice, b three times
        pytest.param(2, "reflect", [3, 2, 1, 2, 3, 2, 1], [2, 3, 2], id="reflect"),
        # [a b c] -> [a | a b c | c c]
        pytest.param((1, 2), "edge", [1, 1, 2, 3, 3, 3], [2, 1, 3], id="edge"),
        pytest.param((2, 1), "constant", [0, 0, 1, 2, 3, 0], [1, 1, 1], id="constant"),
    ],
)
def test_pad_known_answer(width: Any, mode: str, padded: Any, grad: Any):
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    out = ops.pad(x, width, mode=mode)
    np.testing.assert_array_equal(out.data, padded)
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.data, grad)


def test_pad_rejects_unknown_mode_and_negative_width():
    x = Tensor(np.ones(3))
    with pytest.raises(ValueError, match="mode"):
        ops.pad(x, 1, mode="wrap")
    with pytest.raises(ValueError, match=">= 0"):
        ops.pad(x, -1)


@pytest.mark.parametrize(
    ("join", "axis", "position"),
    [
        (ops.concatenate, 0, [2, 3]),
        (ops.concatenate, -1, [3, 4, 5]),
        (ops.stack, 0, 1),
        (ops.stack, -1, 1),
    ],
)
def test_join_sends_each_tensor_its_slice(join: Any, axis: int, position: Any):
    """In join([c, a, c]) the plain array c gets nothing; a gets the gradient at its
    own position along `axis`."""
    const = np.full((2, 3), 7.0)
    a = Tensor(np.zeros((2, 3)), requires_grad=True)
    out = join([const, a, const], axis=axis)
    upstream = np.arange(float(out.size)).reshape(out.shape)
    out.backward(upstream)
    np.testing.assert_array_equal(a.grad.data, np.take(upstream, position, axis=axis))
    check_grads(lambda a, b: join([const, a, b, const], axis=axis), normal((2, 3)), normal((2, 3)))
