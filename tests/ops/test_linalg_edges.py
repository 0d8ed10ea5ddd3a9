"""Linear algebra and einsum at their edges: the errors (naming the op, the operand or the
matrix, and what to do), singular and repeated-value points, and several outputs used at
once."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import ops
from autograd_core import Tensor, grad
from tests.helpers import check_grads

SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        pytest.param(
            lambda: ops.linalg.inv(SINGULAR),
            r"^inv: the matrix \(shape \(2, 2\)\) is singular",
            id="inv",
        ),
        pytest.param(
            lambda: np.linalg.inv(Tensor(np.stack([np.eye(2), SINGULAR]))),
            r"inv: the matrix at batch index \(1,\)",
            id="inv-batch",
        ),
        pytest.param(
            lambda: ops.linalg.solve(SINGULAR, np.ones(2)), r"^solve: .* singular.*pinv", id="solve"
        ),
        pytest.param(
            lambda: ops.linalg.cholesky(-np.eye(2)),
            r"^cholesky: .*not positive definite",
            id="cholesky",
        ),
        pytest.param(
            lambda: ops.linalg.inv(np.ones((2, 3))),
            r"^inv: needs square matrices",
            id="inv-not-square",
        ),
        pytest.param(lambda: ops.linalg.det(np.ones(3)), r"^det: needs square", id="det-1d"),
    ],
)
def test_singular_and_ill_shaped_matrices_raise_linalg_error(call: Any, match: str):
    with pytest.raises(np.linalg.LinAlgError, match=match):
        call()


@pytest.mark.parametrize(
    ("args", "match"),
    [
        (("ijk,jk->ik", np.ones((2, 3)), np.ones((3, 5))), r"operand 0 has 2 axes .* 'ijk' name 3"),
        (
            ("ij,jk->ik", np.ones((2, 3)), np.ones((4, 3))),
            r"subscript 'j' has length 3 in operand 0 .* 4 in operand 1",
        ),
        (
            ("ij,jk->iz", np.ones((2, 3)), np.ones((3, 2))),
            r"output subscript 'z' appears in no operand",
        ),
        (("ij", np.ones((2, 3)), np.ones(3)), r"name 1 operand\(s\) but 2 were given"),
        (("i.j", np.ones((2, 3))), r"operand 0's subscripts 'i\.j' holds '\.'"),
        (("ii", np.ones((2, 3))), r"operand 0 \(shape \(2, 3\)\) repeats subscript 'i'"),
        (("...i,...i", np.ones((2, 3)), np.ones((4, 3))), r"axes under '\.\.\.' do not broadcast"),
        (("ij->ii", np.ones((2, 2))), r"output subscript 'i' appears twice"),
    ],
)
def test_einsum_with_mismatched_subscripts_names_the_operand(args: Any, match: str):
    with pytest.raises(ValueError, match="^einsum: "):
        ops.einsum(*args)
    with pytest.raises(ValueError, match=match):
        np.einsum(*(Tensor(a) if isinstance(a, np.ndarray) else a for a in args))


def test_solve_and_tensordot_shape_errors_name_the_op():
    with pytest.raises(ValueError, match=r"^solve: a has shape \(3, 3\) and b \(2,\)"):
        ops.linalg.solve(np.eye(3), np.ones(2))
    with pytest.raises(ValueError, match="^tensordot"):
        ops.tensordot(np.ones((2, 3)), np.ones((3, 2)), axes=([0, 1], [0]))
    with pytest.raises(ValueError, match="^qr: mode"):
        ops.linalg.qr(np.eye(2), "raw")


def _grad(fn: Any, x: np.ndarray) -> np.ndarray:
    t = Tensor(x, requires_grad=True)
    (g,) = grad(fn(t), [t])
    return g.data


def test_det_gradient_is_the_cofactor_matrix_also_when_singular():
    np.testing.assert_allclose(_grad(ops.linalg.det, SINGULAR), [[4.0, -2.0], [-2.0, 1.0]])
    a = np.array([[2.0, 1.0], [0.5, 3.0]])
    np.testing.assert_allclose(_grad(ops.linalg.det, a), np.linalg.det(a) * np.linalg.inv(a).T)
    check_grads(ops.linalg.det, SINGULAR)


@pytest.mark.parametrize("ord", [None, 2, 3, "fro"])
def test_norm_has_the_subgradient_zero_at_zero(ord: Any):
    x = np.zeros((2, 2)) if ord == "fro" else np.zeros(3)
    g = _grad(lambda t: ops.linalg.norm(t, ord), x)
    np.testing.assert_array_equal(g, np.zeros_like(x))
    np.testing.assert_array_equal(_grad(lambda t: ops.std(t), np.ones(3)), np.zeros(3))


def test_norm_inf_splits_the_gradient_between_ties_as_pytorch():
    g = _grad(lambda t: ops.linalg.norm(t, np.inf), np.array([1.0, -1.0, 0.5]))
    np.testing.assert_array_equal(g, [0.5, -0.5, 0.0])


def test_eigenvalues_of_repeated_eigenvalues_keep_an_exact_gradient():
    """At A = I every eigenvalue repeats: eigenvectors are not unique, but sum(w * c) has
    the gradient V diag(c) V^T; the terms that would be 0/0 are taken as 0."""
    c = np.array([1.0, 2.0, 3.0])
    for fn in (lambda t: (ops.linalg.eigh(t).eigenvalues * c).sum(),
               lambda t: (ops.linalg.eigvalsh(t) * c).sum()):  # fmt: skip
        g = _grad(fn, np.eye(3))
        assert np.isfinite(g).all()
        np.testing.assert_allclose(np.trace(g), c.sum())
    g = _grad(lambda t: ops.linalg.svd(t)[1].sum(), np.eye(3))  # the nuclear norm at I
    np.testing.assert_allclose(g, np.eye(3), atol=1e-12)


def test_eigh_projection_onto_a_repeated_eigenspace_is_exact():
    """P = v1 v1^T + v2 v2^T for a doubly repeated eigenvalue does not depend on the choice
    of eigenvectors; its gradient comes out finite and matches finite differences."""
    a = np.diag([1.0, 1.0, 3.0])

    def projector(t: Any) -> Any:
        v = ops.linalg.eigh((t + t.T) * 0.5).eigenvectors[:, :2]
        return (v @ v.T * np.arange(9.0).reshape(3, 3)).sum()

    assert np.isfinite(_grad(projector, a)).all()


def test_several_outputs_used_at_once_combine_their_gradients():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((3, 3))
    check_grads(lambda t: (lambda w, v: (w[:, None] * v * v).sum())(*ops.linalg.eigh(t + t.T)), x)
    check_grads(lambda t: (lambda q, r: (q @ r * r.T).sum())(*ops.linalg.qr(t)), x)
    check_grads(lambda t: (lambda u, s, vh: (u * s) @ (vh * vh))(*ops.linalg.svd(t)), x)
    check_grads(lambda t: (lambda s, la: s * la)(*ops.linalg.slogdet(t + 3 * np.eye(3))), x)


def test_slogdet_sign_carries_no_gradient_and_results_are_named():
    t = Tensor(-np.eye(3), requires_grad=True)
    result = ops.linalg.slogdet(t)
    assert result.sign.item() == -1 and not result.sign.requires_grad
    assert result.logabsdet.requires_grad
    w, v = np.linalg.eigh(t)
    assert isinstance(w, Tensor) and ops.linalg.eigh(t).eigenvectors.shape == (3, 3)
    assert ops.linalg.svd(np.ones((2, 3))).Vh.shape == (3, 3)
    assert ops.linalg.qr(np.ones((3, 2))).R.shape == (2, 2)


def test_qr_complete_with_more_rows_is_refused_in_backward():
    t = Tensor(np.random.default_rng(1).standard_normal((4, 2)), requires_grad=True)
    q, r = ops.linalg.qr(t, mode="complete")
    with pytest.raises(ValueError, match="qr: mode='complete' with more rows"):
        q.sum().backward()
