"""autograd_core: the Tensor, the graph and its backward pass (the grad_table algorithm),
grad modes, hooks, `grad`, function transforms, gradient checks and graph rendering.

Reading order: `tensor.py` (what a node holds) -> `engine.py` (how ops record nodes and
how backward walks them) -> `grad_mode.py` -> `func.py` -> `gradcheck.py`.

The engine modules never import `ops`; this package imports it last, so that
`from autograd_core import Tensor` gives Tensors with their operators bound.
"""

from . import func
from .anomaly import detect_anomaly
from .engine import grad
from .grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck, gradgradcheck
from .render import draw, explain, trace_backward
from .tensor import Tensor, tensor

# isort: split
import ops as _ops  # noqa: E402, F401  (binds the operators onto Tensor; must come last)

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
