"""The pure-Python `Value` that the scalar_math case measures against, and the figures
the scalar_math and node_cost cases derive from their timings."""

import math

import numpy as np
import pytest

from autograd_core import Tensor
from benchmarks.cases import node_cost, scalar_math
from benchmarks.pure_python import Value

X = 0.7

# (function, its closed-form derivative at x), independent of both engines.
UNARY = {
    "sin": (math.sin, math.cos),
    "cos": (math.cos, lambda x: -math.sin(x)),
    "exp": (math.exp, math.exp),
    "log": (math.log, lambda x: 1.0 / x),
    "tanh": (math.tanh, lambda x: 1.0 - math.tanh(x) ** 2),
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_each_unary_function_has_the_textbook_value_and_derivative(name):
    f, df = UNARY[name]
    x = Value(X)
    y = getattr(x, name)()
    y.backward()
    assert y.data == f(X)
    assert x.grad == pytest.approx(df(X), rel=1e-15)


def test_arithmetic_accumulates_into_shared_operands():
    x, y = Value(2.0), Value(-3.0)
    z = x * y + x - y * 4.0 + (-x)  # dz/dx = y + 1 - 1 = y, dz/dy = x - 4
    z.backward()
    assert z.data == 2.0 * -3.0 + 2.0 + 12.0 - 2.0
    assert (x.grad, y.grad) == (-3.0, 2.0 - 4.0)


def _small_build(leaves):
    """The scalar_math expression on two short chains, same shape as the case."""
    ends = []
    for c in range(2):
        x = leaves[c % 4]
        for s in range(3):
            a, b = leaves[(c + s + 1) % 4], leaves[(c + s + 2) % 4]
            x = (x * a).sin() + ((x * b).exp() + 1.0).log() * 0.5
        ends.append(x)
    return ends[0] + ends[1]


def test_value_and_engine_agree_on_the_scalar_math_expression():
    start = [0.3, -0.2, 0.5, 0.9]
    values = [Value(v) for v in start]
    tensors = [Tensor(np.float64(v), requires_grad=True) for v in start]
    root_v, root_t = _small_build(values), _small_build(tensors)
    root_v.backward()
    root_t.backward()
    assert root_v.data == pytest.approx(float(root_t.item()), rel=1e-14)
    for v, t in zip(values, tensors):
        assert v.grad == pytest.approx(float(t.grad), rel=1e-12)
        assert v.grad != 0.0


def test_scalar_math_check_rejects_a_wrong_gradient():
    class Leaf:
        def __init__(self, grad):
            self.grad = grad

    right = [Leaf(g) for g in scalar_math.reference_grads()]
    scalar_math.check(right, None)
    wrong = [Leaf(g) for g in scalar_math.reference_grads()]
    wrong[2].grad *= 1.0 + 1e-6
    with pytest.raises(AssertionError, match="leaf 2"):
        scalar_math.check(wrong, None)


def test_node_cost_divides_by_every_node_built_and_reports_the_spread():
    # one second for each size's total: per node that is 1e6 / (nodes * runs) us
    phases = {node_cost._label(n): 1.0 for n in node_cost.SIZES}
    derived = node_cost.per_node(phases)
    assert derived["1e3_us_per_node"] == pytest.approx(1e6 / (1_000 * 100))
    assert derived["1e6_us_per_node"] == pytest.approx(1e6 / 1_000_000)
    assert derived["spread"] == pytest.approx(10.0)  # 10 us at 1e3 and 1e4, 1 us at 1e6
    flat = {node_cost._label(n): n * node_cost.RUNS[n] * 2e-6 for n in node_cost.SIZES}
    assert node_cost.per_node(flat)["spread"] == pytest.approx(1.0)
