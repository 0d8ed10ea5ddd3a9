"""Tensors mixed with Python numbers, ndarrays and NumPy functions.

Python numbers and ndarrays are constants on either side of an operator; NumPy ufuncs
and functions given a Tensor run the matching op, so `np.exp(t)` is differentiable;
comparisons give bool Tensors that carry no gradient.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import ops
from autograd_core import Tensor
from tests.helpers import check_grads

from ._inputs import distinct, normal, positive

X = positive((2, 3))

# (expression on a Tensor or array t, its derivative in closed form)
NUMBER_EXPRESSIONS: list[tuple[str, Callable[[Any], Any], Callable[[Any], Any]]] = [
    ("2 + t", lambda t: 2 + t, lambda x: np.ones_like(x)),
    ("t + 2", lambda t: t + 2, lambda x: np.ones_like(x)),
    ("2 - t", lambda t: 2 - t, lambda x: -np.ones_like(x)),
    ("t - 2.5", lambda t: t - 2.5, lambda x: np.ones_like(x)),
    ("3 * t", lambda t: 3 * t, lambda x: np.full_like(x, 3)),
    ("t * 3", lambda t: t * 3, lambda x: np.full_like(x, 3)),
    ("2 / t", lambda t: 2 / t, lambda x: -2 / x**2),
    ("t / 4", lambda t: t / 4, lambda x: np.full_like(x, 0.25)),
    ("2 ** t", lambda t: 2**t, lambda x: 2**x * np.log(2)),
    ("t ** 2", lambda t: t**2, lambda x: 2 * x),
    ("t ** 0.5", lambda t: t**0.5, lambda x: 0.5 / np.sqrt(x)),
    ("t ** -1", lambda t: t**-1, lambda x: -1 / x**2),
    ("-t", lambda t: -t, lambda x: -np.ones_like(x)),
    ("abs(-t)", lambda t: abs(-t), lambda x: np.ones_like(x)),
]


@pytest.mark.parametrize(
    ("expr", "derivative"),
    [e[1:] for e in NUMBER_EXPRESSIONS],
    ids=[e[0] for e in NUMBER_EXPRESSIONS],
)
def test_python_numbers_on_either_side(expr: Callable[[Any], Any], derivative: Any):
    """Value as NumPy computes it on the plain array; gradient from the closed form."""
    t = Tensor(X, requires_grad=True)
    out = expr(t)
    assert isinstance(out, Tensor)
    np.testing.assert_allclose(out.data, expr(X), rtol=1e-14)
    out.sum().backward()
    np.testing.assert_allclose(t.grad.data, derivative(X), rtol=1e-12)
    check_grads(expr, X)


COMPARISONS = [operator.lt, operator.le, operator.gt, operator.ge, operator.eq, operator.ne]
OTHERS = {
    "number": 0.25,
    "ndarray": np.array([0.25, -1.0, 2.0]),
    "tensor": Tensor([0.25, 3.0, -2.0], requires_grad=True),
}


@pytest.mark.parametrize("compare", COMPARISONS, ids=lambda f: f.__name__)
@pytest.mark.parametrize("other", OTHERS.values(), ids=OTHERS.keys())
@pytest.mark.parametrize("tensor_first", [True, False], ids=["tensor-first", "tensor-second"])
def test_comparisons_return_bool_tensors_without_gradient(compare, other, tensor_first):
    x = np.array([[0.25, -1.0, 3.0], [0.0, 2.0, -2.0]])
    t = Tensor(x, requires_grad=True)
    plain = np.asarray(other)
    out = compare(t, other) if tensor_first else compare(other, t)
    expected = compare(x, plain) if tensor_first else compare(plain, x)
    assert isinstance(out, Tensor)
    assert out.dtype == np.bool_
    assert not out.requires_grad and out.is_leaf
    np.testing.assert_array_equal(out.data, expected)


def test_logical_operators_combine_masks():
    t = Tensor([-1.0, 0.5, 2.0], requires_grad=True)
    np.testing.assert_array_equal(((t > 0) & (t < 1)).data, [False, True, False])
    np.testing.assert_array_equal(((t < 0) | (t > 1)).data, [True, False, True])
    np.testing.assert_array_equal((~(t > 0)).data, [True, False, False])
    assert not ((t > 0) & (t < 1)).requires_grad


def test_mask_from_a_comparison_selects_the_gradient():
    """np.where(t > 0, t, 0) is relu: gradient 1 where t > 0, else 0."""
    t = Tensor([-1.0, 0.5, 2.0, -0.1], requires_grad=True)
    out = np.where(t > 0, t, 0)
    assert isinstance(out, Tensor)
    out.backward(np.array([1.0, 2.0, 3.0, 4.0]))
    np.testing.assert_array_equal(t.grad.data, [0, 2, 3, 0])


SIGNED = distinct((2, 3))
C = normal((3, 1, 3), seed=3)

NUMPY_CALLS: list[tuple[str, Callable[[Any], Any], np.ndarray]] = [
    ("exp", np.exp, SIGNED),
    ("log", np.log, X),
    ("sqrt", np.sqrt, X),
    ("tanh", np.tanh, SIGNED),
    ("abs", np.abs, SIGNED),
    ("sign", np.sign, SIGNED),
    ("negative", np.negative, SIGNED),
    ("square", np.square, SIGNED),
    ("power", lambda t: np.power(t, 3), SIGNED),
    ("add", lambda t: np.add(C, t), SIGNED),
    ("subtract", lambda t: np.subtract(t, C), SIGNED),
    ("multiply", lambda t: np.multiply(t, t), SIGNED),
    ("divide", lambda t: np.divide(C, t), X),
    ("maximum", lambda t: np.maximum(t, 0.0), SIGNED),
    ("minimum", lambda t: np.minimum(C, t), SIGNED),
    ("matmul", lambda t: np.matmul(t, t.T), SIGNED),
    ("sum", np.sum, SIGNED),
    ("sum_axis", lambda t: np.sum(t, axis=0), SIGNED),
    ("mean", lambda t: np.mean(t, axis=1, keepdims=True), SIGNED),
    ("max", np.max, SIGNED),
    ("amin", lambda t: np.amin(t, axis=0), SIGNED),
    ("var", np.var, SIGNED),
    ("var_ddof", lambda t: np.var(t, axis=1, ddof=1), SIGNED),
    ("where", lambda t: np.where(t > 0, t, 0), SIGNED),
    ("clip", lambda t: np.clip(t, -0.5, 0.5), SIGNED),
    ("reshape", lambda t: np.reshape(t, (3, 2)), SIGNED),
    ("transpose", np.transpose, SIGNED),
    ("swapaxes", lambda t: np.swapaxes(t, 0, 1), SIGNED),
    ("expand_dims", lambda t: np.expand_dims(t, 1), SIGNED),
    ("squeeze", lambda t: np.squeeze(np.expand_dims(t, 0)), SIGNED),
    ("broadcast_to", lambda t: np.broadcast_to(t, (4, 2, 3)), SIGNED),
    ("concatenate", lambda t: np.concatenate([t, C[:2, 0], t], axis=-1), SIGNED),
    ("stack", lambda t: np.stack([t, t * t], axis=1), SIGNED),
]


@pytest.mark.parametrize(
    ("call", "x"), [c[1:] for c in NUMPY_CALLS], ids=[c[0] for c in NUMPY_CALLS]
)
def test_numpy_functions_dispatch_to_ops(call: Callable[[Any], Any], x: np.ndarray):
    """np.f(tensor) returns a Tensor in the graph, with NumPy's value for np.f(array)."""
    out = call(Tensor(x, requires_grad=True))
    assert isinstance(out, Tensor) and out.requires_grad
    np.testing.assert_allclose(out.data, call(x), rtol=1e-14)
    check_grads(call, x)


