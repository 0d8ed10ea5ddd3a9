"""`trace_backward(root)`: one backward pass, recorded step by step.

It is the engine's own grad_table loop (`engine.backpropagate`), watched: an observer
sees every edge (the child, the parent, what the vjp returned and what was summed into
the parent's entry), and every completed entry becomes a step holding the contributions
that were summed into it, with the incoming gradient and local derivative behind each
one. So the numbers are the engine's by construction. It keeps the graph (retain_graph
semantics) and touches no `.grad`.

In the notation of the grad_table algorithm (Chen Si, "Back Propagation"), step 0 sets
grad_table[u_n] = 1 and each later step completes one entry,

    grad_table[u_j] = sum over children u_i of grad_table[u_i] * du_i/du_j.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

import numpy as np

from .. import engine
from ..graph import topological_order
from ..tensor import Tensor
from . import text
from .names import parameter_names


@dataclass(frozen=True, eq=False)
class Contribution:
    """What one edge sent back: grad_table[child] times d child / d parent."""

    child: Tensor  # u_i, whose entry was complete
    parent: Tensor  # u_j, the input of child's op that receives it
    index: int  # parent's position among the op's inputs
    op: str
    rule: str  # the local-derivative rule, as the op declared it
    grad: np.ndarray  # grad_table[child]
    value: np.ndarray  # the contribution, in parent's shape
    local: np.ndarray | None  # d child / d parent itself, when child is a scalar
    raw_shape: tuple[int, ...]  # the vjp's shape before broadcasting was undone

    @property
    def broadcast(self) -> str | None:
        """`(3, 4) -> (3, 1): summed over axis 1` when broadcasting was undone."""
        return text.broadcast_note(self.raw_shape, self.parent.shape)


@dataclass(frozen=True, eq=False)
class Step:
    """One step of the grad_table algorithm: `node`'s entry became complete."""

    index: int
    node: Tensor
    grad: np.ndarray  # grad_table[node]
    contributions: tuple[Contribution, ...]  # summed into it (empty for the seed)
    trace: Trace = field(repr=False)

    @property
    def label(self) -> str:
        return self.trace.label(self.node)

    @property
    def table(self) -> dict[Tensor, np.ndarray]:
        """The grad_table after this step: node -> gradient, in the order filled."""
        return {s.node: s.grad for s in self.trace.steps[: self.index + 1]}

    def equation(self, max_size: int = 4) -> str:
        """`grad_table[e] = grad_table[d]·∂d/∂e = 1 × 1 = 1`, values shown when small."""
        lhs = f"grad_table[{self.label}]"
        value = text.value_text(self.grad, max_size) or f"array{text.shape_text(self.grad.shape)}"
        if not self.contributions:
            return f"{lhs} = {value}  (the seed: d {self.label} / d {self.label})"
        terms, numbers = [], []
        for c in self.contributions:
            child = self.trace.label(c.child)
            terms.append(f"grad_table[{child}]·∂{child}/∂{self.label}")
            g = text.value_text(c.grad, max_size)
            local = None if c.local is None else text.value_text(c.local, max_size)
            numbers.append(f"{g} × {local}" if g is not None and local is not None else None)
        out = f"{lhs} = " + " + ".join(terms)
        if all(n is not None for n in numbers):
            out += " = " + " + ".join(numbers)  # type: ignore[arg-type]
        return f"{out} = {value}"

    def table_text(self, max_size: int = 4) -> str:
        """The grad_table after this step, one entry a line; `<-` marks this step."""
        lines = []
        for s in self.trace.steps[: self.index + 1]:
            v = text.value_text(s.grad, max_size) or f"array{text.shape_text(s.grad.shape)}"
            mark = "  <-" if s is self else ""
            lines.append(f"grad_table[{s.label}] = {v}{mark}")
        return "\n".join(lines)

    def draw(self, **options: Any) -> Any:
        """The backward view with this step's node highlighted and the table so far."""
        return self.trace.draw(step=self.index, **options)

    def __str__(self) -> str:
        return f"step {self.index}/{len(self.trace) - 1}: {self.equation()}"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = dict(self.draw()._repr_mimebundle_(include, exclude))
        bundle["text/plain"] = str(self)
        return bundle


