"""autograd_core: the Tensor, the graph and its backward pass (the grad_table algorithm),
grad modes, hooks, `grad`, function transforms, gradient checks and graph rendering.

Reading order: `tensor.py` (what a node holds) -> `engine.py` (how ops record nodes and
how backward walks them) -> `grad_mode.py` -> `func.py` -> `gradcheck.py`.

The engine modules never import `ops`; this package imports it last, so that
`from autograd_core import Tensor` gives Tensors with their operators bound. Rendering
(and graphviz) is imported on the first `draw`, `trace_backward` or `explain` call.
"""

from typing import Any

from . import func
from .anomaly import detect_anomaly
from .engine import grad
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .tensor import Tensor, tensor

# isort: split
import ops as _ops  # noqa: E402, F401  (binds the operators onto Tensor; must come last)


def draw(root: Any, **options: Any) -> Any:
    """The graph that computed `root` as a `graphviz.Digraph`, shown inline by Jupyter.
    See `autograd_core.render.display.draw` for the options."""
    from .render import draw as draw_graph

    return draw_graph(root, **options)


def trace_backward(root: Tensor, grad: Any = None, *, run_hooks: bool = True) -> Any:
    """The grad_table steps of one backward pass from `root`, each drawable; see
    `autograd_core.render.replay`."""
    from .render import trace_backward as trace

    return trace(root, grad, run_hooks=run_hooks)


def explain(x: Tensor, root: Tensor) -> Any:
    """Why `x.grad` is None or zero after `root.backward()`, or the path from x to root;
    see `autograd_core.render.diagnose`."""
    from .render import explain as diagnose

    return diagnose(x, root)


__all__ = [
    "GradcheckError",
    "Tensor",
    "detect_anomaly",
    "draw",
    "enable_grad",
    "explain",
    "func",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "is_grad_enabled",
    "no_grad",
    "set_grad_enabled",
    "tensor",
    "trace_backward",
]
