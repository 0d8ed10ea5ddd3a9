"""Every primitive op on several shapes, as (fn, input arrays) pairs with readable ids.

Shared by the gradient checks (float64) and the float32 checks. Each `fn` takes only the
arrays as arguments and holds nothing but Python numbers, bool masks and shapes as
constants, so that float32 inputs give float32 outputs under NumPy 2 promotion.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np
import pytest

import ops

from ._inputs import distinct, normal, positive, shape_id, shifted

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

ALL = ELEMENTWISE + REDUCE + SHAPE + JOIN + LINALG + WINDOW
