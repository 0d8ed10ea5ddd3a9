"""Every op on several shapes, as (fn, input arrays) pairs with readable ids: `ALL`.

Shared by the gradient checks (float64), the float32 checks and the forward-mode checks.
Each `fn` takes only the arrays as arguments and holds nothing but Python numbers, bool
masks and shapes as constants, so that float32 inputs give float32 outputs under NumPy 2
promotion.

The NumPy vocabulary (trig, exp and log, rounding, ...) is listed as `Entry`s: one name
on one set of inputs in each of its call forms (the ops function, the Tensor method, the
NumPy function dispatched to ops) with the value NumPy (or a closed form) gives. Their
ops forms are part of `ALL`; `test_vocabulary.py` checks the other forms and the values.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import partial
from typing import Any, NamedTuple

import numpy as np
import pytest

import ops

from ._inputs import (
    above_one,
    distinct,
    normal,
    positive,
    shape_id,
    shifted,
    signed_positive,
    unit,
)

Maker = Callable[..., np.ndarray]


def case(name: str, fn: Callable[..., Any], *arrays: np.ndarray) -> Any:
    return pytest.param(fn, arrays, id=f"{name}-" + "-".join(shape_id(a.shape) for a in arrays))


# ---- elementwise ---------------------------------------------------------------------------

BROADCAST_PAIRS = [
    ((), ()),
    ((4,), (4,)),
    ((2, 3), (2, 3)),
    ((3, 1, 4), (5, 4)),
    ((), (2, 3)),
    ((2, 3), ()),
    ((2, 1), (1, 3)),
]

BINARY: list[tuple[str, Callable[..., Any], Maker, Maker]] = [
    ("add", ops.add, normal, normal),
    ("subtract", ops.subtract, normal, normal),
    ("multiply", ops.multiply, normal, normal),
    ("divide", ops.divide, normal, positive),
    ("power", ops.power, positive, normal),
    ("maximum", ops.maximum, distinct, shifted),
    ("minimum", ops.minimum, distinct, shifted),
]

UNARY: list[tuple[str, Callable[..., Any], Maker]] = [
    ("negative", ops.negative, normal),
    ("exp", ops.exp, normal),
    ("log", ops.log, positive),
    ("sqrt", ops.sqrt, positive),
    ("abs", ops.abs, distinct),
    ("sign", ops.sign, distinct),
    ("tanh", ops.tanh, normal),
    ("sigmoid", ops.sigmoid, normal),
    ("relu", ops.relu, distinct),
    ("clip", lambda x: ops.clip(x, -0.5, 0.5), distinct),
    ("clip_lower", lambda x: ops.clip(x, 0.0, None), distinct),
    ("clip_upper", lambda x: ops.clip(x, None, 0.0), distinct),
    ("astype", lambda x: ops.astype(x, x.dtype), normal),
    ("astype_wide", lambda x: ops.astype(ops.astype(x, np.longdouble) * 3, x.dtype), normal),
]

UNARY_SHAPES = [(), (5,), (2, 3), (2, 1, 3)]

# (condition, a, b) shapes; all three broadcast together
WHERE_SHAPES = [((2, 3), (2, 3), (2, 3)), ((3,), (2, 1), ()), ((2, 3), (), (3,)), ((), (2,), (2,))]

ELEMENTWISE = (
    [
        case(name, fn, make_a(sa), make_b(sb))
        for name, fn, make_a, make_b in BINARY
        for sa, sb in BROADCAST_PAIRS
    ]
    + [case(name, fn, make(s)) for name, fn, make in UNARY for s in UNARY_SHAPES]
    + [
        case("where", ops.where, normal(sc, seed=5) > 0, normal(sa), normal(sb, seed=1))
        for sc, sa, sb in WHERE_SHAPES
    ]
)

# ---- reductions ----------------------------------------------------------------------------

REDUCE_ARGS: list[tuple[tuple[int, ...], dict[str, Any]]] = [
    ((), {}),
    ((5,), {}),
    ((2, 3), {"axis": 0}),
    ((2, 3), {"axis": -1, "keepdims": True}),
    ((2, 3, 4), {"axis": (0, 2)}),
    ((2, 3, 4), {"keepdims": True}),
    ((2, 3, 4), {"axis": (-1, 1), "keepdims": True}),
]

REDUCTIONS: list[tuple[str, Callable[..., Any], Maker]] = [
    ("sum", ops.sum, normal),
    ("mean", ops.mean, normal),
    ("var", ops.var, normal),
    ("max", ops.max, distinct),
    ("min", ops.min, distinct),
]


def _kw_id(kw: dict[str, Any]) -> str:
    return ",".join(f"{k}={v}" for k, v in kw.items()).replace(" ", "") or "all"


def _reduction(name: str, fn: Callable[..., Any], x: np.ndarray, **kw: Any) -> Any:
    return pytest.param(partial(fn, **kw), (x,), id=f"{name}-{shape_id(x.shape)}-{_kw_id(kw)}")


REDUCE = [
    _reduction(name, fn, make(shape), **kw)
    for name, fn, make in REDUCTIONS
    for shape, kw in REDUCE_ARGS
] + [
    _reduction("var", ops.var, normal((3, 2)), axis=0, ddof=1),
    _reduction("var", ops.var, normal((4,)), ddof=1),
]

# The normalising primitives along one axis, a tuple of axes, and an axis of length 1.
NORMALISING = [
    ("softmax", ops.softmax),
    ("log_softmax", ops.log_softmax),
    ("standardize", ops.standardize),
]
NORMALISING_ARGS: list[tuple[tuple[int, ...], dict[str, Any]]] = [
    ((4,), {}),
    ((2, 3), {"axis": 0}),
    ((2, 3, 4), {"axis": (0, 2)}),
    ((3, 1), {"axis": -1}),
]
REDUCE += [
    _reduction(name, fn, normal(shape), **kw)
    for name, fn in NORMALISING
    for shape, kw in NORMALISING_ARGS
]

# Cross entropy against integer targets: classes last, first and in the middle, one row.
CROSS_ENTROPY_ARGS: list[tuple[tuple[int, ...], int, np.ndarray]] = [
    ((3, 4), -1, np.array([0, 3, 1])),
    ((4, 2, 3), 0, np.array([[3, 0, 1], [2, 2, 0]])),
    ((2, 3, 2), 1, np.array([[2, 0], [1, 1]])),
    ((5,), 0, np.array(4)),
]
REDUCE += [
    pytest.param(
        partial(ops.softmax_cross_entropy, target=target, axis=axis),
        (normal(shape),),
        id=f"softmax_cross_entropy-{shape_id(shape)}-axis={axis}",
    )
    for shape, axis, target in CROSS_ENTROPY_ARGS
]

# ---- shape ---------------------------------------------------------------------------------


def _shape_case(name: str, fn: Callable[..., Any], shape: tuple[int, ...], arg: Any) -> Any:
    return pytest.param(
        lambda x: fn(x, arg), (normal(shape),), id=f"{name}-{shape_id(shape)}-{arg}"
    )


GETITEM_INDICES: list[Any] = [
    1,
    -1,
    slice(None, None, 2),
    slice(-1, 0, -2),
    (Ellipsis, 0),
    (None, slice(None), 1),
    (0, Ellipsis, None),
    ([0, 2, 0],),
    np.array([[0, 1], [1, 0]]),
    (slice(None), [3, 0, 3]),
    ([0, 0, 2], [1, 1, 3]),
    np.array([True, False, True]),
    (np.array([True, False, True]), slice(1, 3)),
    (0, [1, 1], None),
    (Ellipsis, [1, 0, 1]),
]

SHAPE = (
    [
        _shape_case("reshape", ops.reshape, s, new)
        for s, new in [((2, 3), (3, 2)), ((2, 3), (-1,)), ((), (1, 1)), ((2, 3, 4), (4, -1))]
    ]
    + [
        _shape_case("transpose", ops.transpose, s, axes)
        for s, axes in [((2, 3), (1, 0)), ((2, 3, 4), (1, 0, 2)), ((2, 3, 4), (-1, 0, 1))]
    ]
    + [case("transpose", ops.transpose, normal(s)) for s in [(), (2, 3), (2, 3, 4)]]
    + [
        pytest.param(
            partial(ops.swapaxes, axis1=a, axis2=b), (normal((2, 3, 4)),), id=f"swapaxes-{a}-{b}"
        )
        for a, b in [(0, 2), (-1, 0), (1, 1)]
    ]
    + [case("flatten", ops.flatten, normal(s)) for s in [(), (2, 3), (2, 1, 2)]]
    + [
        _shape_case("broadcast_to", ops.broadcast_to, s, new)
        for s, new in [((3,), (2, 3)), ((), (2, 2)), ((2, 1, 3), (2, 2, 2, 3))]
    ]
    + [
        _shape_case("expand_dims", ops.expand_dims, s, axis)
        for s, axis in [((2, 3), 0), ((2, 3), -1), ((2, 3), (0, 2)), ((), 0)]
    ]
    + [
        _shape_case("squeeze", ops.squeeze, s, axis)
        for s, axis in [((1, 3, 1), None), ((1, 3, 1), 0), ((1, 3, 1), -1), ((2, 1, 3), (1,))]
    ]
    + [
        pytest.param(partial(ops.getitem, index=index), (normal((3, 4, 2)),), id=f"getitem-{k}")
        for k, index in enumerate(GETITEM_INDICES)
    ]
    + [
        pytest.param(
            partial(ops.pad, pad_width=width, mode=mode, value=value),
            (normal(shape),),
            id=f"pad-{mode}{value or ''}-{shape_id(shape)}-{width}".replace(" ", ""),
        )
        for mode, value in [("constant", 0.0), ("constant", 1.5), ("reflect", 0.0), ("edge", 0.0)]
        for shape, width in [((3, 4), 1), ((3, 4), ((1, 2), (0, 2))), ((3, 4), (2, 1)), ((3,), 4)]
    ]
)

# ---- joining -------------------------------------------------------------------------------


def _join(name: str, fn: Callable[..., Any], shapes: list[tuple[int, ...]], axis: int) -> Any:
    arrays = tuple(normal(s, seed=k) for k, s in enumerate(shapes))
    return pytest.param(
        lambda *xs: fn(list(xs), axis=axis),
        arrays,
        id=f"{name}-" + "-".join(shape_id(s) for s in shapes) + f"-axis{axis}",
    )


JOIN = [
    _join("concatenate", ops.concatenate, shapes, axis)
    for shapes, axis in [
        ([(2, 3), (1, 3), (3, 3)], 0),
        ([(2, 1), (2, 3), (2, 2)], -1),
        ([(2, 3, 1), (2, 3, 2)], -1),
        ([(2, 1, 2), (2, 2, 2), (2, 1, 2)], -2),
        ([(4,)], 0),
    ]
] + [
    _join("stack", ops.stack, shapes, axis)
    for shapes, axis in [
        ([(2, 3)] * 3, 0),
        ([(2, 3)] * 3, -1),
        ([(2, 3)] * 2, 1),
        ([()] * 3, 0),
        ([(2,)] * 2, -2),
    ]
]

# ---- matmul and windows --------------------------------------------------------------------

MATMUL_SHAPES = [
    ((3,), (3,)),
    ((2, 3), (3,)),
    ((3,), (3, 4)),
    ((2, 3), (3, 4)),
    ((2, 2, 3), (3, 4)),
    ((2, 3), (2, 3, 4)),
    ((3,), (2, 3, 4)),
    ((2, 3, 4), (4,)),
    ((2, 1, 2, 3), (3, 3, 2)),
    ((1, 2, 3), (2, 3, 2)),
]

LINALG = [case("matmul", ops.matmul, normal(a), normal(b, seed=1)) for a, b in MATMUL_SHAPES]

# (input shape, kernel, stride, dilation)
WINDOWS = [
    ((1, 5, 5), 2, 1, 1),
    ((2, 6, 7), (2, 3), 2, 1),
    ((5, 6), 2, 1, 2),
    ((7, 7), 2, 2, 2),
    ((1, 2, 5, 6), (3, 2), (2, 1), (1, 2)),
]


def _window_id(name: str, shape: Any, k: Any, s: Any, d: Any) -> str:
    return f"{name}-{shape_id(shape)}-k{k}-s{s}-d{d}".replace(" ", "")


def _fold_case(shape: tuple[int, ...], k: Any, s: Any, d: Any) -> Any:
    """`fold` (the adjoint) on the gradient shape that `sliding_window` gives."""
    windows = ops.sliding_window(np.zeros(shape), k, s, d)
    kernel, stride, dilation = (ops.windows.pair(v, "", "") for v in (k, s, d))
    return pytest.param(
        lambda g: ops.fold(g, shape, kernel, stride, dilation),
        (normal(windows.shape),),
        id=_window_id("fold", shape, k, s, d),
    )


WINDOW = [
    pytest.param(
        partial(ops.sliding_window, kernel_size=k, stride=s, dilation=d),
        (normal(shape),),
        id=_window_id("sliding_window", shape, k, s, d),
    )
    for shape, k, s, d in WINDOWS
] + [_fold_case(*w) for w in WINDOWS[:3]]

# (input shape, weight shape, bias, stride, padding, dilation, groups)
CONVOLUTIONS = [
    ((2, 1, 5, 5), (3, 1, 3, 3), True, (1, 1), (1, 1), (1, 1), 1),
    ((1, 2, 6, 5), (2, 2, 2, 3), False, (2, 1), (0, 1), (1, 1), 1),
    ((2, 4, 5, 6), (4, 2, 2, 2), True, (1, 2), (1, 0), (2, 1), 2),
    ((1, 3, 7, 7), (2, 3, 3, 2), True, (3, 2), (2, 1), (1, 2), 1),
]


def _conv_case(xs: Any, ws: Any, bias: bool, s: Any, p: Any, d: Any, g: int) -> Any:
    arrays = (normal(xs), normal(ws, seed=1)) + ((normal((ws[0],), seed=2),) if bias else ())
    return pytest.param(
        partial(ops.windows.window_conv, stride=s, padding=p, dilation=d, groups=g),
        arrays,
        id=f"conv2d-{shape_id(xs)}-{shape_id(ws)}-s{s}-p{p}-d{d}-g{g}".replace(" ", ""),
    )


WINDOW += [_conv_case(*c) for c in CONVOLUTIONS]

# ---- the LSTM state update -------------------------------------------------------------------

# (gates, cell state): batched, one unbatched state, a state broadcast over the gates' batch
LSTM_UPDATES = [((3, 8), (3, 2)), ((8,), (2,)), ((2, 3, 4), (3, 1))]
RECURRENT = [
    case("lstm_update", ops.recurrent.lstm_update, normal(gates), normal(c, seed=1))
    for gates, c in LSTM_UPDATES
]

# (steps, batch, input, hidden) of a whole sequence: batched, unbatched, one step
LSTM_SEQUENCES = [(3, (2,), 2, 3), (2, (), 3, 2), (1, (2,), 1, 1)]
RECURRENT += [
    case(
        "lstm_sequence",
        ops.recurrent.lstm_sequence,
        normal((t, *b, i)),
        *(normal((*b, h), seed=k) for k in (1, 2)),
        normal((4 * h, i), seed=3),
        normal((4 * h, h), seed=4),
        *(normal((4 * h,), seed=k) for k in (5, 6)),
    )
    for t, b, i, h in LSTM_SEQUENCES
]

# ---- the NumPy vocabulary -------------------------------------------------------------------


class Entry(NamedTuple):
    """One name of the NumPy vocabulary on one set of inputs, in its call forms. Each form
    takes the arrays (as Tensors) and returns a Tensor or a tuple of them; `numpy` applied
    to plain arrays gives NumPy's own value, which `reference` replaces where NumPy has
    no such function (erf, logsumexp, topk, ...)."""

    id: str
    arrays: tuple[np.ndarray, ...]
    ops: Callable[..., Any]
    method: Callable[..., Any] | None = None
    numpy: Callable[..., Any] | None = None
    reference: Callable[..., Any] | None = None
    exact: bool = False  # the value must equal the reference to the last bit
    grad_of: Callable[..., Any] | None = None  # one Tensor from `ops`, for tuple results
    nd: bool = False  # not differentiable: no gradient checks, the result needs no grad
    ties: bool = False  # inputs at a tie (a kink): values checked, gradients elsewhere


def _method(name: str, *args: Any, **kw: Any) -> Callable[..., Any]:
    return lambda t, *others: getattr(t, name)(*others, *args, **kw)


def _ids(arrays: tuple[np.ndarray, ...]) -> str:
    return "-".join(shape_id(np.shape(a)) for a in arrays)


def _vectorised(fn: Callable[[float], float]) -> Callable[[np.ndarray], np.ndarray]:
    return lambda x: np.vectorize(fn, otypes=[float])(x)


# (name, input maker, method name or None, reference where NumPy has no such function)
UNARY_VOCABULARY: list[tuple[str, Maker, str | None, Any]] = [
    ("sin", normal, "sin", None),
    ("cos", normal, "cos", None),
    ("tan", unit, "tan", None),
    ("arcsin", unit, "arcsin", None),
    ("arccos", unit, "arccos", None),
    ("arctan", normal, "arctan", None),
    ("sinh", normal, "sinh", None),
    ("cosh", normal, "cosh", None),
    ("arcsinh", normal, "arcsinh", None),
    ("arccosh", above_one, "arccosh", None),
    ("arctanh", unit, "arctanh", None),
    ("deg2rad", normal, "deg2rad", None),
    ("rad2deg", normal, "rad2deg", None),
    ("log1p", positive, "log1p", None),
    ("expm1", normal, "expm1", None),
    ("log2", positive, "log2", None),
    ("log10", positive, "log10", None),
    ("exp2", normal, "exp2", None),
    ("square", normal, "square", None),
    ("reciprocal", positive, "reciprocal", None),
    ("cbrt", distinct, "cbrt", None),
    ("erf", normal, "erf", _vectorised(math.erf)),
    ("erfc", normal, "erfc", _vectorised(math.erfc)),
    ("floor", distinct, "floor", None),
    ("ceil", distinct, "ceil", None),
    ("trunc", distinct, "trunc", None),
    ("round", distinct, "round", None),
]

BINARY_VOCABULARY: list[tuple[str, Maker, Maker, str | None]] = [
    ("arctan2", normal, signed_positive, "arctan2"),
    ("hypot", normal, signed_positive, "hypot"),
    ("logaddexp", normal, normal, "logaddexp"),
    ("logaddexp2", normal, normal, "logaddexp2"),
    ("mod", normal, signed_positive, None),
    ("remainder", normal, signed_positive, "remainder"),
    ("fmod", normal, signed_positive, "fmod"),
    ("copysign", distinct, distinct, "copysign"),
]


def _numpy_form(name: str) -> Callable[..., Any] | None:
    return getattr(np, name, None)


VOCABULARY: list[Entry] = (
    [
        Entry(
            f"{name}-{shape_id(s)}",
            (make(s),),
            getattr(ops, name),
            _method(method) if method else None,
            None if reference else _numpy_form(name),
            reference,
        )
        for name, make, method, reference in UNARY_VOCABULARY
        for s in UNARY_SHAPES
    ]
    + [
        Entry(
            f"{name}-{shape_id(sa)}-{shape_id(sb)}",
            (make_a(sa), make_b(sb, seed=1)),
            getattr(ops, name),
            _method(method) if method else None,
            _numpy_form(name),
        )
        for name, make_a, make_b, method in BINARY_VOCABULARY
        for sa, sb in BROADCAST_PAIRS
    ]
    + [
        Entry(
            "round-decimals",
            (normal((2, 3)),),
            partial(ops.round, decimals=2),
            _method("round", 2),
            partial(np.round, decimals=2),
        ),
        Entry(
            "floor_divide-2x3-3",
            (normal((2, 3)), signed_positive((3,))),
            ops.floor_divide,
            lambda a, b: a // b,
            np.floor_divide,
        ),
        Entry(
            "mod-operator",
            (normal((2, 3)), signed_positive((3,))),
            ops.mod,
            lambda a, b: a % b,
            np.mod,
        ),
    ]
)

# ---- vocabulary: reductions, cumulative, sorting and selection, rearranging -------------------

NEW_REDUCE_ARGS = REDUCE_ARGS + [((2, 3), {"axis": -2}), ((3, 1, 2), {"axis": (0, -1)})]

WITH_ZERO = np.array([[1.5, 0.0, -2.0], [0.5, 2.0, 3.0]])
TWO_ZEROS = np.array([[0.0, 1.5, 0.0, 2.0], [1.0, 0.0, -1.0, 0.5]])


def _kw(fn: Callable[..., Any], **kw: Any) -> Callable[..., Any]:
    return lambda *xs: fn(*xs, **kw)


def _reduction_entries(name: str, make: Maker, method: bool = True, **extra: Any) -> list[Entry]:
    fn, reference = getattr(ops, name), getattr(np, name, None)
    out = []
    for shape, kw in NEW_REDUCE_ARGS:
        kw = {**kw, **extra}
        out.append(
            Entry(
                f"{name}-{shape_id(shape)}-{_kw_id(kw)}",
                (make(shape),),
                _kw(fn, **kw),
                (lambda t, kw=kw: getattr(t, name)(**kw)) if method else None,
                _kw(reference, **kw) if reference else None,
                None if reference else _kw(REFERENCES[name], **kw),
            )
        )
    return out


def _lse(x: np.ndarray, axis: Any = None, keepdims: bool = False) -> np.ndarray:
    return np.log(np.sum(np.exp(x), axis=axis, keepdims=keepdims))


REFERENCES: dict[str, Callable[..., Any]] = {"logsumexp": _lse}


def _running_reference(x: np.ndarray, axis: int, larger: bool) -> tuple[Any, Any]:
    """cummax/cummin by a loop, PyTorch's rule: the latest index of the running extreme."""
    moved = np.moveaxis(x, axis, -1)
    values, indices = np.empty_like(moved), np.empty(moved.shape, dtype=np.int64)
    for row in np.ndindex(moved.shape[:-1]):
        best = 0
        for j in range(moved.shape[-1]):
            v = moved[row + (j,)]
            if (v >= moved[row + (best,)]) if larger else (v <= moved[row + (best,)]):
                best = j
            values[row + (j,)], indices[row + (j,)] = moved[row + (best,)], best
    return np.moveaxis(values, -1, axis), np.moveaxis(indices, -1, axis)


