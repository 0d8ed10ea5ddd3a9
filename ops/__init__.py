"""Primitive operations: each is one `autograd_core.defop` declaration, a NumPy forward
and one vector-Jacobian product (vjp) per input side by side, with the rule text the
drawings show. Find an op's derivative here:

- `elementwise.py`: add subtract multiply divide negative power exp log sqrt abs sign
  tanh sigmoid relu maximum minimum where clip astype, and the (non-differentiable)
  comparisons, logical and bitwise ops, isnan isinf isfinite signbit isclose;
- `trig.py`: sin cos tan arcsin arccos arctan arctan2 hypot sinh cosh arcsinh arccosh
  arctanh (primitives), deg2rad rad2deg (compositions);
- `exp_log.py`: log1p expm1 log2 log10 exp2 logaddexp logaddexp2 cbrt erf erfc
  (primitives; erf and erfc computed in `_erf.py`), square reciprocal (compositions);
- `rounding.py`: floor ceil trunc round floor_divide (zero derivative), mod (= remainder)
  fmod copysign (primitives);
- `reductions.py`: sum max min norm2 logsumexp softmax log_softmax
  softmax_cross_entropy standardize (primitives), mean var std amax amin
  (compositions), argmax argmin argsort any all count_nonzero (not differentiable);
- `cumulative.py`: cumsum cumprod prod (primitives), cummax cummin (compositions);
- `sorting.py`: sort (primitive), take take_along_axis topk gather scatter_add
  (compositions of getitem), nonzero (not differentiable);
- `shape.py`: reshape transpose broadcast_to expand_dims squeeze getitem pad
  concatenate stack (primitives), swapaxes flatten (compositions);
- `rearrange.py`: flip fliplr flipud rot90 roll repeat tile split array_split hsplit
  vsplit moveaxis ravel atleast_1d/2d/3d diff hstack vstack (compositions);
- `einsum.py`: einsum (primitive), tensordot dot vdot inner outer kron (compositions);
- `matrices.py`: diagonal trace diag tril triu (compositions; diag of a vector is a
  primitive);
- `linalg/`: the namespace `ops.linalg` (NumPy's numpy.linalg): matmul and `affine`
  (x @ W^T + b, the fully connected layer), inv det slogdet solve pinv matrix_power,
  cholesky eigh eigvalsh svd svdvals qr, norm vector_norm matrix_norm;
- `windows.py`: sliding_window (the im2col view), its adjoint `fold` (col2im),
  `window_max` (max pooling) and `windows.window_conv` (convolution);
- `recurrent.py`: `recurrent.lstm_update` (the LSTM's gates to its new states) and
  `recurrent.lstm_sequence` (a whole sequence through one LSTM layer).

Primitives are the ops whose derivative cannot be had cheaply from others (subtract and
divide are primitives because a composition would cost a second op on every call), or
whose composition would be unstable or slow (logsumexp, erf, einsum, solve, eigh, svd,
cumsum, sort). Each function's docstring says which it is. Functions named after
PyTorch (topk, gather, scatter_add, cummax, cummin) return what PyTorch returns.
Some primitives fuse what could be a composition, because measured on the benchmarks
they pay for themselves: `affine`, `window_max`, `windows.window_conv`, `softmax`,
`log_softmax`, `softmax_cross_entropy`, `standardize`, `recurrent.lstm_update` and
`recurrent.lstm_sequence`. Everything in `nn.functional` is a composition of these ops.
The vjps follow one rule so that `create_graph=True` works: they see their arguments as
arrays or as Tensors and use only operators, array methods, NumPy functions and ops on
them (see `autograd_core.op`); `lstm_sequence`'s, on Tensors, differentiates the
composition it fuses.
"""

