"""The LSTM's state update as one primitive: from the four gates' pre-activations and the
cell state to the new hidden and cell states.

With gates = (a_i, a_f, a_g, a_o) along the last axis, i = sigmoid(a_i), f = sigmoid(a_f),
g = tanh(a_g), o = sigmoid(a_o):

    c' = f c + i g,    h' = o tanh(c')

The output packs both states, [h', c'] along a new first axis, as `eigh` packs its two
results; `nn.functional`'s LSTM reads them apart with getitem. The vjp, with g_h and g_c
the two halves of the output's gradient and dc = g_c + g_h o (1 - tanh(c')^2), the
gradient reaching c' by both ways:

    d a_i = dc g i (1 - i)          d a_g = dc i (1 - g^2)
    d a_f = dc c f (1 - f)          d a_o = g_h tanh(c') o (1 - o)
    d c   = dc f

One primitive instead of the composition (four slices, three sigmoids, two tanh, three
products and a sum), because measured on a character-level LSTM step the composition's
nodes cost more than the cell's arithmetic: eleven graph nodes per time step become one.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.op import defop
from autograd_core.tensor import Tensor

from .elementwise import _sigmoid, sigmoid, tanh


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
    act = _sigmoid(gates)
    act[..., 2 * h : 3 * h] = np.tanh(gates[..., 2 * h : 3 * h])
    return act[..., :h], act[..., h : 2 * h], act[..., 2 * h : 3 * h], act[..., 3 * h :]


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
