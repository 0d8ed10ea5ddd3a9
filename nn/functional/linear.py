"""Matrix layers: fully connected and the Gram matrix.

For y = W x + b, "Back propagation reference" (section 6.1) gives dE/dx = W^T delta,
dE/dW = delta x^T and dE/db = delta (summed over the batch). `linear` checks its shapes
and calls `ops.affine`, whose three vjps are exactly those formulas (in the batched,
row-per-sample layout); the Gram matrix Y = X X^T is a composition, and the matmul's
derivative (dA = G B^T, dB = A^T G) gives that reference's dE/dX = (delta + delta^T) X
(section 6.2).
"""

from __future__ import annotations

import ops
from autograd_core import Tensor
from autograd_core.grad_mode import composite

from ._utils import TensorLike, as_tensor


def linear(x: TensorLike, weight: TensorLike, bias: TensorLike | None = None) -> Tensor:
    """y = x @ W^T + b, with x (..., in), W (out, in), b (out,) (PyTorch's layout).

    dE/dx = delta @ W, dE/dW = delta^T @ x, dE/db = delta summed over the batch
    (`ops.affine`, one graph node)."""
    fn = "linear"
    x, weight = as_tensor(x), as_tensor(weight)
    if weight.ndim != 2:
        raise ValueError(f"{fn}: weight must be (out_features, in_features); got {weight.shape}.")
    if x.ndim == 0 or x.shape[-1] != weight.shape[1]:
        raise ValueError(
            f"{fn}: the input's last axis must be in_features = {weight.shape[1]} for weight "
            f"{weight.shape}; got input {x.shape}. Flatten the input or change in_features."
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
    return ops.affine(*inputs)


@composite("gram_matrix")
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
