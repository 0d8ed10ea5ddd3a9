"""The graph: what a non-leaf tensor remembers about the op that made it, and the order
in which backward visits the tensors.

A tensor made by an op holds one `Node`: the op (its name, its vjps and their rule
text), the parents (the op's inputs, None where an input needs no gradient), the
values the vjps read (the output first, then each input, fixed at forward time) and
the op's keyword constants (an axis, a shape). A leaf holds no node.

Nothing here knows a specific op, or even the Tensor class: a graph is anything whose
elements have `_node` and `requires_grad`.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

Vjp = Callable[..., Any]
SMALL = 16  # backward lets go of intermediates with more elements than this


class Node(list):
    """How one tensor was computed: `op(*inputs, **params)`.

    The node's items are its parents, one per input of the op (None where an input needs
    no gradient); `parents` names them. Its attributes: the op (name, vjps, rule text),
    the values the vjps read (the output first, then each input, fixed at forward time;
    None once backward freed them), the op's keyword constants, the modules whose
    forward made it, and the line of user code under `detect_anomaly()`.

    A list, so that a node is a single object however many parents it has: every op
    makes one, and the garbage collector's work grows with the number of objects."""

    __slots__ = (
        "op",
        "saved",
        "params",
        "scope",
        "origin",
        "name",
        "shape",
        "dtype",
        "tensor",
        "_view",
    )

    # Filled in by `op.record`, which makes every node, attribute by attribute (a Python
    # `__init__` would cost a call per op):
    op: Any  # an `autograd_core.op.Op`: name, vjps, rules
    saved: tuple[Any, ...] | None  # (output, *inputs); None once backward freed them
    params: dict[str, Any] | None  # keyword constants of the call, or None
    scope: tuple[Any, ...]  # the nn.Modules whose forward made it, outermost first
    origin: str | None  # the line of user code, under detect_anomaly()
    # Set by `hold` when backward lets go of the tensor this node made, and unset until
    # then (nothing to store per op): its name, shape and dtype, `tensor` (a weak
    # reference to it), and `_view` (the `Freed` that stands in for it).
    name: str | None
    shape: tuple[int, ...]
    dtype: np.dtype
    tensor: Callable[[], Any]

    @property
    def parents(self) -> list[Any]:
        """One per input of the op: the Tensor, or None where no gradient is needed.
        Once backward has freed the node, an intermediate input is a `Freed`."""
        if self.saved is not None:
            return self
        return [p.stand_in() if type(p) is Node else p for p in self]

    def hold(self, index: int, parent: Any) -> None:
        """What backward does with an intermediate input of more than `SMALL` elements
        once this node has sent it its gradient (unless the graph is retained): hold it
        only through its node (its op, name, shape and dtype, and a weak reference to the
        tensor, used for as long as someone else holds it). A tensor kept after backward,
        such as a loss appended to a list, then holds its own value and the structure of
        its graph, not the activations behind it. Small intermediates (scalars and short
        vectors, which drawings show with their values) and leaves (parameters and
        inputs) stay as they are: holding them costs less than letting them go. Backward
        then drops the saved values and constants (`saved` and `params` become None)."""
        node = parent._node
        if not hasattr(node, "tensor"):
            data = parent._data
            node.name, node.shape, node.dtype = parent.name, data.shape, data.dtype
            node.tensor = weakref.ref(parent)
        self[index] = node

    def stand_in(self) -> Any:
        """The tensor this node made, while someone holds it; else a `Freed` view."""
        t = self.tensor()
        if t is not None:
            return t
        if not hasattr(self, "_view"):
            self._view = Freed(self)
        return self._view

    def __repr__(self) -> str:
        return f"<node of {self.op.name}: {len(self)} inputs>"

    __eq__ = object.__eq__  # a node is itself, not the list of its parents
    __ne__ = object.__ne__
    __hash__ = object.__hash__  # type: ignore[assignment]

    def vjp(self, index: int, g: Any, args: tuple[Any, ...]) -> Any:
        """The vector-Jacobian product for input `index`: `g` times d output / d input,
        before broadcasting is undone. `args` are the output and the inputs (arrays, or
        Tensors when backward builds a graph of its own)."""
        if self.params is None:
            return self.op.vjps[index](g, *args)
        return self.op.vjps[index](g, *args, **self.params)

    def joint_vjp(self, g: Any, args: tuple[Any, ...]) -> Any:
        """Every input's vjp at once, for an op declared with one joint vjp (ops with
        many inputs, whose backward then stays linear in their number)."""
        return self.op.vjps[0](g, *args, **(self.params or {}))


class Freed:
    """An intermediate tensor of a graph that backward has freed: what drawings and
    `explain` need to show where it was (its node, op, name, shape and dtype), without
    its values."""

    __slots__ = ("_node",)
    requires_grad = True
    is_leaf = False
    grad = None
    _hooks = None
    _retains_grad = False

    def __init__(self, node: Node) -> None:
        self._node = node

    @property
    def op(self) -> str:
        return self._node.op.name

    @property
    def name(self) -> str | None:
        return self._node.name

    @property
    def shape(self) -> tuple[int, ...]:
        return self._node.shape

    @property
    def dtype(self) -> np.dtype:
        return self._node.dtype

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))

    @property
    def ndim(self) -> int:
        return len(self.shape)

    freed_values = True  # a small intermediate is never freed, so its values stay

    @property
    def _data(self) -> np.ndarray:
        """A stand-in of the right shape and dtype (one element of memory)."""
        return np.broadcast_to(np.zeros((), self.dtype), self.shape)

    def __repr__(self) -> str:
        return f"<freed result of {self.op}, shape {self.shape}>"


def freed_error(tensor: Any) -> RuntimeError:
    return RuntimeError(
        f"Trying to backward through the graph a second time: the values saved by "
        f"'{tensor.op}' (output shape {tensor.shape}) were freed by the first backward(). "
        "Pass retain_graph=True to the first backward() or grad() call if you need to go "
        "through the graph again."
    )


def topological_order(roots: Iterable[Any]) -> list[Any]:
    """Every tensor that requires grad and reaches a root, parents before children.

    Iterative depth-first search, so a chain of a million ops needs no recursion."""
    order: list[Any] = []
    seen: set[Any] = set()
    # A tensor followed by _DONE on the stack: all its parents, pushed above, are in
    # `order` once _DONE comes off it (no tuple per entry: this runs once per node).
    stack: list[Any] = [r for r in roots if r.requires_grad]
    while stack:
        tensor = stack.pop()
        if tensor is _DONE:
            order.append(stack.pop())
            continue
        if tensor in seen:
            continue
        seen.add(tensor)
        stack.append(tensor)
        stack.append(_DONE)
        node = tensor._node
        if node is not None:
            if node.saved is None:
                raise freed_error(tensor)
            for p in node:  # a node's items are its parents
                if p is not None and p not in seen:
                    stack.append(p)
    return order


_DONE = object()  # topological_order's marker: the tensor below it is complete


def parents_of(tensor: Any) -> tuple[Any, ...]:
    """The inputs of the op that made `tensor` that need a gradient (none for a leaf)."""
    node = tensor._node
    return () if node is None else tuple(p for p in node.parents if p is not None)
