"""Creation functions: new leaf Tensors, with NumPy's names, signatures and default dtype
(float64 for floating values) plus PyTorch's `requires_grad=` (and a `name=`).

Shapes may be given as NumPy does (`zeros((2, 3))`) or as PyTorch does (`zeros(2, 3)`).
The random ones (rand randn randint normal uniform) draw from the engine's generator,
`autograd_core.random.generator()`, so `manual_seed` makes them repeat; `rng=` (a
Generator or a seed) overrides it, as for the layers.

A leaf that requires grad must be floating: `arange(5, requires_grad=True)` (int64, as
in NumPy) raises TypeError saying so; pass `dtype=np.float64` or float bounds.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .random import resolve
from .tensor import Tensor

Shape = int | Sequence[int]


def _shape(shape: tuple[Any, ...], op: str) -> tuple[int, ...]:
    """(2, 3), ((2, 3),) or ([2, 3],) -> (2, 3); () -> ()."""
    if len(shape) == 1 and not isinstance(shape[0], (int, np.integer)):
        shape = tuple(shape[0])
    try:
        dims = tuple(int(n) for n in shape)
    except (TypeError, ValueError):
        raise TypeError(f"{op}: the shape must be ints; got {shape!r}.") from None
    if any(n < 0 for n in dims):
        raise ValueError(f"{op}: the shape {dims} has a negative length.")
    return dims


def _leaf(array: np.ndarray, requires_grad: bool, name: str | None) -> Tensor:
    return Tensor(array, requires_grad=requires_grad, name=name)


def zeros(
    *shape: Any, dtype: Any = None, requires_grad: bool = False, name: str | None = None
) -> Tensor:
    """A Tensor of zeros (float64 unless dtype is given)."""
    return _leaf(np.zeros(_shape(shape, "zeros"), dtype=dtype or np.float64), requires_grad, name)


def ones(
    *shape: Any, dtype: Any = None, requires_grad: bool = False, name: str | None = None
) -> Tensor:
    """A Tensor of ones (float64 unless dtype is given)."""
    return _leaf(np.ones(_shape(shape, "ones"), dtype=dtype or np.float64), requires_grad, name)


def empty(
    *shape: Any, dtype: Any = None, requires_grad: bool = False, name: str | None = None
) -> Tensor:
    """A Tensor of the shape, filled with zeros: tensor data is read-only, so uninitialised
    memory could never be filled in later (NumPy's empty leaves it undefined)."""
    return _leaf(np.zeros(_shape(shape, "empty"), dtype=dtype or np.float64), requires_grad, name)


def full(
    shape: Shape,
    fill_value: Any,
    dtype: Any = None,
    *,
    requires_grad: bool = False,
    name: str | None = None,
) -> Tensor:
    """A Tensor of `fill_value`; the dtype is NumPy's for the value unless given."""
    return _leaf(np.full(_shape((shape,), "full"), fill_value, dtype=dtype), requires_grad, name)


def _like(a: Any) -> np.ndarray:
    return a._data if isinstance(a, Tensor) else np.asarray(a)


def zeros_like(
    a: Any, dtype: Any = None, *, requires_grad: bool = False, name: str | None = None
) -> Tensor:
    """Zeros of a's shape and dtype (a Tensor, an array or anything NumPy reads)."""
    return _leaf(np.zeros_like(_like(a), dtype=dtype), requires_grad, name)


def ones_like(
    a: Any, dtype: Any = None, *, requires_grad: bool = False, name: str | None = None
) -> Tensor:
    """Ones of a's shape and dtype."""
    return _leaf(np.ones_like(_like(a), dtype=dtype), requires_grad, name)


def full_like(
    a: Any,
    fill_value: Any,
    dtype: Any = None,
    *,
    requires_grad: bool = False,
    name: str | None = None,
) -> Tensor:
    """`fill_value` in a's shape and dtype."""
    return _leaf(np.full_like(_like(a), fill_value, dtype=dtype), requires_grad, name)


def empty_like(
    a: Any, dtype: Any = None, *, requires_grad: bool = False, name: str | None = None
) -> Tensor:
    """Zeros of a's shape and dtype (see `empty`)."""
    return _leaf(np.zeros_like(_like(a), dtype=dtype), requires_grad, name)


def arange(
    start: Any,
    stop: Any = None,
    step: Any = None,
    dtype: Any = None,
    *,
    requires_grad: bool = False,
    name: str | None = None,
) -> Tensor:
    """Evenly spaced values in [start, stop), NumPy's arange (ints give int64)."""
    args = [start] if stop is None else [start, stop]
    if step is not None:
        if stop is None:
            args = [0, start]
        args.append(step)
    return _leaf(np.arange(*args, dtype=dtype), requires_grad, name)


def linspace(
    start: Any,
    stop: Any,
    num: int = 50,
    endpoint: bool = True,
    dtype: Any = None,
    *,
    requires_grad: bool = False,
    name: str | None = None,
) -> Tensor:
    """`num` evenly spaced values from start to stop (stop included unless endpoint=False)."""
    values = np.linspace(start, stop, num, endpoint=endpoint, dtype=dtype)
    return _leaf(values, requires_grad, name)


def eye(
    N: int,
    M: int | None = None,
    k: int = 0,
    dtype: Any = None,
    *,
    requires_grad: bool = False,
    name: str | None = None,
) -> Tensor:
    """The N x M identity (ones on the k-th diagonal), float64 unless dtype is given."""
    return _leaf(np.eye(N, M, k, dtype=dtype or np.float64), requires_grad, name)


def _floating(dtype: Any, op: str) -> np.dtype:
    d = np.dtype(dtype or np.float64)
    if d.kind != "f":
        raise TypeError(f"{op}: draws floating values; dtype must be floating, got {d}.")
    return d


def _drawn(d: np.dtype) -> Any:
    """The dtype NumPy's generator draws in: float32 or float64 (others are cast after)."""
    return d if d in (np.float32, np.float64) else np.float64


def rand(
    *shape: Any,
    dtype: Any = None,
    requires_grad: bool = False,
    rng: Any = None,
    name: str | None = None,
) -> Tensor:
    """Uniform draws in [0, 1) (PyTorch's rand, NumPy's random.rand)."""
    d = _floating(dtype, "rand")
    draws = resolve(rng).random(
        _shape(shape, "rand"), dtype=d if d.itemsize in (4, 8) else np.float64
    )
    return _leaf(draws.astype(d, copy=False), requires_grad, name)


def randn(
    *shape: Any,
    dtype: Any = None,
    requires_grad: bool = False,
    rng: Any = None,
    name: str | None = None,
) -> Tensor:
    """Standard normal draws (mean 0, standard deviation 1)."""
    d = _floating(dtype, "randn")
    gen = resolve(rng)
    draws = gen.standard_normal(
        _shape(shape, "randn"), dtype=d if d.itemsize in (4, 8) else np.float64
    )
    return _leaf(draws.astype(d, copy=False), requires_grad, name)


def randint(
    low: int,
    high: int | None = None,
    size: Shape | None = None,
    dtype: Any = np.int64,
    *,
    rng: Any = None,
    name: str | None = None,
) -> Tensor:
    """Random integers in [low, high) ([0, low) when high is None), NumPy's randint
    signature; an integer Tensor, so it never requires grad."""
    shape = () if size is None else _shape((size,), "randint")
    return _leaf(resolve(rng).integers(low, high, shape, dtype=dtype), False, name)


def normal(
    loc: Any = 0.0,
    scale: Any = 1.0,
    size: Shape | None = None,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
    rng: Any = None,
    name: str | None = None,
) -> Tensor:
    """Normal draws with mean `loc` and standard deviation `scale` (NumPy's signature)."""
    return _draw("normal", loc, scale, size, dtype, requires_grad, rng, name)


def uniform(
    low: Any = 0.0,
    high: Any = 1.0,
    size: Shape | None = None,
    *,
    dtype: Any = None,
    requires_grad: bool = False,
    rng: Any = None,
    name: str | None = None,
) -> Tensor:
    """Uniform draws in [low, high) (NumPy's signature)."""
    return _draw("uniform", low, high, size, dtype, requires_grad, rng, name)


def _draw(
    method: str,
    a: Any,
    b: Any,
    size: Shape | None,
    dtype: Any,
    requires_grad: bool,
    rng: Any,
    name: str | None,
) -> Tensor:
    """A floating leaf of draws from the generator's two-parameter `method`."""
    d = _floating(dtype, method)
    shape = None if size is None else _shape((size,), method)
    draws = np.asarray(getattr(resolve(rng), method)(a, b, shape))
    return _leaf(draws.astype(d, copy=False), requires_grad, name)
