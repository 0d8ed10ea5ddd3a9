"""Short text for values, shapes and broadcasting, shared by the views and `explain`."""

from __future__ import annotations

import re
from typing import Any

import numpy as np


def shape_text(shape: tuple[int, ...]) -> str:
    """(3, 4) -> "(3, 4)", () -> "()" and (5,) -> "(5,)", as Python writes them."""
    return str(tuple(shape))


def _number(v: Any) -> str:
    if isinstance(v, (bool, np.bool_)):
        return str(bool(v))
    if isinstance(v, (float, np.floating)):
        return f"{float(v):.5g}"
    return str(v)


def value_text(value: Any, max_size: int) -> str | None:
    """The value on one line when it has at most `max_size` elements, else None."""
    a = np.asarray(value)
    if a.size > max_size:
        return None
    if a.ndim == 0:
        return _number(a.item())
    return np.array2string(
        a,
        separator=", ",
        max_line_width=10**6,
        threshold=max_size + 1,
        formatter={"float_kind": _number, "bool": _number},
    ).replace("\n", "")


def nonfinite(value: Any) -> str | None:
    """`NaN` or `inf` when a floating array holds one (NaN wins), else None."""
    a = np.asarray(value)
    if a.dtype.kind not in "fc":
        return None
    if np.isnan(a).any():
        return "NaN"
    if np.isinf(a).any():
        return "inf"
    return None


def summed_axes(from_shape: tuple[int, ...], to_shape: tuple[int, ...]) -> tuple[int, ...]:
    """The axes of `from_shape` that `engine.sum_to_shape` sums to reach `to_shape`."""
    lead = len(from_shape) - len(to_shape)
    if lead < 0:
        return ()
    return tuple(range(lead)) + tuple(
        lead + i for i, n in enumerate(to_shape) if n == 1 and from_shape[lead + i] != 1
    )


def broadcast_note(from_shape: tuple[int, ...], to_shape: tuple[int, ...]) -> str | None:
    """`(3, 4) -> (3, 1): summed over axis 1` when broadcasting was undone, else None."""
    if tuple(from_shape) == tuple(to_shape):
        return None
    axes = summed_axes(from_shape, to_shape)
    if not axes:
        return f"{shape_text(from_shape)} -> {shape_text(to_shape)}"
    which = f"axis {axes[0]}" if len(axes) == 1 else "axes " + ", ".join(map(str, axes))
    return f"{shape_text(from_shape)} -> {shape_text(to_shape)}: summed over {which}"


def origin_text(origin: str | None) -> str:
    """The user-code line a tensor was made at, shortened to 'file.py:12: code'."""
    if not origin:
        return "run under autograd_core.detect_anomaly() to record where it was made"
    where, _, code = origin.partition(" in ")
    path, _, line = where.rpartition(":")
    base = path.replace("\\", "/").rsplit("/", 1)[-1]
    func, _, src = code.partition(": ")
    return f"made at {base}:{line} in {func}: {src}".strip()


def input_symbols(op: Any, n: int) -> list[str | None]:
    """The symbol an op's rule text uses for each of its `n` inputs: the names its vjps
    give them (`lambda g, y, a, b: ...`), else the one each rule differentiates by
    (`∂/∂a = ...`); None where neither says."""
    for vjp in op.vjps:
        code = getattr(vjp, "__code__", None)
        if code is not None and code.co_argcount >= 2 + n:
            return list(code.co_varnames[2 : 2 + n])
    found: list[str | None] = []
    for k in range(n):
        m = re.search(r"∂/∂([A-Za-z])\b", op.rule(k))
        found.append(m.group(1) if m else None)
    return found


_SYMBOL = re.compile(r"(?<![A-Za-z0-9_⟨])([A-Za-z])(?![A-Za-z0-9_⟩'])")


def with_operands(rule: str, names: dict[str, str]) -> str:
    """`rule` with `∂/∂s` as `∂y/∂name` and each other one-letter symbol s replaced by
    `names[s]` (letters that are not symbols of the op, such as g, stay)."""
    out = names.get("y", "y")
    rule = re.sub(
        r"∂/∂([A-Za-z]\w*)", lambda m: f"∂{out}/∂{names.get(m.group(1), m.group(1))}", rule
    )
    head, sep, tail = rule.partition(" = ")
    if not sep:
        return _SYMBOL.sub(lambda m: names.get(m.group(1), m.group(1)), rule)
    return head + sep + _SYMBOL.sub(lambda m: names.get(m.group(1), m.group(1)), tail)
