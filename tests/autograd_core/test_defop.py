"""`defop` as a user meets it: a custom op, declared once, is a first-class citizen."""

import numpy as np
import pytest

import ops
from autograd_core import Tensor, defop, draw, gradcheck, gradgradcheck, no_grad, trace_backward
from autograd_core.render import to_dot
from tests.helpers import check_grads, rng

# The README's custom op: log(1 + e^x), its derivative written with ops so that it
# differentiates again.
softplus = defop(
    "softplus",
    lambda x: np.logaddexp(0, x),
    lambda g, y, x: g * ops.sigmoid(x),
    rules="∂/∂x = σ(x)",
)

# A binary op whose vjps use operators only.
hypot = defop(
    "hypot",
    np.hypot,
    lambda g, y, a, b: g * a / y,
    lambda g, y, a, b: g * b / y,
    rules=("∂/∂a = a/y", "∂/∂b = b/y"),
)


def test_a_custom_op_returns_tensors_for_tensors_arrays_and_numbers():
    for x in (Tensor([0.0, 1.0]), np.array([0.0, 1.0]), 0.5):
        y = softplus(x)
        assert isinstance(y, Tensor) and not y.requires_grad
    np.testing.assert_allclose(softplus(np.array([0.0, 1.0])).data, np.log1p(np.exp([0.0, 1.0])))


def test_first_and_second_derivatives_match_finite_differences():
    x = rng(0).normal(size=(3, 4))
    check_grads(softplus, x)
    check_grads(hypot, rng(1).normal(size=(2, 3)), rng(2).normal(size=(3,)))  # broadcasting
    check_grads(lambda a: hypot(a, 2.0), np.array(1.5))  # 0-d with a number


def test_gradcheck_and_gradgradcheck_take_it_directly():
    x = Tensor(rng(3).normal(size=5), requires_grad=True)
    assert gradcheck(softplus, [x]) and gradgradcheck(softplus, [x])


def test_gradcheck_catches_a_wrong_vjp():
    wrong = defop("wrong", np.sin, lambda g, y, x: g * np.sin(x), rules="∂/∂x = cos x")
    with pytest.raises(Exception, match=r"d output 0 at \(\d*,?\) / d input 0"):
        gradcheck(wrong, [Tensor(np.array([0.3, 1.2]), requires_grad=True)])


def test_its_rule_text_is_drawn_on_the_backward_view():
    x = Tensor(np.array([0.5, -1.0]), requires_grad=True, name="x")
    y = softplus(x).sum()
    source = to_dot(y, backward=True)
    assert "/∂x = σ(x)" in source  # the rule, with the real operand (x) in it
    assert "softplus" in draw(y).source
    step = next(s for s in trace_backward(y) if s.node is x)
    assert [c.rule for c in step.contributions] == ["∂/∂x = σ(x)"]


def test_a_vjp_of_the_wrong_shape_names_the_op_and_the_input():
    bad = defop("bad", lambda a, b: a * b, lambda g, y, a, b: g, lambda g, y, a, b: g[:1])
    a, b = (Tensor(np.ones(3), requires_grad=True) for _ in range(2))
    with pytest.raises(RuntimeError, match=r"vjp of 'bad' for its input 1 returned shape \(1,\)"):
        bad(a, b).sum().backward()


def test_keyword_constants_reach_the_forward_and_every_vjp():
    scale = defop(
        "scale",
        lambda x, factor: x * factor,
        lambda g, y, x, factor: g * factor,
        rules="∂/∂x = factor",
    )
    x = Tensor(np.ones(2), requires_grad=True)
    y = scale(x, factor=3.0)
    np.testing.assert_array_equal(y.data, [3.0, 3.0])
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.data, [3.0, 3.0])
    check_grads(lambda t: scale(t, factor=-2.5), np.array([0.1, 0.2]))


def test_residuals_reach_the_vjps_and_joint_vjps_give_every_input():
    calls = []

    def forward(x):
        calls.append("forward")
        return np.abs(x), {"signs": np.sign(x)}

    absolute = defop("absolute", forward, lambda g, y, x, signs: g * signs, residuals=True)
    x = Tensor(np.array([-2.0, 3.0]), requires_grad=True)
    absolute(x).sum().backward()
    np.testing.assert_array_equal(x.grad.data, [-1.0, 1.0])
    assert calls == ["forward"]  # the vjp did not recompute anything

    pair_sum = defop("pair_sum", lambda a, b: a + b, lambda g, y, a, b: (g, 2 * g), joint=True)
    a, b = Tensor(1.0, requires_grad=True), Tensor(1.0, requires_grad=True)
    pair_sum(a, b).backward()
    assert (a.grad.item(), b.grad.item()) == (1.0, 2.0)


def test_an_input_without_a_vjp_gets_no_gradient_and_no_vjps_means_not_differentiable():
    first = defop("first", lambda a, b: a + 0 * b, lambda g, y, a, b: g, None)
    a, b = Tensor(1.0, requires_grad=True), Tensor(2.0, requires_grad=True)
    first(a, b).backward()
    assert a.grad.item() == 1.0 and b.grad is None
    floor = defop("floor", np.floor)
    assert not floor(a).requires_grad


