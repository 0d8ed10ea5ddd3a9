"""Recurrent layers: one step of an Elman RNN, an LSTM or a GRU (the cells), and whole
sequences through stacked, optionally bidirectional, layers of them, in PyTorch's
layouts, gate orders and equations, so that PyTorch's weights give PyTorch's outputs.

With gates = x W_ih^T + b_ih + h W_hh^T + b_hh (each `ops.affine`, one graph node):

    RNN   h' = tanh(gates)  (or relu)                              W_ih (H, I)
    LSTM  i, f, g, o = gates split in four, in this order          W_ih (4H, I)
          c' = sigmoid(f) c + sigmoid(i) tanh(g)
          h' = sigmoid(o) tanh(c')          (ops.recurrent.lstm_update)
    GRU   r, z, n in this order, W_ih (3H, I); with a = x W_ih^T + b_ih, b = h W_hh^T + b_hh:
          r = sigmoid(a_r + b_r),  z = sigmoid(a_z + b_z)
          n = tanh(a_n + r * b_n)                                  (r multiplies b_n, bias included)
          h' = (1 - z) n + z h

A sequence is run by looping over its time steps only: each step is one cell on the
whole batch. For the RNN and the GRU the engine differentiates through that loop
(backpropagation through time); each layer's outputs are kept as one Tensor per step,
which the next layer reads directly, and the final output stacks them. The input's
steps are read with `getitem`, whose vjp writes into a zero array of the input's size,
so when the input itself requires grad its backward costs T such arrays.

An LSTM layer (each direction) is one primitive, `ops.recurrent.lstm_sequence`, over the
whole time-major sequence: the same equations and the same loop over time steps, with
the input's share of the gates computed for all the steps in one matmul and the
weights' gradients summed over the steps in one matmul each. `lstm_cell` is the
composition it fuses: two `affine`s and one `ops.recurrent.lstm_update`.

Shapes: x (T, N, I) (or (N, T, I) with batch_first, or (T, I) for one unbatched sequence);
h_0 and h_n (num_layers * num_directions, N, H) (or without N); out (T, N, D * H), the
two directions' outputs side by side (forward first) for bidirectional layers. The
weights are given per layer and direction in PyTorch's order (layer 0, layer 0 reverse,
layer 1, ...), each as (w_ih, w_hh, b_ih, b_hh) with the biases optional; layer k > 0
reads D * H features.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

import ops
from autograd_core import Tensor
from autograd_core.grad_mode import composite

from ._utils import TensorLike, as_tensor, probability
from .dropout import dropout as _dropout

Weights = Sequence[Any]  # (w_ih, w_hh, b_ih, b_hh) of one layer and direction
State = Any  # h, or (h, c) for the LSTM

GATES = {"rnn_tanh": 1, "rnn_relu": 1, "lstm": 4, "gru": 3}
NONLINEARITIES = ("tanh", "relu")


def _affine(x: Tensor, w: Tensor, b: Tensor | None) -> Tensor:
    return ops.affine(x, w) if b is None else ops.affine(x, w, b)


def _gates(
    x: Tensor, h: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Tensor | None, b_hh: Tensor | None
) -> Tensor:
    return _affine(x, w_ih, b_ih) + _affine(h, w_hh, b_hh)


def _chunks(gates: Tensor, count: int) -> list[Tensor]:
    """The `count` equal parts of the last axis, in order (gate i, f, g, o, ...)."""
    size = gates.shape[-1] // count
    return [gates[..., k * size : (k + 1) * size] for k in range(count)]


def _rnn_tanh_step(x: Tensor, h: Tensor, *weights: Any) -> Tensor:
    return ops.tanh(_gates(x, h, *weights))


def _rnn_relu_step(x: Tensor, h: Tensor, *weights: Any) -> Tensor:
    return ops.relu(_gates(x, h, *weights))


def _lstm_step(x: Tensor, state: tuple[Tensor, Tensor], *weights: Any) -> tuple[Tensor, Tensor]:
    h, c = state
    state = ops.recurrent.lstm_update(_gates(x, h, *weights), c)  # [h', c'], one node
    return state[0], state[1]


def _gru_step(x: Tensor, h: Tensor, w_ih: Tensor, w_hh: Tensor, b_ih: Any, b_hh: Any) -> Tensor:
    a_r, a_z, a_n = _chunks(_affine(x, w_ih, b_ih), 3)
    b_r, b_z, b_n = _chunks(_affine(h, w_hh, b_hh), 3)
    r = ops.sigmoid(a_r + b_r)
    z = ops.sigmoid(a_z + b_z)
    n = ops.tanh(a_n + r * b_n)
    return n + z * (h - n)  # (1 - z) n + z h


STEPS: dict[str, Callable[..., Any]] = {
    "rnn_tanh": _rnn_tanh_step,
    "rnn_relu": _rnn_relu_step,
    "lstm": _lstm_step,
    "gru": _gru_step,
}


def rnn_mode(nonlinearity: str, fn: str) -> str:
    if nonlinearity not in NONLINEARITIES:
        raise ValueError(f"{fn}: nonlinearity must be 'tanh' or 'relu'; got {nonlinearity!r}.")
    return f"rnn_{nonlinearity}"


# ---- checks ------------------------------------------------------------------------------


def _check_cell_weights(
    weights: Sequence[Any], gates: int, fn: str, where: str = ""
) -> tuple[int, int]:
    """(input_size, hidden_size) read from w_ih (G*H, I) and w_hh (G*H, H), checked with
    the biases (G*H,)."""
    w_ih, w_hh, b_ih, b_hh = weights
    layout = f"({gates} * hidden_size, " if gates > 1 else "(hidden_size, "
    if w_hh.ndim != 2 or w_hh.shape[0] != gates * w_hh.shape[1]:
        raise ValueError(
            f"{fn}: weight_hh{where} must have shape {layout}hidden_size); got {w_hh.shape}."
        )
    hidden = w_hh.shape[1]
    if w_ih.ndim != 2 or w_ih.shape[0] != gates * hidden:
        raise ValueError(
            f"{fn}: weight_ih{where} must have shape ({gates * hidden}, input_size) = "
            f"{layout}input_size) for hidden_size {hidden}; got {w_ih.shape}."
        )
    for name, b in (("bias_ih", b_ih), ("bias_hh", b_hh)):
        if b is not None and b.shape != (gates * hidden,):
            raise ValueError(
                f"{fn}: {name}{where} must have shape ({gates * hidden},) for hidden_size "
                f"{hidden}; got {b.shape}."
            )
    return w_ih.shape[1], hidden


def _tensors(weights: Sequence[Any], fn: str) -> list[Tensor | None]:
    if len(weights) not in (2, 4):
        raise ValueError(
            f"{fn}: the weights of a layer are (w_ih, w_hh) or (w_ih, w_hh, b_ih, b_hh); got "
            f"{len(weights)} arrays."
        )
    weights = list(weights) + [None] * (4 - len(weights))
    return [None if w is None else as_tensor(w) for w in weights]


def _features(x: Tensor, input_size: int, fn: str, layout: str) -> None:
    if x.shape[-1] != input_size:
        raise ValueError(
            f"{fn}: the input {layout} has {x.shape[-1]} features on its last axis, but the "
            f"layer takes input_size = {input_size}; got input shape {x.shape}. Change "
            "input_size or the input's last axis."
        )


def _initial_states(
    mode: str,
    hx: Any,
    shape: tuple[int, ...],
    meaning: str,
    input_shape: tuple[int, ...],
    fn: str,
) -> list[Tensor | None]:
    """h_0 (and c_0 for the LSTM) checked to have `shape`; None stays None (zeros)."""
    names = ("h_0", "c_0") if mode == "lstm" else ("h_0",)
    if mode == "lstm":
        if hx is not None and (not isinstance(hx, (tuple, list)) or len(hx) != 2):
            raise TypeError(f"{fn}: hx must be a pair (h_0, c_0) or None; got {type(hx).__name__}.")
        given = (None, None) if hx is None else tuple(hx)
    else:
        given = (hx,)
    for h, name in zip(given, names, strict=True):
        rank = None if h is None else np.ndim(h.data if isinstance(h, Tensor) else h)
        if rank is not None and rank != len(shape) and rank in (2, 3):
            if len(input_shape) == 3:
                raise ValueError(
                    f"{fn}: the input {input_shape} is batched (3-d), so {name} must be 3-d, "
                    f"{shape} {meaning}; got a {rank}-d {name}. For one unbatched sequence "
                    "give a 2-d input (seq_len, input_size)."
                )
            raise ValueError(
                f"{fn}: the input {input_shape} is 2-d, one unbatched sequence (seq_len, "
                f"input_size), so {name} must be 2-d, {shape} {meaning}; got a {rank}-d "
                f"{name}. For a batch of sequences give a 3-d input."
            )
    return [None if h is None else _state(h, shape, n, fn, meaning) for h, n in zip(given, names)]


def _state(h: Any, shape: tuple[int, ...], name: str, fn: str, meaning: str) -> Tensor:
    h = as_tensor(h)
    if h.shape != shape:
        raise ValueError(
            f"{fn}: {name} must have shape {shape} {meaning}; got {h.shape}. Give it that "
            "shape, or None to start from zeros."
        )
    return h


# ---- one step ----------------------------------------------------------------------------


def _cell(mode: str, x: TensorLike, hx: Any, weights: Sequence[Any], fn: str) -> Any:
    """One checked cell step: x (N, I) or (I,), the state (N, H) or (H,)."""
    w = _tensors(weights, fn)
    input_size, hidden = _check_cell_weights(w, GATES[mode], fn)
    x = as_tensor(x)
    if x.ndim not in (1, 2):
        raise ValueError(
            f"{fn}: expected input (batch, input_size) or unbatched (input_size,), here "
            f"(N, {input_size}) or ({input_size},); got {x.shape}."
        )
    batched = x.ndim == 2
    _features(x, input_size, fn, "(batch, input_size)" if batched else "(input_size,)")
    shape = (x.shape[0], hidden) if batched else (hidden,)
    meaning = "(batch, hidden_size)" if batched else "(hidden_size,)"
    if mode == "lstm":
        if hx is None:
            hx = (None, None)
        if not isinstance(hx, (tuple, list)) or len(hx) != 2:
            raise TypeError(f"{fn}: the state must be a pair (h, c) or None; got {hx!r}.")
        state = tuple(
            Tensor(np.zeros(shape, x.dtype)) if s is None else _state(s, shape, n, fn, meaning)
            for s, n in zip(hx, ("h", "c"), strict=True)
        )
    else:
        state = (
            Tensor(np.zeros(shape, x.dtype)) if hx is None else _state(hx, shape, "h", fn, meaning)
        )
    return STEPS[mode](x, state, *w)


@composite("rnn_cell")
def rnn_cell(
    x: TensorLike,
    h: TensorLike | None,
    w_ih: TensorLike,
    w_hh: TensorLike,
    b_ih: TensorLike | None = None,
    b_hh: TensorLike | None = None,
    nonlinearity: str = "tanh",
) -> Tensor:
    """One Elman RNN step: h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu), x (N, I)
    or (I,), h (N, H) or (H,) (zeros when None), W_ih (H, I), W_hh (H, H)."""
    fn = "rnn_cell"
    mode = rnn_mode(nonlinearity, fn)
    return _cell(mode, x, h, (w_ih, w_hh, b_ih, b_hh), fn)


@composite("lstm_cell")
def lstm_cell(
    x: TensorLike,
    hx: tuple[TensorLike, TensorLike] | None,
    w_ih: TensorLike,
    w_hh: TensorLike,
    b_ih: TensorLike | None = None,
    b_hh: TensorLike | None = None,
) -> tuple[Tensor, Tensor]:
    """One LSTM step, returning (h', c'): gates i, f, g, o (in this order along W's first
    axis, as PyTorch), c' = sigmoid(f) c + sigmoid(i) tanh(g), h' = sigmoid(o) tanh(c').
    x (N, I) or (I,), hx = (h, c) each (N, H) or (H,) (zeros when None),
    W_ih (4H, I), W_hh (4H, H)."""
    return _cell("lstm", x, hx, (w_ih, w_hh, b_ih, b_hh), "lstm_cell")


@composite("gru_cell")
def gru_cell(
    x: TensorLike,
    h: TensorLike | None,
    w_ih: TensorLike,
    w_hh: TensorLike,
    b_ih: TensorLike | None = None,
    b_hh: TensorLike | None = None,
) -> Tensor:
    """One GRU step: gates r, z, n (in this order, as PyTorch), r and z = sigmoid of the
    input and hidden parts, n = tanh(a_n + r (h W_hn^T + b_hn)), h' = (1 - z) n + z h.
    x (N, I) or (I,), h (N, H) or (H,) (zeros when None), W_ih (3H, I), W_hh (3H, H)."""
    return _cell("gru", x, h, (w_ih, w_hh, b_ih, b_hh), "gru_cell")


# ---- sequences ---------------------------------------------------------------------------


def _layers(
    weights: Sequence[Weights], gates: int, num_directions: int, fn: str
) -> tuple[list[list[Tensor | None]], int, int]:
    """The per-(layer, direction) weights as Tensors, checked to chain: layer 0 reads the
    input's features, layer k > 0 reads num_directions * hidden_size."""
    if isinstance(weights, (str, bytes)) or not isinstance(weights, Sequence) or not weights:
        raise TypeError(
            f"{fn}: weights must be a non-empty list with one (w_ih, w_hh, b_ih, b_hh) per "
            "layer and direction."
        )
    if len(weights) % num_directions:
        raise ValueError(
            f"{fn}: a bidirectional layer needs two sets of weights per layer (forward, then "
            f"reverse); got {len(weights)}."
        )
    tensors = [_tensors(w, fn) for w in weights]
    input_size, hidden = _check_cell_weights(tensors[0], gates, fn, "_l0")
    for k, w in enumerate(tensors):
        layer, reverse = divmod(k, num_directions)
        where = f"_l{layer}" + ("_reverse" if reverse else "")
        size, h = _check_cell_weights(w, gates, fn, where)
        expected = input_size if layer == 0 else num_directions * hidden
        if h != hidden or size != expected:
            raise ValueError(
                f"{fn}: weight_ih{where} must have shape ({gates * hidden}, {expected}) "
                f"(layer {layer} reads {'the input' if layer == 0 else 'the layer below'}); "
                f"got {w[0].shape}."
            )
    return tensors, input_size, hidden


def _sequence(
    mode: str,
    x: TensorLike,
    hx: Any,
    weights: Sequence[Weights],
    batch_first: bool,
    bidirectional: bool,
    dropout: float,
    training: bool,
    fn: str,
) -> tuple[Tensor, Any]:
    directions = 2 if bidirectional else 1
    probability(dropout, fn)
    layers, input_size, hidden = _layers(weights, GATES[mode], directions, fn)
    num_layers = len(layers) // directions
    x = as_tensor(x)
    if x.ndim not in (2, 3):
        layout = "(batch, seq_len, input_size)" if batch_first else "(seq_len, batch, input_size)"
        raise ValueError(
            f"{fn}: expected a batched input {layout} or an unbatched (seq_len, input_size), "
            f"with input_size = {input_size}; got shape {x.shape}. Reshape the input to one "
            "of these (a sequence of images, for one, flattened to feature vectors)."
        )
    batched = x.ndim == 3
    layout = (
        ("(batch, seq_len, input_size)" if batch_first else "(seq_len, batch, input_size)")
        if batched
        else "(seq_len, input_size)"
    )
    _features(x, input_size, fn, layout)
    time_axis = 1 if batched and batch_first else 0
    steps = x.shape[time_axis]
    if steps == 0:
        raise ValueError(f"{fn}: the input {x.shape} holds no time steps.")
    batch = (x.shape[1 - time_axis],) if batched else ()
    shape = (num_layers * directions, *batch, hidden)
    meaning = (
        "(num_layers * num_directions, batch, hidden_size)"
        if batched
        else "(num_layers * num_directions, hidden_size)"
    )
    starts = _initial_states(mode, hx, shape, meaning, x.shape, fn)
    if mode == "lstm":
        return _lstm_layers(x, starts, layers, directions, time_axis, dropout, training, hidden)
    zeros = np.zeros((*batch, hidden), x.dtype)
    xs = [x[:, t] if time_axis == 1 else x[t] for t in range(steps)]
    step = STEPS[mode]
    finals: list[Any] = []
    for layer in range(num_layers):
        if layer and dropout and training:
            xs = [_dropout(v, dropout) for v in xs]
        outputs = []
        for reverse in range(directions):
            k = layer * directions + reverse
            initial = [Tensor(zeros) if s is None else s[k] for s in starts]
            state = tuple(initial) if mode == "lstm" else initial[0]
            hs: list[Any] = [None] * steps
            for t in reversed(range(steps)) if reverse else range(steps):
                state = step(xs[t], state, *layers[k])
                hs[t] = state[0] if mode == "lstm" else state
            outputs.append(hs)
            finals.append(state)
        if directions == 1:
            xs = outputs[0]
        else:  # both directions side by side at each step, forward first
            xs = [ops.concatenate(pair, axis=-1) for pair in zip(*outputs, strict=True)]
    out = ops.stack(xs, axis=time_axis)
    if mode == "lstm":
        h_n = ops.stack([s[0] for s in finals], axis=0)
        c_n = ops.stack([s[1] for s in finals], axis=0)
        return out, (h_n, c_n)
    return out, ops.stack(finals, axis=0)


def _lstm_layers(
    x: Tensor,
    starts: Sequence[Any],
    layers: Sequence[Weights],
    directions: int,
    time_axis: int,
    dropout: float,
    training: bool,
    hidden: int,
) -> tuple[Tensor, tuple[Tensor, Tensor]]:
    """LSTM layers, each direction of each one `ops.recurrent.lstm_sequence` over the
    whole time-major sequence (the reverse direction reads it flipped in time)."""
    seq = ops.swapaxes(x, 0, 1) if time_axis == 1 else x  # (T, [N,] I)
    zeros = np.zeros((*seq.shape[1:-1], hidden), x.dtype)
    no_bias = np.zeros(4 * hidden, x.dtype)
    finals: list[list[Tensor]] = [[], []]
    backwards = (slice(None, None, -1),)
    for layer in range(len(layers) // directions):
        if layer and dropout and training:
            seq = _dropout(seq, dropout)
        outputs = []
        for reverse in range(directions):
            k = layer * directions + reverse
            h0, c0 = (zeros if s is None else s[k] for s in starts)
            w_ih, w_hh, b_ih, b_hh = layers[k]
            inputs = seq[backwards] if reverse else seq
            packed = ops.recurrent.lstm_sequence(
                inputs,
                h0,
                c0,
                w_ih,
                w_hh,
                no_bias if b_ih is None else b_ih,
                no_bias if b_hh is None else b_hh,
            )
            hs = packed[:-1]
            finals[0].append(packed[-2])
            finals[1].append(packed[-1])
            outputs.append(hs[backwards] if reverse else hs)
        seq = outputs[0] if directions == 1 else ops.concatenate(outputs, axis=-1)
    out = ops.swapaxes(seq, 0, 1) if time_axis == 1 else seq
    return out, (ops.stack(finals[0], axis=0), ops.stack(finals[1], axis=0))


def rnn(
    x: TensorLike,
    h_0: TensorLike | None,
    weights: Sequence[Weights],
    nonlinearity: str = "tanh",
    batch_first: bool = False,
    bidirectional: bool = False,
    dropout: float = 0.0,
    training: bool = False,
) -> tuple[Tensor, Tensor]:
    """A sequence through stacked Elman RNN layers: returns (out, h_n), as PyTorch's RNN.

    h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh) (or relu) in each layer and
    direction; `weights` holds (w_ih, w_hh, b_ih, b_hh) per layer and direction (see the
    module docstring for the shapes). h_0=None starts from zeros. With dropout > 0 and
    training, dropout is applied to the outputs of every layer but the last."""
    fn = "rnn"
    mode = rnn_mode(nonlinearity, fn)
    return _sequence(mode, x, h_0, weights, batch_first, bidirectional, dropout, training, fn)


def lstm(
    x: TensorLike,
    hx: tuple[TensorLike, TensorLike] | None,
    weights: Sequence[Weights],
    batch_first: bool = False,
    bidirectional: bool = False,
    dropout: float = 0.0,
    training: bool = False,
) -> tuple[Tensor, tuple[Tensor, Tensor]]:
    """A sequence through stacked LSTM layers: returns (out, (h_n, c_n)), as PyTorch's
    LSTM (gates i, f, g, o; see `lstm_cell`). hx is (h_0, c_0) or None for zeros."""
    return _sequence("lstm", x, hx, weights, batch_first, bidirectional, dropout, training, "lstm")


def gru(
    x: TensorLike,
    h_0: TensorLike | None,
    weights: Sequence[Weights],
    batch_first: bool = False,
    bidirectional: bool = False,
    dropout: float = 0.0,
    training: bool = False,
) -> tuple[Tensor, Tensor]:
    """A sequence through stacked GRU layers: returns (out, h_n), as PyTorch's GRU (gates
    r, z, n; see `gru_cell`)."""
    return _sequence("gru", x, h_0, weights, batch_first, bidirectional, dropout, training, "gru")
