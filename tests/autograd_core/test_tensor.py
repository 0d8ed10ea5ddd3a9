"""The Tensor itself: construction, dtypes, NumPy interop, repr, read-only data, in-place ops."""

import numpy as np
import pytest

from autograd_core import Tensor, no_grad, tensor


def test_dtype_follows_numpy_inference():
    assert Tensor(1.5).dtype == np.float64
    assert Tensor([1, 2]).dtype.kind == "i"
    f32 = Tensor(np.ones(2, dtype=np.float32))
    assert f32.dtype == np.float32
    assert (f32 * 2.0).dtype == np.float32  # NumPy 2: Python scalars are weak
    assert Tensor([1, 2], dtype=np.float32).dtype == np.float32


def test_scalars_are_zero_dimensional():
    t = tensor(3.0)
    assert t.shape == () and t.ndim == 0 and t.size == 1 and t.item() == 3.0


def test_non_floating_tensor_cannot_require_grad():
    with pytest.raises(TypeError, match="floating"):
        Tensor([1, 2], requires_grad=True)
    with pytest.raises(TypeError, match="floating"):
        Tensor([True], requires_grad=True)


def test_constructor_copies_and_data_is_read_only():
    source = np.ones(3)
    t = Tensor(source)
    source[0] = 5.0
    assert t.data[0] == 1.0
    with pytest.raises(ValueError, match="read-only"):
        t.data[0] = 2.0


def test_ndarray_on_the_left_gives_a_tensor():
    x = Tensor([1.0, 2.0], requires_grad=True)
    for result in (np.ones(2) + x, np.ones(2) * x, np.ones((3, 2)) @ x, 2.0 - x):
        assert isinstance(result, Tensor) and result.requires_grad


def test_numpy_interop():
    t = Tensor([[1.0, 2.0]])
    assert np.asarray(t) is t.numpy()
    assert np.shares_memory(t.data, t.numpy()) and not t.data.flags.writeable
    assert t.tolist() == [[1.0, 2.0]]
    assert np.asarray(t, dtype=np.float32).dtype == np.float32


def test_numpy_functions_dispatch_and_stay_differentiable():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = np.sum(np.exp(x))
    assert isinstance(y, Tensor)
    y.backward()
    np.testing.assert_allclose(x.grad.data, np.exp([1.0, 2.0]))


def test_unsupported_numpy_function_says_what_to_do():
    with pytest.raises(TypeError, match="np.asarray"):
        np.fft.fft(Tensor([1.0, 2.0]))


def test_repr_shows_data_dtype_and_op():
    x = Tensor([1.0, 2.0], requires_grad=True, name="x")
    assert repr(x) == "Tensor([1., 2.], dtype=float64, name='x', requires_grad=True)"
    assert "op=multiply" in repr(x * 2)


def test_tensors_hash_by_identity():
    a, b = Tensor(1.0), Tensor(1.0)
    assert len({a, b}) == 2
    assert {a: 1}[a] == 1


def test_comparisons_are_bool_tensors_without_grad():
    x = Tensor([1.0, 3.0], requires_grad=True)
    m = x > 2
    assert m.dtype == bool and not m.requires_grad
    np.testing.assert_array_equal(m.data, [False, True])


def test_in_place_under_no_grad_rebinds_without_touching_saved_arrays():
    w = Tensor([1.0, 2.0], requires_grad=True)
    y = (w * w).sum()
    old = w.data
    with no_grad():
        w -= 0.5  # an optimiser step between forward and backward
    np.testing.assert_array_equal(w.data, [0.5, 1.5])
    np.testing.assert_array_equal(old, [1.0, 2.0])
    y.backward()
    np.testing.assert_array_equal(w.grad.data, [2.0, 4.0])  # the gradient at the forward's values
    assert w.is_leaf and w.requires_grad


def test_in_place_that_would_need_recording_is_refused():
    w = Tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match="no_grad"):
        w += 1.0


def test_requires_grad_on_non_leaf_is_refused():
    y = Tensor(1.0, requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="detach"):
        y.requires_grad_(False)


def test_iteration_and_len():
    x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    rows = list(x)
    assert len(x) == 2 and rows[1].tolist() == [3.0, 4.0]
    (rows[0].sum() + 2 * rows[1].sum()).backward()
    np.testing.assert_array_equal(x.grad.data, [[1.0, 1.0], [2.0, 2.0]])
