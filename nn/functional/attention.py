"""Attention: scaled dot-product attention and multi-head attention, compositions of
matmul, softmax and `ops.where`, with PyTorch's shapes and mask conventions.

    scores  = q k^T * scale + mask            (..., L, S), scale = 1 / sqrt(E) by default
    weights = softmax(scores) along S         (rows with nothing to attend to give 0)
    out     = weights v                       (..., L, Ev)

The engine differentiates it: dv = weights^T delta, d weights = delta v^T, and through
the softmax d scores = weights * (d weights - sum_S(weights * d weights)), then
dq = d scores k * scale and dk = d scores^T q * scale. A masked-out score is replaced by
-inf with `ops.where` (a constant branch), so it receives exactly zero gradient.

Masks, as PyTorch: for `scaled_dot_product_attention` a bool mask marks with True the
positions that take part; for multi-head attention's `attn_mask` and
`key_padding_mask` a bool True marks the positions that are masked out. Float masks are
added to the scores in both (-inf masks out). A row of scores that is masked out
entirely gives zero weights and a zero output, as PyTorch's scaled_dot_product_attention
does (its MultiheadAttention gives NaN there).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

import ops
from autograd_core import Tensor
from autograd_core.grad_mode import composite

from ._utils import TensorLike, as_tensor, probability
from .activations import softmax
from .dropout import dropout as _dropout


def _mask_array(mask: Any, fn: str, name: str) -> Any:
    """A mask as a bool ndarray, or a float ndarray or Tensor; other dtypes refused."""
    if isinstance(mask, Tensor):
        if mask.dtype.kind == "b":
            return mask.data
        if mask.dtype.kind == "f":
            return mask
    else:
        mask = np.asarray(mask)
        if mask.dtype.kind in "bf":
            return mask
    raise TypeError(
        f"{fn}: {name} must be a bool mask or a float mask added to the scores; got dtype "
        f"{mask.dtype}. Convert an integer mask with mask.astype(bool)."
    )


def _check_broadcast(mask: Any, shape: tuple[int, ...], fn: str, name: str) -> None:
    try:
        fits = np.broadcast_shapes(mask.shape, shape) == shape
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(
            f"{fn}: {name} of shape {tuple(mask.shape)} does not broadcast to the attention "
            f"scores' shape {shape} (..., L, S) = (..., query length, key length); give a "
            f"mask of shape (L, S) = {shape[-2:]} or one that broadcasts to {shape}."
        )


def attention_weights(scores: Tensor, allowed: np.ndarray | None) -> Tensor:
    """softmax(scores) along the last axis, with the positions where `allowed` is False
    (a bool array broadcasting to the scores) set to -inf first; rows with no finite
    score give zero weights."""
    if allowed is not None:
        scores = ops.where(allowed, scores, -np.inf)
    dead = np.isneginf(scores.data).all(axis=-1, keepdims=True)
    if not dead.any():
        return softmax(scores, axis=-1)
    weights = softmax(ops.where(dead, 0.0, scores), axis=-1)
    return ops.where(dead, 0.0, weights)


def _attend(
    q: Tensor,
    k: Tensor,
    v: Tensor,
    allowed: np.ndarray | None,
    added: Any,
    dropout_p: float,
    scale: float,
    rng: Any,
) -> tuple[Tensor, Tensor]:
    scores = (q @ ops.swapaxes(k, -1, -2)) * scale
    if added is not None:
        if not isinstance(added, Tensor):  # a constant mask takes the scores' dtype, so
            added = np.asarray(added).astype(scores.dtype, copy=False)  # float32 stays float32
        scores = scores + added
    weights = attention_weights(scores, allowed)
    if dropout_p > 0:
        weights = _dropout(weights, dropout_p, rng=rng)
    return weights @ v, weights


@composite("scaled_dot_product_attention")
def scaled_dot_product_attention(
    q: TensorLike,
    k: TensorLike,
    v: TensorLike,
    attn_mask: Any = None,
    dropout_p: float = 0.0,
    is_causal: bool = False,
    scale: float | None = None,
    *,
    rng: Any = None,
) -> Tensor:
    """softmax(q k^T * scale + mask) v, as PyTorch's F.scaled_dot_product_attention.

    q (..., L, E), k (..., S, E), v (..., S, Ev) -> (..., L, Ev); the leading axes
    broadcast. scale defaults to 1 / sqrt(E). attn_mask broadcasts to (..., L, S): a bool
    mask keeps the positions that are True, a float mask is added to the scores.
    is_causal=True masks out the keys after each query (key j > query i, the upper
    triangle of an (L, S) mask), and cannot be combined with attn_mask. dropout_p > 0
    applies dropout to the weights (pass 0 in evaluation, as with PyTorch), drawing from
    `rng` or the engine's generator."""
    fn = "scaled_dot_product_attention"
    q, k, v = as_tensor(q), as_tensor(k), as_tensor(v)
    probability(dropout_p, fn)
    if min(q.ndim, k.ndim, v.ndim) < 2:
        raise ValueError(
            f"{fn}: q, k and v need at least two axes, (..., L, E), (..., S, E) and "
            f"(..., S, Ev); got {q.shape}, {k.shape} and {v.shape}."
        )
    if q.shape[-1] != k.shape[-1] or k.shape[-2] != v.shape[-2]:
        raise ValueError(
            f"{fn}: q (..., L, E) and k (..., S, E) must share E, and k and v (..., S, Ev) "
            f"must share S; got q {q.shape}, k {k.shape}, v {v.shape}."
        )
    try:
        lead = np.broadcast_shapes(q.shape[:-2], k.shape[:-2], v.shape[:-2])
    except ValueError:
        raise ValueError(
            f"{fn}: the leading (batch, head) axes of q {q.shape}, k {k.shape} and v "
            f"{v.shape} do not broadcast."
        ) from None
    shape = (*lead, q.shape[-2], k.shape[-2])
    allowed, added = None, None
    if is_causal:
        if attn_mask is not None:
            raise ValueError(
                f"{fn}: give either attn_mask or is_causal=True, not both (as PyTorch); fold "
                "the causal mask into attn_mask to combine them."
            )
        allowed = np.tril(np.ones(shape[-2:], dtype=bool))
    elif attn_mask is not None:
        mask = _mask_array(attn_mask, fn, "attn_mask")
        _check_broadcast(mask, shape, fn, "attn_mask")
        if mask.dtype.kind == "b":
            allowed = mask
        else:
            added = mask
    if scale is None:
        scale = 1 / math.sqrt(q.shape[-1]) if q.shape[-1] else 1.0
    out, _ = _attend(q, k, v, allowed, added, dropout_p, float(scale), rng)
    return out


