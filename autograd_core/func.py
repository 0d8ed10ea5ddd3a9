"""Function transforms in the style of `torch.func` and JAX: they take a function of
Tensors and return a new function. Inputs may be Tensors, arrays or numbers.

Reverse mode: grad, value_and_grad, vjp, jacobian, hessian, hvp. Forward mode: jvp,
jacfwd, linearize, by transposing reverse mode (see the notes above `_Transposed`).

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


# ---- forward mode ------------------------------------------------------------------------
#
# Forward mode is the transpose of reverse mode (the "double vjp" trick): for y = f(x),
# reverse mode with a cotangent u that is itself a variable gives g(u) = J^T u, a linear
# function of u whose graph backward records (create_graph=True). Its vjp with respect
# to u, for the tangent v, is (J^T)^T v = J v: the Jacobian-vector product. So no op
# needs a tangent rule of its own: every op's vjp, written with ops, is differentiable
# in g, and one more reverse pass through the graph of g gives J v. A jvp costs one
# forward, one backward that records its graph, and one backward through that graph;
# `linearize` keeps the graph of J^T u, so each further jvp costs only the last pass.


class _Transposed:
    """The graph of g(u) = J^T u for f at the primals, and its reverse pass u -> J v."""

    def __init__(self, f: Callable[..., Any], primals: Sequence[Any], who: str) -> None:
        self.xs, _ = _prepare(primals, range(len(primals)))
        self.out = f(*self.xs)
        self.single = isinstance(self.out, Tensor)
        self.outs = (self.out,) if self.single else tuple(self.out)
        for k, o in enumerate(self.outs):
            if not isinstance(o, Tensor):
                raise TypeError(f"{who}: output {k} of the function is {type(o)}, not a Tensor.")
        self.us = [
            Tensor(np.zeros(o.shape, dtype=o.dtype), requires_grad=o.dtype.kind == "f")
            for o in self.outs
        ]
        live = [(o, u) for o, u in zip(self.outs, self.us, strict=True) if o.requires_grad]
        self.gs: tuple[Tensor | None, ...] = (None,) * len(self.xs)
        if live:
            self.gs = _grad(
                [o for o, _ in live],
                self.xs,
                [u for _, u in live],
                create_graph=True,
                allow_unused=True,
            )
        self.nested = _nested(self.outs, self.xs)
        self.who = who

    def push(self, tangents: Sequence[Any]) -> tuple[Tensor, ...]:
        """J v: one tangent per primal, one result per output."""
        if len(tangents) != len(self.xs):
            raise ValueError(
                f"{self.who}: {len(self.xs)} primal(s) but {len(tangents)} tangent(s); give "
                "one tangent per primal, of its shape."
            )
        roots, seeds = [], []
        outer = False
        for g, v, x in zip(self.gs, tangents, self.xs, strict=True):
            if isinstance(v, Tensor):
                outer = outer or v.requires_grad
                value = v if v.requires_grad else v._data
            else:
                value = np.asarray(v, dtype=x.dtype)
            if np.shape(value) != x.shape:
                raise ValueError(
                    f"{self.who}: a tangent of shape {np.shape(value)} for a primal of shape "
                    f"{x.shape}; each tangent needs its primal's shape."
                )
            if g is not None and g.requires_grad:
                roots.append(g)
                seeds.append(value)
        wanted = [u for u in self.us if u.requires_grad]
        found: tuple[Tensor | None, ...] = (None,) * len(wanted)
        if roots and wanted:
            found = _grad(
                roots,
                wanted,
                seeds,
                retain_graph=True,
                create_graph=self.nested or outer,
                allow_unused=True,
            )
        by_u = dict(zip(map(id, wanted), found, strict=True))
        return tuple(
            _zeros_if_none(by_u.get(id(u)), o) for u, o in zip(self.us, self.outs, strict=True)
        )

    def result(self, pushed: tuple[Tensor, ...]) -> Any:
        return pushed[0] if self.single else pushed


def _as_sequence(values: Any) -> tuple[Any, ...]:
    return tuple(values) if isinstance(values, (tuple, list)) else (values,)


def jvp(f: Callable[..., Any], primals: Any, tangents: Any) -> tuple[Any, Any]:
    """`(f(*primals), J @ tangents)`, torch.func.jvp: the Jacobian-vector product by
    forward mode (the transpose of reverse mode; see the notes above `_Transposed`).
    `primals` and `tangents` are tuples with one tangent per primal (a single Tensor or
    array is taken as a 1-tuple); for several outputs, one tangent per output is returned.
    It composes with the other transforms (its outputs have a graph when they depend on
    tensors from outside that require grad)."""
    ps, vs = _as_sequence(primals), _as_sequence(tangents)
    if len(ps) != len(vs):
        raise ValueError(f"jvp: {len(ps)} primal(s) but {len(vs)} tangent(s).")
    t = _Transposed(f, ps, "jvp")
    return t.out, t.result(t.push(vs))


def linearize(f: Callable[..., Any], *primals: Any) -> tuple[Any, Callable[..., Any]]:
    """`out, jvp_fn = linearize(f, *primals)`, torch.func.linearize: `jvp_fn(*tangents)`
    gives J @ tangents at the primals, as often as needed; f runs once, and so does the
    backward that records the graph of J^T u, so each call costs one reverse pass."""
    t = _Transposed(f, primals, "linearize")

    def jvp_fn(*tangents: Any) -> Any:
        return t.result(t.push(tangents))

    return t.out, jvp_fn


def jacfwd(f: Callable[..., Any], argnums: Argnums = 0) -> Callable[..., Any]:
    """`jacfwd(f)(*args)`: d f / d args[argnums] with shape out.shape + arg.shape, equal to
    `jacobian` but built column by column, one Jacobian-vector product per input element
    (forward mode: cheaper than `jacobian` when inputs are fewer than outputs). It nests
    with the other transforms: `jacfwd(grad(f))` is the Hessian."""

    def wrapper(*args: Any) -> Any:
        new, nums = _prepare(args, argnums)
        xs = [new[n] for n in nums]
        out = f(*new)
        if not isinstance(out, Tensor):
            raise ValueError(f"jacfwd: the function must return a Tensor; got {type(out)}.")
        if not out.requires_grad or out.dtype.kind != "f":
            return _pick([Tensor(np.zeros(out.shape + x.shape)) for x in xs], argnums)
        u = Tensor(np.zeros(out.shape, dtype=out.dtype), requires_grad=True)
        gs = _grad(out, xs, u, create_graph=True, allow_unused=True)
        nested = _nested([out], xs)
        jacs = []
        for g, x in zip(gs, xs, strict=True):
            if g is None or not g.requires_grad:
                jacs.append(Tensor(np.zeros(out.shape + x.shape, dtype=out.dtype)))
                continue
            columns: list[Any] = []
            for k in range(x.size):
                seed = np.zeros(x.size, dtype=x.dtype)
                seed[k] = 1
                seed = lock(seed.reshape(x.shape))
                found = gradients(
                    [g],
                    {g: Tensor._wrap(seed) if nested else seed},
                    [u],
                    retain_graph=True,
                    create_graph=nested,
                ).get(u)
                columns.append(found if found is not None else np.zeros(out.shape, out.dtype))
            if any(isinstance(c, Tensor) for c in columns):
                parts = [c if isinstance(c, Tensor) else Tensor._wrap(lock(c)) for c in columns]
                jac = np.stack(parts, axis=-1).reshape(out.shape + x.shape)
            else:
                stacked = np.stack(columns, axis=-1) if columns else np.zeros(out.shape + (0,))
                jac = Tensor(stacked.reshape(out.shape + x.shape))
            jacs.append(jac)
        return _pick(jacs, argnums)

    return wrapper