def _topk_reference(x: np.ndarray, k: int, axis: int, largest: bool) -> tuple[Any, Any]:
    order = np.argsort(-x if largest else x, axis=axis, kind="stable")
    idx = np.take(order, np.arange(k), axis=axis)
    return np.take_along_axis(x, idx, axis), idx


def _gather_reference(x: np.ndarray, dim: int, index: np.ndarray) -> np.ndarray:
    out = np.empty(index.shape)
    for pos in np.ndindex(index.shape):
        source = list(pos)
        source[dim] = index[pos]
        out[pos] = x[tuple(source)]
    return out


def _scatter_reference(x: np.ndarray, dim: int, index: np.ndarray, src: np.ndarray) -> Any:
    out = x.copy()
    for pos in np.ndindex(index.shape):
        target = list(pos)
        target[dim] = index[pos]
        out[tuple(target)] += src[pos]
    return out


def _values_of(fn: Callable[..., Any], *args: Any) -> Callable[..., Any]:
    """The differentiable half of a (values, indices) result, as one Tensor."""
    return lambda x: fn(x, *args).values


def _pieces(split: Callable[..., Any]) -> Callable[..., Any]:
    """One Tensor from a split: the pieces raveled, each scaled differently, joined."""
    return lambda *xs: ops.concatenate([ops.ravel(p) * (k + 1) for k, p in enumerate(split(*xs))])


