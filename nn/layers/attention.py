"""MultiheadAttention, calling `nn.functional.multi_head_attention`."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.random import resolve
from autograd_core.tensor import Tensor

from .. import functional as F
from .. import init
from ..functional._utils import positive_int, probability
from ._base import Layer, Rng, zeros_parameter
from .linear import Linear


def check_heads(embed_dim: int, num_heads: int, fn: str) -> None:
    if embed_dim % num_heads:
        divisors = [d for d in range(1, embed_dim + 1) if embed_dim % d == 0]
        raise ValueError(
            f"{fn}: embed_dim ({embed_dim}) must be divisible by num_heads ({num_heads}), "
            f"since each head takes embed_dim // num_heads features; choose num_heads among "
            f"{divisors}, or change embed_dim."
        )


class MultiheadAttention(Layer):
    """Multi-head attention with PyTorch's parameters, init and call:
    `out, weights = mha(query, key, value, key_padding_mask=None, need_weights=True,
    attn_mask=None, average_attn_weights=True, is_causal=False)`.

    Parameters: in_proj_weight (3E, E) holding W_q, W_k, W_v one under the other,
    in_proj_bias (3E,), out_proj.weight (E, E), out_proj.bias (E,); when kdim or vdim
    differ from embed_dim, q_proj_weight (E, E), k_proj_weight (E, kdim) and
    v_proj_weight (E, vdim) replace in_proj_weight. Init as PyTorch: xavier_uniform_ for
    the input projections, zeros for in_proj_bias and out_proj.bias, Linear's default for
    out_proj.weight. Inputs are (L, N, E) (or (N, L, E) with batch_first, or unbatched
    (L, E)); weights come back averaged over the heads. Masks follow PyTorch's
    MultiheadAttention: a bool True masks a position out (see
    `nn.functional.attention`). is_causal=True without attn_mask applies the causal mask
    (PyTorch requires the mask itself there). `dropout` applies to the attention weights
    in training mode. add_bias_kv and add_zero_attn are not supported."""

    _function = "multi_head_attention"
    _error_settings = ("embed_dim", "num_heads")

    def __init__(
        self,
        embed_dim: int,
        num_heads: int,
        dropout: float = 0.0,
        bias: bool = True,
        add_bias_kv: bool = False,
        add_zero_attn: bool = False,
        kdim: int | None = None,
        vdim: int | None = None,
        batch_first: bool = False,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.embed_dim = positive_int(embed_dim, "embed_dim", name)
        self.num_heads = positive_int(num_heads, "num_heads", name)
        check_heads(self.embed_dim, self.num_heads, name)
        if add_bias_kv or add_zero_attn:
            raise ValueError(f"{name}: add_bias_kv and add_zero_attn are not supported.")
        self.kdim = self.embed_dim if kdim is None else positive_int(kdim, "kdim", name)
        self.vdim = self.embed_dim if vdim is None else positive_int(vdim, "vdim", name)
        self.dropout = probability(dropout, name)
        self.batch_first = batch_first
        self.head_dim = self.embed_dim // self.num_heads
        e = self.embed_dim
        self._qkv_same_embed_dim = self.kdim == e and self.vdim == e
        if self._qkv_same_embed_dim:
            self.in_proj_weight = zeros_parameter((3 * e, e), dtype)
            for key in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(key, None)
        else:
            self.q_proj_weight = zeros_parameter((e, e), dtype)
            self.k_proj_weight = zeros_parameter((e, self.kdim), dtype)
            self.v_proj_weight = zeros_parameter((e, self.vdim), dtype)
            self.register_parameter("in_proj_weight", None)
        self.register_parameter("in_proj_bias", zeros_parameter((3 * e,), dtype) if bias else None)
        self._rng = None if rng is None else resolve(rng)
        self.out_proj = Linear(e, e, bias=bias, rng=self._rng, dtype=dtype)
        self.reset_parameters(self._rng)

    def reset_parameters(self, rng: Rng = None) -> None:
        generator = resolve(rng)
        for key in ("in_proj_weight", "q_proj_weight", "k_proj_weight", "v_proj_weight"):
            if getattr(self, key) is not None:
                init.xavier_uniform_(getattr(self, key), rng=generator)
        for p in (self.in_proj_bias, self.out_proj.bias):
            if p is not None:
                init.zeros_(p)

    def forward(
        self,
        query: Any,
        key: Any,
        value: Any,
        key_padding_mask: Any = None,
        need_weights: bool = True,
        attn_mask: Any = None,
        average_attn_weights: bool = True,
        is_causal: bool = False,
    ) -> tuple[Tensor, Tensor | None]:
        return F.multi_head_attention(
            query, key, value, self.num_heads, self.in_proj_weight, self.in_proj_bias,
            self.out_proj.weight, self.out_proj.bias, key_padding_mask=key_padding_mask,
            need_weights=need_weights, attn_mask=attn_mask,
            average_attn_weights=average_attn_weights, is_causal=is_causal,
            dropout_p=self.dropout, training=self.training, batch_first=self.batch_first,
            q_proj_weight=self.q_proj_weight, k_proj_weight=self.k_proj_weight,
            v_proj_weight=self.v_proj_weight, rng=self._rng,
        )  # fmt: skip

    def extra_repr(self) -> str:
        text = f"embed_dim={self.embed_dim}, num_heads={self.num_heads}"
        if self.dropout:
            text += f", dropout={self.dropout}"
        if not self._qkv_same_embed_dim:
            text += f", kdim={self.kdim}, vdim={self.vdim}"
        return text + (", batch_first=True" if self.batch_first else "")
