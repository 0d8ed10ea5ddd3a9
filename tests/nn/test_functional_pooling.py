"""Max and average pooling and unpooling: hand-worked values (indices included), the
reference's gradients (max routes delta to the argmax, average spreads delta / |X_k|),
gradchecks and errors."""

import numpy as np
import pytest

import nn.functional as F
from autograd_core import Tensor
from tests.helpers import check_grads, rng

X = np.array(
    [
        [1.0, 5.0, 2.0, 0.0],
        [3.0, 4.0, 8.0, 1.0],
        [0.0, 2.0, 6.0, 7.0],
        [9.0, 1.0, 3.0, 5.0],
    ]
).reshape(1, 1, 4, 4)


def test_max_pool_known_values():
    y, idx = F.max_pool2d(X, 2, return_indices=True)
    np.testing.assert_array_equal(y.data, [[[[5, 8], [9, 7]]]])
    np.testing.assert_array_equal(idx, [[[[1, 6], [12, 11]]]])  # row * 4 + col
    assert idx.dtype == np.int64


def test_max_pool_overlapping_known_values():
    y, idx = F.max_pool2d(X, 3, stride=1, return_indices=True)
    np.testing.assert_array_equal(y.data, [[[[8, 8], [9, 8]]]])
    np.testing.assert_array_equal(idx, [[[[6, 6], [12, 6]]]])


def test_max_pool_padding_known_values():
    y, idx = F.max_pool2d(X, 2, stride=2, padding=1, return_indices=True)
    np.testing.assert_array_equal(y.data, [[[[1, 5, 0], [3, 8, 7], [9, 3, 5]]]])
    np.testing.assert_array_equal(idx, [[[[0, 1, 3], [4, 6, 11], [12, 14, 15]]]])


def test_max_pool_padding_never_wins():
    x = -np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 1, 2, 2)
    y, idx = F.max_pool2d(x, 2, stride=2, padding=1, return_indices=True)
    np.testing.assert_array_equal(y.data, x)  # each window holds one real cell
    np.testing.assert_array_equal(idx, [[[[0, 1], [2, 3]]]])
    minus_inf = np.full((1, 1, 2, 2), -np.inf)
    y, idx = F.max_pool2d(minus_inf, 2, stride=1, padding=1, return_indices=True)
    np.testing.assert_array_equal(idx, [[[[0, 0, 1], [0, 0, 1], [2, 2, 3]]]])


def test_avg_pool_known_values():
    np.testing.assert_allclose(F.avg_pool2d(X, 2).data, [[[[3.25, 2.75], [3.0, 5.25]]]])
    # padded zeros count: every window divides by 4
    y = F.avg_pool2d(X, 2, padding=1)
    np.testing.assert_allclose(y.data, [[[[0.25, 1.75, 0], [0.75, 5, 2], [2.25, 1, 1.25]]]])
    y = F.avg_pool2d(X, (2, 4), stride=(2, 1))
    np.testing.assert_allclose(y.data, [[[[24 / 8], [33 / 8]]]])


def test_max_unpool_known_values():
    y, idx = F.max_pool2d(X, 2, return_indices=True)
    expected = np.zeros((4, 4))
    expected[0, 1], expected[1, 2], expected[3, 0], expected[2, 3] = 5, 8, 9, 7
    np.testing.assert_array_equal(F.max_unpool2d(y, idx, 2).data, expected.reshape(1, 1, 4, 4))


def test_max_unpool_output_size():
    x = rng(0).standard_normal((1, 2, 5, 5))
    y, idx = F.max_pool2d(x, 2, return_indices=True)
    with pytest.raises(ValueError, match="output_size"):  # indices index a 5x5 plane
        F.max_unpool2d(y, idx, 2)
    back = F.max_unpool2d(y, idx, 2, output_size=(5, 5)).data
    assert back.shape == (1, 2, 5, 5)
    np.testing.assert_array_equal(back[back != 0], x[back != 0])
    assert F.max_unpool2d(y, idx, 2, output_size=(1, 2, 5, 5)).shape == (1, 2, 5, 5)


def test_max_unpool_repeated_index_is_written_once():
    y, idx = F.max_pool2d(X, 3, stride=1, return_indices=True)  # 8 wins three windows
    back = F.max_unpool2d(y, idx, 3, stride=1).data
    expected = np.zeros((4, 4))
    expected[1, 2], expected[3, 0] = 8, 9
    np.testing.assert_array_equal(back[0, 0], expected)


