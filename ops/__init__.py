"""Primitive operations: each is a NumPy forward plus one vector-Jacobian product (vjp)
closure per input, written side by side in a few lines. Find an op's derivative here:

- `elementwise.py`: add subtract multiply divide negative power exp log sqrt abs sign
  tanh sigmoid relu maximum minimum where clip astype, and the (non-differentiable)
  comparisons;
- `reductions.py`: sum max min (primitives), mean var (compositions);
- `shape.py`: reshape transpose broadcast_to expand_dims squeeze getitem pad
  concatenate stack (primitives), swapaxes flatten (compositions);
- `linalg.py`: matmul;
- `windows.py`: sliding_window (the im2col view) and its adjoint `fold` (col2im).

Primitives are the ops whose derivative cannot be had cheaply from others (subtract and
divide are primitives because a composition would cost a second op on every call);
everything in `nn.functional` is a composition of these. The closures follow one rule so
that `create_graph=True` works: they see their arguments as arrays or as Tensors and use
only operators, array methods and NumPy functions on them (see `autograd_core.engine`).
"""

from ._bind import bind as _bind
from .elementwise import (
    abs,
    add,
    astype,
    clip,
    divide,
    equal,
    exp,
    greater,
    greater_equal,
    less,
    less_equal,
    log,
    logical_and,
    logical_not,
    logical_or,
    maximum,
    minimum,
    multiply,
    negative,
    not_equal,
    power,
    relu,
    sigmoid,
    sign,
    sqrt,
    subtract,
    tanh,
    unwrap,
    where,
)
from .linalg import matmul
from .reductions import max, mean, min, sum, var
from .shape import (
    broadcast_to,
    concatenate,
    expand_dims,
    flatten,
    getitem,
    pad,
    reshape,
    scatter_add,
    squeeze,
    stack,
    swapaxes,
    transpose,
)
from .windows import fold, sliding_window

_bind()

__all__ = [
    "abs",
    "add",
    "astype",
    "broadcast_to",
    "clip",
    "concatenate",
    "divide",
    "equal",
    "exp",
    "expand_dims",
    "flatten",
    "fold",
    "getitem",
    "greater",
    "greater_equal",
    "less",
    "less_equal",
    "log",
    "logical_and",
    "logical_not",
    "logical_or",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "multiply",
    "negative",
    "not_equal",
    "pad",
    "power",
    "relu",
    "reshape",
    "scatter_add",
    "sigmoid",
    "sign",
    "sliding_window",
    "sqrt",
    "squeeze",
    "stack",
    "subtract",
    "sum",
    "swapaxes",
    "tanh",
    "transpose",
    "unwrap",
    "var",
    "where",
]
