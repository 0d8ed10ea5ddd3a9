"""Optimisers with PyTorch's update formulas: SGD (momentum, Nesterov, weight decay),
Adam, AdamW, RMSprop and Adagrad.

An update never writes into a parameter's array: a graph recorded before the step may
still hold that array for its backward pass. It computes the new values and rebinds
`p.data`, in the parameter's dtype (float32 stays float32). Parameters whose `.grad` is
None are skipped. Per-parameter state (momentum buffers, Adam moments) lives in
`optimizer.state[p]`.

Parameters can be given as one iterable or as PyTorch-style groups,
`[{"params": [...], "lr": 0.1}, {"params": [...]}]`; each group's settings can be
changed between steps (`opt.param_groups[0]["lr"] = 1e-4`).
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from autograd_core.grad_mode import enable_grad
from autograd_core.tensor import Tensor, lock


class Optimizer:
    """Holds the parameter groups and per-parameter state; subclasses write `_update`."""

    def __init__(self, params: Iterable[Any], defaults: dict[str, Any]) -> None:
        self.defaults = defaults
        self.state: dict[Tensor, dict[str, Any]] = {}
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError(
                f"{type(self).__name__}: params should be an iterable of Parameters, such "
                "as model.parameters() or [w, b]; got a single Tensor."
            )
        groups = list(params)
        if not groups:
            raise ValueError(
                f"{type(self).__name__} got an empty parameter list; pass "
                "model.parameters() of a model that has parameters."
            )
        if not any(isinstance(g, dict) for g in groups):
            groups = [{"params": groups}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, group: dict[str, Any]) -> None:
        """Add a group `{"params": [...], **settings}`; missing settings take the
        optimiser's defaults.

        Every group needs a "params" entry (a Tensor or an iterable of them; an empty
        list is allowed). A parameter listed twice in one group is kept once; a parameter
        that is already in another group is refused with ValueError, since it would be
        updated twice per step with two sets of settings."""
        name = type(self).__name__
        index = len(self.param_groups)
        if not isinstance(group, dict):
            raise TypeError(
                f"{name}: parameter group {index} is a {type(group).__name__}; when groups "
                'are given, each must be a dict such as {"params": [w, b], "lr": 0.1}.'
            )
        if "params" not in group:
            raise ValueError(
                f'{name}: parameter group {index} has no "params" entry (its keys are '
                f'{sorted(group)}); each group needs a "params" entry, such as '
                '{"params": model.fc.parameters(), "lr": 0.1}.'
            )
        params = group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, (str, bytes, dict)) or not isinstance(params, Iterable):
            raise TypeError(
                f'{name}: the "params" entry of parameter group {index} must be a Tensor or '
                f"an iterable of Tensors, such as model.parameters(); got "
                f"{type(params).__name__}."
            )
        owner = {id(p): i for i, g in enumerate(self.param_groups) for p in g["params"]}
        kept = []
        for p in params:
            if not isinstance(p, Tensor):
                raise TypeError(f"{name} can only optimise Tensors; got {type(p).__name__}.")
            if not p.is_leaf or not p.requires_grad:
                raise ValueError(
                    f"{name} can only optimise leaf tensors that require grad; got a tensor "
                    f"of shape {p.shape} with requires_grad={p.requires_grad}, op={p.op}."
                )
            if id(p) in owner:
                if owner[id(p)] == index:
                    continue  # listed twice in this group: updated once
                raise ValueError(
                    f"{name}: a parameter of shape {p.shape} is in parameter group "
                    f"{owner[id(p)]} and again in parameter group {index}; each parameter "
                    "may appear in one group only. Remove it from one of the groups."
                )
            owner[id(p)] = index
            kept.append(p)
        settings = {**self.defaults, **{k: v for k, v in group.items() if k != "params"}}
        unknown = set(settings) - set(self.defaults)
        if unknown:
            raise TypeError(
                f"{name}: unknown setting(s) {sorted(unknown)} in parameter group {index}; "
                f"the settings are {sorted(self.defaults)}."
            )
        where = f" (in parameter group {index})" if set(group) - {"params"} else ""
        self._validate(settings, where)
        self.param_groups.append({"params": kept, **settings})

    def _validate(self, settings: dict[str, Any], where: str = "") -> None:
        """Refuse settings that are not finite numbers >= 0 (TypeError for a value that is
        not a number at all, ValueError for one out of range)."""
        name = type(self).__name__
        for key in (
            "lr", "momentum", "dampening", "weight_decay", "eps", "alpha", "lr_decay",
            "initial_accumulator_value",
        ):  # fmt: skip
            if key in settings:
                value = settings[key]
                if isinstance(value, bool) or not isinstance(value, numbers.Real):
                    raise TypeError(
                        f"{name}: {key} must be a number >= 0{where}; got {value!r} "
                        f"({type(value).__name__})."
                    )
                if not (0 <= value < math.inf):
                    raise ValueError(
                        f"{name}: {key} must be a number >= 0 and finite{where}; got {value!r}."
                    )

    def zero_grad(self) -> None:
        """Clear the gradients of every parameter (sets `.grad` to None)."""
        for group in self.param_groups:
            for p in group["params"]:
                p.grad = None

    def step(self, closure: Callable[[], Any] | None = None) -> Any:
        """Update every parameter that has a gradient. `closure`, if given, re-evaluates
        the model and returns the loss (PyTorch's protocol); its result is returned."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                g = p.grad.numpy()  # the arrays themselves, read-only: no view per step
                if g.shape != p.shape:
                    raise RuntimeError(
                        f"{type(self).__name__}: a parameter of shape {p.shape} has a "
                        f"gradient of shape {g.shape}; was .grad assigned by hand?"
                    )
                state = self.state.setdefault(p, {})
                new = self._update(p.numpy(), g, state, group)
                p.data = lock(np.asarray(new).astype(p.dtype, copy=False))
        return loss

    def _update(
        self, w: np.ndarray, g: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> np.ndarray:
        raise NotImplementedError

    def __repr__(self) -> str:
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            settings = ", ".join(f"{k}={v}" for k, v in group.items() if k != "params")
            lines.append(f"  group {i}: {len(group['params'])} params, {settings}")
        return "\n".join(lines) + "\n)"


def _as_float(value: Any) -> float:
    """A hyper-parameter as a Python float, so float32 arithmetic stays float32."""
    return float(value)


class SGD(Optimizer):
    """Stochastic gradient descent, PyTorch's formulas:

        g = grad + weight_decay * w
        b = g (first step), else momentum * b + (1 - dampening) * g
        g = g + momentum * b if nesterov else b          (when momentum != 0)
        w = w - lr * g

    The momentum buffer b is kept per parameter in `state[p]["momentum_buffer"]`.
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float,
        momentum: float = 0.0,
        dampening: float = 0.0,
        weight_decay: float = 0.0,
        nesterov: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            momentum=momentum,
            dampening=dampening,
            weight_decay=weight_decay,
            nesterov=nesterov,
        )
        super().__init__(params, defaults)

    def _validate(self, settings: dict[str, Any], where: str = "") -> None:
        super()._validate(settings, where)
        momentum, dampening = settings["momentum"], settings["dampening"]
        if settings["nesterov"] and (momentum <= 0 or dampening != 0):
            raise ValueError(
                f"SGD: Nesterov momentum needs momentum > 0 and dampening = 0{where}; got "
                f"momentum={momentum}, dampening={dampening}."
            )

    def _update(
        self, w: np.ndarray, g: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> np.ndarray:
        lr, momentum = _as_float(group["lr"]), _as_float(group["momentum"])
        weight_decay = _as_float(group["weight_decay"])
        if weight_decay:
            g = g + weight_decay * w
        if momentum:
            buf = state.get("momentum_buffer")
            if buf is None:
                buf = np.array(g)
            else:
                buf = momentum * buf + (1 - _as_float(group["dampening"])) * g
            state["momentum_buffer"] = buf
            g = g + momentum * buf if group["nesterov"] else buf
        step = g * -lr  # a new array, so the sum can go into it: one allocation a step
        return np.add(w, step, out=step)


class Adam(Optimizer):
    """Adam (Kingma and Ba), PyTorch's formulas, t counting steps from 1:

        g = grad + weight_decay * w                   (L2 penalty; see AdamW)
        m = b1 * m + (1 - b1) * g
        v = b2 * v + (1 - b2) * g^2
        w = w - lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)

    With `amsgrad=True`, the running maximum of v replaces v in the denominator.
    """

    _decoupled = False

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        amsgrad: bool = False,
    ) -> None:
        defaults = dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)
        super().__init__(params, defaults)

    def _validate(self, settings: dict[str, Any], where: str = "") -> None:
        """Also refuse betas that are not a pair of numbers in [0, 1)."""
        super()._validate(settings, where)
        name, betas = type(self).__name__, settings["betas"]
        expected = "two numbers in [0, 1), such as betas=(0.9, 0.999)"
        if isinstance(betas, (str, bytes, dict)) or not isinstance(betas, Iterable):
            raise TypeError(
                f"{name}: betas must be {expected}{where}; got {betas!r} ({type(betas).__name__})."
            )
        values = list(betas)
        if len(values) != 2:
            raise ValueError(
                f"{name}: betas must be {expected}{where}; got {betas!r}, which holds "
                f"{len(values)} value(s)."
            )
        for which, b in zip(("beta1", "beta2"), values, strict=True):
            if isinstance(b, bool) or not isinstance(b, numbers.Real):
                raise TypeError(
                    f"{name}: betas must be {expected}{where}; got {betas!r}, whose {which} "
                    f"is a {type(b).__name__}."
                )
            if not 0.0 <= b < 1.0:
                raise ValueError(
                    f"{name}: betas must be {expected}{where}; got {betas!r}, whose {which} "
                    f"{b!r} is outside [0, 1)."
                )

    def _update(
        self, w: np.ndarray, g: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> np.ndarray:
        lr, eps, weight_decay = (
            _as_float(group["lr"]),
            _as_float(group["eps"]),
            _as_float(group["weight_decay"]),
        )
        b1, b2 = (_as_float(b) for b in group["betas"])
        if weight_decay:
            if self._decoupled:
                w = w * (1 - lr * weight_decay)
            else:
                g = g + weight_decay * w
        if not state:
            state["step"] = 0
            state["exp_avg"] = np.zeros_like(w)
            state["exp_avg_sq"] = np.zeros_like(w)
        t = state["step"] = state["step"] + 1
        m = state["exp_avg"] = b1 * state["exp_avg"] + (1 - b1) * g
        v = state["exp_avg_sq"] = b2 * state["exp_avg_sq"] + (1 - b2) * (g * g)
        if group["amsgrad"]:
            v = state["max_exp_avg_sq"] = np.maximum(state.get("max_exp_avg_sq", v), v)
        denom = np.sqrt(v) / math.sqrt(1 - b2**t) + eps
        return w - (lr / (1 - b1**t)) * (m / denom)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov and Hutter), PyTorch's formulas:
    first w = w * (1 - lr * weight_decay), then the Adam step without the L2 term."""

    _decoupled = True

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
        amsgrad: bool = False,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad)