from . import linalg, recurrent
from ._bind import bind as _bind
from .cumulative import cummax, cummin, cumprod, cumsum, prod
from .einsum import dot, einsum, inner, kron, outer, tensordot, vdot
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
    isclose,
    isfinite,
    isinf,
    isnan,
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
    signbit,
    sqrt,
    subtract,
    tanh,
    unwrap,
    where,
)
from .exp_log import (
    cbrt,
    erf,
    erfc,
    exp2,
    expm1,
    log1p,
    log2,
    log10,
    logaddexp,
    logaddexp2,
    reciprocal,
    square,
)
from .linalg import affine, matmul, norm
from .matrices import diag, diagonal, trace, tril, triu
from .rearrange import (
    array_split,
    atleast_1d,
    atleast_2d,
    atleast_3d,
    diff,
    flip,
    fliplr,
    flipud,
    hsplit,
    hstack,
    moveaxis,
    ravel,
    repeat,
    roll,
    rot90,
    split,
    tile,
    vsplit,
    vstack,
)
from .reductions import (
    all,
    amax,
    amin,
    any,
    argmax,
    argmin,
    argsort,
    count_nonzero,
    log_softmax,
    logsumexp,
    max,
    mean,
    min,
    norm2,
    softmax,
    softmax_cross_entropy,
    standardize,
    std,
    sum,
    var,
)
from .rounding import ceil, copysign, floor, floor_divide, fmod, mod, remainder, round, trunc
from .shape import (
    broadcast_to,
    concatenate,
    expand_dims,
    flatten,
    getitem,
    pad,
    reshape,
    squeeze,
    stack,
    swapaxes,
    transpose,
)
from .sorting import ValuesIndices, gather, nonzero, scatter_add, sort, take, take_along_axis, topk
from .trig import (
    arccos,
    arccosh,
    arcsin,
    arcsinh,
    arctan,
    arctan2,
    arctanh,
    cos,
    cosh,
    deg2rad,
    hypot,
    rad2deg,
    sin,
    sinh,
    tan,
)
from .windows import fold, sliding_window, window_argmax, window_max

_bind()

__all__ = [
    "ValuesIndices",
    "abs",
    "add",
    "affine",
    "all",
    "amax",
    "amin",
    "any",
    "arccos",
    "arccosh",
    "arcsin",
    "arcsinh",
    "arctan",
    "arctan2",
    "arctanh",
    "argmax",
    "argmin",
    "argsort",
    "array_split",
    "astype",
    "atleast_1d",
    "atleast_2d",
    "atleast_3d",
    "bitwise_and",
    "bitwise_or",
    "bitwise_xor",
    "broadcast_to",
    "cbrt",
    "ceil",
    "clip",
    "concatenate",
    "copysign",
    "cos",
    "cosh",
    "count_nonzero",
    "cummax",
    "cummin",
    "cumprod",
    "cumsum",
    "deg2rad",
    "diag",
    "diagonal",
    "diff",
    "divide",
    "dot",
    "einsum",
    "equal",
    "erf",
    "erfc",
    "exp",
    "exp2",
    "expand_dims",
    "expm1",
    "flatten",
    "flip",
    "fliplr",
    "flipud",
    "floor",
    "floor_divide",
    "fmod",
    "fold",
    "gather",
    "getitem",
    "greater",
    "greater_equal",
    "hsplit",
    "hstack",
    "hypot",
    "inner",
    "invert",
    "isclose",
    "isfinite",
    "isinf",
    "isnan",
    "kron",
    "left_shift",
    "less",
    "less_equal",
    "linalg",
    "log",
    "log10",
    "log1p",
    "log2",
    "log_softmax",
    "logaddexp",
    "logaddexp2",
    "logical_and",
    "logical_not",
    "logical_or",
    "logsumexp",
    "matmul",
    "max",
    "maximum",
    "mean",
    "min",
    "minimum",
    "mod",
    "moveaxis",
    "multiply",
    "negative",
    "nonzero",
    "norm",
    "norm2",
    "not_equal",
    "outer",
    "pad",
    "power",
    "prod",
    "rad2deg",
    "ravel",
    "reciprocal",
    "recurrent",
    "relu",
    "remainder",
    "repeat",
    "reshape",
    "right_shift",
    "roll",
    "rot90",
    "round",
    "scatter_add",
    "sigmoid",
    "sign",
    "signbit",
    "sin",
    "sinh",
    "softmax",
    "softmax_cross_entropy",
    "sliding_window",
    "sort",
    "split",
    "sqrt",
    "square",
    "squeeze",
    "stack",
    "standardize",
    "std",
    "subtract",
    "sum",
    "swapaxes",
    "take",
    "take_along_axis",
    "tan",
    "tanh",
    "tensordot",
    "tile",
    "topk",
    "trace",
    "transpose",
    "tril",
    "triu",
    "trunc",
    "unwrap",
    "var",
    "vdot",
    "vsplit",
    "vstack",
    "where",
    "window_argmax",
    "window_max",
]