# ---- multi-head attention ----------------------------------------------------------------


def _batch_major(x: Tensor, batch_first: bool, batched: bool) -> Tensor:
    """(N, L, E) from (L, N, E), (N, L, E) or an unbatched (L, E)."""
    if not batched:
        return ops.expand_dims(x, 0)
    return x if batch_first else ops.swapaxes(x, 0, 1)


def _reshaped(mask: Any, shape: tuple[int, ...]) -> Any:
    return ops.reshape(mask, shape) if isinstance(mask, Tensor) else mask.reshape(shape)


def _mha_mask(
    attn_mask: Any,
    key_padding_mask: Any,
    is_causal: bool,
    n: int,
    heads: int,
    lengths: tuple[int, int],
    batched: bool,
    fn: str,
) -> Any:
    """PyTorch's attn_mask and key_padding_mask (bool True = masked out, or float added)
    as one additive mask broadcasting to the scores (N, heads, L, S), or None."""
    length, source = lengths
    total: Any = None

    def add(mask: Any) -> None:
        nonlocal total
        if mask.dtype.kind == "b":
            mask = np.where(mask, -np.inf, 0.0)
        total = mask if total is None else total + mask

    if attn_mask is None and is_causal:
        attn_mask = ~np.tril(np.ones((length, source), dtype=bool))
    if attn_mask is not None:
        mask = _mask_array(attn_mask, fn, "attn_mask")
        shapes = [(length, source), (n * heads, length, source)]
        if tuple(mask.shape) not in shapes:
            raise ValueError(
                f"{fn}: attn_mask must have shape (L, S) = {shapes[0]} or (batch * num_heads, "
                f"L, S) = {shapes[1]}; got {tuple(mask.shape)}. A bool True masks a position "
                "out; a float mask is added to the scores."
            )
        add(mask if mask.ndim == 2 else _reshaped(mask, (n, heads, length, source)))
    if key_padding_mask is not None:
        mask = _mask_array(key_padding_mask, fn, "key_padding_mask")
        expected = (n, source) if batched else (source,)
        if tuple(mask.shape) != expected:
            raise ValueError(
                f"{fn}: key_padding_mask must have shape {expected} "
                f"({'(batch, S)' if batched else '(S,)'}, True where a key is padding); got "
                f"{tuple(mask.shape)}."
            )
        add(_reshaped(mask, (n, 1, 1, source)))
    return total


