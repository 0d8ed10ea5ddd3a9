"""DataLoader given inputs that are not arrays or seeds: each is refused with an error
that names DataLoader, the argument, what was given and what to do, instead of NumPy's
own message."""

from __future__ import annotations

import numpy as np
import pytest

from autograd_core import Tensor
from nn.data import DataLoader


@pytest.mark.parametrize(
    "data, where",
    [
        ([[1, 2], [3]], "row [0] has length 2 but row [1] has length 1"),
        ([[1, 2]] * 20 + [[3]], "row [0] has length 2 but row [20] has length 1"),
        ([[1, 2], 3], "row [0] has length 2 but row [1] is a scalar"),
        ([[[1, 2], [3, 4]], [[5, 6], [7]]], "row [1][0] has length 2 but row [1][1] has length 1"),
        ([np.zeros(2), np.zeros(3)], "row [0] has length 2 but row [1] has length 3"),
    ],
    ids=["two-rows", "row-20", "scalar-row", "nested", "arrays"],
)
def test_a_ragged_list_is_refused_with_the_rows_that_differ(data, where):
    with pytest.raises(ValueError) as err:
        DataLoader(np.zeros((2, 1)), data, batch_size=1)
    message = str(err.value)
    assert message.startswith("DataLoader: array 1 is a ragged nested list"), message
    assert where in message and "Pad the rows to one length" in message, message


def test_lists_with_rows_of_one_length_are_still_accepted():
    loader = DataLoader([[1, 2], [3, 4], [5, 6]], ["a", "bc", "d"], batch_size=2)
    xb, yb = next(iter(loader))
    assert xb.tolist() == [[1, 2], [3, 4]] and yb.tolist() == ["a", "bc"]


@pytest.mark.parametrize(
    "seed, kind, given",
    [
        ("abc", TypeError, "got 'abc' (str)"),
        (1.5, TypeError, "got 1.5 (float)"),
        (True, TypeError, "got True (bool)"),
        ([0.5], TypeError, "got [0.5] (list)"),
        (-1, ValueError, "got -1"),
    ],
    ids=["str", "float", "bool", "list", "negative"],
)
def test_a_seed_that_is_not_a_non_negative_int_or_generator_is_refused(seed, kind, given):
    with pytest.raises(kind) as err:
        DataLoader(np.arange(4), batch_size=2, shuffle=True, seed=seed)
    message = str(err.value)
    assert message.startswith("DataLoader: seed must be"), message
    assert "non-negative int" in message and given in message, message


def test_seeds_that_numpy_accepts_still_work():
    a = DataLoader(np.arange(6), batch_size=6, shuffle=True, seed=np.int64(3))
    b = DataLoader(np.arange(6), batch_size=6, shuffle=True, seed=np.random.SeedSequence(3))
    assert next(iter(a)).tolist() == next(iter(b)).tolist()
    generator = np.random.default_rng(3)
    assert DataLoader(np.arange(6), batch_size=1, seed=generator).rng is generator
    assert DataLoader(np.arange(6), batch_size=1, seed=[1, 2]).rng is not None
    assert DataLoader(np.arange(6), batch_size=1, seed=None).rng is not None


def test_arrays_of_different_lengths_are_refused_with_the_lengths():
    with pytest.raises(ValueError) as err:
        DataLoader(np.zeros((10, 2)), Tensor(np.zeros(9)), [1, 2, 3], batch_size=2)
    message = str(err.value)
    assert message.startswith("DataLoader: all arrays must have the same first dimension")
    assert "shapes (10, 2), (9,), (3,)" in message and "lengths 10, 9, 3" in message
    assert "one row per example" in message
