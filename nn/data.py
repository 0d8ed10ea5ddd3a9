"""`DataLoader`: mini-batches from NumPy arrays that share their first dimension."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from autograd_core.tensor import Tensor


class DataLoader:
    """Iterate over `arrays` in batches of `batch_size` along the first axis.

    `DataLoader(x, y, batch_size=32, shuffle=True, seed=0)` yields `(x_batch, y_batch)`
    tuples (a single array when one array is given). With `shuffle=True` each pass
    (epoch) uses a new permutation drawn from the loader's own Generator, so the sequence
    of epochs is reproducible for a given `seed` and independent of global NumPy state.
    `drop_last=True` skips the final, smaller batch.
    """

    def __init__(
        self,
        *arrays: Any,
        batch_size: int,
        shuffle: bool = False,
        seed: int | np.random.Generator | None = None,
        drop_last: bool = False,
    ) -> None:
        if not arrays:
            raise ValueError("DataLoader needs at least one array, e.g. DataLoader(x, y, ...).")
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)):
            raise TypeError(f"DataLoader: batch_size must be an int; got {batch_size!r}.")
        if batch_size < 1:
            raise ValueError(f"DataLoader: batch_size must be >= 1; got {batch_size}.")
        self.arrays = tuple(_as_array(a, i) for i, a in enumerate(arrays))
        lengths = [len(a) for a in self.arrays]
        if len(set(lengths)) > 1:
            shapes = ", ".join(str(a.shape) for a in self.arrays)
            raise ValueError(
                f"DataLoader: all arrays must have the same first dimension (one row per "
                f"example); got shapes {shapes}."
            )
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.rng = np.random.default_rng(seed)

    @property
    def num_examples(self) -> int:
        return len(self.arrays[0])

    def __len__(self) -> int:
        """The number of batches per epoch."""
        n, b = self.num_examples, self.batch_size
        return n // b if self.drop_last else -(-n // b)

    def __iter__(self) -> Iterator[Any]:
        n, b = self.num_examples, self.batch_size
        order = self.rng.permutation(n) if self.shuffle else None
        for start in range(0, len(self) * b, b):
            if order is None:
                batch = tuple(a[start : start + b] for a in self.arrays)
            else:
                index = order[start : start + b]
                batch = tuple(a[index] for a in self.arrays)
            yield batch if len(batch) > 1 else batch[0]


def _as_array(a: Any, i: int) -> np.ndarray:
    array = a.data if isinstance(a, Tensor) else np.asarray(a)
    if array.ndim == 0:
        raise ValueError(
            f"DataLoader: array {i} is a scalar; every array needs a first (example) axis."
        )
    return array