class RMSprop(Optimizer):
    """RMSprop (Hinton), PyTorch's formulas and defaults:

    g = grad + weight_decay * w
    s = alpha * s + (1 - alpha) * g^2                        (square_avg, from 0)
    a = g_avg = alpha * a + (1 - alpha) * g                  (centered only, from 0)
    d = sqrt(s - a^2) + eps  if centered  else  sqrt(s) + eps
    b = momentum * b + g / d; w = w - lr * b                 (momentum > 0)
    w = w - lr * g / d                                       (otherwise)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        defaults = dict(
            lr=lr,
            alpha=alpha,
            eps=eps,
            weight_decay=weight_decay,
            momentum=momentum,
            centered=centered,
        )
        super().__init__(params, defaults)

    def _validate(self, settings: dict[str, Any], where: str = "") -> None:
        super()._validate(settings, where)
        if settings["alpha"] > 1:
            raise ValueError(
                f"RMSprop: alpha is a smoothing constant in [0, 1]{where}; got "
                f"{settings['alpha']!r}."
            )

    def _update(
        self, w: np.ndarray, g: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> np.ndarray:
        lr, alpha, eps = _as_float(group["lr"]), _as_float(group["alpha"]), _as_float(group["eps"])
        weight_decay, momentum = _as_float(group["weight_decay"]), _as_float(group["momentum"])
        if weight_decay:
            g = g + weight_decay * w
        if not state:
            state["step"] = 0
            state["square_avg"] = np.zeros_like(w)
        state["step"] += 1
        s = state["square_avg"] = alpha * state["square_avg"] + (1 - alpha) * (g * g)
        if group["centered"]:
            a = state["grad_avg"] = (
                alpha * state.get("grad_avg", np.zeros_like(w)) + (1 - alpha) * g
            )
            denom = np.sqrt(s - a * a) + eps
        else:
            denom = np.sqrt(s) + eps
        if momentum:
            buf = state["momentum_buffer"] = momentum * state.get("momentum_buffer", 0) + g / denom
            return w - lr * buf
        return w - lr * (g / denom)


class Adagrad(Optimizer):
    """Adagrad (Duchi et al.), PyTorch's formulas and defaults, t counting steps from 1:

    g = grad + weight_decay * w
    lr_t = lr / (1 + (t - 1) * lr_decay)
    s = s + g^2                               (from initial_accumulator_value)
    w = w - lr_t * g / (sqrt(s) + eps)
    """

    def __init__(
        self,
        params: Iterable[Any],
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        defaults = dict(
            lr=lr,
            lr_decay=lr_decay,
            weight_decay=weight_decay,
            initial_accumulator_value=initial_accumulator_value,
            eps=eps,
        )
        super().__init__(params, defaults)

    def _update(
        self, w: np.ndarray, g: np.ndarray, state: dict[str, Any], group: dict[str, Any]
    ) -> np.ndarray:
        lr, eps = _as_float(group["lr"]), _as_float(group["eps"])
        weight_decay = _as_float(group["weight_decay"])
        if weight_decay:
            g = g + weight_decay * w
        if not state:
            state["step"] = 0
            initial = _as_float(group["initial_accumulator_value"])
            state["sum"] = np.full_like(w, initial)
        t = state["step"] = state["step"] + 1
        clr = lr / (1 + (t - 1) * _as_float(group["lr_decay"]))
        s = state["sum"] = state["sum"] + g * g
        return w - clr * (g / (np.sqrt(s) + eps))