TIED = np.array([1.0, 3.0, 3.0, 2.0, 3.0])  # ties: values checked, gradients not (a kink)
INDEX = np.array([[2, 0, 2, 1], [1, 1, 0, 2]])  # repeats: their gradients accumulate
GATHER_INDEX = np.array([[1, 0], [2, 2]])
SCATTER_INDEX = np.array([[0, 1, 0], [0, 0, 1]])

REDUCTION_VOCABULARY = (
    _reduction_entries("prod", normal)
    + _reduction_entries("std", normal)
    + _reduction_entries("std", normal, ddof=1)[2:4]
    + _reduction_entries("logsumexp", normal)
    + _reduction_entries("amax", distinct)
    + _reduction_entries("amin", distinct)
    + [
        Entry(
            f"prod-zeros-{k}",
            (x,),
            _kw(ops.prod, axis=-1),
            _method("prod", axis=-1),
            _kw(np.prod, axis=-1),
        )
        for k, x in enumerate([WITH_ZERO, TWO_ZEROS])
    ]
    + [
        Entry(
            f"{name}-{shape_id(s)}-axis{axis}",
            (x,),
            _kw(getattr(ops, name), axis=axis),
            _method(name, axis=axis),
            _kw(getattr(np, name), axis=axis),
        )
        for name in ("cumsum", "cumprod")
        for s, axis, x in [
            ((), None, normal(())),
            ((5,), None, normal((5,))),
            ((2, 3), 0, normal((2, 3))),
            ((2, 3, 4), -1, normal((2, 3, 4))),
            ((2, 3), None, normal((2, 3))),
            ((2, 3), 1, WITH_ZERO),
            ((2, 4), -1, TWO_ZEROS),
            ((2, 4), None, TWO_ZEROS),
        ]
    ]
    + [
        Entry(
            f"{name}-{shape_id(x.shape)}-axis{axis}",
            (x,),
            _kw(getattr(ops, name), axis=axis),
            _method(name, axis),
            None,
            lambda x, axis=axis, larger=larger: _running_reference(x, axis, larger),
            exact=True,
            grad_of=_values_of(getattr(ops, name), axis),
            ties=x is TIED,
        )
        for name, larger in [("cummax", True), ("cummin", False)]
        for x, axis in [
            (distinct((5,)), 0),
            (distinct((2, 3)), 1),
            (distinct((3, 2)), -2),
            (TIED, 0),
        ]
    ]
    + [
        Entry(
            f"{name}-{shape_id(s)}-{_kw_id(kw)}",
            (x,),
            _kw(getattr(ops, name), **kw),
            lambda t, n=name, kw=kw: getattr(t, n)(**kw),
            _kw(getattr(np, name), **kw),
            exact=True,
            nd=True,
        )
        for name in ("argmax", "argmin", "any", "all", "count_nonzero")
        for s, kw, x in [
            ((), {}, normal(())),
            ((2, 3), {"axis": -1}, WITH_ZERO),
            ((2, 3), {"axis": 0, "keepdims": True}, WITH_ZERO),
            ((2, 4), {}, TWO_ZEROS),
        ]
    ]
    + [
        Entry(
            f"argsort-{_kw_id(kw)}",
            (distinct((2, 3)),),
            _kw(ops.argsort, **kw),
            _method("argsort", **kw),
            _kw(np.argsort, **kw),
            exact=True,
            nd=True,
        )
        for kw in [{}, {"axis": 0}, {"axis": None}]
    ]
)