def test_errors_name_the_op():
    with pytest.raises(ValueError, match=r"hypot: shapes \(2,\) and \(3,\) do not broadcast"):
        hypot(np.ones(2), Tensor(np.ones(3)))
    with pytest.raises(TypeError, match=r"hypot: cannot apply to \(Tensor, NoneType\)"):
        hypot(Tensor(1.0), None)
    to_complex = defop("to_complex", lambda x: x * 1j, lambda g, y, x: g)
    with pytest.raises(TypeError, match="to_complex: the result has dtype complex128"):
        to_complex(Tensor(1.0, requires_grad=True))


def test_no_grad_records_nothing_and_the_output_is_read_only():
    x = Tensor(np.ones(2), requires_grad=True)
    with no_grad():
        y = softplus(x)
    assert not y.requires_grad and y.is_leaf
    with pytest.raises(ValueError, match="read-only"):
        y.data[0] = 1.0


def test_a_view_of_a_writable_array_is_copied():
    view = defop("view", lambda x: x[::2], lambda g, y, x: np.zeros_like(x))
    base = np.arange(6.0)
    y = view(base)
    base[0] = 100.0
    assert y.data[0] == 0.0


def _ufunc_ops() -> list:
    """Every op of `ops` whose forward is a one-input NumPy ufunc with a float64 loop
    (not `invert`, which takes integers and booleans only)."""
    found = {}
    for name in dir(ops):
        op = getattr(getattr(ops, name), "op", None)
        forward = getattr(op, "forward", None)
        if (
            isinstance(forward, np.ufunc)
            and forward.nin == 1
            and any(t.startswith("d") for t in forward.types)
        ):
            found[op.name] = getattr(ops, name)
    return sorted(found.items())


UFUNC_OPS = _ufunc_ops()


def test_the_ufunc_ops_are_found():
    names = {name for name, _ in UFUNC_OPS}
    assert {"sin", "exp", "log", "tanh", "sqrt", "negative", "isnan"} <= names
    assert len(names) >= 30


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize(("name", "apply"), UFUNC_OPS, ids=[n for n, _ in UFUNC_OPS])
def test_a_ufunc_op_on_a_0d_tensor_gives_the_ufunc_on_the_0d_array(name, apply, dtype):
    """On a 0-d float input the op calls its ufunc on the NumPy scalar, which is faster;
    value, sign of zero, dtype and warnings must be those of the ufunc on the 0-d array."""
    r = rng(11)
    values = np.concatenate(
        [r.standard_normal(40) * s for s in (1e-6, 0.3, 1.0, 30.0)]
        + [np.array([0.0, -0.0, 0.5, -0.5, 1.0, -1.0, np.inf, -np.inf, np.nan])]
    ).astype(dtype)
    ufunc = apply.op.forward
    with np.errstate(all="ignore"):
        for v in values:
            want = ufunc(np.asarray(v))
            got = apply(Tensor(np.asarray(v), requires_grad=True)).data
            assert got.shape == () and got.dtype == want.dtype, (name, v)
            assert np.array_equal(got, want, equal_nan=True), (name, v, got, want)
            assert np.signbit(got) == np.signbit(want), (name, v)
    with np.errstate(all="raise"):  # the same warnings, as errors here
        for v in values:
            try:
                ufunc(np.asarray(v))
                want_error = None
            except FloatingPointError as err:
                want_error = str(err)
            try:
                apply(Tensor(np.asarray(v), requires_grad=True))
                got_error = None
            except FloatingPointError as err:
                got_error = str(err)
            assert got_error == want_error, (name, v)


SPECIAL = [0.0, -0.0, 0.5, -3.0, 1e300, -1e-300, np.inf, -np.inf, np.nan]


@pytest.mark.parametrize(
    ("apply", "ufunc"),
    [
        (ops.add, np.add),
        (ops.subtract, np.subtract),
        (ops.multiply, np.multiply),
        (ops.divide, np.divide),
    ],
    ids=["add", "subtract", "multiply", "divide"],
)
@pytest.mark.parametrize(
    ("left", "right"),
    [
        (np.float64, np.float64),
        (np.float32, np.float32),
        (np.float32, np.float64),
        (np.float64, float),
        (np.float32, float),
        (np.float32, int),
        (int, np.float32),
    ],
)
def test_arithmetic_on_0d_tensors_gives_the_ufunc_on_0d_arrays(apply, ufunc, left, right):
    """Two 0-d floats (or one and a Python number) take NumPy's scalar arithmetic: value,
    sign of zero and dtype must be those of the ufunc on 0-d arrays."""

    def operand(kind, v):
        if kind in (float, int):
            return kind(v) if np.isfinite(v) and (kind is float or v == int(v)) else None
        return Tensor(np.asarray(v, kind), requires_grad=True)

    with np.errstate(all="ignore"):
        for a in SPECIAL:
            for b in SPECIAL:
                x, y = operand(left, a), operand(right, b)
                if x is None or y is None:
                    continue
                want = ufunc(*(v.numpy() if isinstance(v, Tensor) else v for v in (x, y)))
                got = apply(x, y)
                assert got.dtype == np.asarray(want).dtype, (a, b)
                assert np.array_equal(got.data, want, equal_nan=True), (a, b, got.data, want)
                assert np.signbit(got.data) == np.signbit(want), (a, b)
                assert got.requires_grad
