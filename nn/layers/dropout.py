"""Dropout, calling `nn.functional.dropout`."""

from __future__ import annotations

from typing import Any

from autograd_core.random import resolve
from autograd_core.tensor import Tensor

from .. import functional as F
from ..functional._utils import probability
from ._base import Layer, Rng


class Dropout(Layer):
    """In training mode, zero each element with probability p and scale the rest by
    1 / (1 - p); in eval mode, the identity.

    The masks come from `rng` when it is given (a Generator, or a seed for the layer's
    own Generator), else from the engine's generator at each call, as PyTorch draws from
    its global one: after `autograd_core.manual_seed(s)` the masks repeat."""

    _function = "dropout"

    def __init__(self, p: float = 0.5, *, rng: Rng = None) -> None:
        super().__init__()
        self.p = probability(p, self._function)
        self.rng = None if rng is None else resolve(rng)

    def forward(self, x: Any) -> Tensor:
        return F.dropout(x, self.p, training=self.training, rng=self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"
