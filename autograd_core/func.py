"""Function transforms in the style of `torch.func` and JAX: they take a function of
Tensors and return a new function. Inputs may be Tensors, arrays or numbers.

They nest (`hessian = jacobian(grad(f))`): each transform makes fresh input nodes, so
d/d(input) holds every other variable fixed, and it builds the graph of its result
(`create_graph`) whenever that result depends on a tensor from outside which requires
grad, so an outer transform can differentiate it again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .engine import grad as _grad
from .engine import gradients
from .grad_mode import is_grad_enabled
from .graph import topological_order
from .op import defop
from .tensor import Tensor, lock

Argnums = int | Sequence[int]


# The fresh input node a transform makes for an argument that is itself a function of
# outer variables: the identity, so the outer transform still sees the dependence.
_input = defop("input", lambda x: x, lambda g, y, x: g, rules="∂/∂x = 1")


def _fresh(x: Any) -> Tensor:
    """A new node standing for `x`, so gradients can be taken with respect to it alone."""
    if isinstance(x, Tensor) and x.requires_grad:
        return _input(x)
    return Tensor(x._data if isinstance(x, Tensor) else x, requires_grad=True)


def _prepare(args: Sequence[Any], argnums: Argnums) -> tuple[list[Any], tuple[int, ...]]:
    nums = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    new = list(args)
    for n in nums:
        new[n] = _fresh(args[n])
    return new, nums


def _nested(outputs: Sequence[Tensor], fresh: Sequence[Tensor]) -> bool:
    """True when the outputs also depend on tensors requiring grad from outside."""
    if not is_grad_enabled():
        return False
    own = set(fresh)
    for node in topological_order([o for o in outputs if o.requires_grad]):
        if node.op is None and node not in own:
            return True
    return False


def _scalar(out: Any, who: str) -> Tensor:
    if not isinstance(out, Tensor) or out.size != 1:
        shape = getattr(out, "shape", type(out).__name__)
        raise ValueError(f"{who}: the function must return a scalar Tensor; got {shape}.")
    return out


def _pick(values: Sequence[Any], argnums: Argnums) -> Any:
    return values[0] if isinstance(argnums, int) else tuple(values)


def _zeros_if_none(g: Tensor | None, like: Tensor) -> Tensor:
    return g if g is not None else Tensor(np.zeros(like.shape, dtype=like.dtype))


def value_and_grad(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """`value_and_grad(f)(*args) -> (f(*args), df/d args[argnums])` for scalar f."""

    def wrapper(*args: Any) -> tuple[Tensor, Any]:
        new, nums = _prepare(args, argnums)
        xs = [new[n] for n in nums]
        out = _scalar(f(*new), "value_and_grad")
        if not out.requires_grad:
            return out, _pick([Tensor(np.zeros(x.shape, dtype=x.dtype)) for x in xs], argnums)
        nested = _nested([out], xs)
        gs = _grad(out, xs, create_graph=nested, allow_unused=True)
        return out, _pick([_zeros_if_none(g, x) for g, x in zip(gs, xs, strict=False)], argnums)

    return wrapper


def grad(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """`grad(f)(*args)`: the gradient of scalar `f` with respect to `args[argnums]`."""
    vg = value_and_grad(f, argnums)
    return lambda *args: vg(*args)[1]


def vjp(f: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[..., tuple[Tensor, ...]]]:
    """`out, vjp_fn = vjp(f, *primals)`; `vjp_fn(cotangent)` gives one gradient per primal
    (cotangent^T times the Jacobian). `vjp_fn` can be called many times."""
    xs, _ = _prepare(primals, range(len(primals)))
    out = f(*xs)
    outs = (out,) if isinstance(out, Tensor) else tuple(out)
    nested = _nested(outs, xs)

    def vjp_fn(*cotangents: Any) -> tuple[Tensor, ...]:
        if len(cotangents) != len(outs):
            raise ValueError(f"vjp_fn takes {len(outs)} cotangent(s); got {len(cotangents)}.")
        gs = _grad(outs, xs, cotangents, retain_graph=True, create_graph=nested, allow_unused=True)
        return tuple(_zeros_if_none(g, x) for g, x in zip(gs, xs, strict=False))

    return out, vjp_fn


def jacobian(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """`jacobian(f)(*args)`: d f / d args[argnums] with shape out.shape + arg.shape.

    One backward pass per output element (reverse mode), through a retained graph."""

    def wrapper(*args: Any) -> Any:
        new, nums = _prepare(args, argnums)
        xs = [new[n] for n in nums]
        out = f(*new)
        if not isinstance(out, Tensor):
            raise ValueError(f"jacobian: the function must return a Tensor; got {type(out)}.")
        if not out.requires_grad:
            return _pick([Tensor(np.zeros(out.shape + x.shape)) for x in xs], argnums)
        nested = _nested([out], xs)
        rows: list[list[Any]] = [[] for _ in xs]
        for k in range(out.size):
            seed = np.zeros(out.size, dtype=out.dtype)
            seed[k] = 1
            seed = lock(seed.reshape(out.shape))
            found = gradients(
                [out],
                {out: Tensor._wrap(seed) if nested else seed},
                xs,
                retain_graph=True,
                create_graph=nested,
            )
            for row, x in zip(rows, xs, strict=False):
                g = found.get(x)
                row.append(g if g is not None else np.zeros(x.shape, dtype=x.dtype))
        jacs = []
        for row, x in zip(rows, xs, strict=False):
            if any(isinstance(r, Tensor) for r in row):
                jac = np.stack([r if isinstance(r, Tensor) else Tensor._wrap(lock(r)) for r in row])
                jacs.append(jac.reshape(out.shape + x.shape))
            else:
                jacs.append(Tensor(np.stack(row).reshape(out.shape + x.shape)))
        return _pick(jacs, argnums)

    return wrapper


def hessian(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """`hessian(f)(*args)`: the Jacobian of the gradient of scalar `f`."""
    return jacobian(grad(f, argnums), argnums)


def hvp(f: Callable[..., Any], primals: Any, tangents: Any) -> tuple[Tensor, Any]:
    """`(f(*primals), H @ tangents)` for scalar `f`, without forming the Hessian H:
    the gradient of (grad f . v) by a second reverse pass."""
    single = not isinstance(primals, (tuple, list))
    ps = (primals,) if single else tuple(primals)
    vs = (tangents,) if single else tuple(tangents)
    if len(ps) != len(vs):
        raise ValueError(f"hvp: {len(ps)} primals but {len(vs)} tangents.")
    xs, _ = _prepare(ps, range(len(ps)))
    out = _scalar(f(*xs), "hvp")
    if not out.requires_grad:
        zero = [Tensor(np.zeros(x.shape, dtype=x.dtype)) for x in xs]
        return out, zero[0] if single else tuple(zero)
    gs = _grad(out, xs, create_graph=True, allow_unused=True)
    dot = None
    for g, v, x in zip(gs, vs, xs, strict=False):
        if g is None or not g.requires_grad:
            continue
        v = np.asarray(v._data if isinstance(v, Tensor) else v, dtype=x.dtype)
        if v.shape != x.shape:
            raise ValueError(f"hvp: tangent of shape {v.shape} for a primal of shape {x.shape}.")
        term = (g * v).sum()
        dot = term if dot is None else dot + term
    if dot is None:
        hv = [Tensor(np.zeros(x.shape, dtype=x.dtype)) for x in xs]
    else:
        nested = _nested([out], xs)
        found = _grad(dot, xs, create_graph=nested, allow_unused=True)
        hv = [_zeros_if_none(h, x) for h, x in zip(found, xs, strict=False)]
    return out, hv[0] if single else tuple(hv)