SELECTION_VOCABULARY = (
    [
        Entry(
            f"sort-{shape_id(x.shape)}-{_kw_id(kw)}",
            (x,),
            _kw(ops.sort, **kw),
            _method("sort", **kw),
            _kw(np.sort, **kw),
            exact=True,
            ties=x is TIED,
        )
        for x, kw in [
            (normal(()), {"axis": None}),
            (normal((5,)), {}),
            (normal((3, 4)), {"axis": 0}),
            (normal((2, 3, 2)), {"axis": -2}),
            (normal((2, 3)), {"axis": None}),
            (TIED, {}),
        ]
    ]
    + [
        Entry(
            f"take-{_kw_id(kw)}",
            (normal((3, 4)),),
            lambda x, kw=kw: ops.take(x, **kw),
            lambda t, kw=kw: t.take(**kw),
            lambda x, kw=kw: np.take(x, **kw),
        )
        for kw in [
            {"indices": [0, 5, 5, -1]},
            {"indices": INDEX, "axis": 1},
            {"indices": [2, 2, 0], "axis": -2},
            {"indices": [4, -5], "axis": 1, "mode": "wrap"},
            {"indices": [7, -2], "axis": 0, "mode": "clip"},
            {"indices": 3},
        ]
    ]
    + [
        Entry(
            f"take_along_axis-{k}",
            (x,),
            _kw(ops.take_along_axis, indices=i, axis=a),
            None,
            _kw(np.take_along_axis, indices=i, axis=a),
        )
        for k, (x, i, a) in enumerate(
            [
                (normal((2, 3)), INDEX[:, :3], 1),
                (normal((3, 4)), INDEX, 0),
                (normal((2, 3)), INDEX[:1, :3], -1),
                (normal((2, 3, 2)), np.ones((2, 1, 2), int), 1),
                (normal((2, 3)), np.array([5, 0, 5]), None),
            ]
        )
    ]
    + [
        Entry(
            f"topk-{shape_id(x.shape)}-{k}-{a}-{big}",
            (x,),
            _kw(ops.topk, k=k, axis=a, largest=big),
            _method("topk", k, a, big),
            None,
            lambda x, k=k, a=a, big=big: _topk_reference(x, k, a, big),
            exact=True,
            grad_of=lambda x, k=k, a=a, big=big: ops.topk(x, k, a, big).values,
            ties=x is TIED,
        )
        for x, k, a, big in [
            (distinct((5,)), 2, -1, True),
            (distinct((3, 4)), 3, 1, False),
            (distinct((4, 2)), 2, 0, True),
            (TIED, 2, 0, True),
        ]
    ]
    + [
        Entry(
            f"gather-dim{d}-{shape_id(i.shape)}",
            (normal((3, 3)),),
            _kw(ops.gather, dim=d, index=i),
            lambda t, d=d, i=i: t.gather(d, i),
            None,
            lambda x, d=d, i=i: _gather_reference(x, d, i),
        )
        for d, i in [(0, GATHER_INDEX), (1, GATHER_INDEX), (-1, INDEX[:, :3])]
    ]
    + [
        Entry(
            f"scatter_add-dim{d}",
            (normal((2, 3)), normal((2, 3), seed=1)),
            lambda x, s, d=d: ops.scatter_add(x, d, SCATTER_INDEX, s),
            lambda x, s, d=d: x.scatter_add(d, SCATTER_INDEX, s),
            None,
            lambda x, s, d=d: _scatter_reference(x, d, SCATTER_INDEX, s),
        )
        for d in (0, 1)
    ]
    + [
        Entry(
            "nonzero",
            (TWO_ZEROS,),
            ops.nonzero,
            _method("nonzero"),
            np.nonzero,
            exact=True,
            nd=True,
        ),
    ]
)


