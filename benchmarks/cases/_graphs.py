"""Variants shared by the cases that build a graph of small values and backpropagate
through it (scalar_graph, scalar_math, deep_chain, node_cost, tiny_ops): one
`build(leaves) -> root` written with Python operators runs unchanged on the engine's
Tensors, PyTorch tensors, micrograd Values and the pure-Python `Value` of
`benchmarks.pure_python`; the forward (building the graph) and the backward are timed apart."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import numpy as np

from ..case import Step, Variant
from ..frameworks import micrograd_value, torch_module

Build = Callable[[list[Any]], Any]
Check = Callable[[list[Any], Any], None]
REQUIRES = {"engine": (), "torch": ("torch",), "micrograd": ("micrograd",), "pure_python": ()}


def leaf_factory(framework: str) -> tuple[Callable[[np.ndarray], Any], Any]:
    """(make a leaf that requires grad from an array, the value of a cleared .grad)."""
    if framework == "engine":
        from autograd_core import Tensor

        return (lambda v: Tensor(v, requires_grad=True)), None
    if framework == "torch":
        torch = torch_module()
        return (lambda v: torch.tensor(v, requires_grad=True)), None
    if framework == "micrograd":
        value = micrograd_value()
        return (lambda v: value(float(v))), 0.0
    if framework == "pure_python":
        from ..pure_python import Value

        return (lambda v: Value(float(v))), 0.0
    raise KeyError(framework)


def graph_step(
    framework: str, values: Sequence[np.ndarray], build: Build, check: Check | None
) -> Step:
    make_leaf, cleared = leaf_factory(framework)
    leaves = [make_leaf(v) for v in values]

    def step() -> dict[str, float]:
        for leaf in leaves:
            leaf.grad = cleared
        start = time.perf_counter()
        root = build(leaves)
        built = time.perf_counter()
        root.backward()
        done = time.perf_counter()
        if check is not None:
            check(leaves, root)
        return {"forward": built - start, "backward": done - built}

    return step


def graph_variants(
    frameworks: tuple[str, ...],
    values: Sequence[np.ndarray],
    build: Build,
    check: Check | None = None,
) -> tuple[Variant, ...]:
    return tuple(
        Variant(fw, partial(graph_step, fw, values, build, check), REQUIRES[fw])
        for fw in frameworks
    )
