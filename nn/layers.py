"""The layers as `Module`s: each holds its settings and parameters and calls the
matching function of `nn.functional` in `forward`.

Parameter names, shapes and default initialisation follow PyTorch, so state dicts can
be exchanged with it: `Linear.weight` is (out_features, in_features), `Conv2d.weight` is
(out_channels, in_channels // groups, kh, kw), `ConvTranspose2d.weight` is
(in_channels, out_channels // groups, kh, kw); weights start as
kaiming_uniform_(a=sqrt(5)) and biases as U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
Parameters are float32 by default (as in PyTorch); pass `dtype=np.float64` (or call
`.double()`) for gradient checks. Layers with random initialisation or behaviour take
`rng`: a `np.random.Generator`, an int seed, or None for fresh entropy.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np

import ops
from autograd_core.tensor import Tensor

from . import functional as F
from . import init
from .module import Module, Parameter

IntPair = int | tuple[int, int]
Rng = np.random.Generator | int | None


def _label(module: Module) -> str:
    """How errors name a layer: `Linear 'fc1'`, or just `Linear` for a root."""
    name = type(module).__name__
    return f"{name} '{module._name}'" if module._name else name


def _pair(value: Any) -> tuple[int, int]:
    """An int or (h, w) pair as a tuple, for storage and repr (checked by F)."""
    if isinstance(value, (int, np.integer)):
        return int(value), int(value)
    return tuple(value)  # type: ignore[return-value]


def _positive_int(value: Any, what: str, layer: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{layer}: {what} must be a positive int; got {value!r}.")
    return int(value)


def _empty(shape: tuple[int, ...], dtype: Any) -> Parameter:
    dtype = np.dtype(dtype)
    if dtype.kind != "f":
        raise TypeError(f"Layer parameters must be floating point; got dtype {dtype}.")
    return Parameter(np.zeros(shape, dtype=dtype))


def _reset_weight_and_bias(
    weight: Parameter, bias: Parameter | None, rng: np.random.Generator
) -> None:
    """PyTorch's Linear/Conv default: kaiming_uniform_(a=sqrt(5)), bias U(+-1/sqrt(fan_in))."""
    init.kaiming_uniform_(weight, a=math.sqrt(5), rng=rng)
    if bias is not None:
        fan_in, _ = init.fan_in_and_fan_out(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0.0
        init.uniform_(bias, -bound, bound, rng=rng)


def _affine_parameters(
    module: Module, shape: tuple[int, ...] | None, dtype: Any, bias: bool = True
) -> None:
    """Register `weight` (ones) and `bias` (zeros) of `shape`, or None when shape is None."""
    weight = None if shape is None else init.ones_(_empty(shape, dtype))
    module.register_parameter("weight", weight)
    module.register_parameter("bias", None if shape is None or not bias else _empty(shape, dtype))


def _shape(x: Any) -> tuple[int, ...]:
    return tuple(x.shape) if isinstance(x, Tensor) else np.shape(x)


# ---- activations ---------------------------------------------------------------------


class ReLU(Module):
    """max(x, 0)."""

    def forward(self, x: Any) -> Tensor:
        return F.relu(x)


class LeakyReLU(Module):
    """x for x > 0, negative_slope * x otherwise."""

    def __init__(self, negative_slope: float = 0.01) -> None:
        super().__init__()
        self.negative_slope = negative_slope

    def forward(self, x: Any) -> Tensor:
        return F.leaky_relu(x, self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Tanh(Module):
    def forward(self, x: Any) -> Tensor:
        return F.tanh(x)


class Sigmoid(Module):
    def forward(self, x: Any) -> Tensor:
        return F.sigmoid(x)


class Abs(Module):
    def forward(self, x: Any) -> Tensor:
        return F.abs(x)


class Power(Module):
    """y = (shift + scale * x) ** power."""

    def __init__(self, power: float, scale: float = 1.0, shift: float = 0.0) -> None:
        super().__init__()
        self.power, self.scale, self.shift = power, scale, shift

    def forward(self, x: Any) -> Tensor:
        return F.power(x, self.power, scale=self.scale, shift=self.shift)

    def extra_repr(self) -> str:
        return f"power={self.power}, scale={self.scale}, shift={self.shift}"


class Softmax(Module):
    """softmax along `axis` (NumPy's name for PyTorch's `dim`)."""

    def __init__(self, axis: int = -1) -> None:
        super().__init__()
        self.axis = axis

    def forward(self, x: Any) -> Tensor:
        return F.softmax(x, axis=self.axis)

    def extra_repr(self) -> str:
        return f"axis={self.axis}"


class LogSoftmax(Softmax):
    def forward(self, x: Any) -> Tensor:
        return F.log_softmax(x, axis=self.axis)


class Identity(Module):
    """Returns its input unchanged (a placeholder, e.g. for a removed layer)."""

    def forward(self, x: Any) -> Any:
        return x


# ---- shape ---------------------------------------------------------------------------


class Flatten(Module):
    """Merge axes start_dim..end_dim into one: (N, C, H, W) -> (N, C*H*W) by default."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x: Any) -> Tensor:
        shape = _shape(x)
        n = len(shape)
        start, end = self.start_dim, self.end_dim
        if not (-n <= start < n and -n <= end < n) or start % n > end % n:
            raise ValueError(
                f"{_label(self)}: start_dim={start}, end_dim={end} do not select a range "
                f"of axes of an input of shape {shape}."
            )
        start, end = start % n, end % n
        merged = int(np.prod(shape[start : end + 1], dtype=np.int64))
        return ops.reshape(x, (*shape[:start], merged, *shape[end + 1 :]))

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Pad(Module):
    """np.pad-style padding; `pad_width` as in NumPy, modes constant, reflect, edge."""

    def __init__(self, pad_width: Any, mode: str = "constant", value: float = 0.0) -> None:
        super().__init__()
        self.pad_width, self.mode, self.value = pad_width, mode, value

    def forward(self, x: Any) -> Tensor:
        return F.pad(x, self.pad_width, mode=self.mode, value=self.value)

    def extra_repr(self) -> str:
        return f"pad_width={self.pad_width}, mode={self.mode!r}, value={self.value}"


class Crop(Module):
    """x[..., top:top + height, left:left + width]."""

    def __init__(self, top: int, left: int, height: int, width: int) -> None:
        super().__init__()
        self.top, self.left, self.height, self.width = top, left, height, width

    def forward(self, x: Any) -> Tensor:
        return F.crop(x, self.top, self.left, self.height, self.width)

    def extra_repr(self) -> str:
        return f"top={self.top}, left={self.left}, height={self.height}, width={self.width}"


# ---- fully connected and convolution ---------------------------------------------------


class Linear(Module):
    """y = x @ weight.T + bias, weight (out_features, in_features), bias (out_features,)."""

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
        self.in_features = _positive_int(in_features, "in_features", "Linear")
        self.out_features = _positive_int(out_features, "out_features", "Linear")
        self.weight = _empty((self.out_features, self.in_features), dtype)
        self.register_parameter("bias", _empty((self.out_features,), dtype) if bias else None)
        self.reset_parameters(rng)

    def reset_parameters(self, rng: Rng = None) -> None:
        _reset_weight_and_bias(self.weight, self.bias, np.random.default_rng(rng))

    def forward(self, x: Any) -> Tensor:
        shape = _shape(x)
        if not shape or shape[-1] != self.in_features:
            raise ValueError(
                f"{_label(self)} (in_features={self.in_features}): expected an input of "
                f"shape (..., {self.in_features}); got {shape}. Flatten the input or "
                "change in_features."
            )
        return F.linear(x, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (
            f"in_features={self.in_features}, out_features={self.out_features}, "
            f"bias={self.bias is not None}"
        )


class _ConvNd(Module):
    """What Conv2d and ConvTranspose2d share: settings, checks, init, repr."""

    transposed = False

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair,
        padding: IntPair,
        dilation: IntPair,
        groups: int,
        bias: bool,
        rng: Rng,
        dtype: Any,
        output_padding: IntPair = 0,
    ) -> None:
        super().__init__()
        name = type(self).__name__
        self.in_channels = _positive_int(in_channels, "in_channels", name)
        self.out_channels = _positive_int(out_channels, "out_channels", name)
        self.groups = _positive_int(groups, "groups", name)
        if in_channels % groups or out_channels % groups:
            raise ValueError(
                f"{name}: in_channels ({in_channels}) and out_channels ({out_channels}) "
                f"must both be divisible by groups ({groups})."
            )
        self.kernel_size = _pair(kernel_size)
        self.stride = _pair(stride)
        self.padding = _pair(padding)
        self.dilation = _pair(dilation)
        self.output_padding = _pair(output_padding)
        if self.transposed:
            shape = (in_channels, out_channels // groups, *self.kernel_size)
        else:
            shape = (out_channels, in_channels // groups, *self.kernel_size)
        self.weight = _empty(shape, dtype)
        self.register_parameter("bias", _empty((out_channels,), dtype) if bias else None)
        self.reset_parameters(rng)

    def reset_parameters(self, rng: Rng = None) -> None:
        _reset_weight_and_bias(self.weight, self.bias, np.random.default_rng(rng))

    def _check(self, x: Any) -> None:
        shape = _shape(x)
        if len(shape) not in (3, 4) or shape[-3] != self.in_channels:
            raise ValueError(
                f"{_label(self)} (in_channels={self.in_channels}): expected an input of "
                f"shape (N, {self.in_channels}, H, W) or ({self.in_channels}, H, W); got "
                f"{shape}. Check the channel count of the previous layer."
            )

    def extra_repr(self) -> str:
        text = (
            f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
            f"stride={self.stride}"
        )
        if self.padding != (0, 0):
            text += f", padding={self.padding}"
        if self.output_padding != (0, 0):
            text += f", output_padding={self.output_padding}"
        if self.dilation != (1, 1):
            text += f", dilation={self.dilation}"
        if self.groups != 1:
            text += f", groups={self.groups}"
        if self.bias is None:
            text += ", bias=False"
        return text


class Conv2d(_ConvNd):
    """2-D cross-correlation over NCHW input (PyTorch's Conv2d)."""

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair = 1,
        padding: IntPair = 0,
        dilation: IntPair = 1,
        groups: int = 1,
        bias: bool = True,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
            rng, dtype,
        )  # fmt: skip

    def forward(self, x: Any) -> Tensor:
        self._check(x)
        return F.conv2d(
            x, self.weight, self.bias, stride=self.stride, padding=self.padding,
            dilation=self.dilation, groups=self.groups,
        )  # fmt: skip


class ConvTranspose2d(_ConvNd):
    """The adjoint of Conv2d ("deconvolution"); weight (in, out // groups, kh, kw)."""

    transposed = True

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: IntPair,
        stride: IntPair = 1,
        padding: IntPair = 0,
        output_padding: IntPair = 0,
        groups: int = 1,
        bias: bool = True,
        dilation: IntPair = 1,
        *,
        rng: Rng = None,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__(
            in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias,
            rng, dtype, output_padding,
        )  # fmt: skip

    def forward(self, x: Any) -> Tensor:
        self._check(x)
        return F.conv_transpose2d(
            x, self.weight, self.bias, stride=self.stride, padding=self.padding,
            output_padding=self.output_padding, dilation=self.dilation, groups=self.groups,
        )  # fmt: skip


# ---- pooling ---------------------------------------------------------------------------


class _Window(Module):
    """The settings every pooling Module shares: kernel_size, stride (defaults to the
    kernel) and padding."""

    def __init__(
        self, kernel_size: IntPair, stride: IntPair | None = None, padding: IntPair = 0
    ) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = kernel_size if stride is None else stride
        self.padding = padding

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxPool2d(_Window):
    """Max over windows; stride defaults to kernel_size. With return_indices=True the
    call returns (output, indices) for MaxUnpool2d."""

    def __init__(
        self,
        kernel_size: IntPair,
        stride: IntPair | None = None,
        padding: IntPair = 0,
        return_indices: bool = False,
    ) -> None:
        super().__init__(kernel_size, stride, padding)
        self.return_indices = return_indices

    def forward(self, x: Any) -> Any:
        return F.max_pool2d(
            x, self.kernel_size, self.stride, self.padding, return_indices=self.return_indices
        )


class MaxUnpool2d(_Window):
    """Partial inverse of MaxPool2d: `unpool(x, indices, output_size=None)`."""

    def forward(self, x: Any, indices: Any, output_size: Sequence[int] | None = None) -> Tensor:
        return F.max_unpool2d(
            x, indices, self.kernel_size, self.stride, self.padding, output_size=output_size
        )


class AvgPool2d(_Window):
    """Mean over windows (padded zeros counted); stride defaults to kernel_size."""

    def forward(self, x: Any) -> Tensor:
        return F.avg_pool2d(x, self.kernel_size, self.stride, self.padding)


class AvgUnpool2d(Module):
    """Nearest-neighbour upsampling: each value copied to its kernel_size block."""

    def __init__(self, kernel_size: IntPair) -> None:
        super().__init__()
        self.kernel_size = kernel_size

    def forward(self, x: Any) -> Tensor:
        return F.avg_unpool2d(x, self.kernel_size)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}"


# ---- normalization and dropout ------------------------------------------------------------


class Dropout(Module):
    """In training mode, zero each element with probability p and scale the rest by
    1 / (1 - p); in eval mode, the identity. `rng` seeds the layer's own Generator."""

    def __init__(self, p: float = 0.5, *, rng: Rng = None) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"Dropout: p must be a probability in [0, 1]; got {p}.")
        self.p = p
        self.rng = np.random.default_rng(rng)

    def forward(self, x: Any) -> Tensor:
        return F.dropout(x, self.p, training=self.training, rng=self.rng)

    def extra_repr(self) -> str:
        return f"p={self.p}"


