"""`explore` as a page: what it holds, that it needs nothing from the network, and the
facts and steps it carries (the browser tests click through them)."""

import json
import re

import numpy as np
import pytest

from autograd_core import Tensor, explore


def _graph():
    x = Tensor([1.0, 2.0, 3.0], requires_grad=True, name="x")
    w = Tensor(np.full(3, 0.5), requires_grad=True, name="w")
    loss = ((x * w).tanh() ** 2).sum()
    loss.name = "loss"
    return x, w, loss


def _data(page: str) -> dict:
    raw = re.search(r'<script type="application/json" class="ax-data">(.*?)</script>', page, re.S)
    return json.loads(raw.group(1).replace("<\\/", "</"))


def test_the_page_is_standalone(tmp_path):
    _, _, loss = _graph()
    path = explore(loss).save(tmp_path / "g.html")
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and "autogradExplore(" in page
    assert not re.search(r"<script[^>]+src=|<link |@import|fetch\(|XMLHttpRequest", page)


def test_it_carries_each_tensors_facts_and_every_backward_step():
    x, w, loss = _graph()
    view = explore(loss)
    data = _data(view._repr_html_())
    names = {f["name"]: f for f in data["tensors"].values()}
    assert {"x", "w", "loss"} <= set(names)
    assert names["x"]["value"] == "[1., 2., 3.]" and names["x"]["op"] == "leaf"
    steps = data["steps"]
    assert len(steps) == len(view.trace) == 6  # loss, power, tanh, multiply, x, w
    assert steps[0]["label"] == "loss" and steps[0]["edges"] == []
    assert all(s["edges"] for s in steps[1:])  # every later entry was sent along an edge
    assert "grad_table[loss] = 1" in steps[-1]["table"]
    assert "6 backward steps" in repr(view)


def test_after_backward_it_shows_the_gradients_and_says_there_is_nothing_to_replay():
    x, _, loss = _graph()
    loss.backward()
    data = _data(explore(loss).html())
    facts = next(f for f in data["tensors"].values() if f["name"] == "x")
    assert facts["grad"] is not None and data["steps"] == []


def test_two_views_on_one_page_do_not_clash():
    _, _, loss = _graph()
    a, b = explore(loss).html(), explore(loss).html()
    ids = [re.search(r'class="autograd-explore" id="([^"]+)"', p).group(1) for p in (a, b)]
    assert ids[0] != ids[1]


def test_bad_arguments():
    with pytest.raises(TypeError, match="explore"):
        explore(np.ones(3))
    with pytest.raises(TypeError, match="unknown option"):
        explore(_graph()[2], colour="red")


def test_composite_records_its_scope_and_draws_as_one_box():
    from autograd_core import draw
    from autograd_core.grad_mode import Composite, composite

    @composite("scaled_tanh")
    def scaled_tanh(x, scale=2.0):
        return (x * scale).tanh() * scale

    x = Tensor([1.0, 2.0], requires_grad=True, name="x")
    y = scaled_tanh(x, scale=3.0)
    (scope,) = y._node.scope
    assert isinstance(scope, Composite) and scope.title() == "scaled_tanh(scale=3.0)"
    folded, expanded = draw(y.sum()).source, draw(y.sum(), expand=True).source
    assert "<B>scaled_tanh(scale=3.0)</B>" in folded and '"tanh"' not in folded
    assert '"tanh"' in expanded and 'class="composite"' in expanded
    np.testing.assert_allclose(y.numpy(), 3 * np.tanh(3 * np.array([1.0, 2.0])))
    assert (x * 2)._node.scope == ()  # the scope ends with the call


def test_a_graph_of_a_hundred_thousand_nodes_keeps_the_node_budget():
    x = Tensor(1.0, requires_grad=True, name="x")
    y = x
    for _ in range(50_000):
        y = y * 1.0001 + 0.0
    view = explore(y, max_nodes=150)
    assert len(view.tensors) <= 150 and len(view.html()) < 2_000_000
    assert 0 < len(view.steps) <= len(view.tensors)  # the steps of the drawn tensors
    assert len(view.trace) == 100_001  # replayed in full
