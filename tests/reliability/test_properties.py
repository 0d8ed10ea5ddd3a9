"""Property-based tests: random shapes, broadcasting pairs, axes, keepdims, index
expressions and dtypes for every primitive op and reduction.

Each property compares the engine with an independent answer: the forward value with
the NumPy function of the same name (same value, shape and dtype), the gradient with
central finite differences (`tests/helpers.check_grads`, to second order where it is
cheap), and, for indexing, the gradient with a count of how often each element is picked.

Finite differences need smooth points, so gradient properties draw values away from
kinks (|x| >= 0.05 for abs, relu and sign; distinct values for max and min; maximum and
minimum operands at least 0.01 apart). Forward properties draw values freely, ties and
zeros included. Example counts come from the hypothesis profile (tests/conftest.py).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import nn.functional as F
import ops
from autograd_core import Tensor

from ..helpers import check_grads

FLOATS = (np.float32, np.float64)
MAX_SIDE = 3


# ---- value strategies ------------------------------------------------------------------------


def _floats(dtype: Any, lo: float, hi: float) -> st.SearchStrategy[float]:
    width = 32 if np.dtype(dtype) == np.float32 else 64
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False, width=width)


def any_real(dtype: Any = np.float64) -> st.SearchStrategy[float]:
    return _floats(dtype, -3.0, 3.0)


def positive(dtype: Any = np.float64) -> st.SearchStrategy[float]:
    """For log, sqrt, divisors and the base of a power: in [0.25, 3]."""
    return _floats(dtype, 0.25, 3.0)


def away_from_zero(dtype: Any = np.float64) -> st.SearchStrategy[float]:
    """For abs, relu, sign: |x| >= 0.05, far beyond the finite-difference step."""
    return _floats(dtype, 0.05, 3.0) | _floats(dtype, -3.0, -0.05)


def exponent(dtype: Any = np.float64) -> st.SearchStrategy[float]:
    return _floats(dtype, -2.0, 2.0)


def spaced(shape: tuple[int, ...]) -> st.SearchStrategy[np.ndarray]:
    """Distinct values at least 0.1 apart, none at 0: no ties for max and min to split."""
    grid = st.integers(-30, 30).map(lambda k: k / 10 + 0.0137)
    return hnp.arrays(np.float64, shape, elements=grid, fill=st.nothing(), unique=True)


def array(
    shape: tuple[int, ...], elements: st.SearchStrategy[float], dtype: Any = np.float64
) -> st.SearchStrategy[np.ndarray]:
    """Every element drawn on its own (no fill value), so gradient points stay generic."""
    return hnp.arrays(dtype, shape, elements=elements, fill=st.nothing())


def loose_array(shape: tuple[int, ...], dtype: Any) -> st.SearchStrategy[np.ndarray]:
    """Forward-only values: repeats, zeros and negative values all welcome."""
    if np.dtype(dtype).kind == "i":
        return hnp.arrays(dtype, shape, elements=st.integers(-5, 5))
    return hnp.arrays(dtype, shape, elements=_floats(dtype, -4.0, 4.0))


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1) -> st.SearchStrategy[Any]:
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side,
                            max_side=MAX_SIDE)  # fmt: skip


def axes_for(ndim: int) -> st.SearchStrategy[Any]:
    """None, one axis (negative too) or a tuple of distinct axes, as NumPy accepts."""
    one = st.integers(-ndim, ndim - 1) if ndim else st.nothing()
    return st.none() | one | hnp.valid_tuple_axes(ndim)


def assert_same(out: Any, expected: Any, rtol: float = 0.0) -> None:
    """A Tensor with NumPy's shape and dtype, and its values (exactly, unless rtol)."""
    expected = np.asarray(expected)
    assert isinstance(out, Tensor)
    assert out.shape == expected.shape, (out.shape, expected.shape)
    assert out.dtype == expected.dtype, (out.dtype, expected.dtype)
    if rtol:
        np.testing.assert_allclose(out.data, expected, rtol=rtol, atol=rtol)
    else:
        np.testing.assert_array_equal(out.data, expected)


def tolerance(dtype: Any) -> float:
    return 2e-6 if np.dtype(dtype) == np.float32 else 1e-12


# ---- elementwise -----------------------------------------------------------------------------

Op = Callable[..., Any]
Domain = Callable[..., st.SearchStrategy[float]]

