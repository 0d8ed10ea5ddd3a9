"""The one place where ops become Tensor operators and methods, and where NumPy's own
functions are routed to them when given Tensors (`np.exp(t)`, `np.sum(t)`, ...).

Methods take NumPy's names and keywords (`x.cumsum(axis=0)`, `x.std(ddof=1)`); where
PyTorch has a method NumPy lacks, it is bound under PyTorch's name (`x.topk`,
`x.gather`, `x.asin`). Where the two disagree on a name's meaning, NumPy's wins and the
op's docstring says so (`x.repeat` repeats elements, as ndarray.repeat; PyTorch's
`x.repeat(*sizes)` is `x.tile(sizes)`; `x.sort()` returns the sorted values).

NumPy functions reach their op through `Tensor.ufunc_table` (ufuncs, and ufunc methods
such as np.add.reduce keyed by (ufunc, method)) and `Tensor.function_table`; where
NumPy's positional order differs from the op's (np.std(a, axis, dtype, out, ddof)), a
small wrapper here takes NumPy's signature.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core import creation
from autograd_core.tensor import Tensor

from . import (
    cumulative,
    einsum,
    exp_log,
    linalg,
    matrices,
    rearrange,
    reductions,
    rounding,
    shape,
    sorting,
    trig,
)
from . import elementwise as E
from .shape import reshape as _reshape


def _swap(fn: Any) -> Any:
    return lambda self, other: fn(other, self)


# ---- NumPy's own signatures, so that its positional order and keywords work on Tensors -----


def _np_reshape(a: Any, newshape: Any = None, *, shape: Any = None) -> Tensor:
    """np.reshape(a, shape), NumPy 2.1's keyword, or the older positional newshape."""
    return _reshape(a, newshape if shape is None else shape)


def _np_transpose(a: Any, axes: Any = None) -> Tensor:
    return shape.transpose(a, axes)


def _np_clip(a: Any, a_min: Any = None, a_max: Any = None, **bounds: Any) -> Tensor:
    """np.clip(a, a_min, a_max), or with NumPy 2.1's keywords min= and max=."""
    return E.clip(a, bounds.get("min", a_min), bounds.get("max", a_max))


def _np_where(condition: Any, *choices: Any) -> Any:
    """np.where(c, a, b) is the op; np.where(c) alone gives c's nonzero indices."""
    return E.where(condition, *choices) if choices else np.nonzero(E.unwrap(condition))


def _no_out(name: str, out: Any) -> None:
    if out is not None:
        raise TypeError(
            f"np.{name}(..., out) is not supported for Tensors: an op returns a new Tensor. "
            "Leave out the out argument and use the result."
        )


def _cast(a: Any, dtype: Any) -> Any:
    """NumPy's dtype= of a reduction: the input cast first (differentiably)."""
    return a if dtype is None else E.astype(a, dtype)


def _with_dtype(fn: Any, name: str) -> Any:
    """fn(a, axis, keepdims) under NumPy's (a, axis, dtype, out, keepdims) order."""

    def call(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, keepdims: Any = False):
        _no_out(name, out)
        return fn(_cast(a, dtype), axis=axis, keepdims=keepdims)

    return call


def _without_dtype(fn: Any, name: str) -> Any:
    """fn(a, axis, keepdims) under NumPy's (a, axis, out, keepdims) order (max, any, ...)."""

    def call(a: Any, axis: Any = None, out: Any = None, keepdims: Any = False):
        _no_out(name, out)
        return fn(a, axis=axis, keepdims=keepdims)

    return call


def _spread(fn: Any, name: str) -> Any:
    """var/std under NumPy's (a, axis, dtype, out, ddof, keepdims) order."""

    def call(a: Any, axis: Any = None, dtype: Any = None, out: Any = None, ddof: Any = 0,
             keepdims: Any = False):  # fmt: skip
        _no_out(name, out)
        return fn(_cast(a, dtype), axis=axis, ddof=ddof, keepdims=keepdims)

    return call


def _cumulative(fn: Any, name: str) -> Any:
    """cumsum/cumprod under NumPy's (a, axis, dtype, out) order."""

    def call(a: Any, axis: Any = None, dtype: Any = None, out: Any = None) -> Tensor:
        _no_out(name, out)
        return fn(_cast(a, dtype), axis=axis)

    return call


