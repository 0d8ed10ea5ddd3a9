"""Engine behaviours of the public contract: accumulation, freeing, grad modes, hooks, grad()."""

import threading

import numpy as np
import pytest

import autograd_core as ag
from autograd_core import Tensor, detect_anomaly, enable_grad, grad, no_grad


def test_leaf_gradients_accumulate_until_cleared():
    x = Tensor([1.0, 2.0], requires_grad=True)
    for _ in range(2):
        (x * x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [4.0, 8.0])  # 2 * (2x)
    x.zero_grad()
    assert x.grad is None


def test_diamond_accumulates_both_paths():
    x = Tensor(3.0, requires_grad=True)
    a, b = x * 2.0, x * x
    (a * b).backward()  # d/dx (2x * x^2) = 6 x^2
    assert x.grad.item() == 54.0


def test_second_backward_through_freed_graph_explains_retain_graph():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = (x.exp() * x).sum()
    y.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        y.backward()


def test_retain_graph_allows_a_second_backward():
    x = Tensor(2.0, requires_grad=True)
    y = x * x * x
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.item() == 24.0  # 2 * 3x^2


def test_backward_frees_saved_arrays_and_closures():
    x = Tensor(np.ones(3), requires_grad=True)
    h = x.exp()
    y = (h * x).sum()
    y.backward()
    for node in (h, y):
        assert node._node.saved is None and node._node.params is None
    assert not h.is_leaf  # still an op result, and still drawable
    assert h._node.parents[0] is x


def test_non_scalar_backward_names_the_shape():
    y = Tensor(np.ones((2, 3)), requires_grad=True) * 2
    with pytest.raises(RuntimeError, match=r"\(2, 3\)"):
        y.backward()


def test_non_scalar_backward_with_grad():
    x = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    y = x * x
    w = np.arange(6.0).reshape(2, 3) + 1
    y.backward(grad=w)
    np.testing.assert_array_equal(x.grad.data, 2 * x.data * w)


def test_backward_grad_of_wrong_shape_is_refused():
    y = Tensor(np.ones(3), requires_grad=True) * 2
    with pytest.raises(RuntimeError, match="shape"):
        y.backward(grad=np.ones(4))


def test_backward_on_tensor_without_grad():
    with pytest.raises(RuntimeError, match="does not require grad"):
        Tensor(1.0).backward()


def test_no_grad_records_nothing_and_nests_with_enable_grad():
    x = Tensor(1.0, requires_grad=True)
    with no_grad():
        y = x * 2
        with enable_grad():
            z = x * 2
        assert not ag.is_grad_enabled()
    assert ag.is_grad_enabled()
    assert not y.requires_grad and y.is_leaf and y.op is None
    assert z.requires_grad and z.op == "multiply"


def test_no_grad_and_enable_grad_as_decorators():
    @no_grad()
    def off(t):
        return t * 2

    @enable_grad()
    def on(t):
        return t * 2

    x = Tensor(1.0, requires_grad=True)
    assert not off(x).requires_grad
    with no_grad():
        assert on(x).requires_grad
    assert ag.is_grad_enabled()


def test_grad_mode_is_thread_local():
    x = Tensor(1.0, requires_grad=True)
    inside = threading.Barrier(2)
    seen = {}

    def worker():
        inside.wait()  # the main thread is inside no_grad now
        seen["enabled"] = ag.is_grad_enabled()
        seen["records"] = (x * 2).requires_grad
        inside.wait()

    t = threading.Thread(target=worker)
    t.start()
    with no_grad():
        inside.wait()
        inside.wait()
        assert not (x * 2).requires_grad
    t.join()
    assert seen == {"enabled": True, "records": True}


def test_detach_shares_data_and_stops_gradients():
    x = Tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    assert d.numpy() is x.numpy() and not d.requires_grad and d.is_leaf
    y = (x * d).sum()  # d is a constant: dy/dx = d
    y.backward()
    np.testing.assert_array_equal(x.grad.data, [1.0, 2.0])


