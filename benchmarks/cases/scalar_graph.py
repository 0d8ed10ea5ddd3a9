"""scalar_graph: ~100,000 float64 scalar nodes, micrograd's home ground.

250 chains of 133 steps `x = relu(x * a + b)` (three nodes per step) over four leaf
scalars, then a pairwise (tree) sum of the chain ends: 250*133*3 + 249 = 99,999 nodes.
Chains stay a few hundred nodes deep, within micrograd's recursive topological sort.
The multipliers and offsets are positive, so ReLU never cuts a path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from ..case import Case
from ._graphs import graph_variants

CHAINS, STEPS = 250, 133
NODES = CHAINS * STEPS * 3 + CHAINS - 1
LEAVES = [np.float64(v) for v in (0.5, 0.6, 0.7, 0.8)]


def pairwise_sum(values: list[Any]) -> Any:
    """((v0 + v1) + (v2 + v3)) + ...: a balanced tree of additions."""
    while len(values) > 1:
        paired = [values[i] + values[i + 1] for i in range(0, len(values) - 1, 2)]
        values = paired + values[len(paired) * 2 :]
    return values[0]


def build(leaves: list[Any]) -> Any:
    ends = []
    for c in range(CHAINS):
        x = leaves[c % 4]
        for s in range(STEPS):
            x = (x * leaves[(c + s + 1) % 4] + leaves[(c + s + 2) % 4]).relu()
        ends.append(x)
    return pairwise_sum(ends)


def per_node_of(nodes: int) -> Callable[[dict[str, float]], dict[str, float]]:
    """The derived figures of a graph of `nodes` nodes: microseconds per node, by phase."""

    def per_node(phases: dict[str, float]) -> dict[str, float]:
        return {f"{k}_us_per_node": v / nodes * 1e6 for k, v in phases.items()}

    return per_node


SCALAR_GRAPH = Case(
    name="scalar_graph",
    description=(
        f"{NODES:,} float64 scalar nodes (mul, add, relu chains over four leaves, then "
        "a pairwise sum); forward (graph build) and backward timed separately. "
        "PyTorch uses 0-d tensors."
    ),
    reference="micrograd",
    variants=graph_variants(("engine", "micrograd", "torch"), LEAVES, build),
    repeat=5,
    warmup=1,
    quick_repeat=2,
    derive=per_node_of(NODES),
)
