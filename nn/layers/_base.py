"""What the layer Modules share: the `Layer` base class, parameter creation and
PyTorch's default initialisation of weights and biases."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from autograd_core.tensor import Tensor

from .. import init
from ..module import Module, Parameter

IntPair = int | tuple[int, int]
Rng = np.random.Generator | int | None


class Layer(Module):
    """A Module that holds settings and parameters and calls one function of
    `nn.functional` in `forward`; the function checks its arguments.

    `_function` is that function's name. A layer's constructor checks the arguments it
    passes on with the function's own checks, under that name, so a bad setting fails
    when the layer is built, with the message the call would give. Arguments only the
    layer has (channel and feature counts) are checked under the layer's class name.

    When a call fails on its input, the TypeError or ValueError is raised again with the
    layer in front: its class, its name in its parent, and the settings listed in
    `_error_settings`, as in "Linear 'fc1' (in_features=4): linear: ...".
    """

    _function = ""
    _error_settings: tuple[str, ...] = ()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        except (TypeError, ValueError) as err:
            if type(err) not in (TypeError, ValueError):
                raise  # a subclass, such as NumPy's AxisError, may take other arguments
            message = f"{self._error_label()}: {err}"
            raise type(err)(message).with_traceback(err.__traceback__) from None

    def _error_label(self) -> str:
        """`Linear 'fc1' (in_features=4)`: the class, the name in the parent (none for a
        root module) and the `_error_settings`."""
        label = type(self).__name__
        if self._name:
            label += f" '{self._name}'"
        settings = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._error_settings)
        return f"{label} ({settings})" if settings else label


def zeros_parameter(shape: tuple[int, ...], dtype: Any) -> Parameter:
    """A Parameter of zeros, to be initialised; layer parameters are floating point."""
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"Layer parameters must be floating point; got dtype {dtype}.")
    return Parameter(np.zeros(shape, dtype=dtype))


def reset_weight_and_bias(
    weight: Parameter, bias: Parameter | None, rng: np.random.Generator
) -> None:
    """PyTorch's Linear/Conv default: kaiming_uniform_(a=sqrt(5)), bias U(+-1/sqrt(fan_in))."""
    init.kaiming_uniform_(weight, a=math.sqrt(5), rng=rng)
    if bias is not None:
        fan_in, _ = init.fan_in_and_fan_out(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        init.uniform_(bias, -bound, bound, rng=rng)


def shape_of(x: Any) -> tuple[int, ...]:
    return tuple(x.shape) if isinstance(x, Tensor) else np.shape(x)
