"""The benchmark cases, one file per workload; `CASES` is the registry, in run order.

Case modules import only NumPy and this package at import time; each variant imports
its framework (the engine, PyTorch, micrograd) when the child builds it."""

from __future__ import annotations

from ..case import Case
from .cnn import CNN_STEP
from .deep_chain import DEEP_CHAIN_1M, DEEP_CHAIN_100K
from .language_models import LSTM_LM_STEP, TRANSFORMER_STEP
from .mlp import MLP_STEP, MLP_TRAIN_MEMORY
from .node_cost import NODE_COST
from .scalar_graph import SCALAR_GRAPH
from .scalar_math import SCALAR_MATH
from .tiny_ops import TINY_OPS

CASES: dict[str, Case] = {
    c.name: c
    for c in (
        MLP_STEP,
        CNN_STEP,
        LSTM_LM_STEP,
        TRANSFORMER_STEP,
        SCALAR_GRAPH,
        SCALAR_MATH,
        DEEP_CHAIN_100K,
        DEEP_CHAIN_1M,
        NODE_COST,
        TINY_OPS,
        MLP_TRAIN_MEMORY,
    )
}


def get_case(name: str) -> Case:
    try:
        return CASES[name]
    except KeyError:
        raise KeyError(f"unknown case {name!r}; known: {', '.join(CASES)}") from None


def select(tokens: list[str]) -> list[Case]:
    """Cases named by `tokens` (each a name, a comma list, or a prefix such as
    `deep_chain` for every `deep_chain_*`); all cases when `tokens` is empty."""
    names = [n.strip() for t in tokens for n in t.split(",") if n.strip()]
    if not names:
        return list(CASES.values())
    chosen: list[Case] = []
    for name in names:
        found = [c for c in CASES.values() if c.name == name or c.name.startswith(name + "_")]
        if not found:
            raise KeyError(f"unknown case {name!r}; known: {', '.join(CASES)}")
        chosen += [c for c in found if c not in chosen]
    return chosen