def _rearranging(name: str, x: np.ndarray, *args: Any, method: bool = True, **kw: Any) -> Entry:
    numpy = getattr(np, name)
    entry = Entry(
        f"{name}-{shape_id(x.shape)}-{args}-{_kw_id(kw)}".replace(" ", ""),
        (x,),
        lambda t: getattr(ops, name)(t, *args, **kw),
        (lambda t: getattr(t, name)(*args, **kw)) if method else None,
        lambda t: numpy(t, *args, **kw),
        exact=True,
    )
    if name in ("split", "array_split", "hsplit", "vsplit"):
        return entry._replace(grad_of=_pieces(entry.ops))
    return entry


REARRANGE_VOCABULARY = [
    _rearranging("flip", normal((2, 3, 2))),
    _rearranging("flip", normal((2, 3, 2)), 0),
    _rearranging("flip", normal((2, 3, 2)), (0, -1)),
    _rearranging("flip", normal(())),
    _rearranging("fliplr", normal((2, 3))),
    _rearranging("flipud", normal((3,))),
    _rearranging("rot90", normal((2, 3))),
    _rearranging("rot90", normal((2, 3)), 2),
    _rearranging("rot90", normal((2, 3, 4)), 3, (1, 2)),
    _rearranging("rot90", normal((2, 3)), -1, (1, 0)),
    _rearranging("roll", normal((2, 3)), 1),
    _rearranging("roll", normal((2, 3)), -4, axis=1),
    _rearranging("roll", normal((2, 3, 2)), (1, 2), axis=(0, -2)),
    _rearranging("roll", normal((2, 3)), (1, 1), axis=(1, 1)),
    _rearranging("repeat", normal((2, 3)), 2),
    _rearranging("repeat", normal((2, 3)), [1, 0, 3], axis=1),
    _rearranging("repeat", normal((2, 3)), 2, axis=-2),
    _rearranging("repeat", normal(()), 3),
    _rearranging("tile", normal((2, 3)), 2),
    _rearranging("tile", normal((2, 3)), (2, 1, 2)),
    _rearranging("tile", normal(()), (2, 2)),
    _rearranging("split", normal((2, 6)), 3, axis=1),
    _rearranging("split", normal((5, 2)), [1, 3]),
    _rearranging("array_split", normal((2, 7)), 3, axis=-1),
    _rearranging("hsplit", normal((2, 4)), 2),
    _rearranging("hsplit", normal((6,)), [2]),
    _rearranging("vsplit", normal((4, 3)), [1, 1, 3]),
    _rearranging("moveaxis", normal((2, 3, 4)), 0, -1),
    _rearranging("moveaxis", normal((2, 3, 4)), (0, 1), (-1, 0)),
    _rearranging("ravel", normal((2, 3, 2))),
    _rearranging("atleast_1d", normal(()), method=False),
    _rearranging("atleast_2d", normal((3,)), method=False),
    _rearranging("atleast_3d", normal((2, 3)), method=False),
    _rearranging("atleast_3d", normal((3,)), method=False),
    _rearranging("diff", normal((2, 5))),
    _rearranging("diff", normal((4, 3)), 2, axis=0),
    Entry(
        "diff-prepend-append",
        (normal((2, 3)), normal((2, 1), seed=1), normal((2, 2), seed=2)),
        lambda a, p, q: ops.diff(a, prepend=p, append=q),
        None,
        lambda a, p, q: np.diff(a, prepend=p, append=q),
        exact=True,
    ),
    Entry(
        "atleast_2d-several",
        (normal(()), normal((2,))),
        ops.atleast_2d,
        None,
        np.atleast_2d,
        exact=True,
        grad_of=_pieces(ops.atleast_2d),
    ),
    Entry(
        "hstack-1d",
        (normal((2,)), normal((3,), seed=1)),
        lambda a, b: ops.hstack([a, b]),
        None,
        lambda a, b: np.hstack([a, b]),
        exact=True,
    ),
    Entry(
        "hstack-2d",
        (normal((2, 1)), normal((2, 3), seed=1)),
        lambda a, b: ops.hstack([a, b]),
        None,
        lambda a, b: np.hstack([a, b]),
        exact=True,
    ),
    Entry(
        "vstack",
        (normal((3,)), normal((2, 3), seed=1)),
        lambda a, b: ops.vstack([a, b]),
        None,
        lambda a, b: np.vstack([a, b]),
        exact=True,
    ),
]

