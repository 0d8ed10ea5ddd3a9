"""Embedding, calling `nn.functional.embedding`."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.random import resolve
from autograd_core.tensor import Tensor, lock

from .. import functional as F
from .. import init
from ..functional._utils import positive_int
from ..functional.embedding import check_padding_idx
from ..module import Parameter
from ._base import Layer, Rng, zeros_parameter


class Embedding(Layer):
    """A table of `num_embeddings` vectors of size `embedding_dim`; `emb(idx)` gives
    weight[idx], of shape idx.shape + (embedding_dim,).

    As PyTorch's: `weight` is (num_embeddings, embedding_dim), initialised N(0, 1); the
    row `padding_idx` (if given; negative counts from the end) starts as zeros and
    receives no gradient, so it stays as it is through training."""

    _function = "embedding"
    _error_settings = ("num_embeddings", "embedding_dim")

    def __init__(
        self,
        num_embeddings: int,
        embedding_dim: int,
        padding_idx: int | None = None,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.num_embeddings = positive_int(num_embeddings, "num_embeddings", name)
        self.embedding_dim = positive_int(embedding_dim, "embedding_dim", name)
        self.padding_idx = check_padding_idx(padding_idx, self.num_embeddings, name)
        self.weight = zeros_parameter((self.num_embeddings, self.embedding_dim), dtype)
        self.reset_parameters(rng)

    def reset_parameters(self, rng: Rng = None) -> None:
        init.normal_(self.weight, rng=resolve(rng))
        self._zero_padding_row()

    def _zero_padding_row(self) -> None:
        if self.padding_idx is not None:
            values = np.array(self.weight.data)
            values[self.padding_idx] = 0
            self.weight.data = lock(values)

    @classmethod
    def from_pretrained(
        cls, embeddings: Any, freeze: bool = True, padding_idx: int | None = None
    ) -> Embedding:
        """An Embedding holding a copy of the 2-d `embeddings` (its dtype kept); with
        freeze=True (the default, as PyTorch) the weight does not require grad."""
        values = np.asarray(embeddings.data if isinstance(embeddings, Tensor) else embeddings)
        if values.ndim != 2:
            raise ValueError(
                f"Embedding.from_pretrained: embeddings must be 2-d (num_embeddings, "
                f"embedding_dim); got shape {values.shape}."
            )
        dtype = values.dtype if values.dtype.kind == "f" else np.float32
        module = cls(*values.shape, padding_idx=padding_idx, rng=0, dtype=dtype)
        module.weight = Parameter(values.astype(dtype), requires_grad=not freeze)
        return module

    def forward(self, idx: Any) -> Tensor:
        return F.embedding(idx, self.weight, self.padding_idx)

    def extra_repr(self) -> str:
        text = f"{self.num_embeddings}, {self.embedding_dim}"
        return text if self.padding_idx is None else f"{text}, padding_idx={self.padding_idx}"
