"""The node budget: big graphs are folded and summarised, fast, into a bounded DOT."""

from __future__ import annotations

import re
import time

import numpy as np

import ops
from autograd_core import Tensor
from autograd_core.render import to_dot

from .test_render import parse_dot


def test_100k_node_chain_is_folded_fast_and_small():
    x = Tensor(1.0, requires_grad=True, name="x")
    y = x
    for _ in range(50_000):  # 100,000 op results: multiply, add, multiply, add, ...
        y = y * 1.0001 + 0.1
    start = time.perf_counter()
    source = to_dot(y)
    elapsed = time.perf_counter() - start
    assert elapsed < 10, elapsed
    assert len(source) < 20_000
    dot = parse_dot(source)
    assert len(dot.nodes) <= 150
    (fold,) = [n for n in dot.nodes if n.startswith("f")]
    text = dot.label(fold)
    assert (
        "49,997 more repeats of" in text and "multiply(add, const) -> add(multiply, const)" in text
    )
    assert "100,001 tensors in the graph" in source
    titles = {dot.first_line(n) for n in dot.of_kind("tensor")}
    assert "x" in titles  # both ends of the chain are drawn
    start = time.perf_counter()
    backward = to_dot(y, backward=True)  # a full instrumented backward pass, then the budget
    assert time.perf_counter() - start < 20
    assert len(backward) < 20_000 and re.search(r"∂\w+/∂\w+ = 1\\n", backward)


def test_100k_node_sum_of_products_folds_the_repeated_step():
    xs = [Tensor(float(i), requires_grad=True) for i in range(25_000)]
    s = xs[0] * 0.5
    for x in xs[1:]:
        s = s + x * 0.5  # each step: add(add, multiply)
    start = time.perf_counter()
    source = to_dot(s, max_nodes=100)
    assert time.perf_counter() - start < 10
    assert len(source) < 20_000
    dot = parse_dot(source)
    assert len(dot.nodes) <= 100
    folds = [dot.label(n) for n in dot.nodes if n.startswith("f")]
    assert len(folds) == 1 and "add(add, multiply)" in folds[0]


def test_wide_graph_is_summarised_within_the_budget():
    leaves = [Tensor(float(i), requires_grad=True) for i in range(5_000)]
    total = ops.stack([leaf * 2.0 for leaf in leaves]).sum()
    dot = parse_dot(to_dot(total, max_nodes=60))
    assert len(dot.nodes) <= 61  # the budget, plus the summary node
    more = dot.label("more")
    assert "more tensors" in more and "multiply ×" in more and "leaf ×" in more
    assert any(src == "more" for src, _, _ in dot.edges)


def test_small_budget_truncates_a_small_graph():
    a = Tensor(2.0, requires_grad=True, name="a")
    y = a
    for k in range(6):
        y = (y * a).tanh() if k % 2 else y.exp() - a
    full = parse_dot(to_dot(y))
    assert "more" not in full.nodes and not any(n.startswith("f") for n in full.nodes)
    small = parse_dot(to_dot(y, max_nodes=8))
    assert len(small.nodes) <= 9 and "more" in small.nodes


def test_deep_graph_needs_no_recursion():
    x = Tensor(np.ones(3), requires_grad=True)
    y = x
    for _ in range(5_000):
        y = y.tanh()
    dot = parse_dot(to_dot(y, max_nodes=20_000))  # everything drawn
    assert dot.ops()["tanh"] == 5_000