LEFT_OPERANDS = [
    ("+", operator.add, normal((3, 1, 4)), normal((5, 4))),
    ("-", operator.sub, normal((3, 1, 4)), normal((5, 4))),
    ("*", operator.mul, normal((3, 1, 4)), normal((5, 4))),
    ("/", operator.truediv, normal((3, 1, 4)), positive((5, 4))),
    ("**", operator.pow, positive((3, 1, 4)), normal((5, 4))),
    ("@", operator.matmul, normal((2, 3)), normal((3, 4))),
    ("@-batched", operator.matmul, normal((2, 1, 2, 3)), normal((4, 3, 2))),
    ("@-vector", operator.matmul, normal((3,)), normal((2, 3, 4))),
    ("*-0d", operator.mul, np.array(2.5), normal((2, 3))),
    ("*-numpy-scalar", operator.mul, np.float64(2.5), normal((2, 3))),
    ("-0d", operator.sub, np.array(2.5), normal((2, 3))),
    ("%", operator.mod, normal((3, 1, 4)), positive((5, 4)) + 0.5),
    ("//", operator.floordiv, normal((2, 3)), positive((2, 3)) + 0.5),
]


@pytest.mark.parametrize(
    ("op", "left", "x"), [c[1:] for c in LEFT_OPERANDS], ids=[c[0] for c in LEFT_OPERANDS]
)
def test_ndarray_on_the_left_returns_a_tensor(op: Any, left: Any, x: np.ndarray):
    out = op(left, Tensor(x, requires_grad=True))
    assert isinstance(out, Tensor) and out.requires_grad
    np.testing.assert_allclose(out.data, op(left, x), rtol=1e-14)
    check_grads(lambda t: op(left, t), x)


