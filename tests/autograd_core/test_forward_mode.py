"""Forward mode (jvp, jacfwd, linearize) against reverse mode, on every op of the op table,
and composed with the reverse-mode transforms."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import ops
from autograd_core import Tensor, func
from tests.helpers import check_grads
from tests.ops._cases import ALL, VOCABULARY


def _floating(arrays: tuple[Any, ...]) -> tuple[int, ...]:
    return tuple(
        i for i, a in enumerate(arrays) if isinstance(a, np.ndarray) and a.dtype.kind == "f"
    )


def _tangents(arrays: tuple[Any, ...], seed: int = 3) -> list[np.ndarray]:
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(np.shape(arrays[i])) for i in _floating(arrays)]


@pytest.mark.parametrize(("fn", "arrays"), ALL)
def test_jacfwd_equals_jacobian_and_jvp_is_its_product(fn: Callable[..., Any], arrays: Any):
    nums = _floating(arrays)
    reverse = func.jacobian(fn, argnums=nums)(*arrays)
    forward = func.jacfwd(fn, argnums=nums)(*arrays)
    for jr, jf in zip(reverse, forward, strict=True):
        assert jf.shape == jr.shape
        np.testing.assert_allclose(jf.data, jr.data, rtol=1e-10, atol=1e-12)

    vs = _tangents(arrays)

    def of_floating(*xs: Any) -> Any:
        full = list(arrays)
        for i, x in zip(nums, xs, strict=True):
            full[i] = x
        return fn(*full)

    primals = tuple(arrays[i] for i in nums)
    out, tangent = func.jvp(of_floating, primals, tuple(vs))
    expected = sum(
        np.tensordot(j.data, v, axes=v.ndim) if v.ndim else j.data * v
        for j, v in zip(reverse, vs, strict=True)
    )
    np.testing.assert_allclose(out.data, fn(*arrays).data, rtol=1e-13)
    np.testing.assert_allclose(tangent.data, expected, rtol=1e-9, atol=1e-12)

    # <u, J v> = <J^T u, v>: the jvp agrees with vjp
    u = np.random.default_rng(5).standard_normal(out.shape)
    _, vjp_fn = func.vjp(of_floating, *primals)
    cotangents = vjp_fn(u)
    left = float(np.sum(u * tangent.data))
    right = sum(float(np.sum(c.data * v)) for c, v in zip(cotangents, vs, strict=True))
    np.testing.assert_allclose(left, right, rtol=1e-9, atol=1e-12)


SEVERAL_OUTPUTS = [e for e in VOCABULARY if e.grad_of is not None and not (e.nd or e.ties)]


@pytest.mark.parametrize("entry", SEVERAL_OUTPUTS, ids=[e.id for e in SEVERAL_OUTPUTS])
def test_linearize_gives_one_tangent_per_output(entry: Any):
    """For ops returning several Tensors (eigh, svd, qr, split, topk, ...), each output's
    tangent matches the one-output function that joins them."""
    x = entry.arrays
    vs = _tangents(x)
    out, jvp_fn = func.linearize(entry.grad_of, *x)
    joined = jvp_fn(*vs)
    _, again = func.jvp(entry.grad_of, x, tuple(vs))
    np.testing.assert_allclose(joined.data, again.data, rtol=1e-12, atol=1e-14)
    j = func.jacobian(entry.grad_of, argnums=tuple(range(len(x))))(*x)
    expected = sum(np.tensordot(ji.data, v, axes=v.ndim) for ji, v in zip(j, vs, strict=True))
    np.testing.assert_allclose(joined.data, expected, rtol=1e-9, atol=1e-12)


def test_jvp_of_a_function_with_several_outputs():
    x = np.array([[2.0, 0.5], [0.5, 1.0]])
    v = np.array([[1.0, 0.0], [0.0, -1.0]])
    (w, vec), (dw, dvec) = func.jvp(lambda a: tuple(ops.linalg.eigh(a)), (x,), (v,))
    assert dw.shape == w.shape and dvec.shape == vec.shape
    # first-order perturbation theory: dw_i = v_i^T dA v_i
    expected = np.einsum("ji,jk,ki->i", vec.data, v, vec.data)
    np.testing.assert_allclose(dw.data, expected, rtol=1e-10)


def hessian_case(x: Any) -> Any:
    return (ops.sin(x) * x**3).sum() + ops.logsumexp(x) * ops.prod(x)


def test_jacfwd_of_grad_is_the_hessian():
    x = np.array([0.3, -0.7, 1.2])
    np.testing.assert_allclose(
        func.jacfwd(func.grad(hessian_case))(x).data,
        func.hessian(hessian_case)(x).data,
        rtol=1e-10,
    )
    np.testing.assert_allclose(
        func.jacobian(func.jacfwd(func.grad(hessian_case)))(x).data,
        func.jacfwd(func.jacfwd(func.grad(hessian_case)))(x).data,
        rtol=1e-9,
    )


def test_reverse_mode_through_forward_mode_matches_finite_differences():
    v = np.array([1.0, -2.0, 0.5])

    def directional(x: Any) -> Any:
        return func.jvp(lambda t: ops.tanh(t) * ops.sin(t).sum(), (x,), (v,))[1]

    check_grads(directional, np.array([0.3, -0.7, 1.2]))


def test_a_tangent_that_requires_grad_is_differentiated_too():
    x = np.array([0.5, 1.5])
    v = Tensor([1.0, 2.0], requires_grad=True)
    _, t = func.jvp(lambda a: ops.exp(a) * a, (x,), (v,))
    t.sum().backward()
    np.testing.assert_allclose(v.grad.data, np.exp(x) * (1 + x))


def test_functions_of_constants_and_unused_inputs_have_zero_tangents():
    out, t = func.jvp(lambda a, b: a * 2, (np.ones(2), np.ones(3)), (np.ones(2), np.ones(3)))
    np.testing.assert_array_equal(t.data, [2.0, 2.0])
    _, t = func.jvp(lambda a: Tensor(np.ones(3)), (np.ones(2),), (np.ones(2),))
    np.testing.assert_array_equal(t.data, np.zeros(3))
    j = func.jacfwd(lambda a, b: a * 2, argnums=(0, 1))(np.ones(2), np.ones(3))
    assert j[1].shape == (2, 3) and not j[1].data.any()
    _, t = func.jvp(ops.argmax, (np.array([1.0, 3.0]),), (np.ones(2),))
    assert t.data == 0


def test_bad_tangents_are_named():
    with pytest.raises(ValueError, match="jvp: a tangent of shape \\(3,\\) for a primal of shape"):
        func.jvp(ops.sin, (np.ones(2),), (np.ones(3),))
    with pytest.raises(ValueError, match="jvp: 1 primal\\(s\\) but 2 tangent"):
        func.jvp(ops.sin, (np.ones(2),), (np.ones(2), np.ones(2)))
    _, jvp_fn = func.linearize(ops.sin, np.ones(2))
    with pytest.raises(ValueError, match="linearize: 1 primal"):
        jvp_fn(np.ones(2), np.ones(2))