def _index_of(fn: Any, name: str) -> Any:
    """argmax/argmin under NumPy's (a, axis, out, *, keepdims) order."""

    def call(a: Any, axis: Any = None, out: Any = None, *, keepdims: Any = False) -> Tensor:
        _no_out(name, out)
        return fn(a, axis=axis, keepdims=keepdims)

    return call


def _ordering(fn: Any, name: str) -> Any:
    """sort/argsort under NumPy's (a, axis, kind, order, *, stable) order."""

    def call(a: Any, axis: Any = -1, kind: Any = None, order: Any = None, *, stable: Any = None):
        if order is not None:
            raise TypeError(
                f"np.{name}(..., order=...) sorts structured arrays; Tensors hold numbers."
            )
        return fn(a, axis=axis, kind=kind, stable=stable)

    return call


def _np_take(a: Any, indices: Any, axis: Any = None, out: Any = None, mode: str = "raise"):
    _no_out("take", out)
    return sorting.take(a, indices, axis=axis, mode=mode)


def _np_round(a: Any, decimals: int = 0, out: Any = None) -> Tensor:
    _no_out("round", out)
    return rounding.round(a, decimals)


def _np_trace(a: Any, offset: int = 0, axis1: int = 0, axis2: int = 1, dtype: Any = None,
              out: Any = None) -> Tensor:  # fmt: skip
    _no_out("trace", out)
    return matrices.trace(_cast(a, dtype), offset, axis1, axis2)


def _np_einsum(*operands: Any, optimize: Any = False) -> Tensor:
    return einsum.einsum(*operands, optimize=optimize)


def _ufunc_reduce(fn: Any, name: str) -> Any:
    """np.<ufunc>.reduce(a, axis=0, dtype=None, out=None, keepdims=False): axis 0 by
    default, as NumPy's."""

    def call(a: Any, axis: Any = 0, dtype: Any = None, out: Any = None, keepdims: Any = False):
        _no_out(name, out)
        return fn(_cast(a, dtype), axis=axis, keepdims=keepdims)

    return call


def _ufunc_accumulate(fn: Any, name: str) -> Any:
    def call(a: Any, axis: int = 0, dtype: Any = None, out: Any = None) -> Tensor:
        _no_out(name, out)
        return fn(_cast(a, dtype), axis=axis)

    return call


def _running_values(fn: Any) -> Any:
    return lambda a, axis=0, dtype=None, out=None: fn(_cast(a, dtype), axis).values


def _outer(fn: Any) -> Any:
    """np.<ufunc>.outer(a, b) = fn(a[..., None, ...], b): every pair of elements."""

    def call(a: Any, b: Any) -> Tensor:
        extra = np.ndim(E.unwrap(b))
        a = shape.reshape(a, np.shape(E.unwrap(a)) + (1,) * extra)
        return fn(a, b)

    return call


# ---- the tables ----------------------------------------------------------------------------

# Elementwise ops that are also Tensor methods (NumPy's and PyTorch's names), and the
# ufuncs of the same name.
_UNARY = {
    **{
        name: getattr(trig, name)
        for name in (
            "sin cos tan arcsin arccos arctan sinh cosh arcsinh arccosh arctanh deg2rad rad2deg"
        ).split()
    },
    **{
        name: getattr(exp_log, name)
        for name in "log1p expm1 log2 log10 exp2 square reciprocal cbrt erf erfc".split()
    },
    **{name: getattr(rounding, name) for name in "floor ceil trunc".split()},
    **{name: getattr(E, name) for name in "sign negative isnan isinf isfinite signbit".split()},
}
_BINARY = {
    "arctan2": trig.arctan2,
    "hypot": trig.hypot,
    "logaddexp": exp_log.logaddexp,
    "logaddexp2": exp_log.logaddexp2,
    "fmod": rounding.fmod,
    "remainder": rounding.mod,
    "copysign": rounding.copysign,
    "floor_divide": rounding.floor_divide,
    "maximum": E.maximum,
    "minimum": E.minimum,
}
# Methods that take the tensor first, under the op's own name.
_METHODS = {
    **{
        name: getattr(reductions, name)
        for name in (
            "sum mean max min var std logsumexp amax amin argmax argmin argsort any all "
            "count_nonzero"
        ).split()
    },
    **{name: getattr(cumulative, name) for name in "prod cumsum cumprod cummax cummin".split()},
    **{name: getattr(sorting, name) for name in "sort take topk gather nonzero".split()},
    **{
        name: getattr(rearrange, name)
        for name in (
            "flip fliplr flipud rot90 roll repeat tile split array_split hsplit vsplit moveaxis "
            "ravel diff"
        ).split()
    },
    **{
        name: getattr(shape, name)
        for name in "reshape transpose flatten squeeze expand_dims broadcast_to swapaxes".split()
    },
    **{
        name: getattr(E, name)
        for name in "exp log sqrt abs tanh sigmoid relu clip astype isclose".split()
    },
    **{name: getattr(einsum, name) for name in "dot inner outer kron".split()},
    **{name: getattr(matrices, name) for name in "trace diagonal diag tril triu".split()},
    **{
        name: getattr(linalg, name)
        for name in "norm det slogdet cholesky qr matrix_power matmul".split()
    },
}
# PyTorch's spellings of the same methods
_TORCH_ALIASES = {
    "asin": "arcsin",
    "acos": "arccos",
    "atan": "arctan",
    "atan2": "arctan2",
    "asinh": "arcsinh",
    "acosh": "arccosh",
    "atanh": "arctanh",
    "neg": "negative",
    "movedim": "moveaxis",
    "tensor_split": "array_split",
    "inverse": "inv",
    "pinverse": "pinv",
}