# ---- vocabulary: products and linear algebra --------------------------------------------------


def _entry(
    name: str,
    arrays: tuple[np.ndarray, ...],
    *args: Any,
    method: str | None = None,
    linalg: bool = False,
    **kw: Any,
) -> Entry:
    space_ops, space_np = (ops.linalg, np.linalg) if linalg else (ops, np)
    label = "-".join(
        [name, _ids(arrays), *(repr(a) for a in args), *(f"{k}={v}" for k, v in kw.items())]
    ).replace(" ", "")
    return Entry(
        label,
        arrays,
        lambda *xs: getattr(space_ops, name)(*xs, *args, **kw),
        (lambda t, *xs: getattr(t, method)(*xs, *args, **kw)) if method else None,
        lambda *xs: getattr(space_np, name)(*xs, *args, **kw),
    )


def well_conditioned(shape: tuple[int, ...], seed: int = 0) -> np.ndarray:
    """A (stack of) square matrices with 3 added on the diagonal: far from singular."""
    return normal(shape, seed) + 3 * np.eye(shape[-1])


def spd(x: Any) -> Any:
    """x x^T + 3 I: symmetric positive definite (on arrays and Tensors alike)."""
    return x @ np.swapaxes(x, -1, -2) + 3 * np.eye(x.shape[-1], dtype=x.dtype)


