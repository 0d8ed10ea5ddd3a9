"""autograd_core: the Tensor, the graph and its backward pass (the grad_table algorithm),
grad modes, hooks, `grad`, function transforms, gradient checks and graph rendering.

Reading order: `tensor.py` (the array and its node) -> `graph.py` (the node, the
topological order) -> `op.py` (`defop`: how a primitive is declared and how a call
becomes a node) -> `engine.py` (the grad_table loop) -> `grad_mode.py` -> `func.py` ->
`gradcheck.py`. `allocator.py` sets glibc's malloc up for many same-size arrays.
`creation.py` holds the creation functions (zeros, arange, randn, ...).

The modules of this package never import `ops` or `nn`. This file gathers and binds:
it attaches `backward` and `draw` to Tensor, and imports `ops` last, so that
`from autograd_core import Tensor` gives Tensors with their operators bound. Rendering
(and graphviz) is imported on the first `draw`, `trace_backward` or `explain` call.
"""

from typing import Any

from . import allocator, func
from .anomaly import detect_anomaly
from .creation import (
    arange,
    empty,
    empty_like,
    eye,
    full,
    full_like,
    linspace,
    normal,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    uniform,
    zeros,
    zeros_like,
)
from .engine import grad, tensor_backward
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .op import defop
from .random import manual_seed
from .tensor import Tensor, tensor

# isort: split
import ops as _ops  # noqa: F401  (binds the operators onto Tensor; must come last)

allocator.tune()  # glibc: mid-size arrays reused, not faulted in afresh (see allocator.py)


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


def explore(root: Tensor, **options: Any) -> Any:
    """The graph of `root` as an interactive view: Jupyter shows it, `.save(path)`
    writes one standalone HTML page (fold modules, hover values, step through backward,
    search by name). Takes the options of `draw`; see `autograd_core.render.explore`."""
    from .render.explore import explore as interactive

    return interactive(root, **options)


def explain(x: Tensor, root: Tensor) -> Any:
    """Why `x.grad` is None or zero after `root.backward()`, or the path from x to root;
    see `autograd_core.render.diagnose`."""
    from .render import explain as diagnose

    return diagnose(x, root)


def _tensor_draw(self: Tensor, **options: Any) -> Any:
    """Same as `autograd_core.draw(self, **options)`."""
    return draw(self, **options)


Tensor.backward = tensor_backward  # type: ignore[attr-defined]
Tensor.draw = _tensor_draw  # type: ignore[attr-defined]


__all__ = [
    "GradcheckError",
    "Tensor",
    "arange",
    "defop",
    "detect_anomaly",
    "draw",
    "empty",
    "empty_like",
    "enable_grad",
    "explain",
    "explore",
    "eye",
    "full",
    "full_like",
    "func",
    "grad",
    "gradcheck",
    "gradgradcheck",
    "is_grad_enabled",
    "linspace",
    "manual_seed",
    "no_grad",
    "normal",
    "ones",
    "ones_like",
    "rand",
    "randint",
    "randn",
    "set_grad_enabled",
    "tensor",
    "trace_backward",
    "uniform",
    "zeros",
    "zeros_like",
]