def multi_head_attention(
    query: TensorLike,
    key: TensorLike,
    value: TensorLike,
    num_heads: int,
    in_proj_weight: TensorLike | None,
    in_proj_bias: TensorLike | None,
    out_proj_weight: TensorLike,
    out_proj_bias: TensorLike | None,
    key_padding_mask: Any = None,
    need_weights: bool = True,
    attn_mask: Any = None,
    average_attn_weights: bool = True,
    is_causal: bool = False,
    dropout_p: float = 0.0,
    training: bool = True,
    batch_first: bool = False,
    q_proj_weight: TensorLike | None = None,
    k_proj_weight: TensorLike | None = None,
    v_proj_weight: TensorLike | None = None,
    rng: Any = None,
) -> tuple[Tensor, Tensor | None]:
    """Multi-head attention as PyTorch's MultiheadAttention computes it:

        q, k, v = query W_q^T + b_q, key W_k^T + b_k, value W_v^T + b_v
        head_i  = softmax(q_i k_i^T / sqrt(d) + mask) v_i     (d = E / num_heads)
        out     = concat(head_1, ..., head_h) W_o^T + b_o

    with [W_q; W_k; W_v] = in_proj_weight (3E, E) and [b_q; b_k; b_v] = in_proj_bias (3E,)
    (or q/k/v_proj_weight when key and value have other sizes). query (L, N, E), key
    (S, N, kdim), value (S, N, vdim), (N, L, E) ... with batch_first, or unbatched (L, E).
    Returns (out, weights): out like query; weights (N, L, S) averaged over the heads,
    (N, heads, L, S) with average_attn_weights=False, (L, S) ... unbatched, or None with
    need_weights=False. Dropout (dropout_p, in training) applies to the weights, and the
    returned weights are those after dropout, as in PyTorch."""
    fn = "multi_head_attention"
    query, key, value = as_tensor(query), as_tensor(key), as_tensor(value)
    probability(dropout_p, fn)
    batched = query.ndim == 3
    if query.ndim not in (2, 3) or key.ndim != query.ndim or value.ndim != query.ndim:
        layout = "(N, L, E)" if batch_first else "(L, N, E)"
        raise ValueError(
            f"{fn}: query, key and value must all be batched, query {layout}, or all "
            f"unbatched, query (L, E); got {query.shape}, {key.shape} and {value.shape}."
        )
    q_in, k_in, v_in = (_batch_major(t, batch_first, batched) for t in (query, key, value))
    n, length, embed = q_in.shape
    source = k_in.shape[1]
    if k_in.shape[:2] != v_in.shape[:2] or k_in.shape[0] != n:
        raise ValueError(
            f"{fn}: key and value must have the same batch and sequence length as each "
            f"other, and the query's batch; got query {query.shape}, key {key.shape}, value "
            f"{value.shape}."
        )
    if embed % num_heads:
        raise ValueError(f"{fn}: embed_dim ({embed}) must be divisible by num_heads ({num_heads}).")
    head = embed // num_heads
    b = None if in_proj_bias is None else as_tensor(in_proj_bias)
    if b is not None and b.shape != (3 * embed,):
        raise ValueError(
            f"{fn}: in_proj_bias must have shape (3 * embed_dim,) = ({3 * embed},); got {b.shape}."
        )
    if in_proj_weight is not None:
        w = as_tensor(in_proj_weight)
        if w.shape != (3 * embed, embed):
            raise ValueError(
                f"{fn}: in_proj_weight must have shape (3 * embed_dim, embed_dim) = "
                f"({3 * embed}, {embed}); got {w.shape}."
            )
        if query is key is value:  # self-attention: one matmul, split afterwards
            qkv = ops.affine(q_in, w) if b is None else ops.affine(q_in, w, b)
            q, k, v = (ops.reshape(t, (n, length, num_heads, head)) for t in _thirds(qkv))
        else:
            weights = _thirds(w, axis=0)
            biases = [None] * 3 if b is None else _thirds(b)
            q, k, v = _projected((q_in, k_in, v_in), weights, biases, num_heads, head)
    else:
        weights = [as_tensor(p) for p in (q_proj_weight, k_proj_weight, v_proj_weight)]
        biases = [None] * 3 if b is None else _thirds(b)
        q, k, v = _projected((q_in, k_in, v_in), weights, biases, num_heads, head)
    q, k, v = (ops.transpose(t, (0, 2, 1, 3)) for t in (q, k, v))  # (N, heads, len, head)
    mask = _mha_mask(
        attn_mask, key_padding_mask, is_causal, n, num_heads, (length, source), batched, fn
    )
    rate = dropout_p if training else 0.0
    out, weights = _attend(q, k, v, None, mask, rate, 1 / math.sqrt(head), rng)
    out = ops.reshape(ops.transpose(out, (0, 2, 1, 3)), (n, length, embed))
    out_w = as_tensor(out_proj_weight)
    out = (
        ops.affine(out, out_w)
        if out_proj_bias is None
        else ops.affine(out, out_w, as_tensor(out_proj_bias))
    )
    if not batched:
        out = ops.squeeze(out, 0)
    elif not batch_first:
        out = ops.swapaxes(out, 0, 1)
    if not need_weights:
        return out, None
    if average_attn_weights:
        weights = ops.mean(weights, axis=1)
    return out, (weights if batched else ops.squeeze(weights, 0))


