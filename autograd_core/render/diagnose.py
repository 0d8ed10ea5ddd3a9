"""`explain(x, root)`: why `x.grad` is None or zero after `root.backward()`, or the path.

The checks, in order: x's dtype, whether x requires grad, whether root has a graph at
all, whether a path leads from x to root (walking each node's parents from root, iteratively),
whether the path passes only through ops whose derivative is zero, and, when the graph
still holds its saved values, a fresh gradient (`trace_backward`) to compare with
`x.grad`, which catches gradients left over from an earlier backward and edges where
the gradient became zero.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..anomaly import user_frame_object
from ..graph import parents_of
from ..tensor import Tensor
from . import text
from .names import parameter_names
from .replay import Trace, trace_backward

REASONS = (
    "ok",  # x.grad is d root / d x
    "not_run",  # a path exists but backward() has not filled x.grad yet
    "integer_dtype",  # x holds integers or booleans
    "not_requires_grad",  # x was made without requires_grad (or by detach / under no_grad)
    "detached",  # x reaches root only as a plain array (x.detach(), x.data, np.asarray(x))
    "no_grad",  # root has no graph: it was computed under no_grad() or from detached values
    "no_path",  # root's graph does not contain x
    "non_differentiable",  # every path from x goes through an op whose derivative is 0
    "zero_gradient",  # a path exists, but the gradient is zero on it for these values
    "stale",  # x.grad holds gradient left over from an earlier backward
)


@dataclass(eq=False)
class Explanation:
    """The answer of `explain`: a reason code, a message, and the path when there is one."""

    reason: str
    message: str
    path: tuple[Tensor, ...] = ()  # x, ..., root
    path_text: str | None = None
    gradient: np.ndarray | None = None  # d root / d x as computed now, when the graph allows

    def __str__(self) -> str:
        return self.message + (f"\npath: {self.path_text}" if self.path_text else "")

    def __repr__(self) -> str:
        return str(self)


def explain(x: Tensor, root: Tensor) -> Explanation:
    """Say why `x.grad` is None or zero after `root.backward()`, and print the path from
    `x` to `root` when there is one. Returns an `Explanation` (printable)."""
    if not isinstance(x, Tensor) or not isinstance(root, Tensor):
        raise TypeError("explain(x, root) expects two Tensors.")
    nodes, came_from = _ancestors(root)
    names = parameter_names(nodes)
    yours = _caller_names(x, root)
    name = names.get(id(x)) or x.name or yours.get(id(x)) or _role(x)
    rname = names.get(id(root)) or root.name or yours.get(id(root)) or _role(root)

    if x._data.dtype.kind != "f":
        return Explanation(
            "integer_dtype",
            f"{name} has dtype {x._data.dtype}: only floating-point tensors carry gradients, "
            f"and ops record nothing for it. Make it a float, for example "
            f"Tensor(data, dtype=np.float64, requires_grad=True).",
        )
    if not x.requires_grad:
        twin = next(
            (t for t in nodes if t._data is x._data and t is not x and t.requires_grad), None
        )
        if twin is not None:
            return Explanation(
                "detached",
                f"{name} is a detached copy of a tensor in {rname}'s graph (detach() shares "
                "the data but not the graph): the gradient goes to the original"
                + (
                    f", {names.get(id(twin)) or twin.name}"
                    if names.get(id(twin)) or twin.name
                    else ""
                )
                + ", not to the copy.",
            )
        return Explanation(
            "not_requires_grad",
            f"{name} does not require grad, so no gradient is kept for it. It is a leaf made "
            "without requires_grad=True, or a value made under no_grad() or by detach() "
            f"(both give tensors that require no grad). Create it with requires_grad=True "
            f"or call {name}.requires_grad_() before computing {rname}.",
        )
    if not root.requires_grad:
        return Explanation(
            "no_grad",
            f"{rname} has no graph (requires_grad=False): it was computed under no_grad() "
            "(or set_grad_enabled(False)), or only from tensors that require no grad, such as "
            f"detached ones. Nothing can flow back to {name}; compute {rname} with "
            "gradients enabled.",
            gradient=None,
        )

    if id(x) not in came_from:
        return _no_path(x, root, nodes, name, rname)

    path = _path(x, root, came_from)
    shown = " -> ".join(_step_text(t, names) for t in path)
    trace = _trace(root)
    fresh = None if trace is None else trace.grad(x)
    blocking = _zero_ops(x, root, nodes)
    current = None if x.grad is None else x.grad._data

    def answer(reason: str, message: str) -> Explanation:
        return Explanation(reason, message, tuple(path), shown, fresh)

    if blocking is not None:
        ops = ", ".join(sorted({t.op for t in blocking}))  # type: ignore[type-var]
        return answer(
            "non_differentiable",
            f"Every path from {name} to {rname} goes through {ops}, whose derivative is zero "
            f"everywhere ({blocking[0]._node.op.rule(0)}): d{rname}/d{name} is exactly 0. "
            "Use a differentiable relaxation (for example tanh instead of sign).",
        )
    if fresh is not None and current is not None and not _same(current, fresh):
        times = _multiple(current, fresh)
        hint = f" (it is {times} times the gradient: backward ran {times} times)" if times else ""
        return answer(
            "stale",
            f"{name}.grad holds gradient left over from an earlier backward{hint}: gradients "
            f"accumulate across backward() calls. d{rname}/d{name} is "
            f"{_value(fresh)} but {name}.grad is {_value(current)}. Call {name}.zero_grad() "
            "(or optimizer.zero_grad()) before each backward().",
        )
    if fresh is not None and not np.any(fresh):
        return answer("zero_gradient", _zero_message(x, root, trace, nodes, name, rname))  # type: ignore[arg-type]
    if current is None:
        return answer(
            "not_run",
            f"{rname} depends on {name}, but {name}.grad is None: call {rname}.backward() "
            f"first (or {name}.grad was cleared by zero_grad())."
            + (f" The gradient will be {_value(fresh)}." if fresh is not None else ""),
        )
    if not np.any(current):
        return answer(
            "zero_gradient",
            f"{name}.grad is all zeros: on every path from {name} to {rname} some op passed "
            "no gradient for these values (an inactive relu, a max that picked other "
            "elements, a clip outside its range, a where that chose the other side).",
        )
    return answer("ok", f"{name}.grad is d{rname}/d{name} = {_value(current)}.")


# ---- walking the graph -------------------------------------------------------------------


def _caller_names(*tensors: Tensor) -> dict[int, str]:
    """The variable names the calling code gave these tensors, where it has one."""
    frame = user_frame_object()
    if frame is None:
        return {}
    wanted = {id(t) for t in tensors}
    found: dict[int, str] = {}
    for var, value in frame.f_locals.items():
        if id(value) in wanted and isinstance(value, Tensor) and not var.startswith("_"):
            found.setdefault(id(value), var)
    return found


def _role(t: Tensor) -> str:
    """An unnamed tensor described by what it is: 'the leaf of shape (3,)', or 'the
    result of multiply (shape (3,)), made at file.py:12' when its line is known."""
    shape = text.shape_text(t._data.shape)
    if t._node is None:
        return f"the leaf of shape {shape}"
    where = f", {text.origin_text(t._node.origin)}" if t._node.origin else ""
    return f"the result of {t.op} (shape {shape}){where}"


