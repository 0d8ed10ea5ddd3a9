"""Loss layers, calling `nn.functional.losses`."""

from __future__ import annotations

from typing import Any

from autograd_core.tensor import Tensor

from .. import functional as F
from ..functional._utils import check_reduction
from ._base import Layer


class _Loss(Layer):
    """A loss with a `reduction`: "mean" (the default), "sum" or "none"."""

    def __init__(self, reduction: str = "mean") -> None:
        super().__init__()
        check_reduction(reduction, self._function)
        self.reduction = reduction

    def extra_repr(self) -> str:
        return "" if self.reduction == "mean" else f"reduction={self.reduction!r}"


class MSELoss(_Loss):
    """mean (or sum) of (input - target)^2."""

    _function = "mse_loss"

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002 - PyTorch's name
        return F.mse_loss(input, target, reduction=self.reduction)


class CrossEntropyLoss(_Loss):
    """Cross entropy of logits against class indices or class probabilities along `axis`."""

    _function = "cross_entropy"

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

    _function = "nll_loss"

    def forward(self, log_probs: Any, target: Any) -> Tensor:
        return F.nll_loss(log_probs, target, reduction=self.reduction)


class BCELoss(_Loss):
    """Binary cross entropy of probabilities p against targets y in [0, 1]."""

    _function = "binary_cross_entropy"

    def forward(self, p: Any, y: Any) -> Tensor:
        return F.binary_cross_entropy(p, y, reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross entropy of sigmoid(z) against y, computed stably from logits z."""

    _function = "binary_cross_entropy_with_logits"

    def forward(self, z: Any, y: Any) -> Tensor:
        return F.binary_cross_entropy_with_logits(z, y, reduction=self.reduction)


class EuclideanLoss(Layer):
    """sum((x - y)^2) / (2 * batch size)."""

    _function = "euclidean_loss"

    def forward(self, x: Any, y: Any) -> Tensor:
        return F.euclidean_loss(x, y)


class TotalVariation(Layer):
    """Discrete total variation of (N, C, H, W) images (see F.total_variation)."""

    _function = "total_variation"

    def __init__(self, eps: float = 0.0) -> None:
        super().__init__()
        self.eps = eps

    def forward(self, x: Any) -> Tensor:
        return F.total_variation(x, eps=self.eps)

    def extra_repr(self) -> str:
        return f"eps={self.eps}"