BINARY: list[tuple[str, Op, Op, Domain, Domain]] = [
    ("add", ops.add, np.add, any_real, any_real),
    ("subtract", ops.subtract, np.subtract, any_real, any_real),
    ("multiply", ops.multiply, np.multiply, any_real, any_real),
    ("divide", ops.divide, np.divide, any_real, positive),
    ("power", ops.power, np.power, positive, exponent),
    ("maximum", ops.maximum, np.maximum, any_real, any_real),
    ("minimum", ops.minimum, np.minimum, any_real, any_real),
]
BINARY_IDS = [b[0] for b in BINARY]


def operand(kind: str, value: np.ndarray) -> Any:
    """The same value as a Tensor, a plain ndarray constant or a Python number."""
    if kind == "tensor":
        return Tensor(value)
    if kind == "scalar":
        return value.item()
    return value


def operand_kinds(shape: tuple[int, ...]) -> st.SearchStrategy[str]:
    kinds = ["tensor", "ndarray"] + (["scalar"] if shape == () else [])
    return st.sampled_from(kinds)


@pytest.mark.parametrize("name, op, reference, _a, _b", BINARY, ids=BINARY_IDS)
@given(data=st.data())
def test_binary_forward_matches_numpy(name, op, reference, _a, _b, data):
    dtype = data.draw(st.sampled_from(FLOATS + (np.int64,)), label="dtype")
    (sa, sb), _ = data.draw(hnp.mutually_broadcastable_shapes(
        num_shapes=2, max_dims=3, min_side=0, max_side=MAX_SIDE), label="shapes")  # fmt: skip
    a, b = data.draw(loose_array(sa, dtype)), data.draw(loose_array(sb, dtype))
    if name == "power" and dtype == np.int64:
        b = np.abs(b)  # NumPy refuses negative integer powers of integers
    ka, kb = data.draw(operand_kinds(sa)), data.draw(operand_kinds(sb))
    assume("tensor" in (ka, kb))
    A, B = operand(ka, a), operand(kb, b)
    with np.errstate(all="ignore"):  # 0/0, 0**-1: NumPy's values are what we compare
        out = op(A, B)
        expected = reference(np.asarray(A) if ka == "tensor" else A,
                             np.asarray(B) if kb == "tensor" else B)  # fmt: skip
    assert_same(out, expected)


@pytest.mark.parametrize("name, op, reference, domain_a, domain_b", BINARY, ids=BINARY_IDS)
@given(data=st.data())
def test_binary_gradient_matches_finite_differences(name, op, reference, domain_a, domain_b, data):
    (sa, sb), out_shape = data.draw(hnp.mutually_broadcastable_shapes(
        num_shapes=2, max_dims=3, max_side=MAX_SIDE), label="shapes")  # fmt: skip
    a = data.draw(array(sa, domain_a()), label="a")
    b = data.draw(array(sb, domain_b()), label="b")
    if name in ("maximum", "minimum"):
        assume(np.all(np.abs(np.subtract(a, b)) > 0.01))  # no ties: a kink
    which = data.draw(st.sampled_from(["both", "a", "b"]), label="differentiate")
    if which == "both":
        check_grads(op, a, b)
    elif which == "a":
        check_grads(lambda x: op(x, b), a)  # b stays a plain ndarray constant
    else:
        check_grads(lambda y: op(a, y), b)


UNARY: list[tuple[str, Op, Op, Domain, bool]] = [
    # name, op, independent reference, gradient domain, reference is the same NumPy call
    ("negative", ops.negative, np.negative, any_real, True),
    ("exp", ops.exp, np.exp, any_real, True),
    ("log", ops.log, np.log, positive, True),
    ("sqrt", ops.sqrt, np.sqrt, positive, True),
    ("abs", ops.abs, np.abs, away_from_zero, True),
    ("sign", ops.sign, np.sign, away_from_zero, True),
    ("tanh", ops.tanh, np.tanh, any_real, True),
    ("sigmoid", ops.sigmoid, lambda x: 1 / (1 + np.exp(-x)), any_real, False),
    ("relu", ops.relu, lambda x: np.maximum(x, 0), away_from_zero, True),
    ("astype", lambda x: ops.astype(x, np.float64), lambda x: x.astype(np.float64), any_real,
     True),
]  # fmt: skip
UNARY_IDS = [u[0] for u in UNARY]


