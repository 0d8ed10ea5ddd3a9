"""Input arrays for the op tests, each kept where finite differences are valid.

Central differences with eps = 1e-6 are only meaningful where the function is smooth
within eps of the point, so every maker keeps a margin from the kinks and singularities
of the ops it feeds:

- `normal`: any real value (smooth ops: exp, tanh, add, ...);
- `positive`: in [0.5, 2], for log, sqrt, a divisor, the base of a power;
- `distinct`: a shuffled grid 0.15 + 0.3 k, so no value is within 0.15 of 0 (abs, relu,
  sign), no two values tie (max, min) and none is within 0.05 of +-0.5 (clip bounds);
- `shifted`: the grid 0.25 + 0.3 k, always >= 0.1 from any `distinct` value, so
  maximum/minimum of the two never tie;
- `unit`, `above_one`, `signed_positive`: inside the domains of arcsin/arccos/arctanh,
  of arccosh, and clear of 0 on either side (a divisor of mod and fmod).
"""

from __future__ import annotations

import numpy as np

Shape = tuple[int, ...]


def _size(shape: Shape) -> int:
    return int(np.prod(shape, dtype=int))


def normal(shape: Shape, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape)


def positive(shape: Shape, seed: int = 0) -> np.ndarray:
    return np.random.default_rng(seed).uniform(0.5, 2.0, shape)


def distinct(shape: Shape, seed: int = 0) -> np.ndarray:
    n = _size(shape)
    grid = 0.15 + 0.3 * (np.arange(n) - n // 2)
    return np.random.default_rng(seed).permutation(grid).reshape(shape)


def shifted(shape: Shape, seed: int = 1) -> np.ndarray:
    return distinct(shape, seed) + 0.1


def shape_id(shape: Shape) -> str:
    """A compact test id for a shape: (3, 1, 4) -> '3x1x4', () -> '0d'."""
    return "x".join(map(str, shape)) if shape else "0d"


def unit(shape: Shape, seed: int = 0) -> np.ndarray:
    """In [-0.9, 0.9]: inside the domain of arcsin, arccos and arctanh, clear of +-1."""
    return np.random.default_rng(seed).uniform(-0.9, 0.9, shape)


def above_one(shape: Shape, seed: int = 0) -> np.ndarray:
    """In [1.2, 3]: inside the domain of arccosh, clear of 1."""
    return np.random.default_rng(seed).uniform(1.2, 3.0, shape)


def signed_positive(shape: Shape, seed: int = 0) -> np.ndarray:
    """+-[0.5, 2] with random signs: a divisor clear of 0 on both sides."""
    r = np.random.default_rng(seed)
    return r.uniform(0.5, 2.0, shape) * r.choice([-1.0, 1.0], shape)
