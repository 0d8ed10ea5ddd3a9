"""deep_chain: `x = x * 1.0001 + 0.0` repeated N times on one 0-d float64 value, then
backward; N = 100,000 and 1,000,000 (two cases). float64 because 1.0001 ** 1e6 = e^100
overflows float32. Each run checks that d(root)/dx = 1.0001 ** N."""

from __future__ import annotations

import math
from functools import partial
from typing import Any

import numpy as np

from ..case import Case
from ._graphs import graph_variants

FACTOR = 1.0001


def build(depth: int, leaves: list[Any]) -> Any:
    x = leaves[0]
    for _ in range(depth):
        x = x * FACTOR + 0.0
    return x


def check(depth: int, leaves: list[Any], root: Any) -> None:
    expected = FACTOR**depth
    got = float(leaves[0].grad)
    if not math.isclose(got, expected, rel_tol=1e-6):
        raise AssertionError(f"deep_chain {depth}: grad {got}, expected {expected}")


def per_step(depth: int, phases: dict[str, float]) -> dict[str, float]:
    return {f"{k}_us_per_step": v / depth * 1e6 for k, v in phases.items()}


def deep_chain_case(depth: int, label: str, repeat: int, warmup: int, profile: bool) -> Case:
    return Case(
        name=f"deep_chain_{label}",
        description=(
            f"x = x * {FACTOR} + 0.0 repeated {depth:,} times ({2 * depth:,} nodes) on a "
            "0-d float64 tensor, then backward."
        ),
        reference="torch",
        variants=graph_variants(
            ("engine", "torch"),
            [np.array(1.0)],
            partial(build, depth),
            partial(check, depth),
        ),
        repeat=repeat,
        warmup=warmup,
        quick_repeat=1,
        derive=partial(per_step, depth),
        profile=profile,
    )


DEEP_CHAIN_100K = deep_chain_case(100_000, "100k", repeat=5, warmup=1, profile=True)
# One run: a million-deep graph takes tens of seconds and over a GB in each framework;
# the point is that it works (and the gradient checks out), the 100k case gives ratios.
DEEP_CHAIN_1M = deep_chain_case(1_000_000, "1m", repeat=1, warmup=0, profile=False)
