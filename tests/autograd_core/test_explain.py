"""explain(x, root): one test per reason it gives."""

from __future__ import annotations

import numpy as np
import pytest

import ops
from autograd_core import Tensor, explain, no_grad
from autograd_core.render.diagnose import REASONS


def w_and_v():
    w = Tensor([1.0, 2.0], requires_grad=True, name="w")
    v = Tensor([3.0, 4.0], requires_grad=True, name="v")
    return w, v


def test_ok_prints_the_path():
    w, v = w_and_v()
    h = w * v
    h.name = "h"
    loss = h.sum()
    loss.name = "loss"
    loss.backward(retain_graph=True)
    e = explain(w, loss)
    assert e.reason == "ok"
    assert e.path == (w, h, loss)
    assert e.path_text == "w (2,) -> [multiply] h (2,) -> [sum] loss ()"
    assert "path: w (2,)" in str(e) and "[3, 4]" in str(e)
    np.testing.assert_array_equal(e.gradient, [3.0, 4.0])
    w.zero_grad()
    loss.backward()  # frees the graph: the path is still found, from .grad alone
    e = explain(w, loss)
    assert e.reason == "ok" and e.gradient is None and e.path == (w, h, loss)


def test_not_run_yet():
    w, v = w_and_v()
    loss = (w * v).sum()
    e = explain(w, loss)
    assert e.reason == "not_run" and "backward()" in e.message and e.path[0] is w


def test_integer_dtype():
    w, _ = w_and_v()
    counts = Tensor([1, 2])
    loss = (w * counts).sum()
    e = explain(counts, loss)
    assert e.reason == "integer_dtype" and "int" in e.message


def test_not_requires_grad():
    w, _ = w_and_v()
    x = Tensor([1.0, 1.0], name="x")
    e = explain(x, (w * x).sum())
    assert e.reason == "not_requires_grad" and "requires_grad=True" in e.message


def test_detached():
    w, v = w_and_v()
    loss = (w.detach() * v).sum()
    e = explain(w, loss)
    assert e.reason == "detached" and "w.detach()" in e.message
    copy = w.detach()
    e = explain(copy, (w * copy).sum())  # the copy's twin, w, is in the graph
    assert e.reason == "detached" and "copy" in e.message


def test_made_under_no_grad():
    w, _ = w_and_v()
    with no_grad():
        loss = (w * 2).sum()
    e = explain(w, loss)
    assert e.reason == "no_grad" and "no_grad()" in e.message


def test_no_path():
    w, v = w_and_v()
    loss = (v * 2).sum()
    e = explain(w, loss)
    assert e.reason == "no_path" and e.path == () and "not used" in e.message


def test_only_non_differentiable_ops_on_the_path():
    w, v = w_and_v()
    loss = (ops.sign(w) * v).sum()
    loss.backward()
    e = explain(w, loss)
    assert e.reason == "non_differentiable" and "sign" in e.message
    assert e.path[0] is w and e.path[-1] is loss


def test_zero_gradient_names_the_op():
    w, _ = w_and_v()
    loss = (w * -1.0).relu().sum()  # every relu input is negative
    loss.backward(retain_graph=True)
    e = explain(w, loss)
    assert e.reason == "zero_gradient" and "'relu'" in e.message
    assert e.gradient.tolist() == [0.0, 0.0]


def test_gradient_left_over_from_an_earlier_backward():
    w, v = w_and_v()
    loss = (w * v).sum()
    loss.backward(retain_graph=True)
    loss.backward(retain_graph=True)
    e = explain(w, loss)
    assert e.reason == "stale" and "backward ran 2 times" in e.message
    assert "zero_grad()" in e.message
    other = (v * 3).sum()  # does not use w; w.grad is from before
    e = explain(w, other)
    assert e.reason == "stale" and "left over" in e.message


def test_every_reason_is_covered():
    covered = {
        "ok",
        "not_run",
        "integer_dtype",
        "not_requires_grad",
        "detached",
        "no_grad",
        "no_path",
        "non_differentiable",
        "zero_gradient",
        "stale",
    }
    assert covered == set(REASONS)


def test_bad_arguments():
    with pytest.raises(TypeError):
        explain([1.0], Tensor(1.0))
