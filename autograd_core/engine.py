"""How a graph is recorded and how gradients flow back through it (op-agnostic).

Forward: every primitive op calls `record(op, out, inputs, vjps)`. When grad mode is on
and some input requires grad, the output Tensor keeps its parents, one vjp closure per
parent and the values those closures read.

Backward is the grad_table algorithm. The output's gradient is 1; then, in reverse
topological order, each node's gradient is complete (all its children have sent their
contributions) and it sends `vjp(g, out, *inputs)` to each parent, summed into the table:

    grad_table[parent] += vjp(grad_table[node], ...)      (the chain rule, one edge)

A vjp may return a gradient of the broadcast shape; `sum_to_shape` reduces it to the
parent's shape in one place, so no op repeats that logic.

With `create_graph=True` the closures receive Tensors instead of arrays and build a graph
of their own, so gradients of gradients work to any order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

import numpy as np

from .grad_mode import set_grad_enabled, state
from .tensor import Tensor, lock

Vjp = Callable[..., Any]


def record(op: str, out: Any, inputs: tuple[Any, ...], vjps: tuple[Vjp | None, ...]) -> Tensor:
    """Wrap the result `out` of primitive `op` and, when gradients are wanted, remember
    how to send them back to each input that requires grad.

    `vjps[i](g, out, *inputs)` returns the gradient for `inputs[i]` given `g`, the
    gradient of `out`. Its arguments are arrays in ordinary backward and Tensors under
    `create_graph=True`, so closures must use operators, array methods and NumPy
    functions only; anything captured from the forward must be a constant (a mask,
    an axis, a shape), never a differentiable value.
    """
    t = Tensor._wrap(lock(out))
    st = state
    if not st.grad_enabled:
        return t
    parents: list[Tensor | None] = []
    saved: list[Any] = [t._data]
    needed = False
    for x in inputs:  # a plain loop: this runs once per op
        if isinstance(x, Tensor):
            saved.append(x._data)
            if x.requires_grad:
                parents.append(x)
                needed = True
                continue
        else:
            saved.append(_saved_value(x))
        parents.append(None)
    if not needed:
        return t
    t.requires_grad = True
    t.op = op
    t._parents = tuple(parents)
    t._vjps = vjps  # backward skips the entries whose parent is None
    t._saved = tuple(saved)
    if st.scope:
        t._scope = st.scope
    if st.anomaly:
        from .anomaly import user_frame

        t._origin = user_frame()
    return t


def _saved_value(x: Any) -> Any:
    """A constant input as the closures will see it."""
    if type(x) is np.ndarray and x.flags.writeable:
        return lock(x.copy())  # the caller may write into its array before backward
    return x


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


def topological_order(roots: Iterable[Tensor]) -> list[Tensor]:
    """Every tensor that requires grad and reaches a root, parents before children.

    Iterative depth-first search, so a chain of a million ops needs no recursion.
    """
    order: list[Tensor] = []
    seen: set[Tensor] = set()
    stack: list[tuple[Tensor, bool]] = [(r, False) for r in roots if r.requires_grad]
    while stack:
        node, expanded = stack.pop()
        if expanded:
            order.append(node)
            continue
        if node in seen:
            continue
        seen.add(node)
        stack.append((node, True))
        if node.op is not None:
            if node._vjps is None:
                raise RuntimeError(
                    f"Trying to backward through the graph a second time: the values "
                    f"saved by '{node.op}' (output shape {node.shape}) were freed by the "
                    "first backward(). Pass retain_graph=True to the first backward() or "
                    "grad() call if you need to go through the graph again."
                )
            for p in node._parents:  # type: ignore[union-attr]
                if p is not None and p not in seen:
                    stack.append((p, False))
    return order


def backward(
    roots: Sequence[Tensor],
    grads: Sequence[Any] | None = None,
    retain_graph: bool = False,
    create_graph: bool = False,
) -> None:
    """Accumulate d(roots)/d(leaf) into every reachable leaf's `.grad`.

    As in PyTorch, `create_graph=True` keeps the graph (the new one refers to it)."""
    seeds = _seeds(roots, grads, "backward", create_graph)
    run(roots, seeds, retain_graph=retain_graph or create_graph, create_graph=create_graph)


def run(
    roots: Sequence[Tensor],
    seeds: Sequence[Any],
    *,
    retain_graph: bool,
    create_graph: bool,
    wanted: Sequence[Tensor] | None = None,
) -> dict[Tensor, Any]:
    """The grad_table algorithm. Without `wanted`, gradients accumulate into leaves'
    `.grad` (and retained non-leaves'); with it, nothing is accumulated and the gradients
    of the `wanted` tensors are returned instead."""
    order = topological_order(roots)
    targets = None if wanted is None else set(wanted)
    if targets is not None:
        order = _prune(order, targets)
    table: dict[Tensor, Any] = {}
    for root, seed in zip(roots, seeds, strict=False):
        if root.requires_grad:
            table[root] = table[root] + seed if root in table else seed
    found: dict[Tensor, Any] = {}
    accumulate = targets is None
    anomaly = state.anomaly
    with set_grad_enabled(create_graph), np.errstate(divide="ignore", invalid="ignore"):
        for node in reversed(order):
            g = table.pop(node, None)
            if g is None:
                continue
            if node._hooks:
                g = _run_hooks(node, g, create_graph)
            if not accumulate:
                if node in targets:  # type: ignore[operator]
                    found[node] = g
            elif node.op is None or node._retains_grad:
                _accumulate(node, g, create_graph)
            if node.op is None:
                continue
            saved = node._saved
            args = _graph_args(node) if create_graph else saved
            vjps = node._vjps
            for i, parent in enumerate(node._parents):  # type: ignore[arg-type]
                if parent is None:
                    continue
                c = vjps[i](g, *args)  # type: ignore[index]
                value = saved[i + 1]  # type: ignore[index]
                try:  # arrays, NumPy scalars and Tensors of the right kind pass as they are
                    if c.shape != value.shape or c.dtype != value.dtype:
                        c = _fit(c, node, i)
                except AttributeError:  # a Python number
                    c = _fit(c, node, i)
                if anomaly:
                    _check_finite(c, node, i)
                table[parent] = table[parent] + c if parent in table else c
            if not retain_graph:
                node._vjps = node._saved = None
    return found


def _seeds(
    roots: Sequence[Tensor], grads: Sequence[Any] | None, caller: str, create_graph: bool
) -> list[Any]:
    """The starting gradients: ones for a scalar root, else what the caller gave."""
    seeds = []
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
            g = g if create_graph else g.data
        if not isinstance(g, Tensor):
            g = lock(np.array(g, dtype=root.dtype))
            if create_graph:
                g = Tensor._wrap(g)
        if g.shape != root.shape:
            raise RuntimeError(
                f"{caller}(): the gradient given for tensor {k} has shape {g.shape}, but "
                f"the tensor has shape {root.shape}; they must match."
            )
        seeds.append(g)
    return seeds


def _prune(order: list[Tensor], wanted: set[Tensor]) -> list[Tensor]:
    """Keep only the nodes that lie on a path to a wanted tensor."""
    needed: set[Tensor] = set()
    for node in order:  # parents come first
        if node in wanted or (
            node.op is not None and any(p in needed for p in node._parents if p is not None)  # type: ignore[union-attr]
        ):
            needed.add(node)
    return [n for n in order if n in needed]


def _graph_args(node: Tensor) -> tuple[Any, ...]:
    """The closure arguments as Tensors, so that backward itself is recorded."""
    args: list[Any] = [node]
    for parent, value in zip(node._parents, node._saved[1:], strict=False):  # type: ignore[arg-type, index]
        if parent is None:
            args.append(value)
        elif parent.data is not value:
            raise RuntimeError(
                f"An input of '{node.op}' (shape {np.shape(value)}) had its .data replaced "
                "after the forward pass, so a graph of its gradient cannot be built. "
                "Recompute the forward after changing parameters."
            )
        else:
            args.append(parent)
    return tuple(args)


def _fit(c: Any, node: Tensor, i: int) -> Any:
    """Reduce a vjp result to its input's shape and dtype, and check it."""
    value = node._saved[i + 1]  # type: ignore[index]
    shape, dtype = value.shape, value.dtype
    if not isinstance(c, Tensor) and type(c) is not np.ndarray:
        c = np.asarray(c)
    if c.shape != shape:
        c = sum_to_shape(c, shape)
        if c.shape != shape:
            raise RuntimeError(
                f"The vjp of '{node.op}' for input {i} returned shape {c.shape}, which "
                f"cannot be reduced to the input's shape {shape}. This is a bug in that op."
            )
    if c.dtype != dtype:
        c = c.astype(dtype)
    return c


def _run_hooks(node: Tensor, g: Any, create_graph: bool) -> Any:
    for hook in list(node._hooks):  # type: ignore[arg-type]
        as_tensor = g if isinstance(g, Tensor) else Tensor._wrap(lock(g))
        new = hook(as_tensor)
        if new is not None:
            new = new if isinstance(new, Tensor) else Tensor(new)
            if new.shape != node.shape:
                raise RuntimeError(
                    f"A hook on a tensor of shape {node.shape} returned a gradient of "
                    f"shape {new.shape}; hooks must keep the shape."
                )
            g = new if create_graph else new.data
    return g


def _accumulate(node: Tensor, g: Any, create_graph: bool) -> None:
    if create_graph:
        node.grad = g if node.grad is None else node.grad + g
        return
    if isinstance(g, Tensor):
        g = g._data
    total = g if node.grad is None else node.grad._data + g
    if type(total) is np.ndarray and not total.flags.c_contiguous:
        total = np.ascontiguousarray(total)  # a transposed or broadcast view: optimisers
    node.grad = Tensor._wrap(lock(total))  # then update with fast contiguous loops


def _check_finite(c: Any, node: Tensor, i: int) -> None:
    values = c.data if isinstance(c, Tensor) else c
    if not np.isfinite(values).all():
        what = "NaN" if np.isnan(values).any() else "inf"
        where = (
            f", created at {node._origin},"
            if node._origin
            else " (run the forward pass inside detect_anomaly() too to see the line that "
            "created it)"
        )
        raise FloatingPointError(
            f"detect_anomaly: the backward of '{node.op}'{where} produced {what} in the "
            f"gradient of its input {i} (shape {values.shape}). Check that op's inputs "
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
    seeds = _seeds(outs, grad_outputs, "grad", create_graph)
    found = run(
        outs,
        seeds,
        retain_graph=create_graph if retain_graph is None else retain_graph,
        create_graph=create_graph,
        wanted=ins,
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