class Trace(Sequence[Step]):
    """The steps of one backward pass from `root`, in the order the entries completed."""

    def __init__(
        self, root: Tensor, labels: dict[int, str], draw: Callable[..., Any] | None = None
    ) -> None:
        self.root = root
        self._draw = draw  # the renderer's draw(root, **options), given by whoever made it
        self.steps: list[Step] = []
        self._labels = labels
        self._grads: dict[int, np.ndarray] = {}
        self._edges: dict[tuple[int, int], Contribution] = {}

    def _add(self, node: Tensor, grad: np.ndarray, incoming: list[Contribution]) -> None:
        self.steps.append(Step(len(self.steps), node, grad, tuple(incoming), self))
        self._grads[id(node)] = grad
        for c in incoming:
            self._edges[(id(c.child), c.index)] = c

    def __len__(self) -> int:
        return len(self.steps)

    @overload
    def __getitem__(self, i: int) -> Step: ...
    @overload
    def __getitem__(self, i: slice) -> list[Step]: ...
    def __getitem__(self, i: Any) -> Any:
        return self.steps[i]

    def __iter__(self) -> Iterator[Step]:
        return iter(self.steps)

    @property
    def grads(self) -> dict[Tensor, np.ndarray]:
        """Every node's complete gradient: the final grad_table."""
        return {s.node: s.grad for s in self.steps}

    def grad(self, t: Tensor) -> np.ndarray | None:
        """d root / d t, or None when t is not in the graph."""
        return self._grads.get(id(t))

    def edge(self, child: Tensor, index: int) -> Contribution | None:
        """What `child`'s op sent back to its input `index`, if it sent anything."""
        return self._edges.get((id(child), index))

    def label(self, t: Tensor) -> str:
        """The tensor's name, its parameter name, or u_k (its place in the order)."""
        return self._labels.get(id(t)) or t.name or "?"

    def draw(self, step: int | None = None, **options: Any) -> Any:
        """The backward view; with `step`, the state of the table after that step."""
        if self._draw is None:
            raise RuntimeError(
                "This trace was recorded without a renderer; make it with "
                "autograd_core.trace_backward(root) to draw it."
            )
        return self._draw(self.root, backward=True, trace=self, step=step, **options)

    def __repr__(self) -> str:
        return f"<Trace of {len(self)} grad_table steps from {self.label(self.root)}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        bundle = dict(self.draw()._repr_mimebundle_(include, exclude))
        bundle["text/plain"] = repr(self)
        return bundle


def trace_backward(
    root: Tensor,
    grad: Any = None,
    *,
    run_hooks: bool = True,
    draw: Callable[..., Any] | None = None,
) -> Trace:
    """Run one backward pass from `root`, recording each grad_table step.

    `grad` seeds a non-scalar root, as in `backward(grad)`. Hooks run as in backward
    (`run_hooks=False` skips them). The graph is kept and no `.grad` is changed; the
    numbers are the ones `root.backward()` would produce. `draw` is the renderer the
    trace and its steps draw with. Raises RuntimeError when the graph was freed by an
    earlier backward() without retain_graph=True.
    """
    if not isinstance(root, Tensor):
        raise TypeError(f"trace_backward() expects a Tensor; got {type(root).__name__}.")
    table = engine.seeds((root,), None if grad is None else (grad,), "trace_backward", False)
    order = topological_order((root,))
    names = parameter_names(order)
    labels = {id(t): names.get(id(t)) or t.name or f"u{k}" for k, t in enumerate(order, 1)}
    trace = Trace(root, labels, draw)
    pending: dict[int, list[Contribution]] = {}
    ones: dict[tuple[Any, ...], np.ndarray] = {}  # unit seeds for local derivatives

    def complete(tensor: Tensor, g: Any) -> Any:
        if run_hooks and tensor._hooks:
            g = engine.run_hooks(tensor, g, False)
        trace._add(tensor, g, pending.pop(id(tensor), []))
        return g

    def observe(child: Tensor, i: int, parent: Tensor, raw: Any, value: Any) -> None:
        node = child._node
        g = trace._grads[id(child)]
        local = None
        if child.size == 1:  # d child / d parent itself: the vjp of a unit gradient
            key = (g.shape, g.dtype)
            one = ones.get(key)
            if one is None:
                one = ones[key] = np.ones(g.shape, g.dtype)
            vjp = (
                node.joint_vjp(one, node.saved)[i]
                if node.op.joint
                else node.vjp(i, one, node.saved)
            )
            local = engine.fit(vjp, node, i)
        c = Contribution(
            child, parent, i, node.op.name, node.op.rule(i), g, value, local, np.shape(raw)
        )
        pending.setdefault(id(parent), []).append(c)

    with np.errstate(all="ignore"):
        engine.backpropagate(
            order, table, complete, retain_graph=True, observe=observe, watched=set(order)
        )
    return trace
