"""trace_backward: the grad_table steps of one backward pass, checked by hand."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_core import Tensor, trace_backward
from autograd_core.render import Step, Trace, to_dot

from .test_render import label_text, parse_dot


def diamond():
    """a, b -> c = a*b -> d = a + c -> L = d*c: a and c are each used twice."""
    a = Tensor(2.0, requires_grad=True, name="a")
    b = Tensor(3.0, requires_grad=True, name="b")
    c = a * b
    c.name = "c"
    d = a + c
    d.name = "d"
    L = d * c
    L.name = "L"
    return L, dict(a=a, b=b, c=c, d=d, L=L)


# By hand: c = 6, d = 8, L = 48.
#   grad_table[L] = 1
#   grad_table[d] = grad_table[L] * dL/dd = 1 * c = 6
#   grad_table[c] = grad_table[L] * dL/dc + grad_table[d] * dd/dc = 1 * 8 + 6 * 1 = 14
#   grad_table[a] = grad_table[d] * dd/da + grad_table[c] * dc/da = 6 * 1 + 14 * 3 = 48
#   grad_table[b] = grad_table[c] * dc/db = 14 * 2 = 28
HAND = {"L": 1.0, "d": 6.0, "c": 14.0, "a": 48.0, "b": 28.0}
TERMS = {  # the (incoming gradient, local derivative) pairs summed into each entry
    "L": [],
    "d": [("L", 1.0, 8.0 - 2.0)],  # dL/dd = c = 6
    "c": [("L", 1.0, 8.0), ("d", 6.0, 1.0)],
    "a": [("d", 6.0, 1.0), ("c", 14.0, 3.0)],
    "b": [("c", 14.0, 2.0)],
}


def test_steps_reproduce_the_hand_computed_grad_table():
    L, t = diamond()
    trace = trace_backward(L)
    assert isinstance(trace, Trace) and len(trace) == 5
    order = [step.label for step in trace]
    assert order[:3] == ["L", "d", "c"] and sorted(order[3:]) == ["a", "b"]
    for k, step in enumerate(trace):
        assert isinstance(step, Step) and step.index == k
        assert step.node is t[step.label]
        assert step.grad == pytest.approx(HAND[step.label])
        terms = [(trace.label(c.child), float(c.grad), float(c.local)) for c in step.contributions]
        assert terms == TERMS[step.label]
        for c in step.contributions:
            assert c.parent is step.node and float(c.value) == pytest.approx(c.grad * c.local)
        # the table so far: exactly the entries of the steps up to this one
        table = {trace.label(node): float(g) for node, g in step.table.items()}
        assert table == {label: HAND[label] for label in order[: k + 1]}


def test_step_equations_and_table_text():
    L, _ = diamond()
    trace = trace_backward(L)
    assert trace[0].equation() == "grad_table[L] = 1  (the seed: d L / d L)"
    assert trace[2].equation() == (
        "grad_table[c] = grad_table[L]·∂L/∂c + grad_table[d]·∂d/∂c = 1 × 8 + 6 × 1 = 14"
    )
    assert str(trace[1]) == "step 1/4: grad_table[d] = grad_table[L]·∂L/∂d = 1 × 6 = 6"
    assert trace[2].table_text() == ("grad_table[L] = 1\ngrad_table[d] = 6\ngrad_table[c] = 14  <-")


def test_matches_backward_and_keeps_the_graph():
    rng = np.random.default_rng(0)
    w = Tensor(rng.normal(size=(3, 4)), requires_grad=True, name="w")
    b = Tensor(rng.normal(size=(4,)), requires_grad=True, name="b")
    x = Tensor(rng.normal(size=(5, 3)))
    h = (x @ w + b).tanh()
    loss = (h * h).mean() + (h.sum(axis=0) * b).sum()
    trace = trace_backward(loss)
    assert w.grad is None and b.grad is None  # no .grad touched
    loss.backward()  # the graph was kept: backward still works
    np.testing.assert_array_equal(trace.grad(w), w.grad.data)
    np.testing.assert_array_equal(trace.grad(b), b.grad.data)
    assert trace.grad(Tensor(1.0)) is None


def test_hooks_run_as_in_backward():
    x = Tensor([1.0, 2.0], requires_grad=True, name="x")
    y = x * 3
    y.register_hook(lambda g: g * 10)
    loss = y.sum()
    traced = trace_backward(loss)
    assert trace_backward(loss, run_hooks=False).grad(x).tolist() == [3.0, 3.0]
    loss.backward()
    np.testing.assert_array_equal(traced.grad(x), x.grad.data)
    assert traced.grad(x).tolist() == [30.0, 30.0]


def test_broadcast_contribution_records_the_summed_axes():
    x = Tensor(np.ones((3, 4)), requires_grad=True)
    col = Tensor(np.ones((3, 1)), requires_grad=True)
    trace = trace_backward((x * col).sum())
    (c,) = [c for s in trace for c in s.contributions if c.parent is col]
    assert c.raw_shape == (3, 4) and c.value.shape == (3, 1)
    assert c.broadcast == "(3, 4) -> (3, 1): summed over axis 1"
    assert c.local is None  # a local derivative is shown for scalar outputs only


def test_non_scalar_root_needs_a_seed():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    with pytest.raises(RuntimeError, match="non-scalar"):
        trace_backward(y)
    assert trace_backward(y, np.array([1.0, 0.5])).grad(x).tolist() == [2.0, 2.0]


def test_freed_graph_and_bad_input():
    L, _ = diamond()
    L.backward()
    with pytest.raises(RuntimeError, match="retain_graph=True"):
        trace_backward(L)
    with pytest.raises(TypeError):
        trace_backward(3.0)
    with pytest.raises(RuntimeError, match="does not require grad"):
        trace_backward(Tensor(1.0))


def test_each_step_renders_with_its_node_and_the_table_so_far():
    L, t = diamond()
    trace = trace_backward(L)
    for step in trace:
        source = to_dot(L, backward=True, trace=trace, step=step.index)
        assert source == step.draw().source
        dot = parse_dot(source)
        current = [dot.first_line(n) for n, a in dot.nodes.items() if 'penwidth="3"' in a]
        assert current == [step.label]
        table = label_text(dot.nodes["grad_table"])
        assert table.startswith(f"grad_table after step {step.index}")
        filled = [s.label for s in trace if s.index <= step.index]
        for s in trace:
            value = f"{float(s.grad):g}" if s.label in filled else "·"
            assert f"{s.label}{value}" in table.replace("\n", "")
        shown = [dot.label(n) for n in dot.of_kind("tensor")]
        assert sum("grad: not yet" in s for s in shown) == len(trace) - len(filled)
    assert "grad_table" not in to_dot(L, backward=True, trace=trace)
    with pytest.raises(IndexError):
        to_dot(L, backward=True, trace=trace, step=5)
    with pytest.raises(ValueError, match="trace="):
        to_dot(L, step=1)


def test_current_step_edges_are_highlighted():
    L, t = diamond()
    trace = trace_backward(L)
    step = trace[2]  # c: two contributions, from L and from d
    dot = parse_dot(step.draw().source)
    into_c = [a for s, d, a in dot.edges if dot.first_line(d) == "c" and s.startswith("o")]
    assert len(into_c) == 2 and all('penwidth="2.5"' in a for a in into_c)
    later = [a for s, d, a in dot.edges if dot.first_line(d) in ("a", "b") and s.startswith("o")]
    assert later and all("dashed" in a and "×" not in a for a in later)


def test_steps_and_traces_display_in_jupyter():
    L, _ = diamond()
    trace = trace_backward(L)
    bundle = trace[2]._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"] and bundle["text/plain"].startswith("step 2/4")
    bundle = trace._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"] and "5 grad_table steps" in bundle["text/plain"]
