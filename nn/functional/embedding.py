"""Lookup tables: embedding (rows of a weight picked by integer indices) and one_hot.

embedding(idx, weight) = weight[idx], one `ops.getitem` with an integer array: its vjp
scatter-adds the incoming rows back into a zero (num_embeddings, embedding_dim) array,
so an index that appears k times collects the sum of its k gradients,
dE/dweight[i] = sum over positions p with idx[p] = i of delta[p].
"""

from __future__ import annotations

from typing import Any

import numpy as np

import ops
from autograd_core import Tensor

from ._utils import TensorLike, as_tensor


def indices_of(idx: Any, fn: str) -> np.ndarray:
    """`idx` (an int, a nested list, an ndarray or a Tensor) as an integer array."""
    array = np.asarray(idx.data if isinstance(idx, Tensor) else idx)
    if array.dtype.kind not in "iu":
        raise TypeError(
            f"{fn}: indices must be integers; got dtype {array.dtype}. Convert them with "
            ".astype(np.int64)."
        )
    return array


def check_padding_idx(padding_idx: int | None, num_embeddings: int, fn: str) -> int | None:
    """padding_idx in [-num_embeddings, num_embeddings), as a non-negative row number
    (a negative one counts from the end, as in PyTorch)."""
    if padding_idx is None:
        return None
    if isinstance(padding_idx, bool) or not isinstance(padding_idx, (int, np.integer)):
        raise TypeError(f"{fn}: padding_idx must be an int or None; got {padding_idx!r}.")
    if not -num_embeddings <= padding_idx < num_embeddings:
        raise ValueError(
            f"{fn}: padding_idx must lie in [-{num_embeddings}, {num_embeddings - 1}] for "
            f"{num_embeddings} embeddings; got {padding_idx}."
        )
    return int(padding_idx) % num_embeddings


def embedding(idx: Any, weight: TensorLike, padding_idx: int | None = None) -> Tensor:
    """Rows of `weight` (num_embeddings, embedding_dim) at the integer indices `idx` of
    any shape: the result has shape idx.shape + (embedding_dim,), as PyTorch's
    F.embedding.

    Indices must lie in [0, num_embeddings). With `padding_idx`, the positions that hold
    it give weight[padding_idx] as a constant: that row receives no gradient."""
    fn = "embedding"
    weight = as_tensor(weight)
    if weight.ndim != 2:
        raise ValueError(
            f"{fn}: weight must be a 2-d table (num_embeddings, embedding_dim); got shape "
            f"{weight.shape}."
        )
    num = weight.shape[0]
    index = indices_of(idx, fn)
    if index.size and (index.min() < 0 or index.max() >= num):
        bad = index[(index < 0) | (index >= num)].reshape(-1)[0]
        raise IndexError(
            f"{fn}: index {bad} is out of range for a table of {num} embeddings (weight "
            f"{weight.shape}); indices must lie in [0, {num - 1}]. Make the table larger or "
            "map the index into range (for instance to an unknown-token row)."
        )
    rows = ops.getitem(weight, index)
    pad = check_padding_idx(padding_idx, num, fn)
    if pad is None:
        return rows
    at_pad = index == pad
    if not at_pad.any():
        return rows
    return ops.where(at_pad[..., None], weight.data[pad], rows)


def one_hot(idx: Any, num_classes: int = -1) -> Tensor:
    """out[..., c] = 1 where idx[...] == c, else 0: an int64 Tensor of shape
    idx.shape + (num_classes,), not differentiable, as PyTorch's F.one_hot.
    num_classes=-1 takes max(idx) + 1."""
    fn = "one_hot"
    index = indices_of(idx, fn)
    if isinstance(num_classes, bool) or not isinstance(num_classes, (int, np.integer)):
        raise TypeError(f"{fn}: num_classes must be an int; got {num_classes!r}.")
    if num_classes == -1:
        num_classes = int(index.max()) + 1 if index.size else 0
    if num_classes < 0:
        raise ValueError(f"{fn}: num_classes must be -1 or >= 0; got {num_classes}.")
    if index.size and (index.min() < 0 or index.max() >= num_classes):
        raise ValueError(
            f"{fn}: class values must lie in [0, {num_classes - 1}] for {num_classes} classes; "
            f"got values in [{index.min()}, {index.max()}]. Pass a larger num_classes."
        )
    return Tensor(index[..., None] == np.arange(num_classes)).astype(np.int64)
