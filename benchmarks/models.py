"""The MLP and the CNN, written once for both the engine and PyTorch.

The engine's public API mirrors PyTorch's names (`nn.Sequential`, `nn.Linear`,
`F.conv2d`, `F.cross_entropy`, `optim.SGD`, `loss.backward()`, `p.grad`), so one
definition drives both; a `Framework` holds the few things that differ (the modules to
use and how to make a tensor from an array). The hand-written NumPy versions are in
`numpy_reference.py`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from .data import LR, MLP_SIZES


@dataclass(frozen=True)
class Framework:
    name: str
    nn: Any  # Sequential, Linear, ReLU
    F: Any  # conv2d, relu, max_pool2d, linear, cross_entropy
    sgd: Any  # SGD(params, lr=...)
    tensor: Callable[[np.ndarray], Any]  # an input, copied
    leaf: Callable[[np.ndarray], Any]  # a parameter that requires grad, copied


def engine() -> Framework:
    """This project, through its public API only."""
    import nn
    import nn.functional as F
    from autograd_core import Tensor

    return Framework(
        "engine",
        nn,
        F,
        nn.optim.SGD,
        Tensor,
        lambda a: Tensor(a, requires_grad=True),
    )


def torch_cpu() -> Framework:
    """PyTorch on the CPU, threads pinned like the BLAS."""
    from .frameworks import torch_module

    torch = torch_module()
    return Framework(
        "torch",
        torch.nn,
        torch.nn.functional,
        torch.optim.SGD,
        lambda a: torch.tensor(a),
        lambda a: torch.tensor(a, requires_grad=True),
    )


def mlp_module(fw: Framework, sizes: Sequence[int] = MLP_SIZES) -> Any:
    """Linear - ReLU - ... - Linear as fw.nn.Sequential (no activation after the last)."""
    layers: list[Any] = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        layers += [fw.nn.Linear(fan_in, fan_out), fw.nn.ReLU()]
    return fw.nn.Sequential(*layers[:-1])


def cnn_forward(F: Any, params: Sequence[Any], x: Any) -> Any:
    """conv 3x3 pad 1 - ReLU - maxpool 2 - conv 3x3 pad 1 - ReLU - maxpool 2 - linear."""
    k1, c1, k2, c2, w, b = params
    h = F.max_pool2d(F.relu(F.conv2d(x, k1, c1, padding=1)), 2)
    h = F.max_pool2d(F.relu(F.conv2d(h, k2, c2, padding=1)), 2)
    return F.linear(h.reshape(h.shape[0], -1), w, b)


class Trainer:
    """Mean cross-entropy of `forward(x)`, its backward, and a plain SGD update."""

    def __init__(
        self, fw: Framework, forward: Callable[[Any], Any], params: list[Any], lr: float = LR
    ) -> None:
        self.fw, self.forward, self.params = fw, forward, params
        self.optimizer = fw.sgd(params, lr=lr)

    def inputs(self, x: np.ndarray, y: np.ndarray) -> tuple[Any, Any]:
        """A batch as this framework's tensors (converted once, outside any timing)."""
        return self.fw.tensor(x), self.fw.tensor(y)

    def forward_backward(self, x: Any, y: Any) -> float:
        self.optimizer.zero_grad()
        loss = self.fw.F.cross_entropy(self.forward(x), y)
        loss.backward()
        return loss.item()

    def update(self) -> None:
        self.optimizer.step()

    def gradients(self) -> list[np.ndarray]:
        return [np.array(p.grad.numpy()) for p in self.params]

    def values(self) -> list[np.ndarray]:
        return [np.array(p.detach().numpy()) for p in self.params]


def mlp_trainer(fw: Framework, params: list[np.ndarray], lr: float = LR) -> Trainer:
    """The MLP as fw.nn modules, loaded with `params` ([W1, b1, W2, b2, ...])."""
    sizes = [params[0].shape[1]] + [w.shape[0] for w in params[0::2]]
    model = mlp_module(fw, sizes)
    names = [name for name, _ in model.named_parameters()]
    model.load_state_dict({n: fw.tensor(p) for n, p in zip(names, params, strict=True)})
    return Trainer(fw, model, list(model.parameters()), lr)