def sym(x: Any) -> Any:
    return (x + np.swapaxes(x, -1, -2)) * 0.5


def _joined(*parts: Any) -> Any:
    return ops.concatenate([ops.ravel(p) for p in parts])


def _eigh_of(x: Any) -> Any:
    w, v = ops.linalg.eigh(sym(x))
    return _joined(w, v * v)  # eigenvectors up to sign: v * v does not depend on it


def _svd_of(full: bool) -> Callable[..., Any]:
    def fn(x: Any) -> Any:
        u, s, vh = ops.linalg.svd(x, full_matrices=full)
        k = s.shape[-1]
        u, vh = u[..., :, :k], vh[..., :k, :]
        return _joined(s, u * u, vh * vh, u[..., :, :1] * vh[..., :1, :])

    return fn


def _qr_of(mode: str) -> Callable[..., Any]:
    return lambda x: _joined(*ops.linalg.qr(x, mode)) if mode != "r" else ops.linalg.qr(x, mode)


SINGULAR = np.array([[1.0, 2.0], [2.0, 4.0]])

EINSUM_CASES: list[tuple[str, tuple[tuple[int, ...], ...]]] = [
    ("ij,jk->ik", ((2, 3), (3, 4))),
    ("ij,jk", ((2, 3), (3, 4))),
    ("i,i", ((3,), (3,))),
    ("i,i->i", ((1,), (3,))),
    ("ij->ji", ((2, 3),)),
    ("ij->", ((2, 3),)),
    ("ii->i", ((3, 3),)),
    ("ii", ((3, 3),)),
    ("iij->ji", ((2, 2, 3),)),
    ("bij,bjk->bik", ((2, 2, 3), (2, 3, 2))),
    ("...ij,...jk->...ik", ((2, 1, 2, 3), (3, 3, 2))),
    ("...i,...i", ((2, 3), (4, 1, 3))),
    ("i...j,jk->...ik", ((2, 4, 3), (3, 2))),
    ("...", ((2, 3),)),
    ("ij,jk,kl->il", ((2, 3), (3, 4), (4, 2))),
    ("ij,kl->ijkl", ((2, 1), (1, 3))),
    ("Ba,aC", ((2, 3), (3, 2))),
    ("i,j,k", ((2,), (3,), (2,))),
    ("i j , j k -> i k", ((2, 3), (3, 2))),
]

PRODUCT_VOCABULARY = (
    [
        Entry(
            f"einsum-{sub.replace(' ', '_')}-{'-'.join(map(shape_id, shapes))}",
            tuple(normal(sh, seed=k) for k, sh in enumerate(shapes)),
            lambda *xs, sub=sub: ops.einsum(sub, *xs),
            None,
            lambda *xs, sub=sub: np.einsum(sub, *xs),
        )
        for sub, shapes in EINSUM_CASES
    ]
    + [
        Entry(
            "einsum-sublists",
            (normal((2, 3)), normal((3, 4), seed=1)),
            lambda a, b: ops.einsum(a, [0, 1], b, [1, 2], [0, 2]),
            None,
            lambda a, b: np.einsum(a, [0, 1], b, [1, 2], [0, 2]),
        ),
        Entry(
            "einsum-sublists-ellipsis",
            (normal((2, 3)), normal((3,), seed=1)),
            lambda a, b: ops.einsum(a, [Ellipsis, 1], b, [1]),
            None,
            lambda a, b: np.einsum(a, [Ellipsis, 1], b, [1]),
        ),
        Entry(
            "einsum-optimize",
            (normal((2, 3)), normal((3, 4), seed=1), normal((4,), seed=2)),
            lambda *xs: ops.einsum("ij,jk,k->i", *xs, optimize=True),
            None,
            lambda *xs: np.einsum("ij,jk,k->i", *xs, optimize=True),
        ),
    ]
    + [
        _entry("tensordot", (normal(sa), normal(sb, seed=1)), axes=axes)
        for sa, sb, axes in [
            ((2, 3, 4), (3, 4, 2), 2),
            ((2, 3), (3, 4), 1),
            ((2, 3), (4,), 0),
            ((3, 2, 4), (2, 3), ([1, 0], [0, 1])),
        ]
    ]
    + [
        _entry(name, (normal(sa), normal(sb, seed=1)), method=name)
        for name, pairs in [
            (
                "dot",
                [
                    ((3,), (3,)),
                    ((2, 3), (3, 4)),
                    ((2, 3), (3,)),
                    ((2, 2, 3), (3, 4)),
                    ((2, 3), (2, 3, 4)),
                    ((), (2, 3)),
                    ((3,), (3, 2)),
                ],
            ),
            ("inner", [((3,), (3,)), ((2, 3), (4, 3)), ((), (3,)), ((2, 1, 3), (3,))]),
            ("outer", [((3,), (2,)), ((2, 2), (3,))]),
            ("kron", [((2, 3), (2, 2)), ((3,), (2, 2)), ((2,), (3,))]),
        ]
        for sa, sb in pairs
    ]
    + [_entry("vdot", (normal((2, 3)), normal((3, 2), seed=1)))]
    + [
        _entry("trace", (normal(s),), *args, method="trace")
        for s, args in [
            ((3, 3), ()),
            ((3, 4), (1,)),
            ((4, 3), (-1,)),
            ((2, 3, 3), (0, 1, 2)),
            ((2, 3, 4), (0, -1, 0)),
        ]
    ]
    + [
        _entry("diagonal", (normal(s),), *args, method="diagonal")
        for s, args in [
            ((3, 3), ()),
            ((3, 4), (1,)),
            ((2, 3, 3), (-1, 1, 2)),
            ((2, 3, 4), (0, 0, 2)),
        ]
    ]
    + [
        _entry("diag", (normal(s),), k, method="diag")
        for s, k in [((3,), 0), ((3,), 1), ((2,), -2), ((3, 3), 0), ((3, 4), 1), ((4, 3), -1)]
    ]
    + [
        _entry(name, (normal(s),), k, method=name)
        for name in ("tril", "triu")
        for s, k in [((3, 3), 0), ((3, 4), 1), ((4, 3), -1), ((2, 3, 3), 0), ((3,), 0)]
    ]
)

