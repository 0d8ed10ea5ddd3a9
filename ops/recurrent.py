"""The LSTM as primitives: `lstm_update`, one step's state update from the four gates'
pre-activations and the cell state to the new hidden and cell states, and
`lstm_sequence`, a whole sequence through one layer (see its docstring).

With gates = (a_i, a_f, a_g, a_o) along the last axis, i = sigmoid(a_i), f = sigmoid(a_f),
g = tanh(a_g), o = sigmoid(a_o):

    c' = f c + i g,    h' = o tanh(c')

`lstm_update`'s output packs both states, [h', c'] along a new first axis, as `eigh`
packs its two results; `lstm_cell` reads them apart with getitem. The vjp, with g_h and g_c
the two halves of the output's gradient and dc = g_c + g_h o (1 - tanh(c')^2), the
gradient reaching c' by both ways:

    d a_i = dc g i (1 - i)          d a_g = dc i (1 - g^2)
    d a_f = dc c f (1 - f)          d a_o = g_h tanh(c') o (1 - o)
    d c   = dc f

`lstm_update` is one node where the composition has eleven (four slices, three
sigmoids, two tanh, three products and a sum). The LSTM layers use `lstm_sequence`:
measured on a character-level LSTM training step (batch 32, 256 units, 64 steps) most
of the time is in the matmuls, and taking the input's share of the gates and the
weights' gradients over all the steps at once, instead of per step, took the step from
94 to 72 ms.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor

from .elementwise import _sigmoid, sigmoid, tanh
from .linalg.products import _row_product, _rows, affine
from .shape import concatenate, expand_dims, stack


def _check(gates: Any, c: Any) -> int:
    h = np.shape(c)[-1] if np.ndim(c) else 0
    if np.ndim(c) == 0 or np.shape(gates)[-1:] != (4 * h,):
        raise ValueError(
            f"lstm_update: gates must hold the four gates (i, f, g, o) of the state along "
            f"the last axis, 4 * H values for a cell state of H; got gates "
            f"{np.shape(gates)} and c {np.shape(c)}. Compute gates with a weight of 4 * H rows."
        )
    return h


def _activations(gates: Any, h: int) -> tuple[Any, Any, Any, Any]:
    """(i, f, g, o): sigmoid, sigmoid, tanh, sigmoid of the four quarters of `gates`."""
    if isinstance(gates, Tensor):  # create_graph=True: differentiable again
        act = sigmoid(gates)
        return act[..., :h], act[..., h : 2 * h], tanh(gates[..., 2 * h : 3 * h]), act[..., 3 * h :]
    return _quarters(_gate_values(gates, h), h)


def _gate_values(gates: np.ndarray, h: int) -> np.ndarray:
    """i, f, g, o side by side in one new array."""
    act = _sigmoid(gates)
    act[..., 2 * h : 3 * h] = np.tanh(gates[..., 2 * h : 3 * h])
    return act


def _quarters(a: Any, h: int) -> tuple[Any, Any, Any, Any]:
    return a[..., :h], a[..., h : 2 * h], a[..., 2 * h : 3 * h], a[..., 3 * h :]


def _lstm_forward(gates: Any, c: Any) -> Any:
    h = _check(gates, c)
    act = _activations(gates, h)
    i, f, g, o = act
    c_new = f * c
    c_new += i * g
    tanh_c = np.tanh(c_new)
    return np.stack([o * tanh_c, c_new]), {"act": act, "tanh_c": tanh_c}


def _lstm_vjp(grad: Any, out: Any, gates: Any, c: Any, act: Any, tanh_c: Any) -> list[Any]:
    if isinstance(grad, Tensor):  # create_graph=True: everything as a function of the inputs
        act, tanh_c = _activations(gates, c.shape[-1]), tanh(out[1])
    i, f, g, o = act
    g_h, g_c = grad[0], grad[1]
    dc = g_c + g_h * o * (1 - tanh_c * tanh_c)
    parts = [dc * g * i * (1 - i), dc * c * f * (1 - f), dc * i * (1 - g * g)]
    parts.append(g_h * tanh_c * o * (1 - o))
    shape = np.broadcast_shapes(*(p.shape for p in parts))  # c may broadcast against gates
    parts = [p if p.shape == shape else np.broadcast_to(p, shape) for p in parts]
    return [np.concatenate(parts, axis=-1), dc * f]  # NumPy's, or ops' on Tensors


lstm_update = defop(
    "lstm_update",
    _lstm_forward,
    _lstm_vjp,
    joint=True,
    residuals=True,
    rules="vjp: dc = g_c + g_h o (1 − tanh²c′); ∂a = dc·(g i(1−i), c f(1−f), i(1−g²)), "
    "g_h tanh c′ o(1−o); ∂c = dc f",
    doc="""[h', c'] (packed along a new first axis) from the LSTM's gate pre-activations
    `gates` (..., 4H), in PyTorch's order i, f, g, o, and the cell state `c` (..., H):
    c' = sigmoid(a_f) c + sigmoid(a_i) tanh(a_g), h' = sigmoid(a_o) tanh(c'). See the
    module docstring for the vjp.""",
)


# ---- a whole sequence through one LSTM layer ------------------------------------------------


NAMES = ("x", "h0", "c0", "w_ih", "w_hh", "b_ih", "b_hh")


def _check_sequence(x: Any, h0: Any, c0: Any, w_ih: Any, w_hh: Any, b_ih: Any, b_hh: Any) -> int:
    shapes = [np.shape(a) for a in (x, h0, c0, w_ih, w_hh, b_ih, b_hh)]
    hidden = shapes[1][-1] if shapes[1] else 0
    batch = shapes[0][1:-1] if len(shapes[0]) >= 2 else None
    want = [
        None if batch is None else (*batch, hidden),
        None if batch is None else (*batch, hidden),
        (4 * hidden, shapes[0][-1]) if shapes[0] else None,
        (4 * hidden, hidden),
        (4 * hidden,),
        (4 * hidden,),
    ]
    if batch is None or hidden == 0 or shapes[0][0] == 0 or shapes[1:] != want:
        raise ValueError(
            "lstm_sequence: expected x (T, ..., I) with T >= 1, h0 and c0 (..., H) with H >= 1, "
            "w_ih (4H, I), w_hh (4H, H) and b_ih, b_hh (4H,); got "
            + ", ".join(f"{n} {s}" for n, s in zip(NAMES, shapes, strict=True))
            + ". Pass zeros for a missing bias or an initial state."
        )
    return hidden


def _sequence_forward(x: Any, h0: Any, c0: Any, w_ih: Any, w_hh: Any, b_ih: Any, b_hh: Any) -> Any:
    """The T steps, each one matmul with w_hh: the input's share of every step's gates,
    x W_ih^T + b_ih + b_hh, is one matmul over the whole sequence first."""
    hidden = _check_sequence(x, h0, c0, w_ih, w_hh, b_ih, b_hh)
    steps = x.shape[0]
    gates = _row_product(x, np.asarray(w_ih).T)
    gates += b_ih + b_hh  # gates is new: nothing else holds it
    out = np.empty((steps + 1, *h0.shape), gates.dtype)  # h_1 .. h_T, then c_T
    cells = np.empty((steps, *h0.shape), gates.dtype)
    tanh_cells = np.empty_like(cells)
    w_hh_t = np.ascontiguousarray(np.asarray(w_hh).T)  # (H, 4H): BLAS reads it faster
    acts = []  # each step's i, f, g, o side by side, for the vjp
    h, c = h0, c0
    for t in range(steps):
        z = gates[t]
        z += h @ w_hh_t
        acts.append(_gate_values(z, hidden))
        i, f, g, o = _quarters(acts[-1], hidden)
        np.multiply(f, c, out=cells[t])
        cells[t] += i * g
        np.tanh(cells[t], out=tanh_cells[t])
        np.multiply(o, tanh_cells[t], out=out[t])
        h, c = out[t], cells[t]
    out[steps] = cells[-1]
    return out, {"act": acts, "cells": cells, "tanh_cells": tanh_cells}


def _sequence_vjp(
    grad: Any,
    out: Any,
    x: Any,
    h0: Any,
    c0: Any,
    w_ih: Any,
    w_hh: Any,
    b_ih: Any,
    b_hh: Any,
    act: Any,
    cells: Any,
    tanh_cells: Any,
) -> list[Any]:
    """Backpropagation through time: per step, the cell's vjp (as `lstm_update`'s) and
    one matmul with w_hh for the previous h; then the weights' gradients as one matmul
    each over all the steps."""
    inputs = (x, h0, c0, w_ih, w_hh, b_ih, b_hh)
    if isinstance(grad, Tensor):  # create_graph=True: differentiate the composition
        return _composition_vjp(grad, inputs)
    hidden, steps = h0.shape[-1], x.shape[0]
    d_gates = np.empty((steps, *act[0].shape), act[0].dtype)
    dh = np.zeros_like(h0)
    dc = np.array(grad[steps])  # c_T's own gradient; a copy, added to below
    for t in reversed(range(steps)):
        i, f, g, o = _quarters(act[t], hidden)
        tanh_c, c_prev = tanh_cells[t], cells[t - 1] if t else c0
        g_h = grad[t] + dh
        dc += g_h * o * (1 - tanh_c * tanh_c)
        d = d_gates[t]
        d[..., :hidden] = dc * g * i * (1 - i)
        d[..., hidden : 2 * hidden] = dc * c_prev * f * (1 - f)
        d[..., 2 * hidden : 3 * hidden] = dc * i * (1 - g * g)
        d[..., 3 * hidden :] = g_h * tanh_c * o * (1 - o)
        dc *= f
        dh = d @ w_hh
    h_prev = np.concatenate([h0[None], out[: steps - 1]])
    rows = _rows(d_gates)
    d_b = rows.sum(axis=0)
    return [
        _row_product(d_gates, w_ih),
        dh,
        dc,
        rows.T @ _rows(x),
        rows.T @ _rows(h_prev),
        d_b,
        d_b,
    ]


def lstm_steps(x: Any, h0: Any, c0: Any, w_ih: Any, w_hh: Any, b_ih: Any, b_hh: Any) -> Tensor:
    """The same sequence as `lstm_sequence` computes, one `lstm_update` per step: the
    composition that primitive fuses, differentiated when a graph of its gradient is
    wanted (create_graph=True)."""
    h, c = h0, c0
    hs = []
    for t in range(np.shape(x)[0]):
        z = affine(x[t], w_ih, b_ih) + affine(h, w_hh, b_hh)
        state = lstm_update(z, c)
        h, c = state[0], state[1]
        hs.append(h)
    return concatenate([stack(hs), expand_dims(c, 0)])


def _composition_vjp(grad: Tensor, inputs: tuple[Any, ...]) -> list[Any]:
    from autograd_core.engine import grad as gradient  # the engine, at call time

    wanted = [k for k, a in enumerate(inputs) if isinstance(a, Tensor) and a.requires_grad]
    found = gradient(
        lstm_steps(*inputs), [inputs[k] for k in wanted], grad, create_graph=True, allow_unused=True
    )
    result: list[Any] = [None] * len(inputs)
    for k, g in zip(wanted, found, strict=True):
        result[k] = g
    return result


lstm_sequence = defop(
    "lstm_sequence",
    _sequence_forward,
    _sequence_vjp,
    joint=True,
    residuals=True,
    rules="vjp: backpropagation through time, each step as lstm_update's",
    doc="""A whole sequence through one LSTM layer: x (T, ..., I), the initial states h0
    and c0 (..., H), w_ih (4H, I), w_hh (4H, H), b_ih and b_hh (4H,) (zeros for none),
    gates i, f, g, o as PyTorch. Returns h_1 .. h_T and then c_T, packed along the first
    axis: (T + 1, ..., H); h_T is row T - 1.

    One primitive for what `lstm_steps` composes (two `affine`s and an `lstm_update` per
    step), because most of an LSTM step's cost is in the matmuls: here the input's
    share of the gates is one matmul over all the steps, and so are the weights'
    gradients, instead of T small ones each and T sums of weight-sized arrays.""",
)
