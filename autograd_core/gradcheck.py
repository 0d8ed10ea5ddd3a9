"""The finite-difference checker every op and layer is tested with.

`gradcheck` compares the full analytic Jacobian (one backward pass per output element)
with central differences, (f(x + eps) - f(x - eps)) / (2 eps), one input element at a
time, in float64. `gradgradcheck` does the same for the gradient itself, built with
`create_graph=True`. Both return True or raise `GradcheckError` naming the input, the
output, the worst element and both values.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .engine import grad as _grad
from .engine import gradients
from .tensor import Tensor, lock


class GradcheckError(RuntimeError):
    """An analytic gradient disagrees with its finite-difference estimate."""


def _outputs(result: Any) -> list[Tensor]:
    outs = [result] if isinstance(result, Tensor) else list(result)
    for k, o in enumerate(outs):
        if not isinstance(o, Tensor):
            raise TypeError(f"gradcheck: output {k} of the function is {type(o)}, not a Tensor.")
    return outs


def _inputs(inputs: Any) -> tuple[list[Any], list[int]]:
    args = list(inputs) if isinstance(inputs, (tuple, list)) else [inputs]
    checked = []
    for i, x in enumerate(args):
        if isinstance(x, Tensor) and x.requires_grad:
            if x.dtype != np.float64:
                raise TypeError(
                    f"gradcheck: input {i} has dtype {x.dtype}; finite differences need "
                    "float64. Make it with dtype=np.float64."
                )
            args[i] = Tensor(x._data, requires_grad=True)
            checked.append(i)
    if not checked:
        raise ValueError("gradcheck: no input is a Tensor with requires_grad=True.")
    return args, checked


def _analytic(fn: Callable[..., Any], args: list[Any], checked: list[int]) -> list[list[Any]]:
    """jac[o][i] has shape (out_o.size, in_i.size)."""
    outs = _outputs(fn(*args))
    xs = [args[i] for i in checked]
    jac = [[np.zeros((o.size, x.size)) for x in xs] for o in outs]
    for o, out in enumerate(outs):
        if not out.requires_grad:
            continue
        for k in range(out.size):
            seed = np.zeros(out.size, dtype=out.dtype)
            seed[k] = 1
            found = gradients(
                [out], {out: lock(seed.reshape(out.shape))}, xs,
                retain_graph=True, create_graph=False,
            )  # fmt: skip
            for i, x in enumerate(xs):
                g = found.get(x)
                if g is not None:
                    jac[o][i][k] = np.asarray(g).reshape(-1)
    return jac


def _numeric(
    fn: Callable[..., Any], args: list[Any], checked: list[int], eps: float
) -> list[list[Any]]:
    """jac[o][i][:, k] = (out_o(x_i[k] + eps) - out_o(x_i[k] - eps)) / (2 eps)."""
    sizes = [o.size for o in _outputs(fn(*args))]
    jac = [[np.zeros((n, args[i].size)) for i in checked] for n in sizes]
    for c, i in enumerate(checked):
        base = args[i]._data.reshape(-1)
        for k in range(base.size):
            sides = []
            for step in (eps, -eps):
                moved = base.copy()
                moved[k] += step
                trial = list(args)  # inputs keep requires_grad: fn may differentiate them
                trial[i] = Tensor(moved.reshape(args[i].shape), requires_grad=True)
                sides.append([o._data.reshape(-1) for o in _outputs(fn(*trial))])
            for o in range(len(sizes)):
                jac[o][c][:, k] = (sides[0][o] - sides[1][o]) / (2 * eps)
    return jac


def _where(flat: int, shape: tuple[int, ...]) -> tuple[int, ...]:
    return tuple(int(i) for i in np.unravel_index(flat, shape)) if shape else ()


def gradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
) -> bool:
    """Check `fn`'s gradients with respect to every input that requires grad."""
    args, checked = _inputs(inputs)
    analytic = _analytic(fn, args, checked)
    numeric = _numeric(fn, args, checked, eps)
    for o, (a_row, n_row) in enumerate(zip(analytic, numeric, strict=False)):
        for c, (a, n) in enumerate(zip(a_row, n_row, strict=False)):
            excess = np.abs(a - n) - (atol + rtol * np.abs(n))
            bad = np.where(np.isfinite(a) & np.isfinite(n), excess, np.inf)
            if bad.size and bad.max() > 0:
                k, j = np.unravel_index(np.argmax(bad), bad.shape)
                out_shape = _outputs(fn(*args))[o].shape
                in_shape = args[checked[c]].shape
                raise GradcheckError(
                    f"gradcheck: d output {o} at {_where(k, out_shape)} / d input "
                    f"{checked[c]} at {_where(j, in_shape)}: analytic {a[k, j]!r} vs "
                    f"numeric {n[k, j]!r} (atol={atol}, rtol={rtol}, eps={eps})."
                )
    return True


def gradgradcheck(
    fn: Callable[..., Any],
    inputs: Any,
    grad_outputs: Sequence[Any] | None = None,
    eps: float = 1e-6,
    atol: float = 1e-5,
    rtol: float = 1e-3,
    seed: int = 0,
) -> bool:
    """Check the second derivatives: gradcheck of x -> vjp(fn, x)(u), where `u` is
    `grad_outputs` or fixed random cotangents."""
    args, checked = _inputs(inputs)
    if grad_outputs is None:
        rng = np.random.default_rng(seed)
        grad_outputs = [rng.standard_normal(o.shape) for o in _outputs(fn(*args))]
    us = [np.asarray(u, dtype=np.float64) for u in grad_outputs]

    def first_derivative(*xs: Any) -> tuple[Tensor, ...]:
        outs = _outputs(fn(*xs))
        used = [(o, u) for o, u in zip(outs, us, strict=False) if o.requires_grad]
        wrt = [xs[i] for i in checked]
        if not used:
            return tuple(Tensor(np.zeros(x.shape)) for x in wrt)
        gs = _grad([o for o, _ in used], wrt, [u for _, u in used],
                   create_graph=True, allow_unused=True)  # fmt: skip
        return tuple(
            g if g is not None else Tensor(np.zeros(x.shape)) for g, x in zip(gs, wrt, strict=False)
        )

    return gradcheck(first_derivative, args, eps=eps, atol=atol, rtol=rtol)
