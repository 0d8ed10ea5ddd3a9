"""The demo's second task, `autograd-demo --task charlm`: character-level language models
on Python's reference documentation (`pydoc_data.topics`, part of the standard library).

An LSTM and a one-block transformer (causal self-attention) learn to predict the next
character, trained with AdamW, a one-cycle learning-rate schedule and gradient clipping
(the models of notebook 08). The demo prints each model's held-out loss in nats per
character against the bigram table's, then text each model writes from a prompt, and
writes to `--output`:

- `charlm_curves.png`: training and held-out loss per step of both models;
- `lstm_lm.npz`, `transformer_lm.npz`: the trained weights (`nn.save`).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

import autograd_core
import nn
import nn.functional as F
from autograd_core import Tensor, no_grad

CONTEXT = 32  # characters per training window
BATCH = 32
PROMPT = 'The "for" statement'


@dataclass
class Corpus:
    """The text as character indices, split 90/10 into training and held-out parts."""

    chars: list[str]
    train: np.ndarray
    val: np.ndarray

    @property
    def vocab(self) -> int:
        return len(self.chars)

    def encode(self, text: str) -> list[int]:
        index = {c: i for i, c in enumerate(self.chars)}
        return [index[c] for c in text]

    def decode(self, ids: Any) -> str:
        return "".join(self.chars[i] for i in ids)


def load_corpus() -> Corpus:
    from pydoc_data.topics import topics

    text = "".join(topics[name] for name in sorted(topics))
    chars = sorted(set(text))
    index = {c: i for i, c in enumerate(chars)}
    ids = np.array([index[c] for c in text], dtype=np.int64)
    split = int(0.9 * len(ids))
    return Corpus(chars, ids[:split], ids[split:])


def windows(
    source: np.ndarray, count: int, rng: np.random.Generator, length: int = CONTEXT
) -> tuple[np.ndarray, np.ndarray]:
    """`count` random windows of `length` characters and the same shifted by one."""
    start = rng.integers(0, len(source) - length - 1, count)
    x = np.stack([source[s : s + length] for s in start])
    y = np.stack([source[s + 1 : s + length + 1] for s in start])
    return x, y


class LSTMLanguageModel(nn.Module):
    """Embedding -> LSTM -> Linear to next-character logits, (N, T) -> (N, T, vocab)."""

    def __init__(self, vocab: int, dim: int = 32, hidden: int = 128) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.lstm = nn.LSTM(dim, hidden, batch_first=True)
        self.head = nn.Linear(hidden, vocab)

    def forward(self, x: Any) -> Tensor:
        out, _ = self.lstm(self.embed(x))
        return self.head(out)


class TransformerLanguageModel(nn.Module):
    """Character and position embeddings -> one pre-norm TransformerEncoderLayer with a
    causal mask -> LayerNorm -> Linear, (N, T) -> (N, T, vocab), T <= CONTEXT."""

    def __init__(self, vocab: int, dim: int = 64, heads: int = 4) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.position = nn.Embedding(CONTEXT, dim)
        self.block = nn.TransformerEncoderLayer(
            dim, heads, dim_feedforward=4 * dim, dropout=0.0, batch_first=True, norm_first=True
        )
        self.norm = nn.LayerNorm(dim)
        self.head = nn.Linear(dim, vocab)

    def forward(self, x: Any) -> Tensor:
        x = np.asarray(x)
        h = self.embed(x) + self.position(np.arange(x.shape[1]))
        return self.head(self.norm(self.block(h, is_causal=True)))


@dataclass
class LMHistory:
    name: str
    loss: list[float] = field(default_factory=list)
    val: list[tuple[int, float]] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class CharLMResult:
    """Returned by `run`: held-out losses, the bigram's, samples, histories, files."""

    val_loss: dict[str, float]
    bigram_loss: float
    samples: dict[str, str]
    histories: dict[str, LMHistory]
    files: list[Path]


def held_out_loss(model: nn.Module, x: np.ndarray, y: np.ndarray) -> float:
    model.eval()
    with no_grad():
        value = F.cross_entropy(model(x), y).item()
    model.train()
    return value


