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
(`t.data = new_array`, `t.data -= step`, or `t -= step` under `no_grad`, which all
rebind). Assigning `t.data` keeps that promise: an array that could still be written
to (writable itself, or a view of a writable array) is copied and locked first.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np

ArrayLike = Any


def lock(array: Any) -> np.ndarray:
    """Return `array` as a read-only ndarray (0-d ufunc results arrive as NumPy scalars)."""
    if type(array) is not np.ndarray:
        array = np.asarray(array)
    array.setflags(False)  # write=False (positionally: faster, and this runs per op)
    return array


def protected(value: Any) -> bool:
    """True for a read-only ndarray whose memory no writable array shares (every base
    in its chain of views is a read-only ndarray too)."""
    while isinstance(value, np.ndarray):
        if value.flags.writeable:
            return False
        if value.base is None:
            return True
        value = value.base
    return False


def describe(t: Any) -> str:
    """'tensor 'w' (shape (3,))' or 'a tensor of shape (3,)', for messages."""
    if t is None:
        return "a tensor"
    return f"tensor {t.name!r} (shape {t.shape})" if t.name else f"a tensor of shape {t.shape}"


class TensorData(np.ndarray):
    """What `t.data` returns: a read-only view of the tensor's array that knows its tensor.

    Arithmetic on it gives plain ndarrays. The augmented operators (`t.data -= lr * g`,
    micrograd's and old PyTorch's update) compute a new array and rebind the tensor's
    data to it, so no array a graph saved is ever written. Writing elements
    (`t.data[0] = 1`) raises an error that says how to change the values instead."""

    _tensor: Any = None

    def __array_finalize__(self, obj: Any) -> None:
        self._tensor = getattr(obj, "_tensor", None)

    def __array_wrap__(self, array: Any, context: Any = None, return_scalar: bool = False) -> Any:
        return array[()] if return_scalar else array  # results are plain arrays

    # Copies are plain, writable ndarrays of their own: they belong to no tensor.
    def copy(self, order: Any = "C") -> np.ndarray:  # type: ignore[override]
        return np.array(self, order=order, subok=False)

    def astype(self, dtype: Any, *args: Any, **kwargs: Any) -> np.ndarray:  # type: ignore[override]
        return self.view(np.ndarray).astype(dtype, *args, **kwargs)

    def __copy__(self) -> np.ndarray:
        return self.copy()

    def __deepcopy__(self, memo: Any) -> np.ndarray:
        return self.copy()

    def _rebind(self, result: Any) -> Any:
        owner = self._tensor
        if owner is None or self.shape != owner.shape:
            raise ValueError(
                f"An in-place operator on part of {describe(owner)}'s .data would write "
                "into an array a graph may hold. Assign the whole array instead: "
                "t.data = new_values."
            )
        if isinstance(result, Tensor):
            result = result._data
        result = np.asarray(result)
        if result.shape != owner.shape:
            raise ValueError(
                f"An in-place update of {describe(owner)}'s .data would change its shape to "
                f"{result.shape}; the right-hand side must broadcast to {owner.shape}."
            )
        owner.data = lock(result.astype(owner._data.dtype, copy=False))
        return owner.data

    def __iadd__(self, other: Any) -> Any:
        return self._rebind(np.add(self, other))

    def __isub__(self, other: Any) -> Any:
        return self._rebind(np.subtract(self, other))

    def __imul__(self, other: Any) -> Any:
        return self._rebind(np.multiply(self, other))

    def __itruediv__(self, other: Any) -> Any:
        return self._rebind(np.true_divide(self, other))

    def __setitem__(self, index: Any, value: Any) -> None:
        who = describe(self._tensor)
        raise ValueError(
            f"Cannot write element-wise into the data of {who} (.data[{index!r}] = ...): "
            "tensor data is read-only, because a graph may have saved this array for "
            "backward. Make a new "
            "array and rebind it: new = t.numpy().copy(); new[...] = value; t.data = new "
            "(under autograd_core.no_grad() for a parameter, as optimisers do)."
        )

    def fill(self, value: Any) -> None:
        raise ValueError(
            f"Cannot fill the data of {describe(self._tensor)} in place: tensor data is "
            "read-only. "
            "Rebind it: t.data = np.full(t.shape, value)."
        )


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
    A Python int asked to require grad (micrograd's `Value(0)`) becomes float64; integer
    or boolean lists, arrays or dtypes with requires_grad=True raise TypeError.
    """

    __slots__ = (
        "_data",
        "_grad",
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
            data = data._data
        try:
            array = np.array(data, dtype=dtype)
        except ValueError as err:
            raise ValueError(
                f"Tensor: cannot make an array of this {type(data).__name__} ({err}). Give "
                "a number, an ndarray or nested lists of numbers, every row the same length."
            ) from None
        if requires_grad and dtype is None and type(data) is int:
            array = array.astype(np.float64)  # micrograd's Value(0): a number to differentiate
        _check_dtype(array.dtype, requires_grad)
        array.setflags(write=False)
        self._data = array
        self._grad: Tensor | None = None
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
        t._grad = None
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

    def _get_grad(self) -> Tensor | None:
        return self._grad

    def _set_grad(self, value: Any) -> None:
        if value is None or isinstance(value, Tensor):
            if value is not None and value.shape != self.shape:
                raise ValueError(
                    f"Cannot assign a gradient of shape {value.shape} to the .grad of "
                    f"{describe(self)}; it must have the tensor's shape."
                )
            self._grad = value
            return
        try:  # a number or an array: micrograd's `p.grad = 0` means zeros
            array = np.broadcast_to(np.asarray(value, dtype=self._data.dtype), self.shape)
        except (ValueError, TypeError):
            raise ValueError(
                f"Cannot assign {type(value).__name__} {value!r:.40} to the .grad of "
                f"{describe(self)}; give None, a Tensor, or numbers of shape {self.shape}."
            ) from None
        self._grad = Tensor._wrap(lock(np.array(array)))

    grad = property(
        _get_grad,
        _set_grad,
        doc="The accumulated gradient (a Tensor of this tensor's shape), or None. "
        "Assigning a number or an array broadcasts it to the shape (micrograd's "
        "`p.grad = 0` gives zeros).",
    )

    def _get_data(self) -> np.ndarray:
        view = self._data.view(TensorData)
        view._tensor = self
        return view

    data = property(
        _get_data,
        _set_data,
        doc="The values, a read-only ndarray (a `TensorData` view that knows its tensor). "
        "Assigning rebinds it: a read-only array (whose bases are read-only too) is taken "
        "as it is, anything else is copied and locked, so no array a graph saved can be "
        "written to afterwards. `t.data -= step` rebinds too; `t.data[i] = v` raises.",
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
        body = np.array2string(self._data, separator=", ", prefix="Tensor(", threshold=40)
        extras = [f"dtype={self._data.dtype}"]
        if self.name:
            extras.append(f"name={self.name!r}")
        if self.requires_grad:
            extras.append("requires_grad=True")
        if self.op is not None:
            extras.append(f"op={self.op}")
        return f"Tensor({body}, {', '.join(extras)})"

    def __len__(self) -> int:
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d Tensor")
        return len(self._data)

    def __iter__(self) -> Iterator[Tensor]:
        for i in range(len(self)):
            yield self[i]

    def _number(self, what: str) -> Any:
        """The one element as a Python number, for float(), int(), bool(), format()."""
        if self._data.size != 1:
            raise TypeError(
                f"{what} needs a tensor with exactly one element; this one has shape "
                f"{self.shape}. Reduce it first (.sum(), .mean()) or pick an element (t[0])."
            )
        return self._data.item()

    def __bool__(self) -> bool:
        return bool(self._number("bool()"))

    def __float__(self) -> float:
        return float(self._number("float()"))

    def __int__(self) -> int:
        return int(self._number("int()"))

    def __format__(self, spec: str) -> str:
        """`f"{t:.4f}"` formats the number of a one-element tensor as Python would; an
        empty spec gives `str(t)` for any tensor."""
        if not spec:
            return str(self)
        return format(self._number(f"format(t, {spec!r})"), spec)

    def __round__(self, ndigits: int | None = None) -> Any:
        """round(t) and round(t, n): a Python number for a one-element tensor (as round
        does on that number); for more elements, a new Tensor rounded elementwise
        (NumPy's round half to even), not differentiable."""
        if self._data.size == 1:
            return round(self._data.item(), ndigits)
        return Tensor(np.round(self._data, ndigits or 0))

    # ---- NumPy interop --------------------------------------------------------------
    def __array__(self, dtype: Any = None, copy: bool | None = None) -> np.ndarray:
        if dtype is not None and dtype != self._data.dtype:
            return self._data.astype(dtype)
        return self._data.copy() if copy else self._data

    def __array_ufunc__(self, ufunc: Any, method: str, *inputs: Any, **kwargs: Any) -> Any:
        """np.<ufunc>(t, ...) runs the matching op (`ufunc_table`), as do the ufunc methods
        that have one (np.add.reduce, np.multiply.accumulate, np.add.outer, ...)."""
        name = f"np.{ufunc.__name__}" + ("" if method == "__call__" else f".{method}")
        fn = self.ufunc_table.get(ufunc if method == "__call__" else (ufunc, method))
        if fn is None:
            raise TypeError(
                f"{name} has no differentiable version for Tensors; call the matching ops "
                "function (ops/__init__.py lists them), or np.asarray(t) for a plain array "
                "without gradients."
            )
        if kwargs:
            _refuse_writes(name, kwargs)
            if method == "__call__":
                inputs = _cast_inputs(name, inputs, kwargs)
        return _call(name, fn, inputs, kwargs)

    def __array_function__(self, func: Any, types: Any, args: Any, kwargs: Any) -> Any:
        """np.<function>(t, ...) runs the matching op (`function_table`)."""
        fn = self.function_table.get(func)
        parts = (getattr(func, "__module__", None) or "numpy").split(".")
        public = len(parts) > 1 and not parts[1].startswith("_") and parts[1] != "lib"
        name = f"np.{parts[1]}.{func.__name__}" if public else f"np.{func.__name__}"
        if fn is None:
            raise TypeError(
                f"{name} has no differentiable version for Tensors; use the ops module "
                "(ops/__init__.py lists its functions), or np.asarray(t) for a plain array "
                "without gradients."
            )
        if kwargs:
            _refuse_writes(name, kwargs)
        return _call(name, fn, args, kwargs)

    def numpy(self) -> np.ndarray:
        """The data as a (read-only) ndarray, shared with the tensor."""
        return self._data

    def item(self) -> Any:
        return self._data.item()

    def tolist(self) -> Any:
        return self._data.tolist()

    # ---- gradients (backward() is attached by autograd_core/__init__.py) ------------
    def detach(self) -> Tensor:
        """A leaf sharing this tensor's data, cut off from the graph."""
        return Tensor._wrap(self._data)

    def requires_grad_(self, flag: bool = True) -> Tensor:
        if not self.is_leaf:
            raise RuntimeError(
                f"requires_grad_ applies to leaves; this tensor was made by '{self.op}'. "
                "Use .detach().requires_grad_() for a new leaf."
            )
        _check_dtype(self._data.dtype, flag)
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

    # ---- augmented assignment: never writes into an array a graph saved -----------
    def _inplace(self, result: Tensor, symbol: str) -> Tensor:
        """`t += u` and friends. With nothing to record (under no_grad, or on constants)
        the tensor keeps its identity and its data is rebound to the result. When the
        result is part of a graph, the name is rebound to the result instead, as
        `t = t + u` (micrograd's semantics: the old node stays in the graph), except on
        a leaf that requires grad, where PyTorch refuses too."""
        if result.shape != self.shape:
            raise ValueError(
                f"In-place '{symbol}=' would change the shape from {self.shape} to "
                f"{result.shape}; the right-hand side must broadcast to {self.shape}."
            )
        if not result.requires_grad:
            self._data = lock(result._data.astype(self._data.dtype, copy=False))
            return self
        if self._node is None and self.requires_grad:
            raise RuntimeError(
                f"In-place '{symbol}=' on {describe(self)}, a leaf that requires grad, "
                "while gradients are recorded (PyTorch refuses this too). To build a new "
                f"tensor in the graph, write it out of place: t = t {symbol} u. To change "
                f"its values, as an optimiser step does: with autograd_core.no_grad(): "
                f"t {symbol}= u (or t.data {symbol}= u)."
            )
        return result

    def __iadd__(self, other: ArrayLike) -> Tensor:
        return self._inplace(self + other, "+")

    def __isub__(self, other: ArrayLike) -> Tensor:
        return self._inplace(self - other, "-")

    def __imul__(self, other: ArrayLike) -> Tensor:
        return self._inplace(self * other, "*")

    def __itruediv__(self, other: ArrayLike) -> Tensor:
        return self._inplace(self / other, "/")

    # Operators and op methods (__add__, sum, reshape, ...) are bound by ops/_bind.py.


def _refuse_writes(name: str, kwargs: dict[str, Any]) -> None:
    """out= and where= ask NumPy to write into an array; a Tensor's result is a new Tensor."""
    out = kwargs.pop("out", None)
    if out is not None and not (isinstance(out, tuple) and all(o is None for o in out)):
        raise TypeError(
            f"{name}(..., out=...) is not supported for Tensors: their data is read-only and "
            f"an op returns a new Tensor. Drop out= and use the result: y = {name}(t)."
        )
    where = kwargs.pop("where", True)
    if where is not True:
        raise TypeError(
            f"{name}(..., where=...) is not supported for Tensors: it leaves the masked-out "
            f"elements unset. Compute everywhere and select: np.where(mask, {name}(t), fill)."
        )


def _cast_inputs(name: str, inputs: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """A ufunc's dtype= casts its inputs first (a Tensor by the differentiable astype)."""
    dtype = kwargs.pop("dtype", None)
    if kwargs:
        raise TypeError(
            f"{name}: the keyword(s) {sorted(kwargs)} are not supported for Tensors (only "
            "dtype=); call it without them, or on np.asarray(t) for a plain array without "
            "gradients."
        )
    if dtype is None:
        return inputs
    return tuple(
        x.astype(dtype) if isinstance(x, Tensor) else np.asarray(x, dtype=dtype) for x in inputs
    )


def _call(name: str, fn: Callable[..., Any], args: Any, kwargs: dict[str, Any]) -> Any:
    """fn(*args, **kwargs); a keyword or argument the op does not take is named."""
    try:
        return fn(*args, **kwargs)
    except TypeError:
        try:
            inspect.signature(fn).bind(*args, **kwargs)
        except TypeError as err:
            raise TypeError(
                f"{name}: {err} in its differentiable version for Tensors. Leave that "
                "argument out, or call it on np.asarray(t) for a plain array without "
                "gradients."
            ) from None
        except ValueError:  # no signature to read (a builtin)
            pass
        raise


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
