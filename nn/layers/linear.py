"""Matrix layers: Linear (fully connected) and GramMatrix, calling
`nn.functional.linear`."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.random import resolve
from autograd_core.tensor import Tensor

from .. import functional as F
from ..functional._utils import positive_int
from ._base import Layer, Rng, reset_weight_and_bias, zeros_parameter


class Linear(Layer):
    """y = x @ weight.T + bias, weight (out_features, in_features), bias (out_features,)."""

    _function = "linear"
    _error_settings = ("in_features",)

    def __init__(
        self,
        in_features: int,
        out_features: int,
        bias: bool = True,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.in_features = positive_int(in_features, "in_features", name)
        self.out_features = positive_int(out_features, "out_features", name)
        self.weight = zeros_parameter((self.out_features, self.in_features), dtype)
        self.register_parameter(
            "bias", zeros_parameter((self.out_features,), dtype) if bias else None
        )
        self.reset_parameters(rng)

    def reset_parameters(self, rng: Rng = None) -> None:
        reset_weight_and_bias(self.weight, self.bias, resolve(rng))

    def forward(self, x: Any) -> Tensor:
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class GramMatrix(Layer):
    """(C, N) -> X @ X.T; (B, C, H, W) -> (B, C, C) over flattened H*W; un-normalized."""

    _function = "gram_matrix"

    def forward(self, x: Any) -> Tensor:
        return F.gram_matrix(x)
