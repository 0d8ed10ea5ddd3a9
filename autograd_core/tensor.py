"""The `Tensor`: an ndarray plus what backward needs to know about where it came from.

A tensor made by an op (a non-leaf) holds one `graph.Node` in `_node`: the op, its
parents (the inputs that need a gradient), the values its vjps read and the op's keyword
constants. `autograd_core.op.record` makes it; `autograd_core.engine` walks it backward.
A leaf (made by the user, or under `no_grad`) has no node.

The Tensor knows no specific op: the operators (`+`, `@`, `.sum()`, ...) are bound onto
it in one place, `ops/_bind.py`, and so are the NumPy functions that accept Tensors.
`backward()` is the engine's (`engine.tensor_backward`) and `draw()` the renderer's;
`autograd_core/__init__.py` attaches both, so that this module imports nothing else of
the package.

Tensor data is read-only. A graph may hold any tensor's array for backward, so writing
into it could silently corrupt a gradient; change values by rebinding instead
(`t.data = new_array`, or `t -= step` under `no_grad`, which rebinds). Assigning
`t.data` keeps that promise: an array that could still be written to (writable itself,
or a view of a writable array) is copied and locked first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from operator import attrgetter
from typing import Any

import numpy as np

ArrayLike = Any


def lock(array: Any) -> np.ndarray:
    """Return `array` as a read-only ndarray (0-d ufunc results arrive as NumPy scalars)."""
    if type(array) is not np.ndarray:
        array = np.asarray(array)
    array.setflags(write=False)
    return array


def protected(value: Any) -> bool:
    """True for a read-only ndarray whose memory no writable array shares (every base
    in its chain of views is a read-only ndarray too)."""
    while type(value) is np.ndarray:
        if value.flags.writeable:
            return False
        if value.base is None:
            return True
        value = value.base
    return False


def _check_dtype(dtype: np.dtype, requires_grad: bool) -> None:
    if dtype.kind not in "biuf":
        raise TypeError(
            f"Tensor holds real numbers or booleans; got dtype {dtype}. Convert the data "
            "first, for example np.asarray(data, dtype=np.float64)."
        )
    if requires_grad and dtype.kind != "f":
        raise TypeError(
            f"Only floating-point tensors can require grad; this one has dtype {dtype}. "
            "Convert it first, for example Tensor(data, dtype=np.float64, requires_grad=True)."
        )


class Tensor:
    """An n-dimensional array that remembers how it was computed.

    `Tensor(data, requires_grad=False, dtype=None, name=None)` copies `data` (a number,
    nested list, ndarray or Tensor) into a new read-only array whose dtype follows NumPy.
    """

    __slots__ = (
        "_data",
        "grad",
        "requires_grad",
        "name",
        "_node",
        "_retains_grad",
        "_hooks",
        "__weakref__",
    )

    # Filled by ops/_bind.py: NumPy ufuncs and functions that accept Tensors.
    ufunc_table: dict[Any, Callable[..., Any]] = {}
    function_table: dict[Any, Callable[..., Any]] = {}
    __hash__ = object.__hash__

    def __init__(
        self,
        data: ArrayLike,
        requires_grad: bool = False,
        dtype: Any = None,
        name: str | None = None,
    ) -> None:
        if isinstance(data, Tensor):
            data = data.data
        try:
            array = np.array(data, dtype=dtype)
        except ValueError as err:
            raise ValueError(
                f"Tensor: cannot make an array of this {type(data).__name__} ({err}). Give "
                "a number, an ndarray or nested lists of numbers, every row the same length."
            ) from None
        _check_dtype(array.dtype, requires_grad)
        array.setflags(write=False)
        self._data = array
        self.grad: Tensor | None = None
        self.requires_grad = bool(requires_grad)
        self.name = name
        self._node: Any = None  # a graph.Node for a tensor made by an op
        self._retains_grad = False
        self._hooks: list[Callable[[Tensor], Tensor | None]] | None = None

    @classmethod
    def _wrap(cls, array: np.ndarray) -> Tensor:
        """A leaf around an array that is already ours and read-only (no copy, no checks)."""
        t = cls.__new__(cls)
        t._data = array
        t.grad = None
        t.requires_grad = False
        t.name = None
        t._node = None
        t._retains_grad = False
        t._hooks = None
        return t

    # ---- what it is -------------------------------------------------------------
    def _set_data(self, value: ArrayLike) -> None:
        if isinstance(value, Tensor):
            value = value._data
        if not protected(value):
            value = np.array(value)
            value.setflags(write=False)
        _check_dtype(value.dtype, self.requires_grad)
        self._data = value

    data = property(
        attrgetter("_data"),
        _set_data,
        doc="The values, a read-only ndarray. Assigning rebinds it: a read-only array "
        "(whose bases are read-only too) is taken as it is, anything else is copied and "
        "locked, so no array a graph saved can be written to afterwards.",
    )

    @property
    def shape(self) -> tuple[int, ...]:
        return self._data.shape

    @property
    def ndim(self) -> int:
        return self._data.ndim

    @property
    def size(self) -> int:
        return self._data.size

    @property
    def dtype(self) -> np.dtype:
        return self._data.dtype

    @property
    def is_leaf(self) -> bool:
        """True for tensors made by the user (or under no_grad), False for op results."""
        return self._node is None

    @property
    def op(self) -> str | None:
        """The name of the op that made this tensor; None for a leaf."""
        node = self._node
        return None if node is None else node.op.name

    def __repr__(self) -> str:
        body = np.array2string(self.data, separator=", ", prefix="Tensor(", threshold=40)
        extras = [f"dtype={self.data.dtype}"]
        if self.name:
            extras.append(f"name={self.name!r}")
        if self.op is not None:
            extras.append(f"op={self.op}")
        elif self.requires_grad:
            extras.append("requires_grad=True")
        return f"Tensor({body}, {', '.join(extras)})"

    def __len__(self) -> int:
        if self.data.ndim == 0:
            raise TypeError("len() of a 0-d Tensor")
        return len(self.data)

    def __iter__(self) -> Iterator[Tensor]:
        for i in range(len(self)):
            yield self[i]

    def __bool__(self) -> bool:
        return bool(self.data)

    def __float__(self) -> float:
        return float(self.data)

    def __int__(self) -> int:
        return int(self.data)

    # ---- NumPy interop --------------------------------------------------------------
    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is not None and dtype != self.data.dtype:
            return self.data.astype(dtype)
        return self.data.copy() if copy else self.data

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        fn = self.ufunc_table.get(ufunc)
        if fn is None or method != "__call__" or kwargs:
            raise TypeError(
                f"np.{ufunc.__name__} ({method}, {sorted(kwargs)}) has no differentiable "
                "version for Tensors; call the matching ops function, or np.asarray(t) "
                "for a plain array without gradients."
            )
        return fn(*inputs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        fn = self.function_table.get(func)
        if fn is None:
            raise TypeError(
                f"np.{func.__name__} has no differentiable version for Tensors; use the "
                "ops module, or np.asarray(t) for a plain array without gradients."
            )
        return fn(*args, **kwargs)

    def numpy(self) -> np.ndarray:
        """The data as a (read-only) ndarray, shared with the tensor."""
        return self.data

    def item(self) -> Any:
        return self.data.item()

    def tolist(self) -> Any:
        return self.data.tolist()

    # ---- gradients (backward() is attached by autograd_core/__init__.py) ------------
    def detach(self) -> Tensor:
        """A leaf sharing this tensor's data, cut off from the graph."""
        return Tensor._wrap(self.data)

    def requires_grad_(self, flag: bool = True) -> Tensor:
        if not self.is_leaf:
            raise RuntimeError(
                f"requires_grad_ applies to leaves; this tensor was made by '{self.op}'. "
                "Use .detach().requires_grad_() for a new leaf."
            )
        _check_dtype(self.data.dtype, flag)
        self.requires_grad = bool(flag)
        return self

    def retain_grad(self) -> None:
        """Keep `.grad` on this non-leaf after backward (leaves always keep theirs)."""
        if not self.requires_grad:
            raise RuntimeError("retain_grad() on a tensor that does not require grad.")
        self._retains_grad = True

    def register_hook(self, fn: Callable[[Tensor], Tensor | None]) -> _HookHandle:
        """Call `fn(grad)` when this tensor's gradient is complete; a returned value
        replaces the gradient. Returns a handle whose `.remove()` unregisters it."""
        if not self.requires_grad:
            raise RuntimeError(
                "register_hook on a tensor that does not require grad; no gradient will reach it."
            )
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return _HookHandle(self._hooks, fn)

    def zero_grad(self) -> None:
        """Clear the accumulated gradient (sets `.grad` to None)."""
        self.grad = None

    # ---- in-place arithmetic: rebinds the data, never writes into a saved array ----
    def _inplace(self, result: Tensor, symbol: str) -> Tensor:
        if result.requires_grad:
            raise RuntimeError(
                f"In-place '{symbol}=' on a tensor of shape {self.shape} would have to be "
                "recorded for backward. Write it out of place (t = t + u), or run it "
                "under autograd_core.no_grad() as optimiser steps do."
            )
        if result.shape != self.shape:
            raise ValueError(
                f"In-place '{symbol}=' would change the shape from {self.shape} to "
                f"{result.shape}; the right-hand side must broadcast to {self.shape}."
            )
        self.data = lock(result.data.astype(self.data.dtype, copy=False))
        return self

    def __iadd__(self, other: ArrayLike) -> Tensor:
        return self._inplace(self + other, "+")

    def __isub__(self, other: ArrayLike) -> Tensor:
        return self._inplace(self - other, "-")

    def __imul__(self, other: ArrayLike) -> Tensor:
        return self._inplace(self * other, "*")

    def __itruediv__(self, other: ArrayLike) -> Tensor:
        return self._inplace(self / other, "/")

    # Operators and op methods (__add__, sum, reshape, ...) are bound by ops/_bind.py.


class _HookHandle:
    def __init__(self, hooks: list[Any], fn: Any) -> None:
        self._hooks, self._fn = hooks, fn

    def remove(self) -> None:
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)


def tensor(
    data: ArrayLike, requires_grad: bool = False, dtype: Any = None, name: str | None = None
) -> Tensor:
    """Same as `Tensor(...)`."""
    return Tensor(data, requires_grad=requires_grad, dtype=dtype, name=name)
