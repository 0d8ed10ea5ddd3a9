"""The demo: train an MLP and a small CNN on scikit-learn's bundled digits, or, with
`--task charlm`, character-level language models (an LSTM and a transformer) on Python's
reference documentation (see `nn.demo_charlm`).

Run it as `autograd-demo` (the console command) or `python -m nn.demo`; `--help` lists
the options. The digits task prints each model's accuracy on a held-out test set (a
fixed split, the same for every `--seed`) and writes to `--output` (default
`demo_output/`):

- `mlp_graph.svg`, `cnn_graph.svg`: the computation graph of one forward pass and loss;
- `curves.png`: training loss and test accuracy per epoch of both models;
- `mlp.npz`, `cnn.npz`: the trained weights (`nn.save`; read back with `nn.load`).

The digits are 8x8 grey images with values 0..16, ten classes, 1,797 in all; they ship
inside scikit-learn, so nothing is downloaded. matplotlib, scikit-learn and tqdm are the
`demo` extra and are imported only when the demo runs.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import graphviz
import numpy as np

import nn
import nn.functional as F
from autograd_core import Tensor, draw, no_grad

SPLIT_SEED = 0  # the held-out split never changes with --seed
TEST_FRACTION = 0.2


@dataclass
class History:
    """What one model's training produced, epoch by epoch."""

    name: str
    loss: list[float] = field(default_factory=list)
    train_accuracy: list[float] = field(default_factory=list)
    test_accuracy: list[float] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class DemoResult:
    """Returned by `run`: the final test accuracies, the histories and the files written."""

    accuracy: dict[str, float]
    histories: dict[str, History]
    files: list[Path]


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="autograd-demo",
        description=(
            "Train an MLP and a small CNN with this autodiff engine on scikit-learn's "
            "8x8 digits, print their test accuracy and write the computation graphs "
            "(SVG), loss and accuracy curves (PNG) and trained weights (.npz). With "
            "--task charlm, train an LSTM and a one-block transformer to predict the next "
            "character of Python's reference documentation, print their held-out loss and "
            "samples of their text, and write loss curves (PNG) and weights (.npz)."
        ),
    )
    parser.add_argument(
        "--task",
        choices=("digits", "charlm"),
        default="digits",
        help="digits (MLP and CNN, the default) or charlm (character language models)",
    )
    parser.add_argument(
        "--epochs", type=int, default=None, help="digits: training epochs (default 20)"
    )
    parser.add_argument(
        "--steps", type=int, default=None, help="charlm: training steps per model (default 400)"
    )
    parser.add_argument(
        "--sample-length",
        type=int,
        default=300,
        help="charlm: characters each model writes (default 300)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed for weights and shuffling (default 0)"
    )
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("demo_output"),
        help="folder to write results to (default demo_output)",
    )
    parser.add_argument("--batch-size", type=int, default=32, help="minibatch size (default 32)")
    parser.add_argument("--lr", type=float, default=3e-3, help="Adam learning rate (default 0.003)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run: 2 epochs (charlm: 40 steps) unless --epochs (--steps) is given",
    )
    parser.add_argument("--no-progress", action="store_true", help="hide the progress bars")
    args = parser.parse_args(argv)
    if args.epochs is None:
        args.epochs = 2 if args.quick else 20
    if args.steps is None:
        args.steps = 40 if args.quick else 400
    for option, value in (("--epochs", args.epochs), ("--steps", args.steps)):
        if value < 1:
            parser.error(f"{option} must be at least 1; got {value}")
    if args.sample_length < 0:
        parser.error(f"--sample-length must be at least 0; got {args.sample_length}")
    if args.batch_size < 1:
        parser.error(f"--batch-size must be at least 1; got {args.batch_size}")
    return args


def load_data() -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(x_train, y_train, x_test, y_test): float32 images (N, 1, 8, 8) scaled to [0, 1], labels
    0..9, a stratified 80/20 split with a fixed seed."""
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    x_train, x_test, y_train, y_test = train_test_split(
        images,
        digits.target,
        test_size=TEST_FRACTION,
        random_state=SPLIT_SEED,
        stratify=digits.target,
    )
    return x_train, y_train, x_test, y_test


def make_mlp(rng: np.random.Generator | int | None = None) -> nn.Module:
    """64 -> 128 -> 10 with ReLU: the two-layer network of notebook 04, a little wider."""
    return nn.Sequential(
        nn.Flatten(), nn.Linear(64, 128, rng=rng), nn.ReLU(), nn.Linear(128, 10, rng=rng)
    )


def make_cnn(rng: np.random.Generator | int | None = None) -> nn.Module:
    """Two 3x3 conv + ReLU + 2x2 max-pool stages (8x8 -> 4x4 -> 2x2), then a linear layer."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1, rng=rng),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(32 * 2 * 2, 10, rng=rng),
    )