def cnn_trainer(fw: Framework, params: list[np.ndarray], lr: float = LR) -> Trainer:
    """The CNN as fw.F calls on leaf tensors made from `params` ([K1, c1, K2, c2, W, b])."""
    leaves = [fw.leaf(p) for p in params]
    return Trainer(fw, lambda x: cnn_forward(fw.F, leaves, x), leaves, lr)


# ---- character language models (lstm_lm_step, transformer_step) ---------------------------

LM_VOCAB = 96  # characters
LM_CONTEXT = 64  # characters per window
LM_BATCH = 32
LSTM_LM_SIZES = (64, 256)  # embedding, hidden
TRANSFORMER_SIZES = (128, 4, 512)  # d_model, heads, feed-forward


def lm_batch(seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(x, y): LM_BATCH windows of LM_CONTEXT random character ids and the same shifted
    by one (flattened, one target per position)."""
    ids = np.random.default_rng(seed).integers(0, LM_VOCAB, (LM_BATCH, LM_CONTEXT + 1))
    return ids[:, :-1], ids[:, 1:].reshape(-1)


def _load_seeded(fw: Framework, model: Any, seed: int) -> None:
    """Every parameter U(-0.1, 0.1) from one seeded stream, in state_dict order: the
    names and shapes are the same in both frameworks, so are the values."""
    rng = np.random.default_rng(seed)
    state = {
        name: fw.tensor(rng.uniform(-0.1, 0.1, tuple(value.shape)).astype(np.float32))
        for name, value in model.state_dict().items()
    }
    model.load_state_dict(state)


def lstm_lm_trainer(fw: Framework, seed: int = 0, lr: float = LR) -> Trainer:
    """Embedding -> LSTM (batch_first) -> Linear, mean cross-entropy over every position."""
    dim, hidden = LSTM_LM_SIZES
    model = fw.nn.ModuleDict(
        {
            "embed": fw.nn.Embedding(LM_VOCAB, dim),
            "lstm": fw.nn.LSTM(dim, hidden, batch_first=True),
            "head": fw.nn.Linear(hidden, LM_VOCAB),
        }
    )
    _load_seeded(fw, model, seed)

    def forward(x: Any) -> Any:
        out, _ = model["lstm"](model["embed"](x))
        return model["head"](out).reshape(-1, LM_VOCAB)

    return Trainer(fw, forward, list(model.parameters()), lr)


def transformer_trainer(fw: Framework, seed: int = 0, lr: float = LR) -> Trainer:
    """Token and position embeddings -> one pre-norm TransformerEncoderLayer (causal
    mask, no dropout) -> LayerNorm -> Linear, mean cross-entropy over every position."""
    dim, heads, ff = TRANSFORMER_SIZES
    model = fw.nn.ModuleDict(
        {
            "embed": fw.nn.Embedding(LM_VOCAB, dim),
            "position": fw.nn.Embedding(LM_CONTEXT, dim),
            "block": fw.nn.TransformerEncoderLayer(
                dim, heads, ff, dropout=0.0, batch_first=True, norm_first=True
            ),
            "norm": fw.nn.LayerNorm(dim),
            "head": fw.nn.Linear(dim, LM_VOCAB),
        }
    )
    _load_seeded(fw, model, seed)
    positions = fw.tensor(np.arange(LM_CONTEXT))
    causal = fw.tensor(np.triu(np.ones((LM_CONTEXT, LM_CONTEXT), dtype=bool), k=1))

    def forward(x: Any) -> Any:
        h = model["embed"](x) + model["position"](positions)
        h = model["block"](h, src_mask=causal, is_causal=True)
        return model["head"](model["norm"](h)).reshape(-1, LM_VOCAB)

    return Trainer(fw, forward, list(model.parameters()), lr)