@pytest.mark.parametrize(
    ("fn", "x"),
    [
        pytest.param(lambda t: np.clip(t, np.full((4, 1, 1), -0.5), 0.5), SIGNED, id="clip-bounds"),
        pytest.param(lambda t: np.where(SIGNED > 0, C, t), normal((3,)), id="where-ndarray"),
        pytest.param(lambda t: np.maximum(C, t), SIGNED + 0.05, id="maximum-ndarray"),
    ],
)
def test_array_constants_that_broadcast_the_tensor(fn: Callable[[Any], Any], x: np.ndarray):
    """Constant arrays may be larger than the tensor: the gradient is summed back."""
    out = fn(Tensor(x, requires_grad=True))
    np.testing.assert_array_equal(out.data, fn(x))
    check_grads(fn, x)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        pytest.param(
            lambda t: np.fft.fft(t), r"np\.fft\.fft has no differentiable", id="no-counterpart"
        ),
        pytest.param(lambda t: np.linalg.eig(t), r"np\.linalg\.eig has no", id="linalg-eig"),
        pytest.param(
            lambda t: np.sin(t, out=np.zeros(2)), r"np\.sin\(\.\.\., out=", id="ufunc-out"
        ),
        pytest.param(
            lambda t: np.add(t, 1, where=np.array([True, False])),
            r"np\.add\(\.\.\., where=",
            id="ufunc-where",
        ),
        pytest.param(
            lambda t: np.exp(t, casting="unsafe"), r"np\.exp: .*casting", id="ufunc-casting"
        ),
        pytest.param(lambda t: np.add.reduceat(t, [0]), r"np\.add\.reduceat has no", id="reduceat"),
        pytest.param(lambda t: np.sum(t, out=np.zeros(())), r"np\.sum\(\.\.\., out=", id="sum-out"),
        pytest.param(
            lambda t: np.sum(t, where=np.array([True, False])),
            r"np\.sum\(\.\.\., where=",
            id="sum-where",
        ),
        pytest.param(
            lambda t: np.cumsum(t, 0, None, np.zeros(2)),
            r"np\.cumsum\(\.\.\., out\)",
            id="cumsum-positional-out",
        ),
        pytest.param(lambda t: np.sum(t, initial=1.0), r"np\.sum: .*initial", id="sum-initial"),
        pytest.param(lambda t: np.sort(t, order="x"), r"np\.sort\(\.\.\., order=", id="sort-order"),
    ],
)
def test_unsupported_numpy_calls_raise_type_error_naming_them(call: Any, match: str):
    """Never a silent plain array: the function, the keyword and the way out are named."""
    t = Tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(TypeError, match=match) as info:
        call(t)
    assert (
        "np.asarray" in str(info.value)
        or "result" in str(info.value)
        or "np.where" in str(info.value)
        or "Tensors hold numbers" in str(info.value)
    )


