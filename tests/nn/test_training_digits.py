"""End to end on real data: scikit-learn's bundled 8x8 digits (1,797 images, no
download). An MLP and a small CNN, trained with Adam in float32 on 75% of the images,
must each classify the held-out 25% with at least 97% accuracy, in seconds."""

import time

import numpy as np
import sklearn.datasets as sklearn_datasets
import threadpoolctl

import nn
import nn.functional as F
from autograd_core import Tensor, no_grad

TIME_LIMIT = 60.0  # seconds per model, on 2 shared cores


def digits_split(seed: int = 0, test_fraction: float = 0.25):
    digits = sklearn_datasets.load_digits()
    x = (digits.images / 16.0).astype(np.float32)  # (1797, 8, 8) in [0, 1]
    y = digits.target.astype(np.int64)
    order = np.random.default_rng(seed).permutation(len(y))
    n_test = int(round(test_fraction * len(y)))
    test, train = order[:n_test], order[n_test:]
    return x[train], y[train], x[test], y[test]


class CNN(nn.Module):
    """conv(1->16) relu, conv(16->32) relu, 2x2 max pool, linear(32*4*4 -> 10)."""

    def __init__(self, rng: np.random.Generator) -> None:
        super().__init__()
        self.conv1 = nn.Conv2d(1, 16, 3, padding=1, rng=rng)
        self.conv2 = nn.Conv2d(16, 32, 3, padding=1, rng=rng)
        self.fc = nn.Linear(32 * 4 * 4, 10, rng=rng)

    def forward(self, x):
        x = F.relu(F.conv2d(x, self.conv1.weight, self.conv1.bias, padding=1))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)  # a Module and F side by side
        return self.fc(x.reshape(x.shape[0], -1))


def train_and_evaluate(model, x_train, y_train, x_test, y_test, epochs, lr, batch_size):
    """Adam with a cosine learning-rate decay (set through param_groups, as in PyTorch).

    BLAS runs single-threaded here: these matrices are small, and on a loaded machine
    OpenBLAS worker threads waiting for a core made the same run 30 times slower."""
    with threadpoolctl.threadpool_limits(limits=1, user_api="blas"):
        return _train_and_evaluate(model, x_train, y_train, x_test, y_test, epochs, lr, batch_size)


def _train_and_evaluate(model, x_train, y_train, x_test, y_test, epochs, lr, batch_size):
    opt = nn.optim.Adam(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    loader = nn.data.DataLoader(x_train, y_train, batch_size=batch_size, shuffle=True, seed=0)
    total, losses = epochs * len(loader), []
    model.train()
    for _ in range(epochs):
        for xb, yb in loader:
            opt.param_groups[0]["lr"] = lr * 0.5 * (1 + np.cos(np.pi * len(losses) / total))
            opt.zero_grad()
            loss = loss_fn(model(Tensor(xb)), yb)
            loss.backward()
            opt.step()
            losses.append(loss.item())
    model.eval()
    with no_grad():
        logits = model(Tensor(x_test))
    assert logits.dtype == np.float32
    return float((logits.data.argmax(axis=1) == y_test).mean()), losses


def test_mlp_reaches_97_percent_on_held_out_digits():
    x_train, y_train, x_test, y_test = digits_split()
    rng = np.random.default_rng(0)
    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(64, 256, rng=rng),
        nn.ReLU(),
        nn.Dropout(0.3, rng=rng),
        nn.Linear(256, 10, rng=rng),
    )
    start = time.perf_counter()
    accuracy, losses = train_and_evaluate(
        model, x_train, y_train, x_test, y_test, epochs=60, lr=1e-2, batch_size=64
    )
    elapsed = time.perf_counter() - start
    print(f"MLP: test accuracy {accuracy:.4f} in {elapsed:.1f}s")
    assert np.mean(losses[-20:]) < 0.2 * np.mean(losses[:5])
    assert accuracy >= 0.97, f"MLP test accuracy {accuracy:.4f}"
    assert elapsed < TIME_LIMIT
    assert all(p.dtype == np.float32 for p in model.parameters())


def test_cnn_reaches_97_percent_on_held_out_digits():
    x_train, y_train, x_test, y_test = digits_split()
    model = CNN(np.random.default_rng(0))
    start = time.perf_counter()
    accuracy, losses = train_and_evaluate(
        model, x_train[:, None], y_train, x_test[:, None], y_test, epochs=10, lr=5e-3, batch_size=32
    )
    elapsed = time.perf_counter() - start
    print(f"CNN: test accuracy {accuracy:.4f} in {elapsed:.1f}s")
    assert np.mean(losses[-20:]) < 0.2 * np.mean(losses[:5])
    assert accuracy >= 0.97, f"CNN test accuracy {accuracy:.4f}"
    assert elapsed < TIME_LIMIT
