"""Activation layers, each calling its function of `nn.functional.activations`, and
Identity. Constructor keywords are PyTorch's (`GELU(approximate="none")`,
`Softplus(beta=1.0, threshold=20.0)`, `Hardtanh(min_val=-1.0, max_val=1.0)`, ...), except
that Softmax and LogSoftmax take NumPy's `axis` for PyTorch's `dim`."""

from __future__ import annotations

from typing import Any

from autograd_core.tensor import Tensor

from .. import functional as F
from ..functional._utils import real_number
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
    """softmax along `axis` (NumPy's name; PyTorch's `dim=` is accepted too)."""

    _function = "softmax"

    def __init__(self, axis: int = -1, *, dim: int | None = None) -> None:
        super().__init__()
        self.axis = axis if dim is None else dim

    def forward(self, x: Any) -> Tensor:
        return F.softmax(x, axis=self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class LogSoftmax(Softmax):
    _function = "log_softmax"

    def forward(self, x: Any) -> Tensor:
        return F.log_softmax(x, axis=self.axis)


class Identity(Layer):
    """Returns its input unchanged (a placeholder, e.g. for a removed layer). Like
    PyTorch's, it accepts and ignores any constructor arguments, so it can stand in for
    the layer it replaces."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__()

    def forward(self, x: Any) -> Any:
        return x


class GELU(Layer):
    """x Phi(x); approximate="none" (erf) or "tanh", as PyTorch's GELU."""

    _function = "gelu"

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        F.gelu(0.0, approximate)  # checks the setting
        self.approximate = approximate

    def forward(self, x: Any) -> Tensor:
        return F.gelu(x, self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class SiLU(Layer):
    """x sigmoid(x)."""

    _function = "silu"

    def forward(self, x: Any) -> Tensor:
        return F.silu(x)


class ELU(Layer):
    """x for x > 0, alpha (e^x - 1) otherwise."""

    _function = "elu"

    def __init__(self, alpha: float = 1.0) -> None:
        super().__init__()
        self.alpha = real_number(alpha, "alpha", self._function)

    def forward(self, x: Any) -> Tensor:
        return F.elu(x, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class SELU(Layer):
    """scale * elu(x, alpha) with the self-normalizing constants."""

    _function = "selu"

    def forward(self, x: Any) -> Tensor:
        return F.selu(x)


class Softplus(Layer):
    """log(1 + e^(beta x)) / beta, the identity where beta x > threshold."""

    _function = "softplus"

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        F.softplus(0.0, beta, threshold)  # checks the settings
        self.beta, self.threshold = beta, threshold

    def forward(self, x: Any) -> Tensor:
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Softsign(Layer):
    """x / (1 + |x|)."""

    _function = "softsign"

    def forward(self, x: Any) -> Tensor:
        return F.softsign(x)


class Hardtanh(Layer):
    """x clipped to [min_val, max_val] (zero gradient at and beyond the bounds)."""

    _function = "hardtanh"

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0) -> None:
        super().__init__()
        F.hardtanh(0.0, min_val, max_val)  # checks the settings
        self.min_val, self.max_val = min_val, max_val

    def forward(self, x: Any) -> Tensor:
        return F.hardtanh(x, self.min_val, self.max_val)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}"


class LogSigmoid(Layer):
    """log(sigmoid(x)), stable."""

    _function = "log_sigmoid"

    def forward(self, x: Any) -> Tensor:
        return F.log_sigmoid(x)


class Mish(Layer):
    """x tanh(softplus(x))."""

    _function = "mish"

    def forward(self, x: Any) -> Tensor:
        return F.mish(x)