@pytest.mark.parametrize(
    ("call", "reference"),
    [
        pytest.param(lambda t: np.add.reduce(t), lambda x: np.add.reduce(x), id="add.reduce"),
        pytest.param(
            lambda t: np.multiply.reduce(t, axis=1, keepdims=True),
            lambda x: np.multiply.reduce(x, axis=1, keepdims=True),
            id="multiply.reduce",
        ),
        pytest.param(
            lambda t: np.add.accumulate(t, axis=1),
            lambda x: np.add.accumulate(x, axis=1),
            id="add.accumulate",
        ),
        pytest.param(
            lambda t: np.multiply.accumulate(t),
            lambda x: np.multiply.accumulate(x),
            id="multiply.accumulate",
        ),
        pytest.param(
            lambda t: np.maximum.reduce(t, axis=-1),
            lambda x: np.maximum.reduce(x, axis=-1),
            id="maximum.reduce",
        ),
        pytest.param(
            lambda t: np.minimum.accumulate(t, axis=1),
            lambda x: np.minimum.accumulate(x, axis=1),
            id="minimum.accumulate",
        ),
        pytest.param(
            lambda t: np.multiply.outer(t, t[0]),
            lambda x: np.multiply.outer(x, x[0]),
            id="multiply.outer",
        ),
        pytest.param(
            lambda t: np.hypot.outer(t[0], t[1]),
            lambda x: np.hypot.outer(x[0], x[1]),
            id="hypot.outer",
        ),
        pytest.param(
            lambda t: np.sum(t, dtype=np.float32),
            lambda x: np.sum(x, dtype=np.float32),
            id="sum-dtype",
        ),
        pytest.param(
            lambda t: np.sin(t, dtype=np.float32),
            lambda x: np.sin(x, dtype=np.float32),
            id="sin-dtype",
        ),
        pytest.param(
            lambda t: np.std(t, 0, None, None, 1),
            lambda x: np.std(x, 0, None, None, 1),
            id="std-positional-ddof",
        ),
        pytest.param(
            lambda t: np.reshape(t, shape=(6,)),
            lambda x: np.reshape(x, shape=(6,)),
            id="reshape-shape-keyword",
        ),
    ],
)
def test_ufunc_methods_and_numpy_keywords_dispatch(call: Any, reference: Any):
    x = distinct((2, 3))
    out = call(Tensor(x, requires_grad=True))
    expected = reference(x)
    assert isinstance(out, Tensor) and out.requires_grad
    assert out.dtype == expected.dtype
    np.testing.assert_allclose(out.data, expected, rtol=1e-6 if out.dtype == np.float32 else 1e-14)
    if out.dtype == np.float64:
        check_grads(call, x)


@pytest.mark.parametrize(
    ("call", "x"),
    [
        pytest.param(lambda t: np.transpose(t, axes=(1, 0)), SIGNED, id="transpose-axes"),
        pytest.param(lambda t: np.reshape(t, shape=(3, 2)), SIGNED, id="reshape-shape"),
        pytest.param(lambda t: np.clip(t, min=-0.5, max=0.5), SIGNED, id="clip-min-max"),
        pytest.param(lambda t: np.clip(t, a_min=-0.5, a_max=0.5), SIGNED, id="clip-a_min"),
        pytest.param(lambda t: np.sum(t, axis=1, keepdims=True), SIGNED, id="sum-keywords"),
        pytest.param(lambda t: np.squeeze(t[None], axis=0), SIGNED, id="squeeze-axis"),
    ],
)
def test_numpy_keywords_work_on_tensors(call: Callable[[Any], Any], x: np.ndarray):
    """NumPy's own parameter names are accepted when a Tensor is dispatched."""
    out = call(Tensor(x, requires_grad=True))
    assert isinstance(out, Tensor) and out.requires_grad
    np.testing.assert_array_equal(out.data, call(x))


def test_one_argument_where_gives_indices_like_numpy():
    t = Tensor([[0.5, -1.0], [2.0, 0.0]], requires_grad=True)
    rows, cols = np.where(t > 0)
    np.testing.assert_array_equal(rows, [0, 1])
    np.testing.assert_array_equal(cols, [0, 0])


