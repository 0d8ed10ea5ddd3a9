"""In-place safety: changing an array that a graph saved for backward must never give a
silently wrong gradient.

The engine's answer is that it cannot happen: every array a graph can save is read-only
(tensor data, op outputs and their views, gradients), constants given as writable
ndarrays are copied when recorded, and every supported way of changing a tensor's values
(`t.data = ...`, in-place operators under no_grad, optimisers, nn.init, load_state_dict)
rebinds the tensor to a new array instead of writing into the old one. Each test below
changes values between forward and backward and compares the gradient with one computed
from scratch at the values the forward pass saw.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

import nn
import nn.functional as F
import ops
from autograd_core import Tensor, no_grad

X = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]])


def square_loss_grad(values: np.ndarray) -> np.ndarray:
    """Independent reference: d/dw sum(w^3) = 3 w^2."""
    return 3 * values**2


# ---- direct writes are refused ---------------------------------------------------------------


def _arrays_a_user_can_reach() -> list[Any]:
    def leaf_data(w: Tensor, y: Tensor) -> np.ndarray:
        return w.data

    return [
        pytest.param(leaf_data, id="leaf.data"),
        pytest.param(lambda w, y: y.data, id="op-output.data"),
        pytest.param(lambda w, y: w.numpy(), id="leaf.numpy()"),
        pytest.param(lambda w, y: np.asarray(w), id="np.asarray(leaf)"),
        pytest.param(lambda w, y: w.detach().data, id="detach().data"),
        pytest.param(lambda w, y: w.reshape(-1).data, id="reshape-view"),
        pytest.param(lambda w, y: w.T.data, id="transpose-view"),
        pytest.param(lambda w, y: w[0].data, id="basic-index-view"),
        pytest.param(lambda w, y: w.broadcast_to((4, 2, 3)).data, id="broadcast-view"),
        pytest.param(lambda w, y: ops.sliding_window(w, 2).data, id="sliding-window-view"),
    ]


@pytest.mark.parametrize("reach", _arrays_a_user_can_reach())
def test_writing_into_any_reachable_array_is_refused(reach: Callable[..., np.ndarray]):
    w = Tensor(X, requires_grad=True)
    y = w * w * w
    array = reach(w, y)
    with pytest.raises(ValueError, match="read-only"):
        array[...] = 0.0
    y.sum().backward()
    np.testing.assert_allclose(w.grad.data, square_loss_grad(X))


def test_gradients_are_read_only_and_accumulation_makes_a_new_array():
    w = Tensor(X, requires_grad=True)
    (w * w * w).sum().backward()
    first = w.grad
    with pytest.raises(ValueError, match="read-only"):
        first.data[0, 0] = 0.0
    (w * w * w).sum().backward()  # accumulates: 2 * 3 w^2
    np.testing.assert_allclose(first.data, square_loss_grad(X))  # the held one is untouched
    np.testing.assert_allclose(w.grad.data, 2 * square_loss_grad(X))


def test_a_hook_cannot_write_into_the_gradient_it_is_shown():
    w = Tensor(X, requires_grad=True)
    y = w * 2.0
    seen = []

    def hook(g: Tensor) -> None:
        seen.append(g)
        g.data[...] = 0.0  # refused: the same array flows on to w

    y.register_hook(hook)
    with pytest.raises(ValueError, match="read-only"):
        y.sum().backward(retain_graph=True)
    y._hooks.clear()
    y.sum().backward()
    np.testing.assert_array_equal(w.grad.data, np.full(X.shape, 2.0))


# ---- rebinding .data: whatever is assigned, the graph keeps the values it saw -----------------


def _assignments() -> list[Any]:
    return [
        pytest.param(lambda v: v, True, id="writable-ndarray"),
        pytest.param(lambda v: np.broadcast_to(v, v.shape), True, id="read-only-view-of-writable"),
        pytest.param(lambda v: v[:, ::-1][:, ::-1], True, id="writable-view"),
        pytest.param(lambda v: v.tolist(), False, id="nested-list"),
        pytest.param(lambda v: Tensor(v), False, id="tensor"),
    ]


@pytest.mark.parametrize("wrap, shares_memory_with_source", _assignments())
def test_assigned_data_is_protected_from_later_writes(wrap, shares_memory_with_source):
    """`w.data = something` then writing into `something` must affect neither w nor any
    graph: an array that could still be written is copied and locked on assignment."""
    w = Tensor(np.zeros(X.shape), requires_grad=True)
    source = X.copy()
    w.data = wrap(source)
    assert not w.data.flags.writeable
    loss = (w * w * w).sum()
    source[...] = 100.0  # the caller reuses their array
    loss.backward()
    np.testing.assert_allclose(w.data, X)
    np.testing.assert_allclose(w.grad.data, square_loss_grad(X))


def test_assigning_a_locked_array_keeps_it_without_a_copy():
    """Optimisers rebind to fresh read-only arrays; those must not be copied again."""
    w = Tensor(np.zeros(3), requires_grad=True)
    fresh = np.arange(3.0)
    fresh.setflags(write=False)
    w.data = fresh
    assert w.numpy() is fresh


def test_a_forward_result_does_not_change_when_its_input_is_rebound():
    w = Tensor(X, requires_grad=True)
    y = w * 2.0
    w.data = np.zeros(X.shape)
    np.testing.assert_array_equal(y.data, 2 * X)


# ---- every supported way of changing parameters, between forward and backward ---------------


def _sgd(p: list[Tensor]) -> Any:
    return nn.optim.SGD(p, lr=0.3, momentum=0.9, nesterov=True, weight_decay=0.1)


STEPS: list[Any] = [
    pytest.param(lambda p: nn.optim.SGD(p, lr=0.3), id="SGD"),
    pytest.param(_sgd, id="SGD-nesterov-momentum-decay"),
    pytest.param(lambda p: nn.optim.Adam(p, lr=0.3), id="Adam"),
    pytest.param(
        lambda p: nn.optim.Adam(p, lr=0.3, weight_decay=0.1, amsgrad=True), id="Adam-amsgrad-decay"
    ),
    pytest.param(lambda p: nn.optim.AdamW(p, lr=0.3), id="AdamW"),
]


@pytest.mark.parametrize("make_optimiser", STEPS)
def test_optimiser_steps_between_forward_and_backward(make_optimiser):
    """Two optimiser steps between a forward pass and its backward pass: the gradient
    is the one at the parameters the forward pass used."""
    rng = np.random.default_rng(0)
    model = nn.Sequential(nn.Linear(3, 4, rng=1, dtype=np.float64), nn.Tanh(),
                          nn.Linear(4, 2, rng=2, dtype=np.float64))  # fmt: skip
    x, target = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    opt = make_optimiser(model.parameters())
    F.mse_loss(model(x), target).backward()  # gradients, so that the steps move things
    at_forward = {k: v.copy() for k, v in model.state_dict().items()}
    loss = F.mse_loss(model(x), target)
    opt.step()
    opt.step()
    assert any(not np.array_equal(v, model.state_dict()[k]) for k, v in at_forward.items())
    opt.zero_grad()
    loss.backward()

    fresh = nn.Sequential(nn.Linear(3, 4, dtype=np.float64), nn.Tanh(),
                          nn.Linear(4, 2, dtype=np.float64))  # fmt: skip
    fresh.load_state_dict(at_forward)
    F.mse_loss(fresh(x), target).backward()
    for (name, p), q in zip(model.named_parameters(), fresh.parameters(), strict=True):
        np.testing.assert_allclose(p.grad.data, q.grad.data, rtol=1e-12, err_msg=name)


def _in_place(op: str) -> Callable[[Tensor], None]:
    def change(w: Tensor) -> None:
        with no_grad():
            if op == "+=":
                w += np.ones(X.shape)
            elif op == "-=":
                w -= 0.5 * w
            elif op == "*=":
                w *= 3.0
            else:
                w /= Tensor(4.0)

    return change


CHANGES: list[Any] = [
    pytest.param(_in_place(op), id=f"no_grad {op}") for op in ("+=", "-=", "*=", "/=")
] + [
    pytest.param(lambda w: setattr(w, "data", np.zeros(X.shape)), id="data = zeros"),
    pytest.param(lambda w: nn.init.normal_(w, rng=0), id="nn.init.normal_"),
    pytest.param(lambda w: nn.init.kaiming_uniform_(w, rng=0), id="nn.init.kaiming_uniform_"),
    pytest.param(lambda w: nn.init.zeros_(w), id="nn.init.zeros_"),
]


@pytest.mark.parametrize("change", CHANGES)
def test_changing_values_between_forward_and_backward(change):
    w = nn.Parameter(X.copy())
    loss = (w * w * w).sum()
    change(w)
    assert not np.array_equal(w.data, X)
    loss.backward()
    np.testing.assert_allclose(w.grad.data, square_loss_grad(X))


def test_load_state_dict_between_forward_and_backward():
    layer = nn.Linear(3, 2, rng=0, dtype=np.float64)
    weight, bias = layer.weight.data.copy(), layer.bias.data.copy()
    loss = (layer(X) ** 2).sum()
    layer.load_state_dict(nn.Linear(3, 2, rng=7, dtype=np.float64).state_dict())
    assert not np.array_equal(layer.weight.data, weight)
    loss.backward()
    y = X @ weight.T + bias  # d sum(y^2) / dW = 2 y^T x, at the weights of the forward
    np.testing.assert_allclose(layer.weight.grad.data, 2 * y.T @ X, rtol=1e-12)


def test_retained_graph_gives_the_same_gradient_after_an_update():
    w = Tensor(X, requires_grad=True)
    loss = (w * w * w).sum()
    loss.backward(retain_graph=True)
    first = w.grad.data.copy()
    with no_grad():
        w -= 1.0
    w.zero_grad()
    loss.backward()
    np.testing.assert_array_equal(w.grad.data, first)


# ---- writable constants that an op saved ------------------------------------------------------


def _constant_cases() -> list[Any]:
    """(fn(x, constant), constant): each op keeps the constant (a writable ndarray the
    caller owns) for its backward pass; the caller then overwrites it."""
    c23 = np.array([[1.5, -0.5, 2.0], [0.75, 1.25, -1.0]])
    return [
        pytest.param(lambda x, c: x * c, c23, id="multiply"),
        pytest.param(lambda x, c: c / (x * x + 1.0), c23, id="divide-numerator"),
        pytest.param(lambda x, c: x / (c * c + 1.0), c23, id="divide-denominator"),
        pytest.param(lambda x, c: (x * x + 1.0) ** c, c23, id="power-exponent"),
        pytest.param(lambda x, c: x @ c.T, c23, id="matmul"),
        pytest.param(lambda x, c: ops.maximum(x, c), c23, id="maximum"),
        pytest.param(lambda x, c: ops.where(c > 0, x * x, x), c23, id="where-condition"),
        pytest.param(lambda x, c: ops.clip(x, c - 1.0, c + 1.0), c23, id="clip-bounds"),
        pytest.param(lambda x, c: x[c], np.array([1, 1, 0]), id="getitem-index-array"),
        pytest.param(lambda x, c: x[c], np.array([True, False]), id="getitem-mask"),
        pytest.param(lambda x, c: F.mse_loss(x, c), c23, id="mse_loss-target"),
        pytest.param(
            lambda x, c: F.binary_cross_entropy_with_logits(x, c),
            c23 / 3,
            id="bce_with_logits-target",
        ),
        pytest.param(lambda x, c: F.cross_entropy(x, c), np.array([2, 0]), id="cross_entropy"),
        pytest.param(lambda x, c: F.linear(x, c), c23, id="linear-weight"),
        pytest.param(lambda x, c: F.layer_norm(x, 3, weight=c[0]), c23, id="layer_norm-weight"),
        pytest.param(
            lambda x, c: F.conv2d(ops.reshape(x, (1, 1, 2, 3)), c.reshape(1, 1, 2, 3)),
            c23,
            id="conv2d-weight",
        ),
    ]


@pytest.mark.parametrize("fn, constant", _constant_cases())
def test_overwriting_a_constant_after_forward_leaves_the_gradient_alone(fn, constant):
    reference = Tensor(X, requires_grad=True)
    ops.sum(fn(reference, constant.copy())).backward()

    x = Tensor(X, requires_grad=True)
    mine = constant.copy()
    loss = ops.sum(fn(x, mine))
    mine[...] = mine[::-1] if mine.dtype == bool else 0  # the caller reuses their array
    loss.backward()
    np.testing.assert_array_equal(x.grad.data, reference.grad.data)
