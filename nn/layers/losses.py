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


class L1Loss(_Loss):
    """mean (or sum) of |input - target|."""

    _function = "l1_loss"

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002 - PyTorch's name
        return F.l1_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """0.5 d^2 / beta for |d| < beta, |d| - 0.5 beta elsewhere, reduced."""

    _function = "smooth_l1_loss"

    def __init__(self, reduction: str = "mean", beta: float = 1.0) -> None:
        super().__init__(reduction)
        F.smooth_l1_loss(0.0, 0.0, beta=beta)  # checks beta
        self.beta = beta

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002 - PyTorch's name
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """0.5 d^2 for |d| < delta, delta (|d| - 0.5 delta) elsewhere, reduced."""

    _function = "huber_loss"

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction)
        F.huber_loss(0.0, 0.0, delta=delta)  # checks delta
        self.delta = delta

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002 - PyTorch's name
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class KLDivLoss(Layer):
    """KL divergence of target from exp(input) (input holds log-probabilities); reduction
    "mean" (PyTorch's default, over elements), "batchmean", "sum" or "none"."""

    _function = "kl_div"

    def __init__(self, reduction: str = "mean", log_target: bool = False) -> None:
        super().__init__()
        F.kl_div(0.0, 0.0, reduction=reduction)  # checks the reduction
        self.reduction, self.log_target = reduction, log_target

    def forward(self, input: Any, target: Any) -> Tensor:  # noqa: A002 - PyTorch's name
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)

    def extra_repr(self) -> str:
        return f"reduction={self.reduction!r}, log_target={self.log_target}"


class CosineSimilarity(Layer):
    """Cosine similarity of x1 and x2 along `axis` (PyTorch's `dim=` is accepted too)."""

    _function = "cosine_similarity"

    def __init__(self, axis: int = 1, eps: float = 1e-8, *, dim: int | None = None) -> None:
        super().__init__()
        self.axis = axis if dim is None else dim
        self.eps = eps

    def forward(self, x1: Any, x2: Any) -> Tensor:
        return F.cosine_similarity(x1, x2, axis=self.axis, eps=self.eps)

    def extra_repr(self) -> str:
        return f"axis={self.axis}, eps={self.eps}"
