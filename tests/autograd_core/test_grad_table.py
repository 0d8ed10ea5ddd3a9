"""The grad_table algorithm of the reference (Algorithm 6.2) on scalar graphs built by hand.

Each test writes the forward values and the expected table by hand, in the comments,
then compares every entry: grad_table[u_j] = sum over children i of
grad_table[u_i] * du_i/du_j.
"""

import math

import pytest

from autograd_core import Tensor
from autograd_core.engine import topological_order


def _leaf(v: float, name: str) -> Tensor:
    return Tensor(v, requires_grad=True, name=name)


def _retained(*nodes: Tensor) -> None:
    for n in nodes:
        n.retain_grad()


def test_diamond_graph_table():
    # u1 = 2, u2 = 3 (inputs); u3 = u1*u2 = 6; u4 = u3 + u1 = 8; u5 = u4*u4 = 64.
    # grad_table: u5 -> 1; u4 -> 2*u4 = 16; u3 -> 16*1 = 16; u2 -> 16*u1 = 32;
    # u1 has two children: 16*u2 (via u3) + 16*1 (via u4) = 48 + 16 = 64.
    u1, u2 = _leaf(2.0, "u1"), _leaf(3.0, "u2")
    u3 = u1 * u2
    u4 = u3 + u1
    u5 = u4 * u4
    _retained(u3, u4, u5)
    u5.backward()
    table = {u5: 1.0, u4: 16.0, u3: 16.0, u2: 32.0, u1: 64.0}
    for node, expected in table.items():
        assert node.grad.item() == expected, node


def test_transcendental_chain_table():
    # u1 = 0.5; u2 = exp(u1); u3 = u2 * u1; u4 = tanh(u3); u5 = u4 + u2.
    # grad_table: u5 -> 1; u4 -> 1; u3 -> 1 - tanh(u3)^2;
    # u2 -> grad[u3]*u1 + grad[u5]*1; u1 -> grad[u3]*u2 + grad[u2]*exp(u1).
    a = 0.5
    e = math.exp(a)
    g3 = 1 - math.tanh(e * a) ** 2
    g2 = g3 * a + 1
    g1 = g3 * e + g2 * e
    u1 = _leaf(a, "u1")
    u2 = u1.exp()
    u3 = u2 * u1
    u4 = u3.tanh()
    u5 = u4 + u2
    _retained(u2, u3, u4, u5)
    u5.backward()
    for node, expected in {u5: 1.0, u4: 1.0, u3: g3, u2: g2, u1: g1}.items():
        assert node.grad.item() == pytest.approx(expected, rel=1e-14)


def test_topological_order_puts_parents_first():
    u1, u2 = _leaf(1.0, "u1"), _leaf(2.0, "u2")
    u3 = u1 * u2
    u4 = u3 + u1
    u5 = u4 * u3
    order = topological_order([u5])
    position = {id(n): k for k, n in enumerate(order)}
    assert len(order) == 5
    for node in order:
        for parent in node._node.parents if node._node is not None else ():
            if parent is not None:
                assert position[id(parent)] < position[id(node)]


def test_only_nodes_that_require_grad_enter_the_table():
    x = _leaf(3.0, "x")
    c = Tensor(4.0)  # a constant: no gradient is computed for it
    y = x * c
    y.backward(retain_graph=True)
    assert x.grad.item() == 4.0
    assert c.grad is None
    assert [n.name for n in topological_order([y]) if n.is_leaf] == ["x"]
