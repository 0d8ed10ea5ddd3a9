"""The backward view: gradient flow, each edge's rule and contribution, broadcasting
undone, sums at nodes with several children."""

from __future__ import annotations

import numpy as np

from autograd_core import Tensor
from autograd_core.render import to_dot

from .test_render import parse_dot, scalar_graph


def _edges(source):
    dot = parse_dot(source)
    name = dot.named()
    from .test_render import label_text

    return dot, {(name[s], name[d]): label_text(a) for s, d, a in dot.edges}


def test_backward_edges_carry_rule_and_contribution():
    L, t = scalar_graph()
    dot, edges = _edges(to_dot(L, backward=True))
    # arrows run the way the gradient does: output -> op -> input
    assert edges[("L", "multiply:L")] == ""
    # each rule names the real operands (L = d * f: dL/dd = f), not the op's symbols
    assert edges[("multiply:L", "d")] == "∂L/∂d = f\n1 × -2 = -2"
    assert edges[("multiply:L", "f")] == "∂L/∂f = d\n1 × 4 = 4"
    assert edges[("add:d", "c")] == "∂d/∂c = 1\n-2 × 1 = -2"
    assert edges[("multiply:e", "a")] == "∂e/∂a = b\n-2 × -3 = 6"
    assert len(edges) == 9
    labels = {dot.first_line(n): dot.label(n) for n in dot.of_kind("tensor")}
    assert "grad -2" in labels["e"] and "grad 6" in labels["a"]
    assert "seed: dL/dL = 1" in labels["L"]
    assert L.grad is None and t["a"].grad is None  # drawing ran no backward()


def test_rules_only_without_contributions():
    L, _ = scalar_graph()
    _, edges = _edges(to_dot(L, backward=True, show_contributions=False))
    assert edges[("multiply:L", "d")] == "∂L/∂d = f"


def test_node_with_several_children_shows_the_sum():
    a = Tensor(2.0, requires_grad=True, name="a")
    b = Tensor(3.0, requires_grad=True, name="b")
    y = a * b + a
    y.name = "y"
    dot, _ = _edges(to_dot(y, backward=True))
    labels = {dot.first_line(n): dot.label(n) for n in dot.of_kind("tensor")}
    assert "grad 4" in labels["a"] and "= sum of 1 + 3" in labels["a"]


def test_broadcasting_undone_is_explained():
    x = Tensor(np.ones((3, 4)), requires_grad=True, name="x")
    col = Tensor(np.ones((3, 1)), requires_grad=True, name="col")
    row = Tensor(np.ones(4), requires_grad=True, name="row")
    s = x + col
    s.name = "s"
    p = s * row
    p.name = "p"
    y = p.sum()
    _, edges = _edges(to_dot(y, backward=True))
    assert edges[("add:s", "col")] == (
        "∂s/∂col = 1\nsends [[4], [4], [4]]\n(3, 4) -> (3, 1): summed over axis 1"
    )
    assert edges[("multiply:p", "row")] == (
        "∂p/∂row = s\nsends [6, 6, 6, 6]\n(3, 4) -> (4,): summed over axis 0"
    )
    assert "summed" not in edges[("add:s", "x")]


def test_freed_graph_shows_leaf_gradients_and_says_why():
    L, t = scalar_graph()
    L.backward()
    source = to_dot(L, backward=True)
    assert "retain_graph=True" in source
    dot, edges = _edges(source)
    labels = {dot.first_line(n): dot.label(n) for n in dot.of_kind("tensor")}
    assert "grad 6" in labels["a"] and "grad" not in labels["e"]
    assert edges[("multiply:L", "d")] == "∂L/∂d = f"


def test_inf_gradient_is_marked():
    x = Tensor([0.0, 4.0], requires_grad=True, name="x")
    y = x.sqrt().sum()
    dot, edges = _edges(to_dot(y, backward=True))
    labels = {dot.first_line(n): dot.label(n) for n in dot.of_kind("tensor")}
    assert "inf in grad" in labels["x"]
    assert "#c0392b" in next(a for s, d, a in dot.edges if dot.first_line(d) == "x")


def test_fused_primitives_have_their_rules():
    """linear and max_pool2d are single nodes; their edges name the rule per input."""
    import nn.functional as F

    x = Tensor(np.arange(16.0).reshape(1, 1, 4, 4), name="x")
    w = Tensor(np.ones((2, 4)), requires_grad=True, name="W")
    b = Tensor(np.zeros(2), requires_grad=True, name="b")
    pooled = F.max_pool2d(x.detach().requires_grad_(), 2)
    loss = F.linear(pooled.reshape(1, 4), w, b).sum()
    _, edges = _edges(to_dot(loss, backward=True, show_contributions=False))
    rules = set(edges.values())
    assert {"vjp: g @ W", "vjp: g summed over the batch"} <= rules
    assert any(r.startswith("vjp: gᵀ @ ") for r in rules)  # @ the input's own label
    assert "vjp: g routed to each window's argmax" in rules


def test_unnamed_operands_keep_their_symbol_in_angle_brackets():
    """Without names (and without a trace to number them), an operand is written as the
    op's symbol in angle brackets, which no variable of the user's can be taken for; a
    scalar constant shows its value."""
    x = Tensor([1.0, 2.0], requires_grad=True)
    w = Tensor([3.0, 4.0], requires_grad=True, name="w")
    y = (x * w) * 2.0
    source = to_dot(y, backward=True, show_contributions=False)
    assert '"∂⟨y⟩/∂⟨a⟩ = w"' in source and '"∂⟨y⟩/∂w = ⟨a⟩"' in source
    assert '"∂⟨y⟩/∂⟨a⟩ = 2"' in source
