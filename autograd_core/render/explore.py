"""`explore(root)`: the graph as one interactive page, in Jupyter or any browser.

The page is the SVG that graphviz draws for `draw(root, **options)`, the facts about
each tensor as JSON, and a small script written here (`explore.js`, inlined): no server,
no notebook extension and nothing fetched, so it works in a saved notebook, an exported
HTML file and offline. On a code host, where scripts do not run, the SVG still shows.

What the script does, each on the SVG graphviz made:
- click a module cluster or a composite layer (conv2d, cross_entropy, ...) to fold it
  (its nodes hide, the box says how many) or unfold it; composite layers start folded;
- hover a tensor for its full value, gradient, shape, dtype and the line that made it;
- a slider and the arrow keys step through backward (the grad_table filling in, the
  tensor whose entry completes and the edges that sent to it highlighted);
- a search box finds tensors by name.
"""

from __future__ import annotations

import html
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np

from ..tensor import Tensor
from . import text
from .display import Graph
from .dot import drawing, options
from .replay import Trace, trace_backward

SCRIPT = Path(__file__).with_name("explore.js")
_pages = itertools.count()
FULL_VALUES = 10_000  # elements shown in full when hovering; larger tensors are summarised


def _array_text(a: Any) -> str:
    a = np.asarray(a)
    return np.array2string(a, separator=", ", threshold=FULL_VALUES, max_line_width=100)


class Explorer:
    """An interactive view of the graph of `root`; Jupyter shows it, `.save(path)` writes
    it as one standalone HTML file, `.html()` returns that text."""

    def __init__(self, root: Tensor, **draw_options: Any) -> None:
        if not isinstance(root, Tensor):
            raise TypeError(f"explore() expects a Tensor; got {type(root).__name__}.")
        # Drawn with composite layers expanded: the page folds them itself, so that a
        # click can unfold one.
        opts = options(**{"expand": True, **draw_options})
        lines, layout, trace = drawing(root, opts)
        if trace is None and root.requires_grad and root.size == 1:
            try:
                trace = trace_backward(root)
            except RuntimeError:  # freed by backward(): no steps to replay
                trace = None
        self.root = root
        self.trace: Trace | None = trace
        self.svg = _svg(Graph(body=lines))
        ids: dict[int, str] = {}
        self.tensors: dict[str, dict[str, Any]] = {}
        for node_id, node in layout.nodes.items():
            if node.kind != "tensor":
                continue
            t = layout.walk.tensors[node.ref]
            ids[id(t)] = node_id
            self.tensors[node_id] = _facts(t, layout.names.get(id(t)), trace)
        self.steps = [] if trace is None else _steps(trace, ids)

    def html(self) -> str:
        """The page: the SVG, the facts as JSON, and the script."""
        page = f"explore-{next(_pages)}"
        data = json.dumps({"tensors": self.tensors, "steps": self.steps})
        return (
            f'<div class="autograd-explore" id="{page}">'
            '<div class="ax-bar"><input class="ax-search" type="search" '
            'placeholder="find a tensor by name" aria-label="find a tensor by name"> '
            '<span class="ax-found"></span> '
            f'<input class="ax-step" type="range" min="0" max="{max(len(self.steps) - 1, 0)}" '
            f'value="0" aria-label="backward step"{"" if self.steps else " disabled"}> '
            '<span class="ax-step-text"></span></div>'
            f'<div class="ax-graph">{self.svg}</div>'
            '<pre class="ax-table"></pre><div class="ax-tip" hidden></div>'
            f'<script type="application/json" class="ax-data">{_script_safe(data)}</script>'
            f"<script>{SCRIPT.read_text(encoding='utf-8')}\nautogradExplore({json.dumps(page)});"
            "</script></div>"
        )

    def save(self, path: str | Path) -> Path:
        """Write the page as one standalone HTML file and return its path."""
        path = Path(path)
        title = html.escape(self.root.name or "graph")
        path.write_text(
            f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title>'
            f"</head><body>{self.html()}</body></html>\n",
            encoding="utf-8",
        )
        return path

    def _repr_html_(self) -> str:
        return self.html()

    def __repr__(self) -> str:
        return (
            f"<explore: {len(self.tensors)} tensors, {len(self.steps)} backward steps; "
            "shown interactive in Jupyter, .save(path) writes an HTML page>"
        )


def _svg(graph: Graph) -> str:
    svg = graph.pipe(format="svg").decode("utf-8")
    return svg[svg.index("<svg") :]


def _script_safe(data: str) -> str:
    return data.replace("</", "<\\/")


def _facts(t: Tensor, param_name: str | None, trace: Trace | None) -> dict[str, Any]:
    """What hovering a tensor shows."""
    grad = trace.grad(t) if trace is not None else None
    if grad is None and t.grad is not None:
        grad = t.grad._data
    node = t._node
    freed = getattr(t, "freed_values", False)
    return {
        "name": param_name or t.name or "",
        "op": t.op or "leaf",
        "shape": text.shape_text(t.shape),
        "dtype": str(t.dtype),
        "value": "(freed by backward)" if freed else _array_text(t._data),
        "grad": None if grad is None else _array_text(grad),
        "origin": text.origin_text(node.origin) if node is not None and node.origin else None,
    }


def _steps(trace: Trace, ids: dict[int, str], shown: int = 40) -> list[dict[str, Any]]:
    """One entry per grad_table step of a drawn tensor (the node budget bounds them):
    the node completed, the edges that sent to it (as graphviz titles them, input tensor
    -> op node), its equation, and the last `shown` entries of the table so far."""
    steps: list[dict[str, Any]] = []
    table: list[str] = []
    for step in trace.steps:
        node = ids.get(id(step.node))
        if node is None:
            continue  # folded away by the node budget
        label = trace.label(step.node)
        value = text.value_text(step.grad, 4) or f"array{text.shape_text(step.grad.shape)}"
        table.append(f"grad_table[{label}] = {value}")
        edges = [
            f"{node}->o{child[1:]}"
            for c in step.contributions
            if (child := ids.get(id(c.child))) is not None
        ]
        more = len(table) - shown
        steps.append(
            {
                "node": node,
                "edges": edges,
                "label": label,
                "equation": step.equation(),
                "table": (f"({more} earlier entries)\n" if more > 0 else "")
                + "\n".join(table[-shown:]),
            }
        )
    return steps


def explore(root: Tensor, **draw_options: Any) -> Explorer:
    """The graph of `root` as an interactive view (see the module docstring); takes the
    options of `draw`."""
    return Explorer(root, **draw_options)