@pytest.mark.parametrize("name, op, reference, _domain, exact", UNARY, ids=UNARY_IDS)
@given(data=st.data())
def test_unary_forward_matches_numpy(name, op, reference, _domain, exact, data):
    dtype = data.draw(st.sampled_from(FLOATS), label="dtype")
    x = data.draw(loose_array(data.draw(shapes(min_side=0), label="shape"), dtype), label="x")
    with np.errstate(all="ignore"):  # log and sqrt of negatives give NaN, as in NumPy
        out = op(Tensor(x))
        expected = reference(x)
    if exact:
        assert_same(out, expected)
    else:
        assert_same(out, expected.astype(dtype), rtol=tolerance(dtype))


@pytest.mark.parametrize("name, op, reference, domain, _exact", UNARY, ids=UNARY_IDS)
@given(data=st.data())
def test_unary_gradient_matches_finite_differences(name, op, reference, domain, _exact, data):
    x = data.draw(array(data.draw(shapes(), label="shape"), domain()), label="x")
    check_grads(op, x)


@st.composite
def clip_bounds(draw: Any) -> tuple[float | None, float | None]:
    lo, hi = sorted(draw(st.lists(_floats(np.float64, -3, 3), min_size=2, max_size=2)))
    which = draw(st.sampled_from(["both", "lower", "upper"]))
    return (lo if which != "upper" else None), (hi if which != "lower" else None)


@given(data=st.data())
def test_clip_forward_and_gradient(data):
    lo, hi = data.draw(clip_bounds(), label="bounds")
    x = data.draw(array(data.draw(shapes(), label="shape"), any_real()), label="x")
    assert_same(ops.clip(Tensor(x), lo, hi), np.clip(x, lo, hi))
    for bound in (lo, hi):  # the bounds are kinks
        assume(bound is None or np.all(np.abs(x - bound) > 0.01))
    check_grads(lambda t: ops.clip(t, lo, hi), x)


@given(data=st.data())
def test_where_forward_and_gradient(data):
    (sc, sa, sb), _ = data.draw(hnp.mutually_broadcastable_shapes(
        num_shapes=3, max_dims=3, max_side=MAX_SIDE), label="shapes")  # fmt: skip
    condition = data.draw(hnp.arrays(bool, sc), label="condition")
    a, b = data.draw(array(sa, any_real()), label="a"), data.draw(array(sb, any_real()), label="b")
    assert_same(ops.where(condition, Tensor(a), Tensor(b)), np.where(condition, a, b))
    check_grads(lambda x, y: ops.where(condition, x, y), a, b)


COMPARISONS = [
    (ops.equal, np.equal),
    (ops.not_equal, np.not_equal),
    (ops.less, np.less),
    (ops.less_equal, np.less_equal),
    (ops.greater, np.greater),
    (ops.greater_equal, np.greater_equal),
]


@pytest.mark.parametrize("op, reference", COMPARISONS, ids=[c[1].__name__ for c in COMPARISONS])
@given(data=st.data())
def test_comparisons_match_numpy_and_carry_no_gradient(op, reference, data):
    dtype = data.draw(st.sampled_from(FLOATS + (np.int64,)), label="dtype")
    (sa, sb), _ = data.draw(hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3,
                                                              max_side=MAX_SIDE))  # fmt: skip
    a, b = data.draw(loose_array(sa, dtype)), data.draw(loose_array(sb, dtype))
    requires = dtype != np.int64
    out = op(Tensor(a, requires_grad=requires), b)
    assert_same(out, reference(a, b))
    assert not out.requires_grad


# ---- reductions ------------------------------------------------------------------------------

REDUCTIONS: list[tuple[str, Op, Op]] = [
    ("sum", ops.sum, np.sum),
    ("mean", ops.mean, np.mean),
    ("max", ops.max, np.max),
    ("min", ops.min, np.min),
    ("var", ops.var, np.var),
]
REDUCTION_IDS = [r[0] for r in REDUCTIONS]


def reduced_count(shape: tuple[int, ...], axis: Any) -> int:
    if axis is None:
        return int(np.prod(shape, dtype=int))
    axes = (axis,) if isinstance(axis, int) else axis
    return int(np.prod([shape[a] for a in axes], dtype=int))


