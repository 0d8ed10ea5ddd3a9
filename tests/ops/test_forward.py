"""Forward values: every op gives what the NumPy function gives, in value, shape and dtype."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from numpy.lib.stride_tricks import sliding_window_view

import ops
from autograd_core import Tensor

from ._cases import BROADCAST_PAIRS, GETITEM_INDICES, MATMUL_SHAPES, REDUCE_ARGS, WINDOWS
from ._inputs import normal, positive, shape_id

WITH_ZEROS = np.array([[-2.5, 0.0, 1.5], [0.0, -0.25, 3.0]])
EXTREMES = np.array([-1000.0, -30.0, -1.0, 0.0, 1.0, 30.0, 1000.0])


def bound(fn: Callable[..., Any], *args: Any, **kw: Any) -> Callable[..., Any]:
    """`fn` with its non-array arguments fixed: (*xs) -> fn(*xs, *args, **kw)."""
    return lambda *xs: fn(*xs, *args, **kw)


def fwd(name: str, op: Callable[..., Any], reference: Callable[..., Any], *arrays: Any) -> Any:
    ids = "-".join(shape_id(np.shape(a)) for a in arrays)
    return pytest.param(op, reference, arrays, id=f"{name}-{ids}".replace(" ", ""))


BINARY = [
    ("add", ops.add, np.add, normal, normal),
    ("subtract", ops.subtract, np.subtract, normal, normal),
    ("multiply", ops.multiply, np.multiply, normal, normal),
    ("divide", ops.divide, np.divide, normal, positive),
    ("power", ops.power, np.power, positive, normal),
    ("maximum", ops.maximum, np.maximum, normal, normal),
    ("minimum", ops.minimum, np.minimum, normal, normal),
]

UNARY = [
    ("negative", ops.negative, np.negative, WITH_ZEROS),
    ("exp", ops.exp, np.exp, WITH_ZEROS),
    ("log", ops.log, np.log, positive((2, 3))),
    ("sqrt", ops.sqrt, np.sqrt, np.abs(WITH_ZEROS)),
    ("abs", ops.abs, np.abs, WITH_ZEROS),
    ("sign", ops.sign, np.sign, WITH_ZEROS),
    ("tanh", ops.tanh, np.tanh, EXTREMES),
    # 1 / (1 + e^-x) = exp(-log(1 + e^-x)), with NumPy's overflow-safe logaddexp
    ("sigmoid", ops.sigmoid, lambda x: np.exp(-np.logaddexp(0, -x)), EXTREMES),
    ("relu", ops.relu, bound(np.maximum, 0.0), WITH_ZEROS),
    ("clip", bound(ops.clip, -1, 1), bound(np.clip, -1, 1), WITH_ZEROS),
    ("clip_lower", bound(ops.clip, 0.0), bound(np.clip, 0.0, None), WITH_ZEROS),
    ("clip_upper", bound(ops.clip, None, 0.0), bound(np.clip, None, 0.0), WITH_ZEROS),
    (
        "clip_arrays",
        bound(ops.clip, np.zeros((4, 1, 1)), np.full(3, 2.0)),
        bound(np.clip, np.zeros((4, 1, 1)), np.full(3, 2.0)),
        WITH_ZEROS,
    ),
    ("astype_f32", bound(ops.astype, np.float32), lambda x: x.astype(np.float32), WITH_ZEROS),
    ("astype_int", bound(ops.astype, np.int64), lambda x: x.astype(np.int64), WITH_ZEROS),
]

ELEMENTWISE = (
    [
        fwd(name, op, ref, make_a(sa), make_b(sb, seed=1))
        for name, op, ref, make_a, make_b in BINARY
        for sa, sb in BROADCAST_PAIRS
    ]
    + [fwd(name, op, ref, x) for name, op, ref, x in UNARY]
    + [
        fwd("power_negative_base", ops.power, np.power, WITH_ZEROS, 3.0),
        fwd("maximum_ties", ops.maximum, np.maximum, WITH_ZEROS, 0.0),
        fwd("where", ops.where, np.where, WITH_ZEROS > 0, normal((2, 3)), normal((3,))),
        fwd("where_scalar", ops.where, np.where, WITH_ZEROS > 0, normal((2, 1)), 0.0),
    ]
)

REDUCTIONS = [
    ("sum", ops.sum, np.sum),
    ("mean", ops.mean, np.mean),
    ("var", ops.var, np.var),
    ("max", ops.max, np.max),
    ("min", ops.min, np.min),
]

REDUCE = [
    fwd(f"{name}{kw}", bound(op, **kw), bound(ref, **kw), normal(shape))
    for name, op, ref in REDUCTIONS
    for shape, kw in REDUCE_ARGS
] + [
    fwd("var_ddof1", bound(ops.var, axis=0, ddof=1), bound(np.var, axis=0, ddof=1), normal((3, 2))),
    fwd("max_ties", bound(ops.max, axis=1), bound(np.max, axis=1), WITH_ZEROS.round()),
]


def windows_reference(x: np.ndarray, kernel: Any, stride: Any, dilation: Any) -> np.ndarray:
    """All dilated windows from NumPy's own sliding_window_view (stride 1, no dilation),
    then every stride-th window and every dilation-th element inside each."""
    (kh, kw), (sh, sw), (dh, dw) = (np.broadcast_to(v, 2) for v in (kernel, stride, dilation))
    span = ((kh - 1) * dh + 1, (kw - 1) * dw + 1)
    return sliding_window_view(x, span, axis=(-2, -1))[..., ::sh, ::sw, ::dh, ::dw]


def same_op(name: str, args: Any, *shapes: tuple[int, ...]) -> Any:
    """ops.<name> against np.<name>, both called with the same extra arguments."""
    return fwd(
        f"{name}{args}",
        bound(getattr(ops, name), *args),
        bound(getattr(np, name), *args),
        *(normal(s, seed=k) for k, s in enumerate(shapes)),
    )


SHAPE = (
    [
        same_op("reshape", (new,), s)
        for s, new in [((2, 3), (3, 2)), ((2, 3), (-1,)), ((), (1, 1)), ((2, 3, 4), (4, -1))]
    ]
    + [
        same_op("transpose", axes, s)
        for s, axes in [((2, 3), ()), ((2, 3, 4), ((1, 0, 2),)), ((2, 3, 4), ((-1, 0, 1),))]
    ]
    + [same_op("swapaxes", axes, (2, 3, 4)) for axes in [(0, 2), (-1, 0)]]
    + [
        same_op("broadcast_to", (new,), s)
        for s, new in [((3,), (2, 3)), ((), (2, 2)), ((2, 1, 3), (2, 2, 2, 3))]
    ]
    + [
        same_op("expand_dims", (axis,), s)
        for s, axis in [((2, 3), 0), ((2, 3), -1), ((2, 3), (0, 2)), ((), 0)]
    ]
    + [
        same_op("squeeze", (axis,), s)
        for s, axis in [((1, 3, 1), None), ((1, 3, 1), 0), ((1, 3, 1), -1), ((2, 1, 3), (1,))]
    ]
    + [
        fwd("flatten", ops.flatten, lambda x: x.flatten(), normal(s))
        for s in [(), (2, 3), (2, 1, 2)]
    ]
    + [
        fwd(f"getitem{k}", bound(ops.getitem, index), lambda x, i=index: x[i], normal((3, 4, 2)))
        for k, index in enumerate(GETITEM_INDICES)
    ]
    + [
        fwd(
            f"pad-{mode}-{width}-{kw}",
            bound(ops.pad, width, mode, **kw),
            bound(np.pad, width, mode, **({"constant_values": kw["value"]} if kw else {})),
            normal(shape),
        )
        for mode, kw in [
            ("constant", {}),
            ("constant", {"value": 1.5}),
            ("reflect", {}),
            ("edge", {}),
        ]
        for shape, width in [((3, 4), 1), ((3, 4), ((1, 2), (0, 2))), ((3, 4), (2, 1)), ((3,), 4)]
    ]
    + [
        fwd(
            f"{name}-axis{axis}",
            lambda *xs, f=name, a=axis: getattr(ops, f)(list(xs), axis=a),
            lambda *xs, f=name, a=axis: getattr(np, f)(xs, axis=a),
            *(normal(s, seed=k) for k, s in enumerate(shapes)),
        )
        for name, shapes, axis in [
            ("concatenate", [(2, 3), (1, 3), (3, 3)], 0),
            ("concatenate", [(2, 1), (2, 3), (2, 2)], -1),
            ("stack", [(2, 3)] * 3, -1),
            ("stack", [(2, 3)] * 2, 1),
            ("stack", [()] * 3, 0),
        ]
    ]
    + [fwd("matmul", ops.matmul, np.matmul, normal(a), normal(b)) for a, b in MATMUL_SHAPES]
    + [
        fwd(
            f"sliding_window-k{k}-s{s}-d{d}",
            bound(ops.sliding_window, k, s, d),
            bound(windows_reference, k, s, d),
            normal(shape),
        )
        for shape, k, s, d in WINDOWS
    ]
)


@pytest.mark.parametrize(("op", "reference", "arrays"), ELEMENTWISE + REDUCE + SHAPE)
def test_forward_matches_numpy(op: Callable[..., Any], reference: Callable[..., Any], arrays: Any):
    expected = np.asarray(reference(*arrays))
    tensors = [Tensor(a) if isinstance(a, np.ndarray) else a for a in arrays]
    out = op(*tensors)
    assert isinstance(out, Tensor)
    assert out.shape == expected.shape
    assert out.dtype == expected.dtype
    np.testing.assert_allclose(out.data, expected, rtol=1e-12, atol=1e-300)