def test_hook_replaces_the_gradient_and_can_be_removed():
    x = Tensor(1.0, requires_grad=True)
    h = x * 3
    handle = h.register_hook(lambda g: g * 10)
    (h * 2).backward()
    assert x.grad.item() == 60.0  # 2 * 10 * 3
    handle.remove()
    x.zero_grad()
    (x * 3 * 2).backward()
    assert x.grad.item() == 6.0


def test_hook_that_returns_none_observes_only():
    x = Tensor([1.0, 2.0], requires_grad=True)
    seen = []
    x.register_hook(lambda g: seen.append(g.data.copy()))
    (x * x).sum().backward()
    np.testing.assert_array_equal(seen[0], [2.0, 4.0])
    np.testing.assert_array_equal(x.grad.data, [2.0, 4.0])


def test_retain_grad_keeps_a_non_leaf_gradient():
    x = Tensor(2.0, requires_grad=True)
    h = x * x
    k = h * 1.0
    h.retain_grad()
    (k * 3).backward()
    assert h.grad.item() == 3.0
    assert k.grad is None


def test_grad_function_returns_gradients_without_touching_dot_grad():
    x = Tensor(2.0, requires_grad=True)
    y = Tensor(5.0, requires_grad=True)
    (gx, gy) = grad(x * x * y, (x, y))
    assert gx.item() == 20.0 and gy.item() == 4.0
    assert x.grad is None and y.grad is None


def test_grad_allow_unused():
    x = Tensor(2.0, requires_grad=True)
    unused = Tensor(1.0, requires_grad=True)
    out = x * x
    with pytest.raises(RuntimeError, match="allow_unused=True"):
        grad(out, (x, unused), retain_graph=True)
    gx, gu = grad(out, (x, unused), allow_unused=True)
    assert gx.item() == 4.0 and gu is None


def test_grad_of_intermediate_tensor():
    x = Tensor(3.0, requires_grad=True)
    h = x * x
    (gh,) = grad(h * h, h)
    assert gh.item() == 18.0  # 2h


def test_create_graph_gives_derivatives_of_any_order():
    x = Tensor(1.5, requires_grad=True)
    y = x**4
    (d1,) = grad(y, x, create_graph=True)
    (d2,) = grad(d1, x, create_graph=True)
    (d3,) = grad(d2, x, create_graph=True)
    (d4,) = grad(d3, x)
    assert d1.item() == pytest.approx(4 * 1.5**3)
    assert d2.item() == pytest.approx(12 * 1.5**2)
    assert d3.item() == pytest.approx(24 * 1.5)
    assert d4.item() == pytest.approx(24.0)


def test_backward_with_create_graph_builds_differentiable_grad():
    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    (x.exp() * x).sum().backward(create_graph=True)
    g = x.grad  # (1 + x) e^x, itself a graph
    assert g.requires_grad
    (g2,) = grad(g.sum(), x)
    np.testing.assert_allclose(g2.data, (2 + x.data) * np.exp(x.data))


def test_float32_stays_float32_through_backward():
    x = Tensor(np.ones(3, dtype=np.float32), requires_grad=True)
    w = Tensor(np.ones((3, 2), dtype=np.float32), requires_grad=True)
    y = ((x @ w).tanh() * 2.0).sum()
    assert y.dtype == np.float32
    y.backward()
    assert x.grad.dtype == np.float32 and w.grad.dtype == np.float32


def test_mixed_precision_gradient_is_cast_back_to_the_input_dtype():
    x = Tensor(np.ones(2, dtype=np.float32), requires_grad=True)
    y = (x * np.ones(2, dtype=np.float64)).sum()
    assert y.dtype == np.float64
    y.backward()
    assert x.grad.dtype == np.float32


def test_detect_anomaly_names_op_and_user_line():
    x = Tensor([0.0, 1.0], requires_grad=True)
    with detect_anomaly():
        y = x.sqrt().sum()  # d sqrt/dx at 0 is inf
        with pytest.raises(FloatingPointError, match=r"'sqrt'.*test_engine\.py:\d+"):
            y.backward()


def test_without_anomaly_mode_infinite_gradients_pass_silently_as_documented():
    x = Tensor([0.0, 1.0], requires_grad=True)
    x.sqrt().sum().backward()
    assert np.isinf(x.grad.data[0]) and x.grad.data[1] == 0.5
