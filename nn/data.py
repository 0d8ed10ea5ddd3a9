"""`DataLoader`: mini-batches from NumPy arrays that share their first dimension."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from autograd_core.random import generator
from autograd_core.tensor import Tensor


class DataLoader:
    """Iterate over `arrays` in batches of `batch_size` along the first axis.

    `DataLoader(x, y, batch_size=32, shuffle=True, seed=0)` yields `(x_batch, y_batch)`
    tuples (a single array when one array is given). With `shuffle=True` each pass
    (epoch) uses a new permutation drawn from the loader's own Generator, so the sequence
    of epochs is reproducible for a given `seed` and independent of global NumPy state;
    with `seed=None` the permutations come from the engine's generator (the calling
    thread's, at each pass), so `autograd_core.manual_seed` makes them repeat.
    `drop_last=True` skips the final, smaller batch.

    Each array is an ndarray, a Tensor (its data is used) or a nested list of equal-length
    rows; a ragged list is refused with ValueError. `seed` is None (the engine's generator), a
    non-negative int, or anything else `np.random.default_rng` takes (a sequence of such
    ints, a SeedSequence); a `np.random.Generator` is used as is, so it is shared. Other
    seeds (a str, a float, a bool) are refused with TypeError, a negative int with
    ValueError.
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
                f"example); got shapes {shapes}, that is lengths "
                f"{', '.join(map(str, lengths))}. Give every array one row per example."
            )
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self._rng = None if seed is None else _generator(seed)

    @property
    def rng(self) -> np.random.Generator:
        """The Generator the next pass shuffles with: the loader's own, or the engine's
        generator when the loader was given no seed."""
        return self._rng if self._rng is not None else generator()

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
    if isinstance(a, Tensor):
        array = a.data
    else:
        try:
            array = np.asarray(a)
        except ValueError as err:  # NumPy's "inhomogeneous shape": a ragged nested list
            where = _ragged(a) if _is_sequence(a) else ""
            if not where:
                raise ValueError(
                    f"DataLoader: array {i} cannot be made into an ndarray: {err}"
                ) from None
            raise ValueError(
                f"DataLoader: array {i} is a ragged nested list ({where}), so it is not an "
                "array. Pad the rows to one length, or give an ndarray."
            ) from None
    if array.ndim == 0:
        raise ValueError(
            f"DataLoader: array {i} is a scalar; every array needs a first (example) axis."
        )
    return array


def _ragged(a: Any, path: str = "") -> str:
    """Where a nested sequence first has rows of different lengths, for the message:
    "row [0] has length 2 but row [1] has length 1"."""

    def size(row: Any) -> str:
        return f"has length {len(row)}" if _is_sequence(row) else "is a scalar"

    rows = list(a)
    for k, row in enumerate(rows[1:], start=1):
        if size(row) != size(rows[0]):
            return f"row {path}[0] {size(rows[0])} but row {path}[{k}] {size(row)}"
    for k, row in enumerate(rows):
        if _is_sequence(row):
            found = _ragged(row, f"{path}[{k}]")
            if found:
                return found
    return ""


def _is_sequence(x: Any) -> bool:
    if isinstance(x, (str, bytes)):
        return False
    try:
        len(x)
    except TypeError:  # no length, or a 0-d array
        return False
    return True


def _generator(seed: Any) -> np.random.Generator:
    """The loader's Generator: `seed` itself if it is one, else one seeded with it (by
    `np.random.default_rng`, so whatever that accepts works), refusing bools."""
    if isinstance(seed, np.random.Generator):
        return seed
    expected = "None, a non-negative int (or a sequence of them) or a np.random.Generator"
    got = f"got {seed!r} ({type(seed).__name__})"
    fix = "Pass an int such as seed=0."
    if isinstance(seed, bool):
        raise TypeError(f"DataLoader: seed must be {expected}; {got}. {fix}")
    try:
        return np.random.default_rng(seed)
    except TypeError:
        raise TypeError(f"DataLoader: seed must be {expected}; {got}. {fix}") from None
    except ValueError as err:  # a negative int, for one
        raise ValueError(f"DataLoader: seed must be {expected}; {got}: {err}. {fix}") from None
