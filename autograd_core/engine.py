"""Backward: the grad_table algorithm, over any graph of `graph.Node`s (op-agnostic).

The output's gradient is 1; then, in reverse topological order, each tensor's entry of
the table is complete (every child has sent its contribution), and it is sent through
the vjp of each of its op's inputs and summed into that input's entry:

    grad_table[parent] += vjp(grad_table[tensor], ...)      (the chain rule, one edge)

`backpropagate` is that loop and nothing else. What happens when an entry is complete
(hooks, accumulation into `.grad`, collecting the gradients `grad()` asked for) is the
caller's `complete` function; whoever watches the loop (`trace_backward`,
`detect_anomaly`) passes an `observe` function, called once per edge.

A vjp may return a gradient of the broadcast shape; `fit` reduces it to the parent's
shape (`sum_to_shape`) and dtype in one place, so no op repeats that logic. With
`create_graph=True` the vjps receive Tensors instead of arrays and build a graph of
their own, so gradients of gradients work to any order.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np

from .grad_mode import set_grad_enabled, state
from .graph import SMALL, Node, topological_order
from .tensor import Tensor, lock

# complete(tensor, g) -> g, called once per tensor whose gradient is complete
Complete = Callable[[Tensor, Any], Any]
# observe(child, index, parent, raw, fitted), called once per edge
Observe = Callable[[Tensor, int, Tensor, Any, Any], None]


def backpropagate(
    order: Sequence[Tensor],
    table: dict[Tensor, Any],
    complete: Complete,
    *,
    create_graph: bool = False,
    retain_graph: bool = False,
    observe: Observe | None = None,
    watched: Collection[Tensor] = (),
) -> None:
    """The grad_table algorithm over `order` (parents before children), starting from the
    seeds in `table`. `complete` sees every leaf's entry, and the entries of tensors with
    hooks, of tensors that retain their grad and of the `watched` ones. Unless
    `retain_graph`, each node's saved values are freed once used.

    The cyclic garbage collector is paused for the loop (`collector_paused`)."""
    with collector_paused():
        with (
            set_grad_enabled(create_graph),
            np.errstate(divide="ignore", invalid="ignore", over="ignore"),
        ):
            _loop(order, table, complete, create_graph, retain_graph, observe, watched)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector (if it is on) and restore it after: for the
    passes over a whole graph (sorting it, backward), which create no cycles, and where a
    collection would walk every node, all of them alive until the pass lets go."""
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _loop(
    order: Sequence[Tensor],
    table: dict[Tensor, Any],
    complete: Complete,
    create_graph: bool,
    retain_graph: bool,
    observe: Observe | None,
    watched: Collection[Tensor],
) -> None:
    """`backpropagate`'s loop. It runs once per node and once per edge, so the vjp call,
    the shape check of `fit` and the release of the saved values are spelled out here."""
    take, entry, ndarray = table.pop, table.get, np.ndarray  # looked up once, not per edge
    for tensor in reversed(order):
        g = take(tensor, None)
        if g is None:
            continue  # not on a path to a root
        node = tensor._node
        if node is None or tensor._hooks or tensor._retains_grad or tensor in watched:
            g = complete(tensor, g)
            if node is None:
                continue  # a leaf: nothing further back
        saved = node.saved
        args = graph_args(tensor) if create_graph else saved
        op = node.op
        vjps, params = op.vjps, node.params
        joint = (vjps[0](g, *args, **(params or {}))) if op.joint else None
        i = -1  # the input's index (counted by hand: cheaper than enumerate, per edge)
        for parent in node:  # a node's items are its parents
            i += 1
            if parent is None:
                continue  # this input needs no gradient
            if joint is not None:
                raw = joint[i]
            elif params is None:
                raw = vjps[i](g, *args)
            else:
                raw = vjps[i](g, *args, **params)
            value = saved[i + 1]  # type: ignore[index]
            kind = type(value)  # 0-d inputs are saved as NumPy scalars
            if type(raw) is kind and kind is not ndarray:
                c = raw  # a NumPy scalar for a 0-d input of its dtype
            else:
                try:  # arrays and Tensors of the input's shape and dtype pass as they are
                    c = raw if raw.shape == value.shape and raw.dtype == value.dtype else None
                except AttributeError:  # a Python number
                    c = None
                if c is None:
                    c = fit(raw, node, i)
                if (  # only an input with axes can have more than SMALL elements
                    kind is ndarray
                    and not retain_graph
                    and parent._node is not None
                    and parent._data.size > SMALL
                ):
                    node.hold(i, parent)
            if observe is not None:
                observe(tensor, i, parent, raw, c)
            before = entry(parent)
            table[parent] = c if before is None else before + c
        if not retain_graph:
            node.saved = node.params = None


