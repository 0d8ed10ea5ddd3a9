"""TransformerEncoderLayer (and TransformerEncoder, a stack of copies), as PyTorch's:
self-attention and a feed-forward block, each with dropout, a residual connection and
layer norm, the norm after each block (post-norm) or before it (norm_first=True):

    post-norm:  x = norm1(x + sa(x));          x = norm2(x + ff(x))
    pre-norm:   x = x + sa(norm1(x));          x = x + ff(norm2(x))

    sa(x) = dropout1(self_attn(x, x, x, attn_mask, key_padding_mask)[0])
    ff(x) = dropout2(linear2(dropout(activation(linear1(x)))))

The submodule names (self_attn, linear1, dropout, linear2, norm1, norm2, dropout1,
dropout2) and their order are PyTorch's, so its state_dict loads as it is.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import numpy as np

from autograd_core.random import resolve
from autograd_core.tensor import Tensor

from .. import functional as F
from ..functional._utils import positive_int, probability
from ..module import Module, ModuleList
from ._base import Layer, Rng
from .attention import MultiheadAttention
from .dropout import Dropout
from .linear import Linear
from .normalization import LayerNorm

ACTIVATIONS: dict[str, Callable[[Any], Tensor]] = {"relu": F.relu, "gelu": F.gelu}


class TransformerEncoderLayer(Layer):
    """One encoder block: `y = layer(src, src_mask=None, src_key_padding_mask=None,
    is_causal=False)`, src (S, N, d_model) (or (N, S, d_model) with batch_first, or
    unbatched (S, d_model)). `activation` is "relu", "gelu" or a callable. Masks are
    MultiheadAttention's (a bool True masks a position out)."""

    _error_settings = ("d_model", "nhead")

    def __init__(
        self,
        d_model: int,
        nhead: int,
        dim_feedforward: int = 2048,
        dropout: float = 0.1,
        activation: str | Callable[[Any], Tensor] = "relu",
        layer_norm_eps: float = 1e-5,
        batch_first: bool = False,
        norm_first: bool = False,
        bias: bool = True,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.d_model = positive_int(d_model, "d_model", name)
        self.nhead = positive_int(nhead, "nhead", name)
        dim_feedforward = positive_int(dim_feedforward, "dim_feedforward", name)
        probability(dropout, name)
        if isinstance(activation, str):
            if activation not in ACTIVATIONS:
                raise ValueError(
                    f"{name}: activation must be 'relu', 'gelu' or a callable; got {activation!r}."
                )
            activation = ACTIVATIONS[activation]
        elif not callable(activation):
            raise TypeError(
                f"{name}: activation must be a string or a callable; got {activation!r}."
            )
        generator = None if rng is None else resolve(rng)
        layer = dict(rng=generator, dtype=dtype)
        self.self_attn = MultiheadAttention(
            d_model, nhead, dropout=dropout, bias=bias, batch_first=batch_first, **layer
        )
        self.linear1 = Linear(d_model, dim_feedforward, bias=bias, **layer)
        self.dropout = Dropout(dropout, rng=generator)
        self.linear2 = Linear(dim_feedforward, d_model, bias=bias, **layer)
        self.norm_first = norm_first
        self.norm1 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.norm2 = LayerNorm(d_model, eps=layer_norm_eps, bias=bias, dtype=dtype)
        self.dropout1 = Dropout(dropout, rng=generator)
        self.dropout2 = Dropout(dropout, rng=generator)
        self.activation = activation
        self.batch_first = batch_first

    def forward(
        self,
        src: Any,
        src_mask: Any = None,
        src_key_padding_mask: Any = None,
        is_causal: bool = False,
    ) -> Tensor:
        x = src if isinstance(src, Tensor) else Tensor(src)
        if self.norm_first:
            x = x + self._sa_block(self.norm1(x), src_mask, src_key_padding_mask, is_causal)
            return x + self._ff_block(self.norm2(x))
        x = self.norm1(x + self._sa_block(x, src_mask, src_key_padding_mask, is_causal))
        return self.norm2(x + self._ff_block(x))

    def _sa_block(self, x: Tensor, mask: Any, padding: Any, is_causal: bool) -> Tensor:
        out, _ = self.self_attn(
            x, x, x, attn_mask=mask, key_padding_mask=padding, need_weights=False,
            is_causal=is_causal,
        )  # fmt: skip
        return self.dropout1(out)

    def _ff_block(self, x: Tensor) -> Tensor:
        return self.dropout2(self.linear2(self.dropout(self.activation(self.linear1(x)))))


class TransformerEncoder(Module):
    """`num_layers` copies of `encoder_layer` applied in turn (PyTorch's names: layers.0,
    layers.1, ...), then `norm` if given: `y = encoder(src, mask=None,
    src_key_padding_mask=None, is_causal=False)`. The copies start with the same
    parameters, as in PyTorch."""

    def __init__(
        self, encoder_layer: TransformerEncoderLayer, num_layers: int, norm: Module | None = None
    ) -> None:
        super().__init__()
        self.num_layers = positive_int(num_layers, "num_layers", type(self).__name__)
        self.layers = ModuleList(copy.deepcopy(encoder_layer) for _ in range(self.num_layers))
        self.norm = norm

    def forward(
        self,
        src: Any,
        mask: Any = None,
        src_key_padding_mask: Any = None,
        is_causal: bool = False,
    ) -> Tensor:
        x = src
        for layer in self.layers:
            x = layer(x, mask, src_key_padding_mask, is_causal)
        return x if self.norm is None else self.norm(x)