@st.composite
def reduction_args(draw: Any, ddof_allowed: bool) -> tuple[tuple[int, ...], dict[str, Any]]:
    shape = draw(shapes())
    kw: dict[str, Any] = {"axis": draw(axes_for(len(shape)), label="axis"),
                          "keepdims": draw(st.booleans(), label="keepdims")}  # fmt: skip
    if ddof_allowed and reduced_count(shape, kw["axis"]) > 1:
        kw["ddof"] = draw(st.sampled_from([0, 1]), label="ddof")
    return shape, kw


@pytest.mark.parametrize("name, op, reference", REDUCTIONS, ids=REDUCTION_IDS)
@given(data=st.data())
def test_reduction_forward_matches_numpy(name, op, reference, data):
    integer_ok = name in ("sum", "max", "min", "mean")
    dtype = data.draw(st.sampled_from(FLOATS + ((np.int64,) if integer_ok else ())))
    shape, kw = data.draw(reduction_args(name == "var"))
    x = data.draw(loose_array(shape, dtype), label="x")
    exact = name in ("sum", "max", "min")
    assert_same(op(Tensor(x), **kw), reference(x, **kw), rtol=0 if exact else tolerance(dtype))


@pytest.mark.parametrize("name, op, reference", REDUCTIONS, ids=REDUCTION_IDS)
@given(data=st.data())
def test_reduction_gradient_matches_finite_differences(name, op, reference, data):
    shape, kw = data.draw(reduction_args(name == "var"))
    x = data.draw(spaced(shape), label="x")
    check_grads(lambda t: op(t, **kw), x)


@pytest.mark.parametrize("op", [ops.max, ops.min], ids=["max", "min"])
@given(data=st.data())
def test_extreme_ties_share_the_gradient_evenly(op, data):
    """Many ties (values from {0, 1, 2}): each reduced slice passes on exactly its
    upstream gradient, split evenly between the elements equal to its extreme."""
    shape = data.draw(shapes(min_dims=1))
    axis = data.draw(axes_for(len(shape)), label="axis")
    x = data.draw(hnp.arrays(np.float64, shape, elements=st.sampled_from([0.0, 1.0, 2.0])))
    t = Tensor(x, requires_grad=True)
    op(t, axis=axis).sum().backward()
    best = (np.max if op is ops.max else np.min)(x, axis=axis, keepdims=True)
    winners = x == best
    np.testing.assert_allclose(t.grad.data, winners / winners.sum(axis=axis, keepdims=True))


# ---- shapes ----------------------------------------------------------------------------------

ANY_DTYPE = st.sampled_from(FLOATS + (np.int64,))


SHAPE_OPS = ["reshape", "transpose", "swapaxes", "broadcast_to", "expand_dims", "squeeze",
             "flatten", "pad"]  # fmt: skip


