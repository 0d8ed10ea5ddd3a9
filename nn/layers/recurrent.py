"""Recurrent layers: RNNCell, LSTMCell and GRUCell (one step), and RNN, LSTM and GRU
(whole sequences through stacked, optionally bidirectional layers), calling
`nn.functional.recurrent`.

Parameter names, shapes, gate orders and initialisation are PyTorch's, so a PyTorch
state_dict (as NumPy arrays) loads with `load_state_dict` and gives PyTorch's outputs:

    cells:      weight_ih (G*H, I), weight_hh (G*H, H), bias_ih (G*H,), bias_hh (G*H,)
    sequences:  weight_ih_l{k}, weight_hh_l{k}, bias_ih_l{k}, bias_hh_l{k}, and the same
                with the suffix _reverse for the backward direction; layer k > 0 reads
                num_directions * H features

with G = 1 (RNN), 4 (LSTM: gates i, f, g, o) or 3 (GRU: gates r, z, n), registered in
that order (layer by layer, forward before reverse, as PyTorch). Every parameter starts
as U(-1/sqrt(H), 1/sqrt(H)).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd_core.random import resolve
from autograd_core.tensor import Tensor

from .. import functional as F
from .. import init
from ..functional._utils import positive_int, probability
from ..functional.recurrent import GATES, rnn_mode
from ..module import Parameter
from ._base import Layer, Rng, zeros_parameter


def _reset_uniform(params: list[Parameter], hidden_size: int, rng: Rng) -> None:
    """PyTorch's recurrent init: every parameter U(-1/sqrt(H), 1/sqrt(H))."""
    generator = resolve(rng)
    bound = 1 / math.sqrt(hidden_size)
    for p in params:
        init.uniform_(p, -bound, bound, rng=generator)


class _CellBase(Layer):
    _error_settings = ("input_size", "hidden_size")
    _mode = ""

    def __init__(self, input_size: int, hidden_size: int, bias: bool, rng: Rng, dtype: Any) -> None:
        super().__init__()
        name = type(self).__name__
        self.input_size = positive_int(input_size, "input_size", name)
        self.hidden_size = positive_int(hidden_size, "hidden_size", name)
        self.bias = bias
        rows = GATES[self._mode] * self.hidden_size
        self.weight_ih = zeros_parameter((rows, self.input_size), dtype)
        self.weight_hh = zeros_parameter((rows, self.hidden_size), dtype)
        self.register_parameter("bias_ih", zeros_parameter((rows,), dtype) if bias else None)
        self.register_parameter("bias_hh", zeros_parameter((rows,), dtype) if bias else None)
        self.reset_parameters(rng)

    def reset_parameters(self, rng: Rng = None) -> None:
        _reset_uniform(list(self.parameters()), self.hidden_size, rng)

    def _weights(self) -> tuple[Any, ...]:
        return self.weight_ih, self.weight_hh, self.bias_ih, self.bias_hh

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        return text if self.bias else text + ", bias=False"


class RNNCell(_CellBase):
    """h' = tanh(x W_ih^T + b_ih + h W_hh^T + b_hh) (or relu); `cell(x, h=None)`, x (N, I)
    or (I,), h zeros when None."""

    _function = "rnn_cell"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        nonlinearity: str = "tanh",
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        self._mode = rnn_mode(nonlinearity, self._function)
        self.nonlinearity = nonlinearity
        super().__init__(input_size, hidden_size, bias, rng, dtype)

    def forward(self, x: Any, hx: Any = None) -> Tensor:
        return F.rnn_cell(x, hx, *self._weights(), nonlinearity=self.nonlinearity)

    def extra_repr(self) -> str:
        text = super().extra_repr()
        return text if self.nonlinearity == "tanh" else f"{text}, nonlinearity='relu'"


class LSTMCell(_CellBase):
    """One LSTM step (gates i, f, g, o): `h, c = cell(x, (h, c))`, zeros when None."""

    _function = "lstm_cell"
    _mode = "lstm"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, rng, dtype)

    def forward(self, x: Any, hx: Any = None) -> tuple[Tensor, Tensor]:
        return F.lstm_cell(x, hx, *self._weights())


class GRUCell(_CellBase):
    """One GRU step (gates r, z, n): `h = cell(x, h)`, zeros when None."""

    _function = "gru_cell"
    _mode = "gru"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        bias: bool = True,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__(input_size, hidden_size, bias, rng, dtype)

    def forward(self, x: Any, hx: Any = None) -> Tensor:
        return F.gru_cell(x, hx, *self._weights())


