"""The one place where ops become Tensor operators and methods, and where NumPy's own
functions are routed to them when given Tensors (`np.exp(t)`, `np.sum(t)`, ...)."""

from __future__ import annotations

from typing import Any

import numpy as np

from autograd_core.tensor import Tensor

from . import elementwise as E
from . import linalg, reductions, shape
from .shape import reshape as _reshape
from .shape import transpose as _transpose


def _swap(fn: Any) -> Any:
    return lambda self, other: fn(other, self)


# NumPy's own signatures, so that its keywords work on Tensors too
def _np_reshape(a: Any, shape: Any) -> Tensor:
    return _reshape(a, shape)


def _np_transpose(a: Any, axes: Any = None) -> Tensor:
    return _transpose(a, axes)


def _np_clip(a: Any, a_min: Any = None, a_max: Any = None, **bounds: Any) -> Tensor:
    """np.clip(a, a_min, a_max), or with NumPy 2.1's keywords min= and max=."""
    return E.clip(a, bounds.get("min", a_min), bounds.get("max", a_max))


def _np_where(condition: Any, *choices: Any) -> Any:
    """np.where(c, a, b) is the op; np.where(c) alone gives c's nonzero indices."""
    return E.where(condition, *choices) if choices else np.nonzero(E.unwrap(condition))


def bind() -> None:
    T = Tensor
    for name, fn in {
        "__add__": E.add,
        "__sub__": E.subtract,
        "__mul__": E.multiply,
        "__truediv__": E.divide,
        "__pow__": E.power,
        "__matmul__": linalg.matmul,
    }.items():
        setattr(T, name, fn)
        setattr(T, name.replace("__", "__r", 1), _swap(fn))
    T.__neg__ = E.negative
    T.__abs__ = E.abs
    T.__getitem__ = shape.getitem
    T.__eq__ = E.equal  # type: ignore[assignment]
    T.__ne__ = E.not_equal  # type: ignore[assignment]
    T.__lt__ = E.less
    T.__le__ = E.less_equal
    T.__gt__ = E.greater
    T.__ge__ = E.greater_equal
    for name, fn in {
        "__and__": E.bitwise_and,  # NumPy's meaning: bitwise on integers, logical on bools
        "__or__": E.bitwise_or,
        "__xor__": E.bitwise_xor,
        "__lshift__": E.left_shift,
        "__rshift__": E.right_shift,
    }.items():
        setattr(T, name, fn)
        setattr(T, name.replace("__", "__r", 1), _swap(fn))
    T.__invert__ = E.invert
    T.T = property(lambda self: shape.transpose(self))
    for name in ("exp", "log", "sqrt", "abs", "tanh", "sigmoid", "relu", "clip", "astype"):
        setattr(T, name, getattr(E, name))
    for name in ("sum", "mean", "max", "min", "var"):
        setattr(T, name, getattr(reductions, name))
    for name in ("reshape", "transpose", "flatten", "squeeze", "expand_dims", "broadcast_to"):
        setattr(T, name, getattr(shape, name))
    T.matmul = linalg.matmul

    T.ufunc_table.update(
        {
            np.add: E.add,
            np.subtract: E.subtract,
            np.multiply: E.multiply,
            np.divide: E.divide,
            np.negative: E.negative,
            np.power: E.power,
            np.exp: E.exp,
            np.log: E.log,
            np.sqrt: E.sqrt,
            np.absolute: E.abs,
            np.sign: E.sign,
            np.tanh: E.tanh,
            np.maximum: E.maximum,
            np.minimum: E.minimum,
            np.matmul: linalg.matmul,
            np.square: lambda x: E.multiply(x, x),
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
        }
    )
    T.function_table.update(
        {
            np.sum: reductions.sum,
            np.mean: reductions.mean,
            np.max: reductions.max,
            np.amax: reductions.max,
            np.min: reductions.min,
            np.amin: reductions.min,
            np.var: reductions.var,
            np.reshape: _np_reshape,
            np.transpose: _np_transpose,
            np.swapaxes: shape.swapaxes,
            np.broadcast_to: shape.broadcast_to,
            np.expand_dims: shape.expand_dims,
            np.squeeze: shape.squeeze,
            np.concatenate: shape.concatenate,
            np.stack: shape.stack,
            np.where: _np_where,
            np.clip: _np_clip,
            np.shape: lambda x: x.shape,
            np.ndim: lambda x: x.ndim,
            np.size: lambda x: x.size,
            np.zeros_like: lambda x, dtype=None: Tensor(np.zeros_like(x._data, dtype=dtype)),
            np.ones_like: lambda x, dtype=None: Tensor(np.ones_like(x._data, dtype=dtype)),
        }
    )