def _scatter_add_method(self: Tensor, dim: int, index: Any, src: Any) -> Tensor:
    """PyTorch's x.scatter_add(dim, index, src) (see ops.scatter_add)."""
    return sorting.scatter_add(self, dim, index, src)


def bind() -> None:
    T = Tensor
    for name, fn in {
        "__add__": E.add,
        "__sub__": E.subtract,
        "__mul__": E.multiply,
        "__truediv__": E.divide,
        "__pow__": E.power,
        "__matmul__": linalg.matmul,
        "__mod__": rounding.mod,
        "__floordiv__": rounding.floor_divide,
        # NumPy's meaning: bitwise on integers, logical on bools
        "__and__": E.bitwise_and,
        "__or__": E.bitwise_or,
        "__xor__": E.bitwise_xor,
        "__lshift__": E.left_shift,
        "__rshift__": E.right_shift,
    }.items():
        setattr(T, name, fn)
        setattr(T, name.replace("__", "__r", 1), _swap(fn))
    T.__neg__ = E.negative
    T.__pos__ = lambda self: self
    T.__abs__ = E.abs
    T.__invert__ = E.invert
    T.__getitem__ = shape.getitem
    T.__eq__ = E.equal  # type: ignore[assignment]
    T.__ne__ = E.not_equal  # type: ignore[assignment]
    T.__lt__ = E.less
    T.__le__ = E.less_equal
    T.__gt__ = E.greater
    T.__ge__ = E.greater_equal
    T.T = property(lambda self: shape.transpose(self))

    for name, fn in {**_UNARY, **_BINARY, **_METHODS}.items():
        setattr(T, name, fn)
    T.inv, T.pinv = linalg.inv, linalg.pinv
    for alias, name in _TORCH_ALIASES.items():
        setattr(T, alias, getattr(T, name))
    T.round = rounding.round  # round(t), a Python number, stays Tensor.__round__
    T.remainder = rounding.mod
    T.fmod = rounding.fmod
    T.scatter_add = _scatter_add_method

    T.ufunc_table.update(_ufuncs())
    T.function_table.update(_functions())


