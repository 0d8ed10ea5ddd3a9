"""The special-point checker: every elementwise op's vjp at 0, ±1, ±inf, NaN, ties and
tiny values, against the limit of central differences and the op's stated rule; every
reduction on empty arrays, size-1 and zero-size axes.

The ops are found by probing `ops.__all__` (anything that maps a (k,) float64 array to a
(k,) array and records a node), so a new op is checked without being listed here.
Where central differences converge, the gradient must equal their limit; at a kink it
must lie between the one-sided derivatives (a subgradient) and equal the op's
documented choice where there is one; where the derivative blows up it must be the
infinity of the right sign; at ±inf it must equal the derivative's limit when that
exists; at NaN it is NaN or 0. Backward never warns and never raises.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import ops
from autograd_core import Tensor, grad

POINTS = np.array([0.0, 1.0, -1.0, 0.5, -0.5, 2.0, -2.0, 1e-300, -1e-300, np.inf, -np.inf, np.nan])
FINITE = np.isfinite(POINTS)


def _probe(arity: int) -> dict[str, Callable[..., Any]]:
    """The public ops that act elementwise on `arity` arrays and are differentiable: the
    same shape out as in, for (3,) and (2, 3), and a diagonal Jacobian."""
    found = {}
    x = np.array([0.7, 0.3, 1.1])  # not sorted, so that sort is not the identity here
    for name in ops.__all__:
        fn = getattr(ops, name)
        if not callable(fn) or name in ("unwrap", "astype"):
            continue
        args = [Tensor(x + 0.1 * k, requires_grad=True) for k in range(arity)]
        try:
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                y = fn(*args)
                if not (isinstance(y, Tensor) and y.requires_grad and y.shape == x.shape):
                    continue
                shapes = [(2, 3), (1,), (1, 1), (2, 0), (0,)]
                if any(fn(*[np.full(s, 0.4 + 0.1 * k) for k in range(arity)]).shape != s
                       for s in shapes):  # fmt: skip
                    continue
                rows = [grad(y[i], args, retain_graph=True, allow_unused=True) for i in range(3)]
        except Exception:  # noqa: BLE001 - not an op of this arity
            continue
        jac = np.array([[0 if r[k] is None else r[k].numpy() for k in range(arity)] for r in rows])
        if np.count_nonzero(jac * (1 - np.eye(3))[:, None, :]) == 0:
            found[name] = fn
    return found


UNARY = _probe(1)
BINARY = {k: v for k, v in _probe(2).items() if k not in UNARY}

# What the docs promise at kinks and singular points (op: {point: derivative}).
STATED: dict[str, dict[float, float]] = {
    "relu": {0.0: 0.0},
    "abs": {0.0: 0.0},
    "sign": {0.0: 0.0, 1.0: 0.0, -1.0: 0.0},
    "sqrt": {0.0: np.inf},
    "log": {0.0: np.inf},
    "exp": {-np.inf: 0.0, np.inf: np.inf},
    "tanh": {np.inf: 0.0, -np.inf: 0.0},
    "sigmoid": {np.inf: 0.0, -np.inf: 0.0},
}


def _forward(fn: Callable[..., Any], *xs: Any) -> np.ndarray:
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(fn(*[Tensor(np.asarray(x, dtype=np.float64)) for x in xs]).numpy())


def _vjp(fn: Callable[..., Any], xs: list[np.ndarray], index: int) -> np.ndarray:
    """d sum(f) / d xs[index], elementwise, from the engine; backward must not warn."""
    ts = [Tensor(np.asarray(x, dtype=np.float64), requires_grad=True) for x in xs]
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        y = (fn(*ts) * 1.0).sum()  # the forward may warn, as NumPy does
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # backward itself never warns
        (g,) = grad(y, [ts[index]], allow_unused=True)
    return np.zeros_like(xs[index]) if g is None else g.numpy()


@np.errstate(all="ignore")
def _differences(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray) -> dict[str, np.ndarray]:
    relative = np.where(x == 0, 1.0, np.minimum(np.abs(x), 1.0))
    out = {}
    for name, h in (("coarse", 1e-4), ("fine", 1e-6)):
        step = h * relative
        out[name] = (f(x + step) - f(x - step)) / (2 * step)
    step = 1e-7 * relative
    out["right"] = (f(x + step) - f(x)) / step
    out["left"] = (f(x) - f(x - step)) / step
    out["jump_coarse"] = np.abs(f(x + 1e-4 * relative) - f(x - 1e-4 * relative))
    out["jump_fine"] = np.abs(f(x + 1e-6 * relative) - f(x - 1e-6 * relative))
    return out


def _check(
    name: str,
    g: np.ndarray,
    f: Callable[[np.ndarray], np.ndarray],
    x: np.ndarray,
    documented: dict[int, float] | None = None,
    slope: Callable[[np.ndarray], np.ndarray] | None = None,
) -> None:
    y = f(x)
    d = _differences(f, x)
    tiny = (np.abs(x) < 1e-200) & (x != 0)
    for k in range(x.size):
        where = f"{name} at {x[k]!r}: vjp gives {g[k]!r}"
        stated = (documented or {}).get(k, STATED.get(name, {}).get(float(x[k])))
        if stated is not None:
            if not np.isnan(stated):  # NaN: not checked here
                assert g[k] == stated, f"{where}, its documented derivative is {stated!r}"
            continue
        if np.isnan(x[k]):
            continue  # NaN in: any value out (the vjp may not even read this input)
        if np.isinf(x[k]):  # the limit of the op's own derivative at large finite x
            limit = [_at(slope, x, k, np.sign(x[k]) * big) for big in (1e8, 1e15)]
            if np.isfinite(limit).all() and np.isclose(limit[0], limit[1], atol=1e-6):
                assert np.isclose(g[k], limit[1], atol=1e-6) or np.isnan(g[k]), (
                    f"{where}; the derivative tends to {limit[1]!r}"
                )
            continue
        if not np.isfinite(y[k]):
            continue  # outside the domain: forward is NaN or inf, as in NumPy
        if tiny[k]:  # differences vanish in rounding here: continuity from its side of 0
            near = [_slope_at(f, x, k, np.sign(x[k]) * h) for h in (1e-8, 1e-12)]
            if np.isfinite(near).all() and np.isclose(near[0], near[1], rtol=1e-3, atol=1e-6):
                assert np.isclose(g[k], near[1], rtol=1e-3, atol=1e-5), (
                    f"{where}; next to it, on its side of 0, the derivative is {near[1]!r}"
                )
            continue
        coarse, fine = d["coarse"][k], d["fine"][k]
        if (
            np.isfinite(coarse)
            and np.isfinite(fine)
            and abs(coarse - fine) <= 1e-4 * (1 + abs(fine))
        ):
            assert np.isclose(g[k], fine, rtol=1e-4, atol=1e-5), f"{where}, differences {fine!r}"
            continue
        left, right = d["left"][k], d["right"][k]
        if d["jump_fine"][k] > 1e-3 and d["jump_fine"][k] > 0.5 * d["jump_coarse"][k]:
            # a jump (mod, copysign, a branch cut): the derivative of a side it touches
            sides = [v for v in (left, right) if np.isfinite(v) and abs(v) < 1e5]
            assert any(np.isclose(g[k], v, rtol=1e-3, atol=1e-4) for v in sides), (
                f"{where}; one-sided derivatives {left!r}, {right!r}"
            )
        elif abs(fine) > 5 * abs(coarse) and abs(fine) > 100:  # growing as the step shrinks
            assert np.isinf(g[k]) or abs(g[k]) >= abs(fine), f"{where}; it is unbounded here"
        elif np.isfinite(left) and np.isfinite(right):  # a kink: a subgradient
            lo, hi = min(left, right), max(left, right)
            assert lo - 1e-4 <= g[k] <= hi + 1e-4, f"{where}, one-sided {left!r}, {right!r}"
        elif abs(fine) > 1e4 * (1 + abs(coarse)) or not np.isfinite(fine):  # blows up
            assert np.isinf(g[k]) or abs(g[k]) > 1e6, f"{where}; the derivative is unbounded"


def _at(slope: Any, x: np.ndarray, k: int, value: float) -> float:
    moved = x.copy()
    moved[k] = value
    return float(slope(moved)[k])


@np.errstate(all="ignore")
def _slope_at(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, k: int, at: float) -> float:
    """The derivative of output k in input k, with input k moved to `at` (a relative
    central difference, for points far from 0 or very close to it)."""
    up, down = x.copy(), x.copy()
    up[k], down[k] = at * (1 + 1e-6), at * (1 - 1e-6)
    return float((f(up)[k] - f(down)[k]) / (2e-6 * at))


def test_the_probe_finds_the_elementwise_ops():
    assert {"exp", "log", "sqrt", "tanh", "sigmoid", "relu", "abs", "sign", "negative"} <= set(
        UNARY
    )
    assert {"add", "subtract", "multiply", "divide", "power", "maximum", "minimum"} <= set(BINARY)


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_vjp_at_special_points(name):
    fn = UNARY[name]
    g = _vjp(fn, [POINTS], 0)
    assert g.shape == POINTS.shape
    if (
        getattr(fn, "op", None) is not None and fn.op.zero
    ):  # declared zero wherever it exists (floor, sign, ...): zero at every point
        assert np.all((g == 0) | np.isnan(POINTS)), f"{name}: {g}"
        return
    _check(name, g, lambda x: _forward(fn, x), POINTS, slope=lambda x: _vjp(fn, [x], 0))


PAIRS = np.array(
    np.meshgrid(POINTS[[0, 1, 2, 3, 5, 9, 11]], POINTS[[0, 1, 2, 3, 5, 9, 11]])
).reshape(2, -1)


@pytest.mark.parametrize("name", sorted(BINARY))
@pytest.mark.parametrize("index", [0, 1], ids=["d/da", "d/db"])
def test_binary_vjp_at_special_points(name, index):
    """Every pair runs backward without an error or a warning; the values are checked
    where the other operand is finite (with an inf or NaN partner there is no limit)."""
    fn = BINARY[name]
    a, b = PAIRS
    g = _vjp(fn, [a, b], index)
    other = b if index == 0 else a
    documented = {int(k): np.nan for k in np.flatnonzero(~np.isfinite(other))}
    if name in ("maximum", "minimum"):  # ties split the gradient evenly
        documented.update({int(k): 0.5 for k in np.flatnonzero(a == b)})
    if name == "arctan2":  # the angle is undefined at the origin: NaN, as in PyTorch
        documented.update({int(k): np.nan for k in np.flatnonzero((a == 0) & (b == 0))})
    if name == "power" and index == 1:  # 0^b: 0 for b >= 0, -inf for b < 0 (as PyTorch);
        documented.update({int(k): np.nan for k in np.flatnonzero(a < 0)})  # NaN for a < 0
        zero_base = np.flatnonzero((a == 0) & np.isfinite(b))
        documented.update({int(k): (0.0 if b[k] >= 0 else -np.inf) for k in zero_base})
    if getattr(fn, "op", None) is not None and fn.op.zero:
        assert np.all((g == 0) | np.isnan(g)), f"{name}: {g}"
    elif index == 0:
        slope = lambda x: _vjp(fn, [x, b], 0)  # noqa: E731
        _check(f"{name}:a", g, lambda x: _forward(fn, x, b), a, documented, slope)
    else:
        slope = lambda x: _vjp(fn, [a, x], 1)  # noqa: E731
        _check(f"{name}:b", g, lambda x: _forward(fn, a, x), b, documented, slope)


@pytest.mark.parametrize("name", ["maximum", "minimum"])
def test_ties_split_the_gradient_evenly(name):
    a = np.array([0.0, 1.0, -2.0, np.inf])
    assert _vjp(BINARY[name], [a, a.copy()], 0).tolist() == [0.5] * 4
    assert _vjp(BINARY[name], [a, a.copy()], 1).tolist() == [0.5] * 4


def test_power_at_zero_to_the_zero_and_its_exponent():
    a, b = np.array([0.0, 0.0, 0.0]), np.array([0.0, 2.0, -1.0])
    np.testing.assert_array_equal(_vjp(ops.power, [a, b], 0), [0.0, 0.0, -np.inf])
    np.testing.assert_array_equal(_vjp(ops.power, [a, b], 1), [0.0, 0.0, -np.inf])


REDUCTIONS = {
    name: getattr(ops, name)
    for name in ("sum", "mean", "max", "min", "var", "prod", "std", "logsumexp", "amax", "amin")
    if hasattr(ops, name)
}
SHAPES_AXES = [((1,), 0), ((1, 1), None), ((2, 1, 3), 1), ((3, 1), -1), ((2, 3), (0, 1))]
EMPTY = [((0,), None), ((3, 0), 1), ((0, 3), 1), ((2, 0, 4), (0, 2))]


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("shape, axis", SHAPES_AXES, ids=lambda v: str(v))
def test_reductions_over_size_1_axes_match_differences(name, shape, axis):
    fn = REDUCTIONS[name]
    x = np.linspace(0.3, 1.7, int(np.prod(shape))).reshape(shape)
    g = _vjp(lambda t: fn(t, axis=axis), [x], 0)
    assert g.shape == x.shape
    eps, flat = 1e-6, x.reshape(-1)
    numeric = np.empty(flat.size)
    for k in range(flat.size):
        up, down = flat.copy(), flat.copy()
        up[k] += eps
        down[k] -= eps
        f_up = _forward(lambda t: fn(t, axis=axis), up.reshape(shape)).sum()
        f_down = _forward(lambda t: fn(t, axis=axis), down.reshape(shape)).sum()
        numeric[k] = (f_up - f_down) / (2 * eps)
    np.testing.assert_allclose(g.reshape(-1), numeric, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
@pytest.mark.parametrize("shape, axis", EMPTY, ids=lambda v: str(v))
def test_reductions_over_zero_size_axes(name, shape, axis):
    """Either NumPy's value with an empty gradient, or a clear error naming the op."""
    fn = REDUCTIONS[name]
    x = Tensor(np.zeros(shape), requires_grad=True)
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            y = fn(x, axis=axis)
    except ValueError as err:  # amax and amin are max and min by another name
        assert str(err).split(":")[0] in (name, name.removeprefix("a")) and "empty" in str(err)
        return
    assert y.shape == np.sum(np.zeros(shape), axis=axis).shape  # a reduction's shape
    if y.size:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            (g,) = grad(y.sum(), [x], allow_unused=True)
        assert g is None or g.shape == shape


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_ops_on_empty_and_size_1_arrays(name):
    for shape in ((0,), (2, 0), (1,), (1, 1)):
        x = Tensor(np.full(shape, 0.5), requires_grad=True)
        with np.errstate(all="ignore"):
            y = UNARY[name](x)
        assert y.shape == shape
        (g,) = grad(y.sum(), [x], allow_unused=True)
        assert g is None or g.shape == shape