def _ancestors(root: Tensor) -> tuple[list[Tensor], dict[int, Tensor | None]]:
    """Every tensor root depends on (breadth-first) and, for each, the tensor it was
    reached from (its child on a shortest path to root)."""
    came_from: dict[int, Tensor | None] = {id(root): None}
    nodes = [root]
    queue = deque([root])
    while queue:
        t = queue.popleft()
        for p in parents_of(t):
            if id(p) not in came_from:
                came_from[id(p)] = t
                nodes.append(p)
                queue.append(p)
    return nodes, came_from


def _path(x: Tensor, root: Tensor, came_from: dict[int, Tensor | None]) -> list[Tensor]:
    path = [x]
    while path[-1] is not root:
        path.append(came_from[id(path[-1])])  # type: ignore[arg-type]
    return path


def _step_text(t: Tensor, names: dict[int, str]) -> str:
    label = names.get(id(t)) or t.name
    shape = text.shape_text(t._data.shape)
    body = f"{label} {shape}" if label else shape
    return body if t.op is None else f"[{t.op}] {body}"


def _order(root: Tensor) -> list[Tensor]:
    """Parents before children, iteratively (works on freed graphs too)."""
    order: list[Tensor] = []
    seen: set[int] = set()
    stack: list[tuple[Tensor, bool]] = [(root, False)]
    while stack:
        t, expanded = stack.pop()
        if expanded:
            order.append(t)
            continue
        if id(t) in seen:
            continue
        seen.add(id(t))
        stack.append((t, True))
        stack.extend((p, False) for p in parents_of(t) if id(p) not in seen)
    return order