class InstanceNorm2d(Module):
    """Per sample and channel, normalize over H, W (biased variance); with
    affine=True, then scale by weight and shift by bias (num_features each)."""

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        affine: bool = False,
        *,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        self.num_features = _positive_int(num_features, "num_features", "InstanceNorm2d")
        self.eps, self.affine = eps, affine
        _affine_parameters(self, (num_features,) if affine else None, dtype)

    def forward(self, x: Any) -> Tensor:
        shape = _shape(x)
        if len(shape) not in (3, 4) or shape[-3] != self.num_features:
            raise ValueError(
                f"{_label(self)} (num_features={self.num_features}): expected an input of "
                f"shape (N, {self.num_features}, H, W) or ({self.num_features}, H, W); "
                f"got {shape}."
            )
        return F.instance_norm(x, self.weight, self.bias, eps=self.eps)

    def extra_repr(self) -> str:
        return f"{self.num_features}, eps={self.eps}, affine={self.affine}"


class _BatchNorm(Module):
    """Batch normalization with PyTorch's running statistics.

    Training mode normalizes with the batch mean and biased variance over every axis but
    the channel axis (1), and updates the running estimates

        running_mean = (1 - momentum) * running_mean + momentum * mean
        running_var  = (1 - momentum) * running_var  + momentum * var * n / (n - 1)

    (unbiased variance, n values per channel; momentum=None means a cumulative average
    over the `num_batches_tracked` batches so far). Eval mode normalizes with the running
    estimates. With track_running_stats=False, batch statistics are used in both modes.

    The module updates the running statistics itself, by rebinding its read-only
    buffers, and calls F.batch_norm without them in training mode (F would write into
    them in place).
    """

    def __init__(
        self,
        num_features: int,
        eps: float = 1e-5,
        momentum: float | None = 0.1,
        affine: bool = True,
        track_running_stats: bool = True,
        *,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        self.num_features = _positive_int(num_features, "num_features", type(self).__name__)
        self.eps, self.momentum = eps, momentum
        self.affine, self.track_running_stats = affine, track_running_stats
        _affine_parameters(self, (num_features,) if affine else None, dtype)
        if track_running_stats:
            self.register_buffer("running_mean", np.zeros(num_features, dtype=dtype))
            self.register_buffer("running_var", np.ones(num_features, dtype=dtype))
            self.register_buffer("num_batches_tracked", np.array(0, dtype=np.int64))
        else:
            self.register_buffer("running_mean", None)
            self.register_buffer("running_var", None)
            self.register_buffer("num_batches_tracked", None)

    def _check(self, shape: tuple[int, ...]) -> None:
        raise NotImplementedError

    def reset_running_stats(self) -> None:
        if self.track_running_stats:
            self.running_mean = np.zeros_like(self.running_mean)
            self.running_var = np.ones_like(self.running_var)
            self.num_batches_tracked = np.array(0, dtype=np.int64)

    def forward(self, x: Any) -> Tensor:
        shape = _shape(x)
        self._check(shape)
        use_batch_stats = self.training or not self.track_running_stats
        if use_batch_stats and math.prod(shape) // shape[1] < 2:
            raise ValueError(
                f"{_label(self)}: expected more than 1 value per channel when training; got "
                f"input of shape {shape}. Use a batch of at least 2, or call .eval()."
            )
        if self.training and self.track_running_stats:
            self._update_running_stats(np.asarray(x.data if isinstance(x, Tensor) else x))
        if use_batch_stats:
            return F.batch_norm(x, None, None, self.weight, self.bias, training=True, eps=self.eps)
        return F.batch_norm(
            x,
            self.running_mean,
            self.running_var,
            self.weight,
            self.bias,
            training=False,
            eps=self.eps,
        )

    def _update_running_stats(self, v: np.ndarray) -> None:
        axes = (0, *range(2, v.ndim))
        n = v.size // v.shape[1]
        self.num_batches_tracked = self.num_batches_tracked + 1
        m = 1.0 / int(self.num_batches_tracked) if self.momentum is None else self.momentum
        mean = v.mean(axis=axes)
        unbiased = v.var(axis=axes) * (n / (n - 1))
        dtype = self.running_mean.dtype
        self.running_mean = ((1 - m) * self.running_mean + m * mean).astype(dtype)
        self.running_var = ((1 - m) * self.running_var + m * unbiased).astype(dtype)

    def extra_repr(self) -> str:
        return (
            f"{self.num_features}, eps={self.eps}, momentum={self.momentum}, "
            f"affine={self.affine}, track_running_stats={self.track_running_stats}"
        )


class BatchNorm1d(_BatchNorm):
    """Batch normalization over (N, C) or (N, C, L) input, per channel C."""

    def _check(self, shape: tuple[int, ...]) -> None:
        if len(shape) not in (2, 3) or shape[1] != self.num_features:
            raise ValueError(
                f"{_label(self)} (num_features={self.num_features}): expected an input of "
                f"shape (N, {self.num_features}) or (N, {self.num_features}, L); got {shape}."
            )


class BatchNorm2d(_BatchNorm):
    """Batch normalization over (N, C, H, W) input, per channel C."""

    def _check(self, shape: tuple[int, ...]) -> None:
        if len(shape) != 4 or shape[1] != self.num_features:
            raise ValueError(
                f"{_label(self)} (num_features={self.num_features}): expected an input of "
                f"shape (N, {self.num_features}, H, W); got {shape}."
            )


class LayerNorm(Module):
    """Normalize over the trailing `normalized_shape` axes of each example (biased
    variance), then scale by weight and shift by bias, both of that shape."""

    def __init__(
        self,
        normalized_shape: int | Sequence[int],
        eps: float = 1e-5,
        elementwise_affine: bool = True,
        bias: bool = True,
        *,
        dtype: Any = np.float32,
    ) -> None:
        super().__init__()
        if isinstance(normalized_shape, (int, np.integer)):
            normalized_shape = (int(normalized_shape),)
        self.normalized_shape = tuple(int(n) for n in normalized_shape)
        self.eps, self.elementwise_affine = eps, elementwise_affine
        shape = self.normalized_shape if elementwise_affine else None
        _affine_parameters(self, shape, dtype, bias=bias)

    def forward(self, x: Any) -> Tensor:
        shape = _shape(x)
        k = len(self.normalized_shape)
        if tuple(shape[len(shape) - k :]) != self.normalized_shape or len(shape) < k:
            raise ValueError(
                f"{_label(self)}: expected an input whose trailing axes are "
                f"{self.normalized_shape}; got shape {shape}."
            )
        return F.layer_norm(x, self.normalized_shape, self.weight, self.bias, eps=self.eps)

    def extra_repr(self) -> str:
        return (
            f"{self.normalized_shape}, eps={self.eps}, elementwise_affine={self.elementwise_affine}"
        )


# ---- losses -------------------------------------------------------------------------------


class _Loss(Module):
    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        if reduction not in ("mean", "sum", "none"):
            raise ValueError(
                f"{type(self).__name__}: reduction must be 'mean', 'sum' or 'none'; "
                f"got {reduction!r}."
            )
        self.reduction = reduction

    def extra_repr(self) -> str:
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """mean (or sum) of (input - target)^2."""

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002 - PyTorch's name
        return F.mse_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(_Loss):
    """Cross entropy of logits against class indices or class probabilities along `axis`."""

    def __init__(self, axis: int = -1, reduction: str = "mean") -> None:
        super().__init__(reduction)
        self.axis = axis

    def forward(self, logits: Any, target: Any) -> Tensor:
        return F.cross_entropy(logits, target, axis=self.axis, reduction=self.reduction)

    def extra_repr(self) -> str:
        parts = [f"axis={self.axis}"] if self.axis != -1 else []
        if self.reduction != "mean":
            parts.append(f"reduction={self.reduction!r}")
        return ", ".join(parts)


class NLLLoss(_Loss):
    """Negative log likelihood of log-probabilities at the target class indices."""

    def forward(self, log_probs: Any, target: Any) -> Tensor:
        return F.nll_loss(log_probs, target, reduction=self.reduction)


class BCELoss(_Loss):
    """Binary cross entropy of probabilities p against targets y in [0, 1]."""

    def forward(self, p: Any, y: Any) -> Tensor:
        return F.binary_cross_entropy(p, y, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross entropy of sigmoid(z) against y, computed stably from logits z."""

    def forward(self, z: Any, y: Any) -> Tensor:
        return F.binary_cross_entropy_with_logits(z, y, reduction=self.reduction)


class EuclideanLoss(Module):
    """sum((x - y)^2) / (2 * batch size)."""

    def forward(self, x: Any, y: Any) -> Tensor:
        return F.euclidean_loss(x, y)


class TotalVariation(Module):
    """Discrete total variation of (N, C, H, W) images (see F.total_variation)."""

    def __init__(self, eps: float = 0.0) -> None:
        super().__init__()
        self.eps = eps

    def forward(self, x: Any) -> Tensor:
        return F.total_variation(x, eps=self.eps)

    def extra_repr(self) -> str:
        return f"eps={self.eps}"


class GramMatrix(Module):
    """(C, N) -> X @ X.T; (B, C, H, W) -> (B, C, C) over flattened H*W; un-normalized."""

    def forward(self, x: Any) -> Tensor:
        return F.gram_matrix(x)
