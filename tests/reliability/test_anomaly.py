"""detect_anomaly() names the op, and the line of user code that created the tensor,
whose backward produced the first NaN or inf: not a line inside autograd_core, ops or
nn, even when the op was recorded deep inside a layer or a Module."""

from __future__ import annotations

import inspect
import re

import numpy as np
import pytest

import nn
import nn.functional as F
import ops
from autograd_core import Tensor, detect_anomaly, grad

THIS_FILE = __file__


def next_line() -> int:
    """The number of the caller's next line."""
    return inspect.currentframe().f_back.f_lineno + 1  # type: ignore[union-attr]


def anomaly(run: object) -> str:
    """The message of the FloatingPointError that `run()` raises."""
    with pytest.raises(FloatingPointError) as info:
        run()  # type: ignore[operator]
    return str(info.value)


def assert_blames(message: str, op: str, line: int, source: str, what: str = "inf") -> None:
    assert f"the backward of '{op}'" in message, message
    assert f"{THIS_FILE}:{line} " in message, message
    assert source in message, message
    assert f"produced {what}" in message, message
    assert not re.search(r"/(autograd_core|ops|nn)/\w+\.py:\d+", message), message


def test_names_the_op_the_file_the_line_and_its_source():
    x = Tensor([0.0, 4.0], requires_grad=True)
    with detect_anomaly():
        line = next_line()
        root = ops.sqrt(x)
        loss = (root * 3.0).sum()
        message = anomaly(loss.backward)
    assert_blames(message, "sqrt", line, "root = ops.sqrt(x)")
    assert "in test_names_the_op_the_file_the_line_and_its_source" in message
    assert "input 0 (shape (2,))" in message


def test_reports_the_first_anomaly_in_backward_order():
    """log(1) = 0 feeds sqrt: sqrt's backward makes the first inf, and log's backward,
    which only passes it on, comes later. The report must blame sqrt."""
    x = Tensor([1.0, 2.0], requires_grad=True)
    with detect_anomaly():
        a = ops.log(x)
        line = next_line()
        b = ops.sqrt(a)
        message = anomaly(b.sum().backward)
    assert_blames(message, "sqrt", line, "b = ops.sqrt(a)")


def test_tells_nan_from_inf():
    x = Tensor([0.0, 1.0], requires_grad=True)
    with detect_anomaly():
        line = next_line()
        r = ops.sqrt(x)
        message = anomaly((r * 0.0).sum().backward)  # 0 / (2 sqrt(0)) = NaN
    assert_blames(message, "sqrt", line, "r = ops.sqrt(x)", what="NaN")


def test_an_op_recorded_inside_a_layer_is_blamed_on_the_line_calling_the_layer():
    flat = Tensor(np.ones((1, 1, 3, 3)), requires_grad=True)
    with detect_anomaly():
        line = next_line()
        tv = F.total_variation(flat)  # eps=0 on a flat image: sqrt'(0) = inf
        message = anomaly(tv.backward)
    assert_blames(message, "sqrt", line, "tv = F.total_variation(flat)")


class Scaled(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.scale = nn.Parameter(np.array([1.0]))

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, np.ones((1, 2))) * ops.log(self.scale - 1.0)  # log(0): inf slope


def test_an_op_inside_a_modules_forward_is_blamed_on_that_user_line():
    model = Scaled()
    with detect_anomaly():
        with np.errstate(divide="ignore"):  # log(0) = -inf in the forward pass, as NumPy
            loss = model(np.ones((1, 2))).sum()
        message = anomaly(loss.backward)
    forward_line = inspect.getsourcelines(Scaled.forward)[1] + 1
    assert_blames(message, "log", forward_line, "* ops.log(self.scale - 1.0)")
    assert "in forward" in message


def test_nan_input_is_caught_at_the_first_op_whose_gradient_it_reaches():
    w = Tensor([1.0, 2.0], requires_grad=True)
    data = np.array([0.5, np.nan])
    with detect_anomaly():
        hidden = ops.tanh(w * 0.1)
        line = next_line()
        scores = hidden * data
        message = anomaly(scores.sum().backward)
    assert_blames(message, "multiply", line, "scores = hidden * data", what="NaN")


def test_second_order_anomaly_is_blamed_on_the_grad_call():
    """d^2/dx^2 x^1.5 = 0.75 / sqrt(x) is inf at 0; the first derivative's graph was
    built by grad(create_graph=True), so that call is the user line."""
    x = Tensor([0.0, 1.0], requires_grad=True)
    with detect_anomaly():
        f = (x**1.5).sum()
        line = next_line()
        (g,) = grad(f, x, create_graph=True)
        assert np.isfinite(g.data).all()
        message = anomaly(g.sum().backward)
    assert_blames(message, "power", line, "(g,) = grad(f, x, create_graph=True)")


def test_a_graph_built_outside_the_block_still_names_the_op_and_says_how_to_get_the_line():
    x = Tensor([0.0], requires_grad=True)
    loss = ops.sqrt(x).sum()
    with detect_anomaly():
        message = anomaly(loss.backward)
    assert "the backward of 'sqrt'" in message
    assert "run the forward pass inside detect_anomaly()" in message


def test_decorator_form_and_no_false_alarm():
    @detect_anomaly()
    def healthy_step(w: Tensor) -> None:
        F.cross_entropy(ops.tanh(w) * 1e4, np.array([1])).backward()

    w = Tensor([[0.3, -0.2, 0.1]], requires_grad=True)
    healthy_step(w)
    with_anomaly = w.grad.data
    w.zero_grad()
    F.cross_entropy(ops.tanh(w) * 1e4, np.array([1])).backward()
    np.testing.assert_array_equal(with_anomaly, w.grad.data)


def test_the_mode_ends_with_its_block_even_after_an_error():
    x = Tensor([0.0], requires_grad=True)
    with pytest.raises(FloatingPointError), detect_anomaly():
        ops.sqrt(x).sum().backward()
    ops.sqrt(x).sum().backward()  # no longer checked: inf passes, as documented
    assert x.grad.data[0] == np.inf