def _zero_ops(x: Tensor, root: Tensor, nodes: list[Tensor]) -> list[Tensor] | None:
    """The zero-derivative ops that cut every path from x to root, or None when some
    path avoids them."""
    reaches: dict[int, bool] = {id(x): True}  # some path from x
    passes: dict[int, bool] = {id(x): True}  # some path from x avoiding zero-derivative ops
    blockers: list[Tensor] = []
    for t in _order(root):
        if t is x or t.op is None:
            continue
        ps = parents_of(t)
        reaches[id(t)] = any(reaches.get(id(p), False) for p in ps)
        through = any(passes.get(id(p), False) for p in ps)
        if through and t._node.op.zero:
            blockers.append(t)
            through = False
        passes[id(t)] = through
    if passes.get(id(root), False) or not blockers:
        return None
    return blockers


def _no_path(x: Tensor, root: Tensor, nodes: list[Tensor], name: str, rname: str) -> Explanation:
    leftover = x.grad is not None and np.any(x.grad._data)
    saved = [t._node.saved for t in nodes if t._node is not None]
    if saved and all(s is not None for s in saved):
        used_as_array = any(v is x._data for s in saved for v in s[1:])  # type: ignore[union-attr]
        if used_as_array:
            return Explanation(
                "detached",
                f"{rname} uses {name} only as a plain array: through {name}.detach(), "
                f"{name}.data, {name}.numpy() or np.asarray({name}), which record nothing, so "
                f"no gradient flows back to {name}. Use {name} itself in the computation.",
            )
    if leftover:
        return Explanation(
            "stale",
            f"{rname} does not depend on {name}, so this backward adds nothing to "
            f"{name}.grad; the {_value(x.grad._data)} it holds is left over from an earlier "  # type: ignore[union-attr]
            f"backward. Call {name}.zero_grad() (or optimizer.zero_grad()) between steps.",
        )
    return Explanation(
        "no_path",
        f"There is no path from {name} to {rname}: {rname}'s graph does not contain {name}. "
        f"Either {name} is not used to compute {rname}, or it reaches {rname} only through "
        "values that record nothing: computed under no_grad(), by comparisons (<, ==), "
        "integer casts, or a detached copy made before the graph was freed.",
    )


def _trace(root: Tensor) -> Trace | None:
    """A fresh backward pass, when the graph still holds its saved values."""
    try:
        seed = None if root.size == 1 else np.ones(root.shape, dtype=root.dtype)
        return trace_backward(root, seed, run_hooks=False)
    except RuntimeError:
        return None


def _zero_message(
    x: Tensor, root: Tensor, trace: Trace, nodes: list[Tensor], name: str, rname: str
) -> str:
    """Name the edges where a nonzero gradient became zero on the way to x."""
    on_path = _on_paths(x, root)
    stops = []
    for step in trace.steps:
        for c in step.contributions:
            if id(c.parent) in on_path and np.any(c.grad) and not np.any(c.value):
                stops.append(c)
    where = "; ".join(
        f"'{c.op}' ({c.rule}) passed nothing to its input {c.index}"
        + (f" ({text.origin_text(c.child._node.origin)})" if c.child._node.origin else "")
        for c in stops[:3]
    )
    return (
        f"d{rname}/d{name} is zero for these values, though a path exists"
        + (f": {where}" if where else "")
        + ". Typical causes: a relu whose inputs are all <= 0, a max or min that picked "
        "other elements, a clip outside its range."
    )


def _on_paths(x: Tensor, root: Tensor) -> set[int]:
    """ids of the tensors on some path from x to root."""
    reaches: set[int] = {id(x)}
    for t in _order(root):
        if any(id(p) in reaches for p in parents_of(t)):
            reaches.add(id(t))
    return reaches


def _same(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=1e-6, atol=1e-12, equal_nan=True))


def _multiple(current: np.ndarray, fresh: np.ndarray) -> int | None:
    """k when current == k * fresh for a whole k >= 2 (backward ran k times)."""
    if not np.any(fresh) or current.shape != fresh.shape:
        return None
    k = float(np.sum(current * fresh) / np.sum(fresh * fresh))
    r = round(k)
    return r if r >= 2 and _same(current, r * fresh) else None


def _value(v: Any) -> str:
    return text.value_text(v, 6) or f"an array of shape {text.shape_text(np.shape(v))}"