def backward(
    roots: Sequence[Tensor],
    grads: Sequence[Any] | None = None,
    retain_graph: bool = False,
    create_graph: bool = False,
) -> None:
    """Accumulate d(roots)/d(leaf) into every reachable leaf's `.grad` (and the `.grad`
    of non-leaves that called `retain_grad()`).

    As in PyTorch, `create_graph=True` keeps the graph (the new one refers to it)."""
    table = seeds(roots, grads, "backward", create_graph)

    def complete(tensor: Tensor, g: Any) -> Any:
        if tensor._hooks:
            g = run_hooks(tensor, g, create_graph)
        if tensor._node is None or tensor._retains_grad:
            accumulate(tensor, g, create_graph)
        return g

    with collector_paused():
        order = topological_order(roots)
    backpropagate(
        order,
        table,
        complete,
        create_graph=create_graph,
        retain_graph=retain_graph or create_graph,
        observe=check_finite if state.anomaly else None,
    )


def tensor_backward(
    self: Tensor, grad: Any = None, retain_graph: bool = False, create_graph: bool = False
) -> None:
    """Fill `.grad` of the leaves this tensor depends on: the grad_table algorithm from
    this tensor, seeded with `grad` (1 for a one-element tensor)."""
    backward((self,), None if grad is None else (grad,), retain_graph, create_graph)


def gradients(
    outputs: Sequence[Tensor],
    table: dict[Tensor, Any],
    wanted: Sequence[Tensor],
    *,
    retain_graph: bool,
    create_graph: bool,
) -> dict[Tensor, Any]:
    """The gradients of `wanted` tensors from the seeds in `table`, touching no `.grad`;
    only the part of the graph that leads to a wanted tensor is visited."""
    targets = set(wanted)
    found: dict[Tensor, Any] = {}

    def complete(tensor: Tensor, g: Any) -> Any:
        if tensor._hooks:
            g = run_hooks(tensor, g, create_graph)
        if tensor in targets:
            found[tensor] = g
        return g

    with collector_paused():
        order = _prune(topological_order(outputs), targets)
    backpropagate(
        order,
        table,
        complete,
        create_graph=create_graph,
        retain_graph=retain_graph,
        observe=check_finite if state.anomaly else None,
        watched=targets,
    )
    return found