def accuracy(model: nn.Module, images: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of `images` whose largest logit is the true label (eval mode, no graph)."""
    model.eval()
    with no_grad():
        logits = model(Tensor(images)).data
    model.train()
    return float(np.mean(logits.argmax(axis=1) == labels))


def train(
    name: str,
    model: nn.Module,
    data: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray],
    args: argparse.Namespace,
    progress: Callable[..., Any],
) -> History:
    """Adam on the mean cross entropy, `args.epochs` passes over shuffled minibatches."""
    x_train, y_train, x_test, y_test = data
    history = History(name)
    optimizer = nn.optim.Adam(model.parameters(), lr=args.lr)
    loader = nn.data.DataLoader(
        x_train, y_train, batch_size=args.batch_size, shuffle=True, seed=args.seed
    )
    start = time.perf_counter()
    bar = progress(range(args.epochs), desc=f"{name:>3}", unit="epoch")
    for _ in bar:
        total, count = 0.0, 0
        for xb, yb in loader:
            loss = F.cross_entropy(model(Tensor(xb)), yb)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(yb)
            count += len(yb)
        history.loss.append(total / count)
        history.train_accuracy.append(accuracy(model, x_train, y_train))
        history.test_accuracy.append(accuracy(model, x_test, y_test))
        if hasattr(bar, "set_postfix"):
            bar.set_postfix(loss=f"{history.loss[-1]:.3f}", test=f"{history.test_accuracy[-1]:.3f}")
    history.seconds = time.perf_counter() - start
    return history


def write_graph(model: nn.Module, images: np.ndarray, labels: np.ndarray, path: Path) -> Path:
    """The graph of one forward pass and its loss on a few images, as SVG (or, without
    graphviz's `dot` program, its DOT source next to where the SVG would be)."""
    loss = F.cross_entropy(model(Tensor(images)), labels)
    graph = draw(loss)
    try:
        path.write_bytes(graph.pipe(format="svg"))
        return path
    except graphviz.ExecutableNotFound as err:  # no `dot` program: keep the DOT source
        source = path.with_suffix(".gv")
        source.write_text(graph.source)
        print(
            f"warning: could not render {path.name} ({err}); wrote {source.name}", file=sys.stderr
        )
        return source


def write_curves(histories: Sequence[History], path: Path) -> Path:
    """Training loss and train/test accuracy per epoch, one line per model, as PNG."""
    # A bare Figure on the Agg canvas: no pyplot, so no global backend is switched.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(10, 4))
    FigureCanvasAgg(fig)
    ax_loss, ax_acc = fig.subplots(1, 2)
    lowest = 1.0
    for k, h in enumerate(histories):
        color = f"C{k}"
        epochs = np.arange(1, len(h.loss) + 1)
        ax_loss.plot(epochs, h.loss, marker="o", color=color, label=h.name)
        ax_acc.plot(epochs, h.test_accuracy, marker="o", color=color, label=f"{h.name} test")
        ax_acc.plot(epochs, h.train_accuracy, "--", color=color, label=f"{h.name} train")
        lowest = min(lowest, *h.test_accuracy, *h.train_accuracy)
    ax_loss.set(xlabel="epoch", ylabel="mean cross entropy", title="training loss", yscale="log")
    ax_acc.set(xlabel="epoch", ylabel="accuracy", title="accuracy")
    ax_acc.set_ylim(max(0.0, lowest - 0.05), 1.005)
    for ax in (ax_loss, ax_acc):
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return path


def run(args: argparse.Namespace) -> DemoResult:
    """Train both models, print their test accuracy and write the output files."""
    from tqdm.auto import tqdm

    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    data = load_data()
    x_train, y_train, x_test, y_test = data
    print(f"digits: {len(x_train)} training and {len(x_test)} test images, 8x8, 10 classes")

    def progress(iterable: Any, **kw: Any) -> Any:
        return tqdm(iterable, disable=args.no_progress, leave=True, **kw)

    rng = np.random.default_rng(args.seed)
    models = {"mlp": make_mlp(rng), "cnn": make_cnn(rng)}
    histories: dict[str, History] = {}
    files: list[Path] = []
    for name, model in models.items():
        files.append(write_graph(model, x_test[:4], y_test[:4], out / f"{name}_graph.svg"))
        histories[name] = train(name, model, data, args, progress)
        path = out / f"{name}.npz"
        nn.save(model, path)
        files.append(path)
    files.append(write_curves(list(histories.values()), out / "curves.png"))

    final = {name: h.test_accuracy[-1] for name, h in histories.items()}
    for name, h in histories.items():
        print(
            f"{name.upper()} test accuracy: {final[name]:.4f} "
            f"({args.epochs} epochs, {h.seconds:.1f} s)"
        )
    print(f"wrote {', '.join(str(f) for f in files)}")
    return DemoResult(final, histories, files)


def main(argv: Sequence[str] | None = None) -> int:
    """Console entry point (`autograd-demo`); returns the process exit code."""
    args = parse_args(argv)
    if args.task == "charlm":
        from . import demo_charlm

        demo_charlm.run(args)
    else:
        run(args)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