class _RNNBase(Layer):
    """What RNN, LSTM and GRU share: settings, PyTorch's parameters and their init."""

    _error_settings = ("input_size", "hidden_size", "num_layers")
    _mode = ""

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int,
        bias: bool,
        batch_first: bool,
        dropout: float,
        bidirectional: bool,
        rng: Rng,
        dtype: Any,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.input_size = positive_int(input_size, "input_size", name)
        self.hidden_size = positive_int(hidden_size, "hidden_size", name)
        self.num_layers = positive_int(num_layers, "num_layers", name)
        self.dropout = probability(dropout, name)
        self.bias, self.batch_first, self.bidirectional = bias, batch_first, bidirectional
        directions = 2 if bidirectional else 1
        rows = GATES[self._mode] * self.hidden_size
        self._names: list[tuple[str, ...]] = []
        for layer in range(self.num_layers):
            width = self.input_size if layer == 0 else directions * self.hidden_size
            for suffix in ("", "_reverse")[:directions]:
                names = (f"weight_ih_l{layer}{suffix}", f"weight_hh_l{layer}{suffix}")
                self.register_parameter(names[0], zeros_parameter((rows, width), dtype))
                self.register_parameter(names[1], zeros_parameter((rows, self.hidden_size), dtype))
                if bias:
                    names += (f"bias_ih_l{layer}{suffix}", f"bias_hh_l{layer}{suffix}")
                    for b in names[2:]:
                        self.register_parameter(b, zeros_parameter((rows,), dtype))
                self._names.append(names)
        self.reset_parameters(rng)

    def reset_parameters(self, rng: Rng = None) -> None:
        _reset_uniform(list(self.parameters()), self.hidden_size, rng)

    def flatten_parameters(self) -> None:
        """Does nothing (PyTorch's cuDNN weight packing); kept so PyTorch code runs."""

    def _weights(self) -> list[tuple[Any, ...]]:
        """Per layer and direction, (w_ih, w_hh, b_ih, b_hh) or (w_ih, w_hh)."""
        return [tuple(getattr(self, n) for n in names) for names in self._names]

    def _options(self) -> dict[str, Any]:
        return dict(
            batch_first=self.batch_first,
            bidirectional=self.bidirectional,
            dropout=self.dropout,
            training=self.training,
        )

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        for key, default in (("bias", True), ("batch_first", False), ("dropout", 0.0)):
            if getattr(self, key) != default:
                text += f", {key}={getattr(self, key)}"
        if self.bidirectional:
            text += ", bidirectional=True"
        return text


class RNN(_RNNBase):
    """Elman RNN over a sequence, h_t = tanh(x_t W_ih^T + b_ih + h_(t-1) W_hh^T + b_hh)
    (or relu) per layer: `out, h_n = rnn(x, h_0=None)`, as PyTorch's RNN.

    x (T, N, input_size), (N, T, input_size) with batch_first, or (T, input_size)
    unbatched; out (T, N, D * hidden_size); h_0 and h_n (num_layers * D, N, hidden_size),
    D = 2 if bidirectional else 1. `dropout` applies to every layer's output but the
    last, in training mode."""

    _function = "rnn"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        nonlinearity: str = "tanh",
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        self._mode = rnn_mode(nonlinearity, self._function)
        self.nonlinearity = nonlinearity
        super().__init__(
            input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
            rng, dtype,
        )  # fmt: skip

    def forward(self, x: Any, h_0: Any = None) -> tuple[Tensor, Tensor]:
        return F.rnn(x, h_0, self._weights(), nonlinearity=self.nonlinearity, **self._options())

    def extra_repr(self) -> str:
        text = super().extra_repr()
        return text if self.nonlinearity == "tanh" else f"{text}, nonlinearity='relu'"


class LSTM(_RNNBase):
    """LSTM over a sequence (gates i, f, g, o): `out, (h_n, c_n) = lstm(x, (h_0, c_0))`
    (zeros when hx is None), shapes as RNN's, c like h."""

    _function = "lstm"
    _mode = "lstm"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__(
            input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
            rng, dtype,
        )  # fmt: skip

    def forward(self, x: Any, hx: Any = None) -> tuple[Tensor, tuple[Tensor, Tensor]]:
        return F.lstm(x, hx, self._weights(), **self._options())


class GRU(_RNNBase):
    """GRU over a sequence (gates r, z, n): `out, h_n = gru(x, h_0=None)`, shapes as
    RNN's."""

    _function = "gru"
    _mode = "gru"

    def __init__(
        self,
        input_size: int,
        hidden_size: int,
        num_layers: int = 1,
        bias: bool = True,
        batch_first: bool = False,
        dropout: float = 0.0,
        bidirectional: bool = False,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__(
            input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional,
            rng, dtype,
        )  # fmt: skip

    def forward(self, x: Any, h_0: Any = None) -> tuple[Tensor, Tensor]:
        return F.gru(x, h_0, self._weights(), **self._options())