def _thirds(x: Tensor, axis: int = -1) -> list[Tensor]:
    """The three equal parts of `x` along axis 0 or the last axis (q, k, v)."""
    size = x.shape[axis] // 3
    if axis == 0:
        return [x[i * size : (i + 1) * size] for i in range(3)]
    return [x[..., i * size : (i + 1) * size] for i in range(3)]


def _projected(
    inputs: tuple[Tensor, Tensor, Tensor],
    weights: list[Tensor],
    biases: list[Any],
    heads: int,
    head: int,
) -> list[Tensor]:
    """q, k, v projected and split into heads, (N, length, heads, head)."""
    out = []
    dims = {"q": "embed_dim", "k": "kdim", "v": "vdim"}
    for x, w, b, name in zip(inputs, weights, biases, "qkv", strict=True):
        if w.ndim != 2 or w.shape != (heads * head, x.shape[-1]):
            raise ValueError(
                f"multi_head_attention: the {name} projection weight {w.shape} does not fit "
                f"the {name} input with {x.shape[-1]} features; it must be "
                f"({heads * head}, {x.shape[-1]}) = (embed_dim, {dims[name]})."
            )
        y = ops.affine(x, w) if b is None else ops.affine(x, w, b)
        out.append(ops.reshape(y, (x.shape[0], x.shape[1], heads, head)))
    return out