@st.composite
def shape_case(draw: Any, name: str) -> tuple[tuple[int, ...], Op, Op]:
    """(input shape, engine call, NumPy call) for the shape op `name`, random arguments."""
    shape = draw(shapes(min_side=0 if name in ("reshape", "transpose", "flatten") else 1))
    ndim = len(shape)
    if name == "reshape":
        new = list(draw(st.permutations(shape)))
        if np.prod(shape, dtype=int) > 0:  # -1 cannot be inferred for 0 elements
            if new and draw(st.booleans()):
                new[draw(st.integers(0, len(new) - 1))] = -1
            if draw(st.booleans()):
                new = [1, *new]
        return shape, lambda t: ops.reshape(t, tuple(new)), lambda a: a.reshape(new)
    if name == "transpose":
        order = [a - ndim * draw(st.booleans()) for a in draw(st.permutations(range(ndim)))]
        return shape, lambda t: ops.transpose(t, tuple(order)), lambda a: a.transpose(order)
    if name == "swapaxes":
        assume(ndim >= 1)
        i, j = draw(st.integers(-ndim, ndim - 1)), draw(st.integers(-ndim, ndim - 1))
        return shape, lambda t: ops.swapaxes(t, i, j), lambda a: np.swapaxes(a, i, j)
    if name == "broadcast_to":
        other = draw(hnp.broadcastable_shapes(shape, max_dims=ndim + 2, max_side=MAX_SIDE))
        target = np.broadcast_shapes(shape, other)
        return shape, lambda t: ops.broadcast_to(t, target), lambda a: np.broadcast_to(a, target)
    if name == "expand_dims":
        axis = draw(st.integers(-ndim - 1, ndim))
        return shape, lambda t: ops.expand_dims(t, axis), lambda a: np.expand_dims(a, axis)
    if name == "squeeze":
        ones = draw(st.lists(st.integers(0, ndim), max_size=2))
        full = list(shape)
        for k in sorted(ones, reverse=True):
            full.insert(k, 1)
        axes = [i for i, n in enumerate(full) if n == 1]
        axis = draw(st.none() | (st.sampled_from(axes) if axes else st.nothing()))
        return tuple(full), lambda t: ops.squeeze(t, axis), lambda a: np.squeeze(a, axis)
    if name == "flatten":
        return shape, ops.flatten, lambda a: a.reshape(-1)
    mode = draw(st.sampled_from(["constant", "reflect", "edge"]))
    width: Any = tuple(tuple(draw(st.lists(st.integers(0, 3), min_size=2, max_size=2)))
                       for _ in shape) or draw(st.integers(0, 2))  # fmt: skip
    value = draw(_floats(np.float64, -2, 2)) if mode == "constant" else 0.0
    kwargs = {"constant_values": value} if mode == "constant" else {}
    return (
        shape,
        lambda t: ops.pad(t, width, mode=mode, value=value),
        lambda a: np.pad(a, width, mode=mode, **kwargs),
    )


@pytest.mark.parametrize("name", SHAPE_OPS)
@given(data=st.data())
def test_shape_op_forward_matches_numpy(name, data):
    shape, op, reference = data.draw(shape_case(name), label="case")
    floats_only = st.sampled_from(FLOATS)  # NumPy would truncate a float pad value
    dtype = data.draw(floats_only if name == "pad" else ANY_DTYPE, label="dtype")
    x = data.draw(loose_array(shape, dtype), label="x")
    assert_same(op(Tensor(x)), reference(x))


@pytest.mark.parametrize("name", SHAPE_OPS)
@given(data=st.data())
def test_shape_op_gradient_matches_finite_differences(name, data):
    shape, op, reference = data.draw(shape_case(name), label="case")
    check_grads(op, data.draw(array(shape, any_real()), label="x"))


@st.composite
def join_case(draw: Any) -> tuple[str, list[tuple[int, ...]], int]:
    name = draw(st.sampled_from(["concatenate", "stack"]))
    base = draw(shapes(min_dims=0 if name == "stack" else 1, min_side=1))
    count = draw(st.integers(1, 3))
    if name == "stack":
        return name, [base] * count, draw(st.integers(-len(base) - 1, len(base)))
    axis = draw(st.integers(-len(base), len(base) - 1))
    sizes = draw(st.lists(st.integers(0, 3), min_size=count, max_size=count))
    return (
        name,
        [base[: axis % len(base)] + (n,) + base[axis % len(base) + 1 :] for n in sizes],
        axis,
    )


@given(case=join_case(), dtype=ANY_DTYPE, data=st.data())
def test_join_forward_and_gradient(case, dtype, data):
    name, input_shapes, axis = case
    op, reference = (ops.stack, np.stack) if name == "stack" else (ops.concatenate, np.concatenate)
    xs = [data.draw(loose_array(s, dtype), label=f"x{k}") for k, s in enumerate(input_shapes)]
    assert_same(op([Tensor(x) for x in xs], axis=axis), reference(xs, axis=axis))
    floats = [data.draw(array(s, any_real())) for s in input_shapes]
    check_grads(lambda *ts: op(list(ts), axis=axis), *floats, second_order=False)


@given(data=st.data())
def test_matmul_forward_and_gradient(data):
    (sa, sb), _ = data.draw(hnp.mutually_broadcastable_shapes(
        signature=np.matmul.signature, max_dims=2, max_side=MAX_SIDE), label="shapes")  # fmt: skip
    dtype = data.draw(ANY_DTYPE, label="dtype")
    a, b = data.draw(loose_array(sa, dtype)), data.draw(loose_array(sb, dtype))
    assert_same(ops.matmul(Tensor(a), Tensor(b)), np.matmul(a, b), rtol=tolerance(dtype)
                if dtype == np.float32 else 0.0)  # fmt: skip
    fa, fb = data.draw(array(sa, any_real())), data.draw(array(sb, any_real()))
    check_grads(ops.matmul, fa, fb)


