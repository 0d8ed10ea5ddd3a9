"""Matrix layers: fully connected and the Gram matrix (reference section 6).

For y = W x + b the reference gives dE/dx = W^T delta, dE/dW = delta x^T and
dE/db = delta (summed over the batch). `linear` is a fused primitive whose three vjps
are exactly those formulas (in the batched, row-per-sample layout); the Gram matrix
Y = X X^T is a composition, and the matmul's derivative (dA = G B^T, dB = A^T G) gives
the reference's dE/dX = (delta + delta^T) X.
"""

from __future__ import annotations

from typing import Any

import numpy as np

import ops
from autograd_core import Tensor
from autograd_core.engine import record

from ._utils import TensorLike, as_tensor


def linear(x: TensorLike, weight: TensorLike, bias: TensorLike | None = None) -> Tensor:
    """y = x @ W^T + b, with x (..., in), W (out, in), b (out,) (PyTorch's layout).

    dE/dx = delta @ W, dE/dW = delta^T @ x, dE/db = delta summed over the batch.

    A fused primitive (one graph node, the rules in `_LINEAR_VJPS`): as the composition
    matmul(x, transpose(W)) + b it made three nodes and kept one more activation-sized
    array alive per layer, about 5% of an MLP training step. The bias is added into the
    product's fresh array, and dW comes out contiguous in W's own layout."""
    fn = "linear"
    x, weight = as_tensor(x), as_tensor(weight)
    if weight.ndim != 2:
        raise ValueError(f"{fn}: weight must be (out_features, in_features); got {weight.shape}.")
    if x.ndim == 0 or x.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"{fn}: the input's last axis must be in_features = {weight.shape[1]} for weight "
            f"{weight.shape}; got input {x.shape}."
        )
    inputs: tuple[Tensor, ...] = (x, weight)
    if bias is not None:
        bias = as_tensor(bias)
        if bias.shape != (weight.shape[0],):
            raise ValueError(
                f"{fn}: bias must have shape ({weight.shape[0]},) = (out_features,); got "
                f"{bias.shape}."
            )
        inputs += (bias,)
    y = np.matmul(x.data, weight.data.T)
    if bias is not None:
        if np.result_type(y, bias.data) == y.dtype:
            y += bias.data  # y is new: nothing else holds it yet
        else:
            y = y + bias.data
    return record("linear", y, inputs, _LINEAR_VJPS[: len(inputs)])


def _rows(a: Any) -> Any:
    """(..., n) -> (rows, n): the batch axes flattened (an array or a Tensor)."""
    return a.reshape(-1, a.shape[-1])


# vjps of linear, as (g, y, x, weight[, bias]) -> gradient; arrays or Tensors.
_LINEAR_VJPS = (
    lambda g, y, x, w, *b: g @ w,  # dE/dx = delta W
    lambda g, y, x, w, *b: _rows(g).T @ _rows(x),  # dE/dW = delta^T x
    lambda g, y, x, w, b: _rows(g).sum(axis=0),  # dE/db = delta summed over the batch
)


def gram_matrix(x: TensorLike) -> Tensor:
    """Un-normalized Gram matrix G = X X^T, G[i, j] = <X_i, X_j>.

    (C, N) -> (C, C); (B, C, N) -> (B, C, C); (B, C, H, W) -> (B, C, C) over the flattened
    H*W. dE/dX = (delta + delta^T) X."""
    fn = "gram_matrix"
    x = as_tensor(x)
    if x.ndim == 4:
        x = ops.reshape(x, (x.shape[0], x.shape[1], -1))
    elif x.ndim not in (2, 3):
        raise ValueError(f"{fn}: expected (C, N), (B, C, N) or (B, C, H, W); got {x.shape}.")
    return x @ ops.swapaxes(x, -1, -2)
