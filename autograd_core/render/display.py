"""The thin half of rendering: DOT statements into a `graphviz.Digraph` that Jupyter
shows inline and that exports with `.render()` / `.pipe()` (SVG, PNG, PDF).

When the `dot` program is missing, `draw` still returns the graph (its `.source` is
valid DOT); rendering then raises `GraphvizNotFound`, which says how to install it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import graphviz

from ..tensor import Tensor
from .dot import dot_lines, options
from .replay import Trace
from .replay import trace_backward as record_trace

INSTALL = (
    "Rendering a graph needs the Graphviz 'dot' program, which was not found on PATH. "
    "Install it: Debian/Ubuntu 'sudo apt-get install graphviz'; macOS 'brew install "
    "graphviz'; conda 'conda install -c conda-forge graphviz'. (pip's graphviz package "
    "is only the Python wrapper.) The DOT source is available without it: graph.source."
)


class GraphvizNotFound(graphviz.ExecutableNotFound):
    """The `dot` program is missing; the message says how to install it."""

    def __init__(self) -> None:
        RuntimeError.__init__(self, INSTALL)

    def __str__(self) -> str:
        return INSTALL


class Graph(graphviz.Digraph):
    """A `graphviz.Digraph` whose rendering errors say how to install Graphviz."""

    def __repr__(self) -> str:
        """`<Graph: 7 nodes, 8 edges>`: what Jupyter saves as text/plain beside the picture,
        the same text for the same graph (no memory address)."""
        nodes = edges = 0
        for line in "".join(self.body).splitlines():
            head = line.split("[", 1)[0].strip()  # the statement without its attributes
            if " -> " in head:
                edges += head.count(" -> ")
            elif head and not set(head) & set(" ={}") and head not in ("graph", "node", "edge"):
                nodes += 1
        return f"<Graph: {nodes} node{'s' * (nodes != 1)}, {edges} edge{'s' * (edges != 1)}>"

    def pipe(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().pipe(*args, **kwargs)
        except graphviz.ExecutableNotFound as err:
            raise GraphvizNotFound() from err

    def render(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().render(*args, **kwargs)
        except graphviz.ExecutableNotFound as err:
            raise GraphvizNotFound() from err

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None, **kwargs: Any) -> Any:
        try:
            return super()._repr_mimebundle_(include, exclude, **kwargs)
        except graphviz.ExecutableNotFound:
            # Jupyter: show why there is no picture, and the DOT text, instead of a traceback.
            return {"text/plain": f"{INSTALL}\n\n{self.source}"}


def draw(root: Tensor | Sequence[Tensor], **kwargs: Any) -> Graph:
    """The graph that computed `root` as a `graphviz.Digraph` (Jupyter shows it inline).

    One node per tensor (its name, shape, dtype, value when small, gradient when there
    is one) and one per op; edges follow the data. Keywords (see `dot.Options`):
    `show_values`, `show_grads`, `direction` ("TB" or "LR"), `max_nodes` (the node
    budget: repeated steps are folded and the rest summarised beyond it), `highlight`
    (tensors or names), `backward` (the gradient-flow view with each edge's rule and
    contribution), `collapse` (modules drawn as one box: True, a depth, names, modules
    or types), `params` (a Module or {name: tensor} for labels), `show_constants`,
    `show_contributions`, `max_value_size`, `title`. Ops made inside an `nn.Module`
    call are drawn in a cluster per module, nested as the modules nest.
    """
    opts = options(**kwargs)
    return Graph(body=dot_lines(root, opts))


def trace_backward(root: Tensor, grad: Any = None, *, run_hooks: bool = True) -> Trace:
    """`replay.trace_backward`, with steps that draw themselves with `draw`."""
    return record_trace(root, grad, run_hooks=run_hooks, draw=draw)
