"""scalar_math: ~100,000 float64 scalar nodes of transcendental functions.

250 chains of 50 steps `x = sin(x * a) + log(exp(x * b) + 1) * 0.5` (eight nodes per
step) over four leaf scalars, then a pairwise sum of the chain ends: 100,249 nodes.
The reference is the micrograd-style pure-Python `Value` of `benchmarks.pure_python`
(micrograd itself has no sin, exp or log). Each run checks the leaves' gradients
against that reference's, computed once."""

from __future__ import annotations

import functools
import math
from typing import Any

import numpy as np

from ..case import Case
from ._graphs import graph_variants
from .scalar_graph import LEAVES, pairwise_sum, per_node_of

CHAINS, STEPS = 250, 50
NODES = CHAINS * STEPS * 8 + CHAINS - 1


def build(leaves: list[Any]) -> Any:
    ends = []
    for c in range(CHAINS):
        x = leaves[c % 4]
        for s in range(STEPS):
            a, b = leaves[(c + s + 1) % 4], leaves[(c + s + 2) % 4]
            x = (x * a).sin() + ((x * b).exp() + 1.0).log() * 0.5
        ends.append(x)
    return pairwise_sum(ends)


@functools.cache
def reference_grads() -> tuple[float, ...]:
    from ..pure_python import Value

    leaves = [Value(float(v)) for v in LEAVES]
    build(leaves).backward()
    return tuple(v.grad for v in leaves)


def check(leaves: list[Any], root: Any) -> None:
    got = [float(v.grad) for v in leaves]
    for i, (g, want) in enumerate(zip(got, reference_grads())):
        if not math.isclose(g, want, rel_tol=1e-9):
            raise AssertionError(f"scalar_math: d(root)/d(leaf {i}) = {g}, expected {want}")


SCALAR_MATH = Case(
    name="scalar_math",
    description=(
        f"{NODES:,} float64 scalar nodes: chains of sin(x * a) + log(exp(x * b) + 1) * "
        "0.5 over four leaves, then a pairwise sum; forward and backward timed apart. "
        "The reference is a micrograd-style pure-Python Value with sin, exp and log."
    ),
    reference="pure_python",
    variants=graph_variants(
        ("engine", "pure_python", "torch"), [np.float64(v) for v in LEAVES], build, check
    ),
    repeat=5,
    warmup=1,
    quick_repeat=2,
    derive=per_node_of(NODES),
)
