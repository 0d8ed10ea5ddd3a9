"""nn.data.DataLoader: batches, shuffling per epoch, seeds, checks."""

import numpy as np
import pytest

from nn.data import DataLoader

X = np.arange(20).reshape(10, 2)
Y = np.arange(10) * 10


def test_batches_in_order_with_a_short_last_batch():
    loader = DataLoader(X, Y, batch_size=4)
    batches = list(loader)
    assert len(loader) == len(batches) == 3
    assert [len(xb) for xb, _ in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([xb for xb, _ in batches]), X)
    np.testing.assert_array_equal(np.concatenate([yb for _, yb in batches]), Y)


def test_drop_last_and_a_single_array():
    loader = DataLoader(X, batch_size=4, drop_last=True)
    batches = list(loader)
    assert len(loader) == 2 and all(isinstance(b, np.ndarray) and len(b) == 4 for b in batches)
    assert len(DataLoader(X, batch_size=5, drop_last=True)) == 2
    assert len(DataLoader(X, batch_size=11)) == 1


def test_shuffle_keeps_pairs_together_and_reshuffles_each_epoch():
    loader = DataLoader(X, Y, batch_size=3, shuffle=True, seed=0)
    epochs = []
    for _ in range(3):
        xs, ys = zip(*loader, strict=True)
        xs, ys = np.concatenate(xs), np.concatenate(ys)
        np.testing.assert_array_equal(xs[:, 0] * 5, ys)  # rows stay paired
        assert sorted(ys.tolist()) == Y.tolist()  # every example once
        epochs.append(ys)
    assert not np.array_equal(epochs[0], epochs[1]) or not np.array_equal(epochs[1], epochs[2])
    assert not all(np.array_equal(e, Y) for e in epochs)


def test_the_seed_makes_epochs_reproducible_and_independent_of_global_state():
    def run(seed):
        loader = DataLoader(Y, batch_size=10, shuffle=True, seed=seed)
        return [next(iter(loader)).tolist() for _ in range(3)]

    first = run(7)
    np.random.seed(123)
    np.random.random(5)
    assert run(7) == first
    assert run(8) != first


def test_mismatched_lengths_and_bad_arguments_are_refused():
    with pytest.raises(ValueError, match=r"same first dimension.*\(10, 2\), \(9,\)"):
        DataLoader(X, Y[:9], batch_size=2)
    with pytest.raises(ValueError, match="batch_size must be >= 1"):
        DataLoader(X, batch_size=0)
    with pytest.raises(TypeError, match="batch_size must be an int"):
        DataLoader(X, batch_size=2.5)
    with pytest.raises(TypeError, match="batch_size"):
        DataLoader(X)  # batch_size is required
    with pytest.raises(ValueError, match="at least one array"):
        DataLoader(batch_size=2)
    with pytest.raises(ValueError, match="scalar"):
        DataLoader(np.float64(3.0), batch_size=2)
