"""Primitive operations: each is one `autograd_core.defop` declaration, a NumPy forward
and one vector-Jacobian product (vjp) per input side by side, with the rule text the
drawings show. Find an op's derivative here:

- `elementwise.py`: add subtract multiply divide negative power exp log sqrt abs sign
  tanh sigmoid relu maximum minimum where clip astype, and the (non-differentiable)
  comparisons, logical and bitwise ops;
- `reductions.py`: sum max min (primitives), mean var (compositions);
- `shape.py`: reshape transpose broadcast_to expand_dims squeeze getitem pad
  concatenate stack (primitives), swapaxes flatten (compositions);
- `linalg.py`: matmul, and `affine` (x @ W^T + b, the fully connected layer);
- `windows.py`: sliding_window (the im2col view), its adjoint `fold` (col2im), and
  `window_max` (max pooling).

Primitives are the ops whose derivative cannot be had cheaply from others (subtract and
divide are primitives because a composition would cost a second op on every call).
Two primitives fuse what could be a composition, because measured on the benchmarks
they pay for themselves: `affine` and `window_max`. Everything in
`nn.functional` is a composition of these ops. The vjps follow one rule so that
`create_graph=True` works: they see their arguments as arrays or as Tensors and use only
operators, array methods, NumPy functions and ops on them (see `autograd_core.op`).
"""

from ._bind import bind as _bind
from .elementwise import (
    abs,
    add,
    astype,
    bitwise_and,
    bitwise_or,
    bitwise_xor,
    clip,
    divide,
    equal,
    exp,
    greater,
    greater_equal,
    invert,
    left_shift,
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
    right_shift,
    sigmoid,
    sign,
    sqrt,
    subtract,
    tanh,
    unwrap,
    where,
)
from .linalg import affine, matmul
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
from .windows import fold, sliding_window, window_argmax, window_max

_bind()

__all__ = [
    "abs",
    "add",
    "affine",
    "astype",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
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
    "invert",
    "left_shift",
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
    "right_shift",
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
    "window_argmax",
    "window_max",
]
