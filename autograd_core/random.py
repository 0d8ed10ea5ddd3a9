"""The engine's random numbers: one generator that `manual_seed` resets.

Initialisers, dropout, data shuffling and the random creation functions draw from
`generator()` unless they are given an `rng=` of their own, so after
`manual_seed(seed)` a whole run repeats exactly. Each thread has its own generator
(seeded from the last `manual_seed` and the order in which threads first draw), so two
threads never interleave draws from one stream.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np


class _Streams(threading.local):
    def __init__(self) -> None:
        self.generator = _fresh()


_lock = threading.Lock()
_seed: list[Any] = [None]  # the last manual_seed (None: fresh entropy)
_spawned = [0]  # threads that made their generator since that seed


def _fresh() -> np.random.Generator:
    with _lock:
        seed, k = _seed[0], _spawned[0]
        _spawned[0] += 1
    if seed is None:
        return np.random.default_rng()
    return np.random.default_rng([seed, k]) if k else np.random.default_rng(seed)


_streams = _Streams()


def manual_seed(seed: int) -> np.random.Generator:
    """Seed the engine's generator (PyTorch's `torch.manual_seed`): every draw after it
    that does not pass its own `rng=` repeats exactly. Returns the generator."""
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise TypeError(f"manual_seed: seed must be a non-negative int; got {seed!r}.")
    with _lock:
        _seed[0], _spawned[0] = int(seed), 1
    _streams.generator = np.random.default_rng(int(seed))
    return _streams.generator


def generator() -> np.random.Generator:
    """The calling thread's generator (the one `manual_seed` seeds)."""
    return _streams.generator


def resolve(rng: Any = None) -> np.random.Generator:
    """`rng` itself when it is a Generator, a new one seeded with it when it is a seed,
    and the engine's generator when it is None."""
    if rng is None:
        return _streams.generator
    if isinstance(rng, np.random.Generator):
        return rng
    return np.random.default_rng(rng)