def seeds(
    roots: Sequence[Tensor], grads: Sequence[Any] | None, caller: str, create_graph: bool
) -> dict[Tensor, Any]:
    """The starting grad_table: ones for a one-element root, else what the caller gave."""
    table: dict[Tensor, Any] = {}
    for k, root in enumerate(roots):
        if not isinstance(root, Tensor):
            raise TypeError(f"{caller}() expects Tensors to differentiate; got {type(root)}.")
        if not root.requires_grad:
            raise RuntimeError(
                f"{caller}(): tensor {k} (shape {root.shape}) does not require grad, so it "
                "has no graph to go back through. Make its inputs with requires_grad=True, "
                "and compute it outside no_grad()."
            )
        g = None if grads is None else grads[k]
        if g is None:
            if root.size != 1:
                raise RuntimeError(
                    f"{caller}() on a non-scalar tensor of shape {root.shape} needs the "
                    "gradient of the output: pass grad= (an array of that shape), or reduce "
                    "the tensor to a scalar first, for example with .sum()."
                )
            g = np.ones(root.shape, dtype=root.dtype)
        elif isinstance(g, Tensor):
            g = g if create_graph else g._data
        if not isinstance(g, Tensor):
            given = np.asarray(g)
            if given.dtype.kind not in "biuf":
                raise TypeError(
                    f"{caller}(): the gradient given for tensor {k} holds {given.dtype} "
                    f"values ({g!r:.60}); give numbers only, an array of shape {root.shape}."
                )
            g = lock(given.astype(root.dtype))
            if create_graph:
                g = Tensor._wrap(g)
        if g.shape != root.shape:
            raise RuntimeError(
                f"{caller}(): the gradient given for tensor {k} has shape {g.shape}, but "
                f"the tensor has shape {root.shape}; they must match."
            )
        table[root] = table[root] + g if root in table else g
    return table


def _prune(order: list[Tensor], wanted: set[Tensor]) -> list[Tensor]:
    """Keep only the tensors that lie on a path to a wanted tensor."""
    needed: set[Tensor] = set()
    for t in order:  # parents come first
        node = t._node
        if t in wanted or (node is not None and any(p in needed for p in node.parents)):
            needed.add(t)
    return [t for t in order if t in needed]


def graph_args(tensor: Tensor) -> tuple[Any, ...]:
    """The vjp arguments as Tensors, so that backward itself is recorded."""
    node: Node = tensor._node  # type: ignore[assignment]
    args: list[Any] = [tensor]
    for parent, value in zip(node.parents, node.saved[1:], strict=True):  # type: ignore[index]
        if parent is None:
            args.append(value)
        elif parent._data is not value and not (
            np.ndim(value) == 0 and parent._data.shape == () and parent._data == value
        ):  # 0-d inputs are saved as NumPy scalars: compared by value
            raise RuntimeError(
                f"An input of '{tensor.op}' (shape {np.shape(value)}) had its .data replaced "
                "after the forward pass, so a graph of its gradient cannot be built. "
                "Recompute the forward after changing parameters."
            )
        else:
            args.append(parent)
    return tuple(args)


def fit(c: Any, node: Node, i: int) -> Any:
    """A vjp result reduced to its input's shape and dtype; refused when it cannot be."""
    value = node.saved[i + 1]  # type: ignore[index]
    shape, dtype = value.shape, value.dtype
    try:  # arrays, NumPy scalars and Tensors of the right kind pass as they are
        if c.shape == shape and c.dtype == dtype:
            return c
    except AttributeError:  # a Python number
        pass
    if not isinstance(c, Tensor) and type(c) is not np.ndarray:
        c = np.asarray(c)
    if c.shape != shape:
        c = sum_to_shape(c, shape)
        if c.shape != shape:
            raise RuntimeError(
                f"The vjp of '{node.op.name}' for its input {i} returned shape {c.shape}, "
                f"which cannot be reduced to that input's shape {shape}. A vjp must return "
                "the input's shape, or a shape that broadcasting made from it."
            )
    if c.dtype != dtype:
        c = c.astype(dtype)
    return c


def sum_to_shape(g: Any, shape: tuple[int, ...]) -> Any:
    """Undo broadcasting: sum `g` (array or Tensor) down to `shape`."""
    if g.shape == shape:
        return g
    lead = g.ndim - len(shape)
    if lead >= 0:
        axes = tuple(range(lead)) + tuple(
            lead + i for i, n in enumerate(shape) if n == 1 and g.shape[lead + i] != 1
        )
        g = g.sum(axis=axes, keepdims=True)
        if lead:
            g = g.reshape(shape)
    return g


