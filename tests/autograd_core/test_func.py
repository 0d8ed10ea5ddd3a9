"""autograd_core.func transforms against closed forms."""

import numpy as np
import pytest

from autograd_core import Tensor, func


def cubic(x):
    """f(x) = sum(x^3) + x0 x1: gradient 3x^2 + (x1, x0, 0), Hessian diag(6x) + offdiag 1."""
    return (x**3).sum() + x[0] * x[1]


X = np.array([1.0, -2.0, 0.5])


def closed_hessian(x):
    h = np.diag(6 * x)
    h[0, 1] = h[1, 0] = 1.0
    return h


def test_grad_closed_form():
    g = func.grad(cubic)(X)
    np.testing.assert_allclose(g.data, 3 * X**2 + np.array([X[1], X[0], 0.0]))


def test_value_and_grad_with_several_argnums():
    f = lambda a, b: (a * b).sum()
    value, (ga, gb) = func.value_and_grad(f, argnums=(0, 1))(
        np.array([1.0, 2.0]), np.array([3.0, 4.0])
    )
    assert value.item() == 11.0
    np.testing.assert_array_equal(ga.data, [3.0, 4.0])
    np.testing.assert_array_equal(gb.data, [1.0, 2.0])


def test_grad_requires_a_scalar_output():
    with pytest.raises(ValueError, match="scalar"):
        func.grad(lambda x: x * 2)(np.ones(3))


def test_vjp_matches_transpose_jacobian_product():
    w = np.arange(6.0).reshape(2, 3)
    out, vjp_fn = func.vjp(lambda x: Tensor(w) @ x, np.ones(3))
    np.testing.assert_array_equal(out.data, w.sum(axis=1))
    (g,) = vjp_fn(np.array([1.0, -1.0]))
    np.testing.assert_array_equal(g.data, w.T @ np.array([1.0, -1.0]))
    (g_again,) = vjp_fn(np.array([0.0, 1.0]))  # callable more than once
    np.testing.assert_array_equal(g_again.data, w[1])


def test_jacobian_of_linear_map_is_the_matrix():
    w = np.arange(6.0).reshape(2, 3)
    jac = func.jacobian(lambda x: Tensor(w) @ x)(np.ones(3))
    np.testing.assert_array_equal(jac.data, w)


def test_jacobian_of_elementwise_function_is_diagonal():
    x = np.array([[0.1, 0.2], [0.3, 0.4]])
    jac = func.jacobian(lambda t: t.tanh())(x)
    assert jac.shape == (2, 2, 2, 2)
    expected = (
        np.einsum("ik,jl->ijkl", np.eye(2), np.eye(2)) * (1 - np.tanh(x) ** 2)[:, :, None, None]
    )
    np.testing.assert_allclose(jac.data, expected)


def test_hessian_closed_form():
    h = func.hessian(cubic)(X)
    np.testing.assert_allclose(h.data, closed_hessian(X))


def test_hvp_equals_hessian_times_vector():
    v = np.array([0.3, -1.0, 2.0])
    value, hv = func.hvp(cubic, X, v)
    assert value.item() == pytest.approx(cubic(Tensor(X)).item())
    np.testing.assert_allclose(hv.data, func.hessian(cubic)(X).data @ v)
    np.testing.assert_allclose(hv.data, closed_hessian(X) @ v)


def test_nested_grad_keeps_variables_apart():
    # d/dx [x * d/dy (x * y) at y = x] = d/dx [x * x] = 2x; confusing x and y would give 4x.
    def outer(x):
        return x * func.grad(lambda y: x * y)(x)

    assert func.grad(outer)(Tensor(3.0)).item() == 6.0


def test_grad_of_grad_is_second_derivative():
    d2 = func.grad(func.grad(lambda x: x**3))(Tensor(2.0))
    assert d2.item() == pytest.approx(12.0)


def test_transforms_accept_tensors_and_leave_them_untouched():
    x = Tensor(X, requires_grad=True)
    g = func.grad(cubic)(x)
    assert x.grad is None
    assert g.shape == x.shape
