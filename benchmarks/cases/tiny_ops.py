"""tiny_ops: per-op overhead. 10,000 elementwise ops on shape-(8,) float32 tensors in
one chain (cycling multiply by w, add b, tanh, subtract b), then a sum and backward.
Reported as microseconds per op, forward and backward."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..case import Case
from ._graphs import graph_variants

OPS = 10_000
rng = np.random.default_rng(0)
VALUES = [rng.uniform(0.5, 1.0, 8).astype(np.float32) for _ in range(3)]  # x, w, b


def build(leaves: list[Any]) -> Any:
    y, w, b = leaves
    for _ in range(OPS // 4):
        y = (y * w + b).tanh() - b
    return y.sum()


def per_op(phases: dict[str, float]) -> dict[str, float]:
    per = {f"{k}_us_per_op": v / OPS * 1e6 for k, v in phases.items()}
    return {**per, "total_us_per_op": sum(phases.values()) / OPS * 1e6}


TINY_OPS = Case(
    name="tiny_ops",
    description=(
        f"{OPS:,} elementwise ops (mul, add, tanh, sub) chained on shape-(8,) float32 "
        "tensors, then sum and backward; microseconds per op."
    ),
    reference="torch",
    variants=graph_variants(("engine", "torch"), VALUES, build),
    repeat=10,
    warmup=2,
    quick_repeat=3,
    derive=per_op,
)