def run_hooks(tensor: Tensor, g: Any, create_graph: bool) -> Any:
    """Call the tensor's hooks on its complete gradient; a returned value replaces it."""
    for hook in list(tensor._hooks or ()):
        as_tensor = g if isinstance(g, Tensor) else Tensor._wrap(lock(g))
        new = hook(as_tensor)
        if new is not None:
            new = new if isinstance(new, Tensor) else Tensor(new)
            if new.shape != tensor.shape:
                raise RuntimeError(
                    f"A hook on a tensor of shape {tensor.shape} returned a gradient of "
                    f"shape {new.shape}; hooks must keep the shape."
                )
            g = new if create_graph else new._data
    return g


_accumulating = threading.Lock()  # threads that reach the same leaf add in turn


def accumulate(tensor: Tensor, g: Any, create_graph: bool) -> None:
    """`.grad += g`, as a new Tensor (never written into: someone may hold the old one)."""
    if not create_graph:
        if isinstance(g, Tensor):
            g = g._data
        if type(g) is np.ndarray and not g.flags.c_contiguous:
            g = np.ascontiguousarray(g)  # a transposed or broadcast view: optimisers then
            # update with fast contiguous loops
    with _accumulating:
        old = tensor._grad
        if create_graph:
            tensor._grad = g if old is None else old + g
        else:
            tensor._grad = Tensor._wrap(lock(g if old is None else old._data + g))


def check_finite(child: Tensor, i: int, parent: Tensor, raw: Any, c: Any) -> None:
    """detect_anomaly's observer: refuse a NaN or inf sent back along an edge."""
    values = c._data if isinstance(c, Tensor) else c
    if not np.isfinite(values).all():
        what = "NaN" if np.isnan(values).any() else "inf"
        origin = child._node.origin  # type: ignore[union-attr]
        where = (
            f", created at {origin},"
            if origin
            else " (run the forward pass inside detect_anomaly() too to see the line that "
            "created it)"
        )
        raise FloatingPointError(
            f"detect_anomaly: the backward of '{child.op}'{where} produced {what} in the "
            f"gradient of its input {i} (shape {np.shape(values)}). Check that op's inputs "
            "(log or sqrt of 0, division by 0, overflow in exp)."
        )


def grad(
    outputs: Tensor | Sequence[Tensor],
    inputs: Tensor | Sequence[Tensor],
    grad_outputs: Any = None,
    retain_graph: bool | None = None,
    create_graph: bool = False,
    allow_unused: bool = False,
) -> tuple[Tensor | None, ...]:
    """d(outputs)/d(inputs) as a tuple, one entry per input, without touching `.grad`.

    As in PyTorch: `grad_outputs` weights non-scalar outputs, `retain_graph` defaults to
    `create_graph`, and an input the outputs do not depend on raises unless
    `allow_unused=True`, which gives None for it."""
    outs = (outputs,) if isinstance(outputs, Tensor) else tuple(outputs)
    ins = (inputs,) if isinstance(inputs, Tensor) else tuple(inputs)
    if grad_outputs is not None and not isinstance(grad_outputs, (tuple, list)):
        grad_outputs = (grad_outputs,)
    for i, x in enumerate(ins):
        if not isinstance(x, Tensor) or not x.requires_grad:
            raise RuntimeError(
                f"grad(): input {i} is not a Tensor that requires grad, so no gradient "
                "can be taken with respect to it; create it with requires_grad=True."
            )
    found = gradients(
        outs,
        seeds(outs, grad_outputs, "grad", create_graph),
        ins,
        retain_graph=create_graph if retain_graph is None else retain_graph,
        create_graph=create_graph,
    )
    result: list[Tensor | None] = []
    for i, x in enumerate(ins):
        g = found.get(x)
        if g is None and not allow_unused:
            raise RuntimeError(
                f"grad(): input {i} (shape {x.shape}) was not used to compute the outputs. "
                "Pass allow_unused=True to get None for it."
            )
        result.append(g if g is None or isinstance(g, Tensor) else Tensor._wrap(lock(g)))
    return tuple(result)
