"""Dropout: a random mask, a constant of the graph."""

from __future__ import annotations

import numpy as np

from autograd_core import Tensor
from autograd_core.random import resolve

from ._utils import TensorLike, as_tensor, probability


def dropout(
    x: TensorLike,
    p: float = 0.5,
    training: bool = True,
    rng: np.random.Generator | int | None = None,
) -> Tensor:
    """Inverted dropout: y = x * m / (1 - p), m[i] ~ Bernoulli(1 - p), in training;
    y = x otherwise. dE/dx = delta * m / (1 - p).

    The mask is drawn from `rng` (a np.random.Generator or a seed), or from the engine's
    generator when rng is None, so `autograd_core.manual_seed` makes it reproducible.
    p = 1 gives zeros."""
    x = as_tensor(x)
    probability(p, "dropout")
    if not training or p == 0:
        return x
    keep = resolve(rng).random(x.shape) >= p
    dtype = x.dtype if x.dtype.kind == "f" else np.float64
    scale = np.zeros(x.shape, dtype) if p == 1 else keep.astype(dtype) / float(1 - p)
    return x * scale