def test_avg_unpool_known_values():
    x = np.array([[1.0, 2.0], [3.0, 4.0]]).reshape(1, 1, 2, 2)
    tiled = [[1, 1, 2, 2], [1, 1, 2, 2], [3, 3, 4, 4], [3, 3, 4, 4]]
    np.testing.assert_array_equal(F.avg_unpool2d(x, 2).data[0, 0], tiled)
    np.testing.assert_array_equal(
        F.avg_unpool2d(x, (1, 2)).data[0, 0], [[1, 1, 2, 2], [3, 3, 4, 4]]
    )


# ---- gradients: the reference's formulas ------------------------------------------------


def window_starts(size, k, s, p):
    return [i * s - p for i in range((size + 2 * p - k) // s + 1)]


@pytest.mark.parametrize(
    "k, s, p", [(2, 2, 0), (3, 1, 0), (3, 2, 1), (2, 1, 1), (3, 3, 0), (2, 3, 0)]
)
@pytest.mark.parametrize("special", [None, np.nan, np.inf])
def test_max_pool_routes_delta_to_the_argmax(k, s, p, special):
    """Also with a NaN or inf in delta: it reaches only its window's argmax."""
    x = rng(1).permutation(2 * 5 * 5).reshape(1, 2, 5, 5).astype(float)  # no ties
    t = Tensor(x, requires_grad=True)
    y = F.max_pool2d(t, k, stride=s, padding=p)
    delta = rng(2).standard_normal(y.shape)
    if special is not None:
        delta[0, 1, 0, 0] = special
    y.backward(delta)
    expected = np.zeros_like(x)
    for c in range(2):
        for i, r0 in enumerate(window_starts(5, k, s, p)):
            for j, c0 in enumerate(window_starts(5, k, s, p)):
                best, where = -np.inf, None
                for r in range(max(r0, 0), min(r0 + k, 5)):
                    for q in range(max(c0, 0), min(c0 + k, 5)):
                        if x[0, c, r, q] > best:
                            best, where = x[0, c, r, q], (r, q)
                expected[0, c][where] += delta[0, c, i, j]
    np.testing.assert_allclose(t.grad.data, expected)


def test_max_pool_tie_goes_to_the_first_element():
    t = Tensor(np.ones((1, 1, 2, 2)), requires_grad=True)
    F.max_pool2d(t, 2).sum().backward()
    np.testing.assert_array_equal(t.grad.data[0, 0], [[1, 0], [0, 0]])


@pytest.mark.parametrize("k, s, p", [(2, 2, 0), (3, 1, 0), (3, 2, 1)])
def test_avg_pool_gradient_is_delta_over_window_size(k, s, p):
    x = rng(3).standard_normal((1, 1, 5, 5))
    t = Tensor(x, requires_grad=True)
    y = F.avg_pool2d(t, k, stride=s, padding=p)
    delta = rng(4).standard_normal(y.shape)
    y.backward(delta)
    expected = np.zeros_like(x)
    for i, r0 in enumerate(window_starts(5, k, s, p)):
        for j, c0 in enumerate(window_starts(5, k, s, p)):
            for r in range(max(r0, 0), min(r0 + k, 5)):
                for q in range(max(c0, 0), min(c0 + k, 5)):
                    expected[0, 0, r, q] += delta[0, 0, i, j] / (k * k)  # |X_k| = k * k
    np.testing.assert_allclose(t.grad.data, expected)


def test_max_unpool_gradient_gathers_at_the_indices():
    y, idx = F.max_pool2d(rng(5).standard_normal((2, 1, 4, 4)), 2, return_indices=True)
    t = Tensor(y.data, requires_grad=True)
    out = F.max_unpool2d(t, idx, 2)
    delta = rng(6).standard_normal(out.shape)
    out.backward(delta)
    flat_idx = np.asarray(idx).reshape(2, 1, 4)
    expected = np.take_along_axis(delta.reshape(2, 1, 16), flat_idx, axis=-1)
    np.testing.assert_allclose(t.grad.data, expected.reshape(y.shape))


def test_avg_unpool_gradient_sums_each_block():
    t = Tensor(rng(7).standard_normal((1, 2, 2, 3)), requires_grad=True)
    out = F.avg_unpool2d(t, (2, 3))
    delta = rng(8).standard_normal(out.shape)
    out.backward(delta)
    expected = delta.reshape(1, 2, 2, 2, 3, 3).sum(axis=(3, 5))
    np.testing.assert_allclose(t.grad.data, expected)


POOL_CASES = [
    dict(kernel_size=2),
    dict(kernel_size=3, stride=1),
    dict(kernel_size=3, stride=2, padding=1),
    dict(kernel_size=(2, 3), stride=(1, 2), padding=(1, 0)),
]


@pytest.mark.parametrize("kw", POOL_CASES)
def test_max_pool_gradcheck(kw):
    x = rng(9).permutation(2 * 4 * 5).reshape(1, 2, 4, 5) / 10.0  # distinct values
    check_grads(lambda t: F.max_pool2d(t, **kw), x)


@pytest.mark.parametrize("kw", POOL_CASES)
def test_avg_pool_gradcheck(kw):
    check_grads(lambda t: F.avg_pool2d(t, **kw), rng(10).standard_normal((1, 2, 4, 5)))


def test_pooling_on_unbatched_input():
    x = rng(11).standard_normal((2, 4, 4))
    np.testing.assert_allclose(F.max_pool2d(x, 2).data, F.max_pool2d(x[None], 2).data[0])
    np.testing.assert_allclose(F.avg_pool2d(x, 2).data, F.avg_pool2d(x[None], 2).data[0])


@pytest.mark.parametrize("kw", [dict(kernel_size=2), dict(kernel_size=2, stride=1, padding=1)])
def test_max_unpool_gradcheck(kw):
    y, idx = F.max_pool2d(rng(12).standard_normal((1, 2, 4, 4)), return_indices=True, **kw)
    check_grads(lambda t: F.max_unpool2d(t, idx, **kw), y.data)


@pytest.mark.parametrize("k", [2, (2, 3)])
def test_avg_unpool_gradcheck(k):
    check_grads(lambda t: F.avg_unpool2d(t, k), rng(13).standard_normal((1, 2, 2, 2)))


def test_float32_stays_float32():
    x = np.ones((1, 1, 4, 4), np.float32)
    assert F.max_pool2d(x, 2).dtype == np.float32
    assert F.avg_pool2d(x, 2, padding=1).dtype == np.float32
    assert F.avg_unpool2d(x, 2).dtype == np.float32


# ---- errors ------------------------------------------------------------------------------


@pytest.mark.parametrize("fn", [F.max_pool2d, F.avg_pool2d])
@pytest.mark.parametrize(
    "kw, error, words",
    [
        (dict(kernel_size=0), ValueError, "kernel_size must be >= 1"),
        (dict(kernel_size=2, stride=0), ValueError, "stride must be >= 1"),
        (dict(kernel_size=2, stride=-2), ValueError, "stride"),
        (dict(kernel_size=2.0), TypeError, "kernel_size"),
        (dict(kernel_size=(2, 2, 2)), TypeError, "kernel_size"),
        (dict(kernel_size=2, padding=2), ValueError, "at most half"),
        (dict(kernel_size=6), ValueError, "does not fit"),
    ],
)
def test_pool_errors(fn, kw, error, words):
    with pytest.raises(error, match=fn.__name__) as info:
        fn(np.ones((1, 1, 4, 4)), **kw)
    assert words in str(info.value)


def test_unpool_errors():
    y, idx = F.max_pool2d(X, 2, return_indices=True)
    with pytest.raises(ValueError, match="max_unpool2d: indices must have"):
        F.max_unpool2d(y, idx[..., :1], 2)
    with pytest.raises(ValueError, match=r"max_unpool2d: indices must lie in \[0, 4\)"):
        F.max_unpool2d(y, idx, 1)
    with pytest.raises(TypeError, match="max_unpool2d: indices must be integers"):
        F.max_unpool2d(y, idx.astype(float), 2)
    with pytest.raises(ValueError, match="avg_unpool2d: kernel_size"):
        F.avg_unpool2d(y, 0)
    with pytest.raises(ValueError, match="max_pool2d: expected an input with spatial axes"):
        F.max_pool2d(np.ones(4), 2)
