"""Dropout, calling `nn.functional.dropout` with the layer's own random Generator."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.tensor import Tensor

from .. import functional as F
from ..functional._utils import probability
from ._base import Layer, Rng


class Dropout(Layer):
    """In training mode, zero each element with probability p and scale the rest by
    1 / (1 - p); in eval mode, the identity. `rng` seeds the layer's own Generator."""

    _function = "dropout"

    def __init__(self, p: float = 0.5, *, rng: Rng = None) -> None:
        super().__init__()
        self.p = probability(p, self._function)
        self.rng = np.random.default_rng(rng)

    def forward(self, x: Any) -> Tensor:
        return F.dropout(x, self.p, training=self.training, rng=self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"