@st.composite
def window_case(draw: Any) -> tuple[tuple[int, ...], tuple[int, int], tuple[int, int], Any]:
    lead = draw(hnp.array_shapes(min_dims=0, max_dims=2, max_side=2))
    k = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    s = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    d = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    hw = tuple(d[i] * (k[i] - 1) + 1 + draw(st.integers(0, 3)) for i in (0, 1))
    return lead + hw, k, s, d


@given(case=window_case(), data=st.data())
def test_sliding_window_and_fold_are_adjoint(case, data):
    """Forward: the windows are the NumPy strided windows; <windows(x), g> = <x, fold(g)>
    (the adjoint identity, independent of how either is computed); finite differences."""
    shape, k, s, d = case
    x = data.draw(array(shape, any_real()), label="x")
    out = ops.sliding_window(Tensor(x), k, s, d)
    rows = np.arange(out.shape[-4])[:, None, None, None] * s[0] + np.arange(k[0])[:, None] * d[0]
    cols = np.arange(out.shape[-3])[:, None, None] * s[1] + np.arange(k[1]) * d[1]
    expected = x[..., rows, cols]  # (..., OH, OW, KH, KW) by plain advanced indexing
    assert_same(out, expected)
    g = data.draw(array(out.shape, any_real()), label="g")
    folded = ops.fold(g, shape, k, s, d)
    np.testing.assert_allclose(np.sum(expected * g), np.sum(x * folded), rtol=1e-10, atol=1e-10)
    check_grads(lambda t: ops.sliding_window(t, k, s, d), x, second_order=False)


# ---- indexing --------------------------------------------------------------------------------

INDEX_DTYPES = [np.int8, np.int32, np.int64, np.uint8]


@st.composite
def index_arrays(draw: Any, n: int, length: int) -> np.ndarray:
    """Integer indices into an axis of length n: repeats and negative values included."""
    dtype = draw(st.sampled_from(INDEX_DTYPES))
    lo = 0 if np.dtype(dtype).kind == "u" else -n
    return np.array(draw(st.lists(st.integers(lo, n - 1), min_size=length, max_size=length)),
                    dtype=dtype)  # fmt: skip


@st.composite
def slices(draw: Any, n: int) -> slice:
    bound = st.none() | st.integers(-n - 1, n + 1)
    step = draw(st.none() | st.integers(1, 3) | st.integers(-3, -1))
    return slice(draw(bound), draw(bound), step)


@st.composite
def index_expressions(draw: Any, shape: tuple[int, ...]) -> Any:
    """Basic, integer-array, boolean-mask and mixed NumPy index expressions for `shape`."""
    kind = draw(st.sampled_from(["basic", "arrays", "mask", "mixed"]))
    if kind == "basic" or not shape:
        return draw(hnp.basic_indices(shape, allow_newaxis=True))
    if kind == "arrays":
        result = hnp.array_shapes(min_dims=0, max_dims=2, min_side=0, max_side=4)
        return draw(hnp.integer_array_indices(shape, result_shape=result))
    if kind == "mask":
        k = draw(st.integers(1, len(shape)))
        mask = draw(hnp.arrays(bool, shape[:k]))
        return (mask, Ellipsis) if draw(st.booleans()) else mask
    # mixed: per axis a slice, an int, or one shared-length integer array (or a 1-d mask)
    length = draw(st.integers(1, 4))
    parts: list[Any] = []
    for n in shape:
        choice = draw(st.sampled_from(["slice", "int", "array", "mask"]))
        if choice == "slice":
            parts.append(draw(slices(n)))
        elif choice == "int":
            parts.append(draw(st.integers(-n, n - 1)))
        elif choice == "array":
            parts.append(draw(index_arrays(n, length)))
        else:
            mask = np.zeros(n, bool)
            mask[draw(st.lists(st.integers(0, n - 1), min_size=1, max_size=1))] = True
            parts.append(mask)  # one True: broadcasts with any array length
    if draw(st.booleans()) and len(parts) > 1:
        parts = parts[: draw(st.integers(1, len(parts)))] + [Ellipsis]
    return tuple(parts)


