"""Values at the edges: erf to float64 precision, NumPy's domain errors (NaN with its
RuntimeWarning), and the gradients PyTorch takes where the derivative is not unique."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import ops
from autograd_core import Tensor, grad


def _grads(fn: Callable[..., Any], *values: Any) -> list[np.ndarray]:
    xs = [Tensor(np.asarray(v, dtype=np.float64), requires_grad=True) for v in values]
    out = fn(*xs)
    return [g.data for g in grad(out.sum(), xs, allow_unused=True)]


GRID = np.concatenate(
    [
        np.linspace(-7, 7, 70001),
        np.linspace(7, 26.5, 2001),
        -np.geomspace(1e-300, 1e-2, 300),
        np.geomspace(1e-300, 1e-2, 300),
    ]
)


@pytest.mark.parametrize(("op", "exact"), [(ops.erf, math.erf), (ops.erfc, math.erfc)])
def test_erf_and_erfc_to_float64_precision(op: Callable[..., Any], exact: Any):
    expected = np.array([exact(x) for x in GRID])
    got = op(GRID).data
    normal = np.abs(expected) > np.finfo(np.float64).tiny
    relative = np.abs(got - expected)[normal] / np.abs(expected[normal])
    assert relative.max() < 5e-15
    assert np.all(got[~normal] == 0) or np.abs(got[~normal] - expected[~normal]).max() < 1e-300


def test_erf_at_special_values():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 30.0, -30.0])
    np.testing.assert_array_equal(ops.erf(x).data, [0.0, -0.0, 1.0, -1.0, np.nan, 1.0, -1.0])
    np.testing.assert_array_equal(ops.erfc(x).data, [1.0, 1.0, 0.0, 2.0, np.nan, 0.0, 2.0])
    assert np.signbit(ops.erf(-0.0).data)
    assert ops.erf(np.float32(0.5)).dtype == np.float32
    assert ops.erf(np.array([1, 2])).dtype == np.float64


@pytest.mark.parametrize(
    ("op", "x", "warning"),
    [
        (ops.arcsin, 2.0, "invalid value"),
        (ops.arccos, -1.5, "invalid value"),
        (ops.arccosh, 0.5, "invalid value"),
        (ops.arctanh, 2.0, "invalid value"),
        (ops.arctanh, 1.0, "divide by zero"),
        (ops.log1p, -2.0, "invalid value"),
        (ops.log1p, -1.0, "divide by zero"),
        (ops.log2, 0.0, "divide by zero"),
        (ops.log10, -1.0, "invalid value"),
        (lambda x: ops.fmod(x, 0.0), 1.0, "invalid value"),
    ],
)
def test_domain_errors_follow_numpy(op: Callable[..., Any], x: float, warning: str):
    with pytest.warns(RuntimeWarning, match=warning):
        out = op(Tensor(x, requires_grad=True))
    assert np.isnan(out.data) or np.isinf(out.data)


@pytest.mark.parametrize(
    ("fn", "values", "expected"),
    [
        pytest.param(ops.hypot, ([0.0, 3.0], [0.0, 4.0]), [[0, 0.6], [0, 0.8]], id="hypot-origin"),
        pytest.param(
            ops.copysign,
            ([0.0, 2.0, -3.0], [-1.0, -1.0, 1.0]),
            [[0, -1, -1], [0, 0, 0]],
            id="copysign",
        ),
        pytest.param(ops.floor, ([1.0, 1.5, -2.0],), [[0, 0, 0]], id="floor-at-integers"),
        pytest.param(ops.round, ([0.5, 1.5, 2.5],), [[0, 0, 0]], id="round-at-halves"),
        pytest.param(ops.fmod, ([5.5, -5.5], [2.0, 2.0]), [[1, 1], [-2, 2]], id="fmod"),
        pytest.param(ops.mod, ([5.5, -5.5], [2.0, 2.0]), [[1, 1], [-2, 3]], id="mod"),
        pytest.param(
            ops.logaddexp, ([-np.inf], [-np.inf]), [[np.nan], [np.nan]], id="logaddexp-both--inf"
        ),
        pytest.param(ops.logaddexp, ([1e308], [1e308]), [[0.5], [0.5]], id="logaddexp-huge"),
        pytest.param(ops.arcsin, ([1.0],), [[np.inf]], id="arcsin-edge"),
    ],
)
def test_gradients_where_pytorch_chooses(fn: Any, values: Any, expected: Any):
    """The values PyTorch gives at these points (hypot: its vector_norm's 0 at 0)."""
    with np.errstate(all="ignore"):
        got = _grads(fn, *values)
    for g, e in zip(got, expected, strict=True):
        np.testing.assert_array_equal(g, e)


def test_rounding_is_exact_and_zero_derivative_is_declared():
    x = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.567])
    np.testing.assert_array_equal(ops.round(x).data, np.round(x))
    np.testing.assert_array_equal(ops.round(x, 2).data, np.round(x, 2))
    for op in (ops.floor, ops.ceil, ops.trunc, ops.rounding._round, ops.floor_divide, ops.sign):
        assert op.op.zero  # declared zero_derivative=True: explain() says why the gradient is 0
    assert round(Tensor(2.567), 2) == 2.57  # Python's round still gives a number
    assert isinstance(Tensor([1.25, 2.5]).round(1), Tensor)


INTEGERS = np.array([[5, -3, 12], [0, 7, -8]])
OTHER = np.array([3, 2, 1])


@pytest.mark.parametrize(
    ("expr", "reference"),
    [
        (lambda a, b: a & b, np.bitwise_and),
        (lambda a, b: a | b, np.bitwise_or),
        (lambda a, b: a ^ b, np.bitwise_xor),
        (lambda a, b: a << b, np.left_shift),
        (lambda a, b: a >> b, np.right_shift),
        (lambda a, b: ~a, lambda a, b: np.invert(a)),
        (lambda a, b: a // b, np.floor_divide),
        (lambda a, b: a % b, np.mod),
        (lambda a, b: np.bitwise_and(a, b), np.bitwise_and),
        (lambda a, b: 6 & a, lambda a, b: 6 & a),
        (lambda a, b: OTHER << a.abs().clip(0, 3), lambda a, b: OTHER << np.clip(np.abs(a), 0, 3)),
    ],
    ids=[
        "and",
        "or",
        "xor",
        "lshift",
        "rshift",
        "invert",
        "floordiv",
        "mod",
        "np.bitwise_and",
        "number-and",
        "ndarray-lshift",
    ],
)
def test_bitwise_operators_on_integer_tensors_follow_numpy(expr: Any, reference: Any):
    out = expr(Tensor(INTEGERS), Tensor(OTHER))
    expected = reference(INTEGERS, OTHER)
    assert isinstance(out, Tensor) and not out.requires_grad
    assert out.dtype == expected.dtype
    np.testing.assert_array_equal(out.data, expected)


def test_bitwise_operators_on_bools_are_logical():
    a, b = Tensor([True, False, True]), Tensor([True, True, False])
    np.testing.assert_array_equal((a & b).data, [True, False, False])
    np.testing.assert_array_equal((a ^ b).data, [False, True, True])
    np.testing.assert_array_equal((~a).data, [False, True, False])


def test_bitwise_operators_on_floats_name_the_op():
    with pytest.raises(TypeError, match="bitwise_and"):
        Tensor([1.0]) & Tensor([2.0])