def train(
    name: str,
    model: nn.Module,
    corpus: Corpus,
    steps: int,
    lr: float,
    rng: np.random.Generator,
    held_out: tuple[np.ndarray, np.ndarray],
    progress: Callable[..., Any],
) -> LMHistory:
    optimizer = nn.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    schedule = nn.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=steps)
    history = LMHistory(name)
    every = max(steps // 8, 1)
    start = time.perf_counter()
    bar = progress(range(1, steps + 1), desc=f"{name:>11}", unit="step")
    for step in bar:
        x, y = windows(corpus.train, BATCH, rng)
        loss = F.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
        optimizer.step()
        schedule.step()
        history.loss.append(loss.item())
        if step % every == 0 or step == steps:
            history.val.append((step, held_out_loss(model, *held_out)))
            if hasattr(bar, "set_postfix"):
                bar.set_postfix(
                    loss=f"{history.loss[-1]:.3f}", held_out=f"{history.val[-1][1]:.3f}"
                )
    history.seconds = time.perf_counter() - start
    return history


def sample(
    model: nn.Module, corpus: Corpus, length: int, rng: np.random.Generator, temperature: float
) -> str:
    """The prompt continued by `length` characters drawn from the model's predictions
    (softmax of logits / temperature), reading at most CONTEXT characters back."""
    ids = corpus.encode(PROMPT)
    model.eval()
    with no_grad():
        for _ in range(length):
            logits = model(np.array([ids[-CONTEXT:]])).data[0, -1] / temperature
            p = np.exp(logits - logits.max())
            ids.append(int(rng.choice(corpus.vocab, p=p / p.sum())))
    model.train()
    return corpus.decode(ids)


def write_curves(histories: list[LMHistory], bigram: float, path: Path) -> Path:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8, 4.5))
    FigureCanvasAgg(fig)
    ax = fig.subplots()
    for k, h in enumerate(histories):
        width = min(20, len(h.loss))
        smooth = np.convolve(h.loss, np.ones(width) / width, mode="valid")
        ax.plot(np.arange(width, len(h.loss) + 1), smooth, color=f"C{k}", alpha=0.5)
        steps, values = zip(*h.val, strict=True)
        ax.plot(steps, values, "o-", color=f"C{k}", label=f"{h.name} held out ({values[-1]:.2f})")
    ax.axhline(bigram, color="grey", ls="--", label=f"bigram by counting ({bigram:.2f})")
    ax.set(xlabel="training step", ylabel="cross entropy (nats / character)")
    ax.set_title("character language models on pydoc_data.topics")
    ax.grid(alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return path


def run(args: argparse.Namespace) -> CharLMResult:
    """Train both models for `args.steps` steps, print losses and samples, write files."""
    from tqdm.auto import tqdm

    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    autograd_core.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    corpus = load_corpus()
    print(
        f"pydoc_data.topics: {len(corpus.train) + len(corpus.val):,} characters, "
        f"{corpus.vocab} distinct; the last 10% held out"
    )
    held_out = windows(corpus.val, 256, np.random.default_rng(1))
    counts = np.ones((corpus.vocab, corpus.vocab))
    np.add.at(counts, (corpus.train[:-1], corpus.train[1:]), 1)
    bigram = float(-np.log((counts / counts.sum(1, keepdims=True))[held_out]).mean())

    def progress(iterable: Any, **kw: Any) -> Any:
        return tqdm(iterable, disable=args.no_progress, leave=True, **kw)

    models: dict[str, tuple[nn.Module, float]] = {
        "lstm": (LSTMLanguageModel(corpus.vocab), 1e-2),
        "transformer": (TransformerLanguageModel(corpus.vocab), 1e-2),
    }
    histories, samples, files = {}, {}, []
    for name, (model, lr) in models.items():
        histories[name] = train(name, model, corpus, args.steps, lr, rng, held_out, progress)
        path = out / f"{name}_lm.npz"
        nn.save(model, path)
        files.append(path)
        samples[name] = sample(model, corpus, args.sample_length, rng, temperature=0.8)
    files.append(write_curves(list(histories.values()), bigram, out / "charlm_curves.png"))

    final = {name: h.val[-1][1] for name, h in histories.items()}
    print(f"bigram (counted) held-out loss: {bigram:.3f} nats/char")
    for name, h in histories.items():
        print(
            f"{name} held-out loss: {final[name]:.3f} nats/char "
            f"({args.steps} steps, {h.seconds:.1f} s)"
        )
    for name, text in samples.items():
        print(f"---- {name} sample ----\n{text}\n")
    print(f"wrote {', '.join(str(f) for f in files)}")
    return CharLMResult(final, bigram, samples, histories, files)