@given(data=st.data())
def test_getitem_value_and_gradient(data):
    """x[index] equals NumPy's; d sum(w * x[index]) / dx counts, with weights, how often
    each element was picked (a bincount over element numbers, independent of the engine's
    scatter-add); and finite differences agree, to second order."""
    shape = data.draw(shapes(min_dims=0, max_dims=3, min_side=1), label="shape")
    index = data.draw(index_expressions(shape), label="index")
    dtype = data.draw(ANY_DTYPE, label="dtype")
    x = data.draw(loose_array(shape, dtype), label="x")
    assert_same(Tensor(x)[index], x[index])

    xf = data.draw(array(shape, any_real()), label="x64")
    t = Tensor(xf, requires_grad=True)
    picked = t[index]
    w = data.draw(array(picked.shape, any_real()), label="w")
    (picked * w).sum().backward()
    ids = np.arange(xf.size).reshape(shape)[index]
    expected = np.bincount(ids.reshape(-1), weights=w.reshape(-1), minlength=xf.size)
    np.testing.assert_allclose(t.grad.data, expected.reshape(shape), rtol=1e-12, atol=1e-12)
    check_grads(lambda v: v[index], xf)


@given(data=st.data())
def test_tensor_indices_act_like_their_arrays(data):
    """An index held in a Tensor (integer or bool) selects what its array selects."""
    shape = data.draw(shapes(min_dims=1), label="shape")
    if data.draw(st.booleans(), label="mask"):
        index = data.draw(hnp.arrays(bool, shape[:1]), label="index")
    else:
        index = data.draw(index_arrays(shape[0], data.draw(st.integers(0, 4))), label="index")
    x = data.draw(array(shape, any_real()), label="x")
    assert_same(Tensor(x)[Tensor(index)], x[index])


# ---- a windowed layer, against a direct loop -------------------------------------------------


def conv2d_by_loops(x: np.ndarray, w: np.ndarray, stride: Any, pad: Any, dil: Any, groups: int):
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad[0], pad[0]), (pad[1], pad[1])))
    oh = (h + 2 * pad[0] - dil[0] * (kh - 1) - 1) // stride[0] + 1
    ow = (wd + 2 * pad[1] - dil[1] * (kw - 1) - 1) // stride[1] + 1
    y = np.zeros((n, o, oh, ow))
    per_group = o // groups
    for b in range(n):
        for oc in range(o):
            g = oc // per_group
            for i in range(oh):
                for j in range(ow):
                    for ic in range(cg):
                        for p in range(kh):
                            for q in range(kw):
                                y[b, oc, i, j] += (
                                    w[oc, ic, p, q]
                                    * xp[b, g * cg + ic, i * stride[0] + p * dil[0],
                                         j * stride[1] + q * dil[1]]
                                )  # fmt: skip
    return y


@given(data=st.data())
def test_conv2d_matches_a_direct_loop_for_random_geometry(data):
    groups = data.draw(st.integers(1, 2), label="groups")
    c, o = groups * data.draw(st.integers(1, 2)), groups * data.draw(st.integers(1, 2))
    k = (data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3)))
    stride = (data.draw(st.integers(1, 2)), data.draw(st.integers(1, 2)))
    dil = (data.draw(st.integers(1, 2)), data.draw(st.integers(1, 2)))
    pad = (data.draw(st.integers(0, 2)), data.draw(st.integers(0, 2)))
    h = max(dil[0] * (k[0] - 1) + 1 - 2 * pad[0], 1) + data.draw(st.integers(0, 2))
    w = max(dil[1] * (k[1] - 1) + 1 - 2 * pad[1], 1) + data.draw(st.integers(0, 2))
    x = data.draw(array((1, c, h, w), any_real()), label="x")
    weight = data.draw(array((o, c // groups, *k), any_real()), label="weight")
    out = F.conv2d(Tensor(x), Tensor(weight), stride=stride, padding=pad, dilation=dil,
                   groups=groups)  # fmt: skip
    np.testing.assert_allclose(out.data, conv2d_by_loops(x, weight, stride, pad, dil, groups),
                               rtol=1e-12, atol=1e-12)  # fmt: skip
    check_grads(lambda a, b: F.conv2d(a, b, stride=stride, padding=pad, dilation=dil,
                                      groups=groups), x, weight, second_order=False)  # fmt: skip
