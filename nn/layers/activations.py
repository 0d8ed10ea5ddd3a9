"""Activation layers, each calling its function of `nn.functional.activations`, and
Identity."""

from __future__ import annotations

from typing import Any

from autograd_core.tensor import Tensor

from .. import functional as F
from ._base import Layer


class ReLU(Layer):
    """max(x, 0)."""

    _function = "relu"

    def forward(self, x: Any) -> Tensor:
        return F.relu(x)


class LeakyReLU(Layer):
    """x for x > 0, negative_slope * x otherwise."""

    _function = "leaky_relu"

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x: Any) -> Tensor:
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Tanh(Layer):
    _function = "tanh"

    def forward(self, x: Any) -> Tensor:
        return F.tanh(x)


class Sigmoid(Layer):
    _function = "sigmoid"

    def forward(self, x: Any) -> Tensor:
        return F.sigmoid(x)


class Abs(Layer):
    _function = "abs"

    def forward(self, x: Any) -> Tensor:
        return F.abs(x)


class Power(Layer):
    """y = (shift + scale * x) ** power."""

    _function = "power"

    def __init__(self, power: float, scale: float = 1.0, shift: float = 0.0) -> None:
        super().__init__()
        self.power, self.scale, self.shift = power, scale, shift

    def forward(self, x: Any) -> Tensor:
        return F.power(x, self.power, scale=self.scale, shift=self.shift)

    def extra_repr(self) -> str:
        return f"power={self.power}, scale={self.scale}, shift={self.shift}"


class Softmax(Layer):
    """softmax along `axis` (NumPy's name for PyTorch's `dim`)."""

    _function = "softmax"

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.axis = axis

    def forward(self, x: Any) -> Tensor:
        return F.softmax(x, axis=self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class LogSoftmax(Softmax):
    _function = "log_softmax"

    def forward(self, x: Any) -> Tensor:
        return F.log_softmax(x, axis=self.axis)


class Identity(Layer):
    """Returns its input unchanged (a placeholder, e.g. for a removed layer)."""

    def forward(self, x: Any) -> Any:
        return x