LINALG_VOCABULARY = (
    [
        _entry("inv", (well_conditioned(s),), method="inv", linalg=True)
        for s in [(3, 3), (2, 3, 3), (1, 1)]
    ]
    + [
        _entry("det", (x,), method="det", linalg=True)
        for x in [well_conditioned((3, 3)), well_conditioned((2, 2, 2)), normal((1, 1)), SINGULAR]
    ]
    + [
        _entry("slogdet", (x,), method="slogdet", linalg=True)._replace(
            grad_of=lambda x: ops.linalg.slogdet(x).logabsdet
        )
        for x in [well_conditioned((3, 3)), -well_conditioned((2, 3, 3))]
    ]
    + [
        _entry("solve", (well_conditioned(sa), normal(sb, seed=1)), linalg=True)
        for sa, sb in [
            ((3, 3), (3,)),
            ((3, 3), (3, 2)),
            ((2, 3, 3), (3,)),
            ((2, 3, 3), (1, 3, 2)),
            ((1, 3, 3), (2, 3, 1)),
        ]
    ]
    + [
        Entry(
            f"cholesky-{shape_id(s)}-upper{upper}",
            (normal(s),),
            lambda x, u=upper: ops.linalg.cholesky(spd(x), upper=u),
            lambda t, u=upper: spd(t).cholesky(upper=u),
            lambda x, u=upper: np.linalg.cholesky(spd(x), upper=u),
        )
        for s, upper in [((3, 3), False), ((3, 3), True), ((2, 2, 2), False)]
    ]
    + [
        Entry(
            f"eigh-{shape_id(s)}",
            (normal(s),),
            lambda x: ops.linalg.eigh(sym(x)),
            None,
            lambda x: np.linalg.eigh(sym(x)),
            grad_of=_eigh_of,
        )
        for s in [(3, 3), (2, 3, 3), (1, 1)]
    ]
    + [
        Entry(
            f"eigvalsh-{shape_id(s)}-{uplo}",
            (normal(s),),
            lambda x, u=uplo: ops.linalg.eigvalsh(sym(x), u),
            None,
            lambda x, u=uplo: np.linalg.eigvalsh(sym(x), u),
        )
        for s, uplo in [((3, 3), "L"), ((2, 3, 3), "U")]
    ]
    + [
        _entry("svd", (normal(s),), linalg=True, full_matrices=full)._replace(grad_of=_svd_of(full))
        for s, full in [
            ((3, 3), True),
            ((4, 2), False),
            ((2, 4), False),
            ((2, 3, 2), False),
            ((4, 2), True),
            ((2, 3), True),
        ]
    ]
    + [_entry("svd", (normal((3, 2)),), linalg=True, compute_uv=False)]
    + [_entry("svdvals", (normal(s),), linalg=True) for s in [(3, 3), (4, 2), (2, 2, 3)]]
    + [_entry("pinv", (normal(s),), method="pinv", linalg=True) for s in [(3, 3), (4, 2), (2, 4)]]
    + [
        _entry("qr", (normal(s),), mode=mode, linalg=True)._replace(grad_of=_qr_of(mode))
        for s, mode in [
            ((3, 3), "reduced"),
            ((4, 2), "reduced"),
            ((2, 4), "reduced"),
            ((2, 3, 2), "reduced"),
            ((2, 4), "complete"),
            ((4, 3), "r"),
        ]
    ]
    + [
        _entry(
            "matrix_power", (well_conditioned((3, 3)),), n, method="matrix_power", linalg=True
        )._replace(nd=n == 0)
        for n in (0, 1, 3, -2)
    ]
    + [
        _entry("norm", (x,), linalg=True, **kw)
        for x, kw in [
            (normal((4,)), {}),
            (normal(()), {}),
            (normal((2, 3, 2)), {}),
            *((normal((4,)), {"ord": o}) for o in (1, 2, 3, 0.5, np.inf, -np.inf)),
            *((normal((3, 2)), {"ord": o}) for o in ("fro", "nuc", 1, -1, 2, -2, np.inf, -np.inf)),
            (normal((2, 3)), {"axis": -1}),
            (normal((2, 3)), {"axis": 0, "ord": 1, "keepdims": True}),
            (normal((2, 3, 2)), {"axis": (0, 2), "ord": "nuc"}),
            (normal((2, 3, 2)), {"axis": (-1, 0), "ord": np.inf, "keepdims": True}),
            (normal((2, 2, 3)), {"axis": (1, 2), "ord": -1}),
        ]
    ]
    + [
        Entry(
            "norm-ord0",
            (WITH_ZERO,),
            lambda x: ops.norm(x, 0, axis=1),
            None,
            lambda x: np.linalg.norm(x, 0, axis=1),
            nd=True,
        )
    ]
    + [
        Entry(
            "norm-method",
            (normal((2, 3)),),
            lambda x: ops.norm(x, axis=1),
            lambda t: t.norm(axis=1),
            lambda x: np.linalg.norm(x, axis=1),
        )
    ]
    + [
        _entry("vector_norm", (normal((2, 3, 2)),), linalg=True, **kw)
        for kw in [{}, {"axis": (0, 2), "ord": 1}, {"axis": 1, "keepdims": True}]
    ]
    + [
        _entry("matrix_norm", (normal((2, 3, 2)),), linalg=True, **kw)
        for kw in [{}, {"ord": "nuc", "keepdims": True}]
    ]
)

VOCABULARY += (
    REDUCTION_VOCABULARY
    + SELECTION_VOCABULARY
    + REARRANGE_VOCABULARY
    + PRODUCT_VOCABULARY
    + LINALG_VOCABULARY
)

ALL = (
    ELEMENTWISE
    + REDUCE
    + SHAPE
    + JOIN
    + LINALG
    + WINDOW
    + RECURRENT
    + [
        pytest.param(e.grad_of or e.ops, e.arrays, id=e.id)
        for e in VOCABULARY
        if not (e.nd or e.ties)
    ]
)
