"""Graph rendering: see the graph, step through backward, find out why a gradient is
missing.

- `draw(root, **options)` -> a `graphviz.Digraph` of the graph (forward view, or the
  backward view with `backward=True`); `Tensor.draw(**options)` is the same.
- `trace_backward(root)` -> the grad_table steps of one backward pass, each drawable.
- `explain(x, root)` -> why `x.grad` is None or zero, or the path from x to root.

Reading order: `layout.py` (walk the graph, node budget, clusters) -> `dot.py` (the pure
graph -> DOT function) -> `display.py` (graphviz and Jupyter) -> `replay.py` (the
instrumented backward walk) -> `diagnose.py` (`explain`). `rules.py` holds every op's
local-derivative rule as text; `text.py` formats values; `names.py` names parameters
and modules.
"""

from .diagnose import Explanation, explain
from .display import Graph, GraphvizNotFound, draw
from .dot import to_dot
from .replay import Contribution, Step, Trace, trace_backward

__all__ = [
    "Contribution",
    "Explanation",
    "Graph",
    "GraphvizNotFound",
    "Step",
    "Trace",
    "draw",
    "explain",
    "to_dot",
    "trace_backward",
]
