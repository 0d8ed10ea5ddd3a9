"""Memory and threads: a finished backward pass releases what the graph saved, a long
training loop keeps memory flat, and two threads training two models at once get
exactly what they get one at a time (grad mode and anomaly mode are per thread).
Memory is measured with tracemalloc and live-object counts, never with wall time.
"""

from __future__ import annotations

import gc
import threading
import tracemalloc
import weakref
from typing import Any

import numpy as np
import pytest

import nn
import nn.functional as F
import ops
from autograd_core import Tensor, detect_anomaly, grad, is_grad_enabled, no_grad


def graph_nodes(root: Tensor) -> list[Tensor]:
    """Every tensor reachable from root through parents (an iterative walk)."""
    seen: dict[int, Tensor] = {}
    stack = [root]
    while stack:
        t = stack.pop()
        if id(t) in seen:
            continue
        seen[id(t)] = t
        stack.extend(p for p in (t._node.parents if t._node else ()) if p is not None)
    return list(seen.values())


def saved_bytes(root: Tensor) -> int:
    total = 0
    for t in graph_nodes(root):
        for value in (t._node.saved if t._node else None) or ():
            total += getattr(value, "nbytes", 0)
    return total


def small_cnn_loss(seed: int = 0) -> tuple[Tensor, list[Tensor]]:
    """A graph with every kind of op: conv, pooling, norm, reshape, matmul, indexing,
    a constant ndarray, softmax cross entropy."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(4, 2, 6, 6))
    w1 = Tensor(rng.normal(size=(3, 2, 3, 3)), requires_grad=True)
    w2 = Tensor(rng.normal(size=(3 * 2 * 2, 5)), requires_grad=True)
    h = F.relu(F.instance_norm(F.conv2d(x, w1, padding=1)))
    h = F.max_pool2d(h, 2) + F.avg_pool2d(h, 2) * rng.normal(size=(1, 3, 3, 3))
    h = F.crop(h, 0, 0, 2, 2).reshape(4, -1)
    loss = F.cross_entropy(h @ w2, np.array([0, 4, 2, 2]))
    return loss, [w1, w2]


def test_backward_frees_every_saved_array_and_closure():
    loss, _ = small_cnn_loss()
    nodes = [t for t in graph_nodes(loss) if t.op is not None]
    assert len(nodes) > 12 and saved_bytes(loss) > 10_000
    loss.backward()
    assert all(t._node.saved is None and t._node.params is None for t in nodes)
    assert saved_bytes(loss) == 0


def test_retain_graph_keeps_them_until_a_backward_without_it():
    loss, _ = small_cnn_loss()
    before = saved_bytes(loss)
    loss.backward(retain_graph=True)
    assert saved_bytes(loss) == before
    loss.backward()
    assert saved_bytes(loss) == 0


def test_grad_frees_the_graph_too():
    loss, params = small_cnn_loss()
    grad(loss, params)
    assert saved_bytes(loss) == 0


def test_arrays_only_the_graph_held_are_released():
    """A constant's protective copy and a captured mask live only in the graph: after
    backward nothing keeps them alive."""
    x = Tensor(np.ones(1000), requires_grad=True)
    scale = np.full(1000, 2.0)  # writable: the op keeps a read-only copy
    y = ops.where(np.arange(1000) % 2 == 0, x * scale, x)
    copy = weakref.ref(y._node.parents[1]._node.saved[2])
    mask = weakref.ref(y._node.saved[1])
    y.sum().backward()
    gc.collect()
    assert copy() is None and mask() is None


# ---- a long training loop keeps memory flat -------------------------------------------------


def make_mlp(seed: int) -> nn.Module:
    return nn.Sequential(nn.Linear(8, 16, rng=seed, dtype=np.float64), nn.Tanh(),
                         nn.Linear(16, 4, rng=seed + 1, dtype=np.float64))  # fmt: skip


def training_data(seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(16, 8)), rng.integers(0, 4, size=16)


def live_tensors() -> int:
    gc.collect()  # type(), not isinstance: the latter runs other libraries' __class__ hooks
    return sum(issubclass(type(o), Tensor) for o in gc.get_objects())


def test_two_thousand_training_steps_keep_memory_flat():
    model = make_mlp(0)
    opt = nn.optim.Adam(model.parameters(), lr=1e-3)
    x, y = training_data(0)

    def steps(n: int) -> float:
        for _ in range(n):
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            with no_grad():  # an evaluation in between, as real loops do
                model(x)
        return loss.item()

    tracemalloc.start()
    try:
        steps(100)  # warm up: optimiser state, caches
        tensors_before = live_tensors()
        memory_before = tracemalloc.get_traced_memory()[0]
        last_loss = steps(2000)
        gc.collect()
        growth = tracemalloc.get_traced_memory()[0] - memory_before
    finally:
        tracemalloc.stop()
    tensors_after = live_tensors()
    assert np.isfinite(last_loss)
    # one step's graph is ~40 KB here: 2,000 retained graphs would be ~80 MB
    assert growth < 64 * 1024, f"memory grew by {growth} bytes over 2,000 steps"
    assert tensors_after <= tensors_before, (tensors_before, tensors_after)


def test_a_graph_dropped_without_backward_is_collected():
    """Forward passes whose loss is never differentiated (validation written without
    no_grad) must not pile up either."""
    model = make_mlp(1)
    x, y = training_data(1)
    F.cross_entropy(model(x), y)
    before = live_tensors()
    for _ in range(200):
        F.cross_entropy(model(x), y)
    assert live_tensors() <= before


# ---- threads ---------------------------------------------------------------------------------
# Barriers time out and threads are daemons, so a broken engine fails these tests instead
# of hanging them.

TIMEOUT = 60.0


def run_threads(*targets: Any) -> None:
    """Run each target in its own thread; re-raise the first error any of them hit."""
    errors: list[BaseException] = []

    def guarded(target: Any) -> None:
        try:
            target()
        except BaseException as err:  # re-raised in the main thread
            errors.append(err)

    threads = [threading.Thread(target=guarded, args=(t,), daemon=True) for t in targets]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=2 * TIMEOUT)
    assert not any(t.is_alive() for t in threads), "a thread did not finish"
    if errors:
        raise errors[0]


def test_grad_mode_and_anomaly_mode_belong_to_the_thread_that_set_them():
    inside = threading.Barrier(2, timeout=TIMEOUT)
    done = threading.Barrier(2, timeout=TIMEOUT)
    seen: dict[str, Any] = {}

    def quiet_thread() -> None:
        with no_grad(), detect_anomaly():
            inside.wait()  # the other thread computes while we sit inside no_grad
            done.wait()
            seen["quiet"] = (is_grad_enabled(), (Tensor([1.0], requires_grad=True) * 2).op)

    def busy_thread() -> None:
        inside.wait()
        w = Tensor([0.0], requires_grad=True)
        try:
            y = ops.sqrt(w)  # inf gradient: only anomaly mode would object
            seen["busy"] = (is_grad_enabled(), y.op, y._node.origin)
            y.sum().backward()  # no FloatingPointError: anomaly mode is off here
            seen["grad"] = w.grad.data[0]
        finally:
            done.wait()

    run_threads(quiet_thread, busy_thread)
    assert seen["quiet"] == (False, None)
    assert seen["busy"] == (True, "sqrt", None)
    assert seen["grad"] == np.inf
    assert is_grad_enabled()


def train(seed: int, steps: int, start: threading.Barrier | None = None) -> dict[str, Any]:
    """A small model trained from `seed`, with a no_grad evaluation every step; returns
    the final parameters and the loss history."""
    model = make_mlp(seed)
    opt = nn.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    x, y = training_data(seed)
    if start is not None:
        start.wait()
    losses, evals = [], []
    for _ in range(steps):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.item())
        with no_grad():
            evals.append(F.cross_entropy(model(x), y).item())
    return {"state": model.state_dict(), "losses": losses, "evals": evals}


def test_two_threads_training_two_models_match_one_at_a_time():
    steps = 300
    alone = [train(seed, steps) for seed in (10, 20)]
    together: list[Any] = [None, None]
    start = threading.Barrier(2, timeout=TIMEOUT)

    def worker(k: int, seed: int) -> Any:
        def run() -> None:
            together[k] = train(seed, steps, start)

        return run

    run_threads(worker(0, 10), worker(1, 20))
    for one, both in zip(alone, together, strict=True):
        assert one["losses"] == both["losses"]
        assert one["evals"] == both["evals"]
        for key, value in one["state"].items():
            np.testing.assert_array_equal(both["state"][key], value, err_msg=key)
    assert alone[0]["losses"][-1] < alone[0]["losses"][0]  # they did train


@pytest.mark.parametrize("workers", [4])
def test_many_threads_differentiating_at_once(workers):
    """Several threads running forward and backward on their own graphs in lockstep."""
    start = threading.Barrier(workers, timeout=TIMEOUT)
    results: dict[int, Any] = {}

    def worker(k: int) -> Any:
        def run() -> None:
            start.wait()
            x = Tensor(np.linspace(-1, 1, 50) * (k + 1), requires_grad=True)
            for _ in range(50):
                x.zero_grad()
                (ops.tanh(x) ** 2).sum().backward()
            results[k] = x.grad.data

        return run

    run_threads(*(worker(k) for k in range(workers)))
    for k in range(workers):
        x = np.linspace(-1, 1, 50) * (k + 1)
        np.testing.assert_allclose(results[k], 2 * np.tanh(x) * (1 - np.tanh(x) ** 2))