def _ufuncs() -> dict[Any, Any]:
    table: dict[Any, Any] = {
        np.add: E.add,
        np.subtract: E.subtract,
        np.multiply: E.multiply,
        np.divide: E.divide,
        np.negative: E.negative,
        np.positive: lambda x: x,
        np.power: E.power,
        np.exp: E.exp,
        np.log: E.log,
        np.sqrt: E.sqrt,
        np.absolute: E.abs,
        np.tanh: E.tanh,
        np.matmul: linalg.matmul,
        np.equal: E.equal,
        np.not_equal: E.not_equal,
        np.less: E.less,
        np.less_equal: E.less_equal,
        np.greater: E.greater,
        np.greater_equal: E.greater_equal,
        np.logical_and: E.logical_and,
        np.logical_or: E.logical_or,
        np.logical_not: E.logical_not,
        np.bitwise_and: E.bitwise_and,
        np.bitwise_or: E.bitwise_or,
        np.bitwise_xor: E.bitwise_xor,
        np.invert: E.invert,
        np.left_shift: E.left_shift,
        np.right_shift: E.right_shift,
        np.radians: trig.deg2rad,
        np.degrees: trig.rad2deg,
        np.rint: rounding.round,
    }
    for name, fn in {**_UNARY, **_BINARY}.items():
        if hasattr(np, name):
            table[getattr(np, name)] = fn
    for ufunc in [u for u, fn in table.items() if getattr(u, "nin", 0) == 2]:
        table[(ufunc, "outer")] = _outer(table[ufunc])
    for ufunc, reduce, running in [
        (np.add, reductions.sum, cumulative.cumsum),
        (np.multiply, cumulative.prod, cumulative.cumprod),
    ]:
        table[(ufunc, "reduce")] = _ufunc_reduce(reduce, f"{ufunc.__name__}.reduce")
        table[(ufunc, "accumulate")] = _ufunc_accumulate(running, f"{ufunc.__name__}.accumulate")
    for ufunc, reduce, running in [
        (np.maximum, reductions.max, cumulative.cummax),
        (np.minimum, reductions.min, cumulative.cummin),
    ]:
        table[(ufunc, "reduce")] = _ufunc_reduce(reduce, f"{ufunc.__name__}.reduce")
        table[(ufunc, "accumulate")] = _running_values(running)
    return table


def _functions() -> dict[Any, Any]:
    R = reductions
    return {
        np.sum: _with_dtype(R.sum, "sum"),
        np.mean: _with_dtype(R.mean, "mean"),
        np.prod: _with_dtype(cumulative.prod, "prod"),
        np.max: _without_dtype(R.max, "max"),
        np.amax: _without_dtype(R.max, "amax"),
        np.min: _without_dtype(R.min, "min"),
        np.amin: _without_dtype(R.min, "amin"),
        np.any: _without_dtype(R.any, "any"),
        np.all: _without_dtype(R.all, "all"),
        np.var: _spread(R.var, "var"),
        np.std: _spread(R.std, "std"),
        np.argmax: _index_of(R.argmax, "argmax"),
        np.argmin: _index_of(R.argmin, "argmin"),
        np.count_nonzero: R.count_nonzero,
        np.cumsum: _cumulative(cumulative.cumsum, "cumsum"),
        np.cumprod: _cumulative(cumulative.cumprod, "cumprod"),
        np.sort: _ordering(sorting.sort, "sort"),
        np.argsort: _ordering(R.argsort, "argsort"),
        np.take: _np_take,
        np.take_along_axis: sorting.take_along_axis,
        np.nonzero: sorting.nonzero,
        np.reshape: _np_reshape,
        np.transpose: _np_transpose,
        np.swapaxes: shape.swapaxes,
        np.broadcast_to: shape.broadcast_to,
        np.expand_dims: shape.expand_dims,
        np.squeeze: shape.squeeze,
        np.concatenate: shape.concatenate,
        np.stack: shape.stack,
        **{
            getattr(np, name): getattr(rearrange, name)
            for name in (
                "flip fliplr flipud rot90 roll repeat tile split array_split hsplit vsplit "
                "moveaxis ravel atleast_1d atleast_2d atleast_3d diff hstack vstack"
            ).split()
        },
        np.einsum: _np_einsum,
        **{
            getattr(np, name): getattr(einsum, name)
            for name in "tensordot dot vdot inner outer kron".split()
        },
        np.trace: _np_trace,
        **{
            getattr(np, name): getattr(matrices, name) for name in "diagonal diag tril triu".split()
        },
        **{
            getattr(np.linalg, name): getattr(linalg, name)
            for name in (
                "inv det slogdet solve cholesky eigh eigvalsh svd svdvals pinv qr norm "
                "matrix_power matmul vector_norm matrix_norm"
            ).split()
        },
        np.where: _np_where,
        np.clip: _np_clip,
        np.round: _np_round,
        np.around: _np_round,
        np.fix: rounding.trunc,
        np.isclose: E.isclose,
        np.shape: lambda x: x.shape,
        np.ndim: lambda x: x.ndim,
        np.size: lambda x: x.size,
        np.zeros_like: creation.zeros_like,
        np.ones_like: creation.ones_like,
        np.full_like: creation.full_like,
        np.empty_like: creation.empty_like,
    }
