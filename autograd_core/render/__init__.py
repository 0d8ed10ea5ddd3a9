"""Graph rendering: see the graph, step through backward, find out why a gradient is
missing.

- `draw(root, **options)` -> a `graphviz.Digraph` of the graph (forward view, or the
  backward view with `backward=True`); `Tensor.draw(**options)` is the same.
- `trace_backward(root)` -> the grad_table steps of one backward pass, each drawable.
- `explain(x, root)` -> why `x.grad` is None or zero, or the path from x to root.

Reading order: `layout.py` (walk the graph, node budget, clusters) -> `dot.py` (the pure
graph -> DOT function) -> `display.py` (graphviz and Jupyter) -> `replay.py` (the
backward loop, watched) -> `diagnose.py` (`explain`). Each edge's rule text comes from
the op's own declaration (`defop(..., rules=...)`); `text.py` formats values;
`names.py` names parameters and modules.
"""

from typing import Any

from .diagnose import Explanation, explain
from .dot import to_dot
from .replay import Contribution, Step, Trace


def draw(root: Any, **options: Any) -> Any:
    """The graph that computed `root` as a `graphviz.Digraph`; see `display.draw`.

    graphviz is imported on the first call, so `import autograd_core` stays light."""
    from .display import draw as draw_graph

    return draw_graph(root, **options)


def trace_backward(root: Any, grad: Any = None, *, run_hooks: bool = True) -> Trace:
    """The grad_table steps of one backward pass, each drawable; see `replay`."""
    from .display import trace_backward as trace

    return trace(root, grad, run_hooks=run_hooks)


def __getattr__(name: str) -> Any:
    if name in ("Graph", "GraphvizNotFound"):  # also loaded only when asked for
        from . import display

        return getattr(display, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


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
