"""node_cost: what one node costs as the graph grows, with the garbage collector on.

The deep chain `x = x * 1.0001 + 0.0` (two nodes per step) built and backpropagated at
10^3, 10^4, 10^5 and 10^6 nodes, smallest first, in one timed call; the small sizes
run several times so that each size is timed over at least 10^5 nodes. The figures
are microseconds per node (build + backward) at each size and their spread, the
largest over the smallest: 1.0 is a flat curve. The collector is left on, as users
run: a Python engine whose live graph it has to walk gets dearer per node as the
graph grows, PyTorch's C++ graph does not."""

from __future__ import annotations

import math
import time

import numpy as np

from ..case import Case, Step, Variant
from ._graphs import REQUIRES, leaf_factory
from .deep_chain import FACTOR, build

SIZES = (1_000, 10_000, 100_000, 1_000_000)  # nodes
RUNS = {n: max(1, 100_000 // n) for n in SIZES}  # graphs built at each size


def _label(nodes: int) -> str:
    return f"1e{round(math.log10(nodes))}"


def node_cost_step(framework: str) -> Step:
    make_leaf, cleared = leaf_factory(framework)
    leaf = make_leaf(np.array(1.0))  # float64: 1.0001 ** 500,000 overflows float32

    def step() -> dict[str, float]:
        phases = {}
        for nodes in SIZES:
            depth = nodes // 2
            elapsed = 0.0
            for _ in range(RUNS[nodes]):
                leaf.grad = cleared
                start = time.perf_counter()
                root = build(depth, [leaf])
                root.backward()
                elapsed += time.perf_counter() - start
                del root
                got, want = float(leaf.grad), FACTOR**depth
                if not math.isclose(got, want, rel_tol=1e-6):
                    raise AssertionError(f"node_cost {nodes}: grad {got}, expected {want}")
            phases[_label(nodes)] = elapsed
        return phases

    return step


def per_node(phases: dict[str, float]) -> dict[str, float]:
    costs = {n: phases[_label(n)] / (n * RUNS[n]) * 1e6 for n in SIZES}
    derived = {f"{_label(n)}_us_per_node": c for n, c in costs.items()}
    derived["spread"] = max(costs.values()) / min(costs.values())
    return derived


NODE_COST = Case(
    name="node_cost",
    description=(
        "Cost per node of x = x * 1.0001 + 0.0 (build + backward) at 10^3, 10^4, 10^5 and "
        "10^6 nodes, collector on; spread = the dearest size over the cheapest."
    ),
    reference="torch",
    variants=tuple(
        Variant(fw, lambda fw=fw: node_cost_step(fw), REQUIRES[fw]) for fw in ("engine", "torch")
    ),
    repeat=3,
    warmup=0,
    quick_repeat=1,
    derive=per_node,
)