METHODS: list[tuple[str, Callable[[Any], Any], Callable[[Any], Any]]] = [
    ("sum", lambda t: t.sum(axis=0, keepdims=True), lambda x: x.sum(axis=0, keepdims=True)),
    ("mean", lambda t: t.mean(1), lambda x: x.mean(1)),
    ("max", lambda t: t.max(axis=-1), lambda x: x.max(axis=-1)),
    ("min", lambda t: t.min(), lambda x: x.min()),
    ("var", lambda t: t.var(axis=0, ddof=1), lambda x: x.var(axis=0, ddof=1)),
    ("reshape-args", lambda t: t.reshape(3, 2), lambda x: x.reshape(3, 2)),
    ("reshape-tuple", lambda t: t.reshape((1, -1)), lambda x: x.reshape((1, -1))),
    ("transpose", lambda t: t.transpose(), lambda x: x.transpose()),
    ("transpose-args", lambda t: t.transpose(1, 0), lambda x: x.transpose(1, 0)),
    ("T", lambda t: t.T, lambda x: x.T),
    ("flatten", lambda t: t.flatten(), lambda x: x.flatten()),
    ("squeeze", lambda t: t[:, None].squeeze(1), lambda x: x[:, None].squeeze(1)),
    ("expand_dims", lambda t: t.expand_dims(0), lambda x: np.expand_dims(x, 0)),
    ("broadcast_to", lambda t: t.broadcast_to((2, 2, 3)), lambda x: np.broadcast_to(x, (2, 2, 3))),
    ("clip", lambda t: t.clip(-0.5, 0.5), lambda x: x.clip(-0.5, 0.5)),
    ("exp", lambda t: t.exp(), np.exp),
    ("tanh", lambda t: t.tanh(), np.tanh),
    ("sigmoid", lambda t: t.sigmoid(), lambda x: np.exp(-np.logaddexp(0, -x))),
    ("relu", lambda t: t.relu(), lambda x: np.maximum(x, 0)),
    ("abs", lambda t: t.abs(), np.abs),
    ("matmul", lambda t: t.matmul(t.T), lambda x: x @ x.T),
    ("log", lambda t: (t * t).log(), lambda x: np.log(x * x)),
    ("sqrt", lambda t: (t * t).sqrt(), np.abs),
]


@pytest.mark.parametrize(
    ("method", "reference"), [m[1:] for m in METHODS], ids=[m[0] for m in METHODS]
)
def test_tensor_methods_mirror_numpy(method: Callable[[Any], Any], reference: Any):
    out = method(Tensor(SIGNED, requires_grad=True))
    assert isinstance(out, Tensor) and out.requires_grad
    np.testing.assert_allclose(out.data, reference(SIGNED), rtol=1e-14)
    check_grads(method, SIGNED)


VIEWING_OPS: list[tuple[str, Callable[[Any], Any]]] = [
    ("reshape", lambda a: ops.reshape(a, (3, 2))),
    ("transpose", ops.transpose),
    ("swapaxes", lambda a: ops.swapaxes(a, 0, 1)),
    ("flatten", ops.flatten),
    ("broadcast_to", lambda a: ops.broadcast_to(a, (2, 2, 3))),
    ("expand_dims", lambda a: ops.expand_dims(a, 0)),
    ("squeeze", lambda a: ops.squeeze(a[None], 0)),
    ("getitem", lambda a: ops.getitem(a, (slice(None), 1))),
    ("sliding_window", lambda a: ops.sliding_window(a, 2)),
]


@pytest.mark.parametrize("op", [v[1] for v in VIEWING_OPS], ids=[v[0] for v in VIEWING_OPS])
def test_op_on_an_ndarray_does_not_alias_it(op: Callable[[Any], Any]):
    """Tensor data is read-only, and graphs keep it for backward: an op given the caller's
    writable array must not return a view of it, or later writes would change both the
    result and a gradient that read it."""
    array = np.arange(6.0).reshape(2, 3)
    out = op(array)
    before = out.data.copy()
    w = Tensor(np.ones(out.shape), requires_grad=True)
    product = (w * out).sum()
    array[...] = 100.0
    product.backward()
    np.testing.assert_array_equal(out.data, before)
    np.testing.assert_array_equal(w.grad.data, before)


def test_where_condition_changed_after_forward_does_not_change_gradient():
    t = Tensor([1.0, 2.0, 3.0], requires_grad=True)
    mask = np.array([True, False, True])
    out = np.where(mask, t, 0.0)
    mask[:] = False
    out.sum().backward()
    np.testing.assert_array_equal(t.grad.data, [1, 0, 1])
