"""Learning-rate schedules with PyTorch's names, arguments and sequences.

A scheduler holds an optimiser and writes each parameter group's "lr" (and, for
OneCycleLR, its momentum or beta1). Constructing it records every group's starting
rate as "initial_lr" (the `base_lrs`) and takes step 0; each `step()` after the
optimiser's step moves to the next epoch (or batch), `last_epoch` counting them, and
`get_last_lr()` returns the rates just set, one per group. Closed forms, with t =
last_epoch and b the base rate:

    StepLR             b gamma^floor(t / step_size)
    MultiStepLR        b gamma^(number of milestones <= t)
    ExponentialLR      b gamma^t
    CosineAnnealingLR  eta_min + (b - eta_min) (1 + cos(pi t / T_max)) / 2
    LambdaLR           b lr_lambda(t)
    OneCycleLR         from max_lr / div_factor up to max_lr over pct_start of the steps,
                       then down to max_lr / (div_factor final_div_factor), cosine (or
                       linear) in each phase; momentum moves the opposite way
    ReduceLROnPlateau  lr * factor after `patience` epochs without improvement of the
                       metric passed to step(metric)

StepLR, MultiStepLR, ExponentialLR and CosineAnnealingLR update the current rate
recursively, as PyTorch does (so a rate changed by hand, or by another scheduler, is
carried on from); the sequences equal the closed forms when nothing else changes them.
"""

from __future__ import annotations

import math
import numbers
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from .optimizers import Optimizer


def _check_optimizer(optimizer: Any, name: str) -> None:
    if not isinstance(optimizer, Optimizer):
        raise TypeError(
            f"{name}: expected an optimiser such as nn.optim.SGD(model.parameters(), lr=0.1); "
            f"got {type(optimizer).__name__}."
        )
    for i, group in enumerate(optimizer.param_groups):
        if "lr" not in group:
            raise TypeError(
                f"{name}: parameter group {i} of {type(optimizer).__name__} has no learning "
                f"rate 'lr' (its settings are {sorted(k for k in group if k != 'params')}); a "
                "scheduler changes the learning rate, so give it an optimiser that has one, "
                "such as nn.optim.SGD(params, lr=0.1)."
            )


def _number(value: Any, what: str, name: str, low: float = 0.0, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name}: {what} must be a number; got {value!r}.")
    if not low <= value <= high:
        raise ValueError(f"{name}: {what} must lie in [{low}, {high}]; got {value!r}.")
    return float(value)


def _count(value: Any, what: str, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name}: {what} must be an int >= 1; got {value!r}.")
    return int(value)


class LRScheduler:
    """The base of the epoch-driven schedules: `step()`, `get_last_lr()`, `last_epoch`,
    `base_lrs`, `state_dict()` and `load_state_dict()`. Subclasses write `get_lr()`,
    the rates for the new `last_epoch`."""

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        name = type(self).__name__
        _check_optimizer(optimizer, name)
        self.optimizer = optimizer
        if last_epoch == -1:
            for group in optimizer.param_groups:
                group.setdefault("initial_lr", group["lr"])
        else:
            for i, group in enumerate(optimizer.param_groups):
                if "initial_lr" not in group:
                    raise KeyError(
                        f"{name}: resuming at last_epoch={last_epoch} needs 'initial_lr' in "
                        f"parameter group {i}, which a scheduler sets; start with "
                        "last_epoch=-1."
                    )
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = last_epoch
        self._step_count = 0
        self.step()

    def get_lr(self) -> list[float]:
        raise NotImplementedError

    def step(self) -> None:
        """Advance one epoch (or batch) and write the new rates into the optimiser."""
        self._step_count += 1
        self.last_epoch += 1
        self._set(self.get_lr())

    def _set(self, rates: Sequence[float]) -> None:
        for group, lr in zip(self.optimizer.param_groups, rates, strict=True):
            group["lr"] = lr
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list[float]:
        """The learning rates the last step set, one per parameter group."""
        return list(self._last_lr)

    def _current(self) -> list[float]:
        return [group["lr"] for group in self.optimizer.param_groups]

    def state_dict(self) -> dict[str, Any]:
        """The scheduler's state (everything but the optimiser and functions)."""
        return {k: v for k, v in self.__dict__.items() if k != "optimizer" and not callable(v)}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, lr={self.get_last_lr()})"


class StepLR(LRScheduler):
    """lr = base_lr * gamma ** (last_epoch // step_size)."""

    def __init__(
        self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1
    ) -> None:
        self.step_size = _count(step_size, "step_size", type(self).__name__)
        self.gamma = _number(gamma, "gamma", type(self).__name__)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0 or self.last_epoch % self.step_size:
            return self._current()
        return [lr * self.gamma for lr in self._current()]


class MultiStepLR(LRScheduler):
    """lr = base_lr * gamma ** (number of milestones <= last_epoch)."""

    def __init__(
        self,
        optimizer: Optimizer,
        milestones: Iterable[int],
        gamma: float = 0.1,
        last_epoch: int = -1,
    ) -> None:
        name = type(self).__name__
        self.milestones = Counter(_count(m, "each milestone", name) for m in milestones)
        self.gamma = _number(gamma, "gamma", name)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch not in self.milestones:
            return self._current()
        factor = self.gamma ** self.milestones[self.last_epoch]
        return [lr * factor for lr in self._current()]


class ExponentialLR(LRScheduler):
    """lr = base_lr * gamma ** last_epoch."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = _number(gamma, "gamma", type(self).__name__)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        if self.last_epoch == 0:
            return self._current()
        return [lr * self.gamma for lr in self._current()]


class CosineAnnealingLR(LRScheduler):
    """lr = eta_min + (base_lr - eta_min) (1 + cos(pi last_epoch / T_max)) / 2 (SGDR
    without restarts): from base_lr at epoch 0 down to eta_min at T_max, and back up
    after it, with period 2 T_max, as PyTorch."""

    def __init__(
        self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1
    ) -> None:
        self.T_max = _count(T_max, "T_max", type(self).__name__)
        self.eta_min = _number(eta_min, "eta_min", type(self).__name__)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        t, period, low = self.last_epoch, self.T_max, self.eta_min
        current = self._current()
        if t == 0:
            return current
        if self._step_count == 1 and t > 0:  # resumed: the closed form
            return [
                low + (base - low) * (1 + math.cos(t * math.pi / period)) / 2
                for base in self.base_lrs
            ]
        if (t - 1 - period) % (2 * period) == 0:  # leaving the minimum: the ratio is 0/0
            return [
                lr + (base - low) * (1 - math.cos(math.pi / period)) / 2
                for lr, base in zip(current, self.base_lrs, strict=True)
            ]
        ratio = (1 + math.cos(math.pi * t / period)) / (1 + math.cos(math.pi * (t - 1) / period))
        return [ratio * (lr - low) + low for lr in current]


class LambdaLR(LRScheduler):
    """lr = base_lr * lr_lambda(last_epoch); `lr_lambda` is one function or one per
    parameter group."""

    def __init__(
        self,
        optimizer: Optimizer,
        lr_lambda: Callable[[int], float] | Sequence[Callable[[int], float]],
        last_epoch: int = -1,
    ) -> None:
        name = type(self).__name__
        _check_optimizer(optimizer, name)
        groups = len(optimizer.param_groups)
        lambdas = list(lr_lambda) if isinstance(lr_lambda, (list, tuple)) else [lr_lambda] * groups
        if len(lambdas) != groups or not all(callable(f) for f in lambdas):
            raise ValueError(
                f"{name}: lr_lambda must be a function or a list of {groups} functions, one per "
                f"parameter group; got {lr_lambda!r}."
            )
        self.lr_lambdas = lambdas
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> list[float]:
        return [
            base * f(self.last_epoch)
            for base, f in zip(self.base_lrs, self.lr_lambdas, strict=True)
        ]

    def state_dict(self) -> dict[str, Any]:
        return {k: v for k, v in super().state_dict().items() if k != "lr_lambdas"}


class OneCycleLR(LRScheduler):
    """The 1cycle policy (Smith and Topin), stepped once per batch, as PyTorch's:
    lr starts at max_lr / div_factor, rises to max_lr over the first pct_start of the
    total_steps, then falls to max_lr / (div_factor * final_div_factor) ("cos" or
    "linear" annealing in each phase). With three_phase=True it falls back to the start
    first and only then to the minimum. With cycle_momentum, the momentum (SGD, RMSprop)
    or beta1 (Adam) moves from max_momentum to base_momentum and back, opposite to lr.
    total_steps, or epochs * steps_per_epoch; stepping past it raises ValueError."""

    def __init__(
        self,
        optimizer: Optimizer,
        max_lr: float | Sequence[float],
        total_steps: int | None = None,
        epochs: int | None = None,
        steps_per_epoch: int | None = None,
        pct_start: float = 0.3,
        anneal_strategy: str = "cos",
        cycle_momentum: bool = True,
        base_momentum: float = 0.85,
        max_momentum: float = 0.95,
        div_factor: float = 25.0,
        final_div_factor: float = 1e4,
        three_phase: bool = False,
        last_epoch: int = -1,
    ) -> None:
        name = type(self).__name__
        _check_optimizer(optimizer, name)
        if total_steps is None:
            if epochs is None or steps_per_epoch is None:
                raise ValueError(f"{name}: give total_steps, or both epochs and steps_per_epoch.")
            total_steps = _count(epochs, "epochs", name) * _count(
                steps_per_epoch, "steps_per_epoch", name
            )
        self.total_steps = _count(total_steps, "total_steps", name)
        pct_start = _number(pct_start, "pct_start", name, 0.0, 1.0)
        if anneal_strategy not in ("cos", "linear"):
            raise ValueError(
                f"{name}: anneal_strategy must be 'cos' or 'linear'; got {anneal_strategy!r}."
            )
        self.anneal_strategy = anneal_strategy
        # Each phase: the step it ends at, and the group keys of the lr and the momentum
        # it moves from and to.
        up = float(pct_start * self.total_steps) - 1
        last = self.total_steps - 1.0
        rise = (up, "initial_lr", "max_lr", "max_momentum", "base_momentum")
        if three_phase:
            back = (2 * up, "max_lr", "initial_lr", "base_momentum", "max_momentum")
            self._phases = [
                rise,
                back,
                (last, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
            ]
        else:
            self._phases = [rise, (last, "max_lr", "min_lr", "base_momentum", "max_momentum")]
        groups = optimizer.param_groups
        maxima = list(max_lr) if isinstance(max_lr, (list, tuple)) else [max_lr] * len(groups)
        if len(maxima) != len(groups):
            raise ValueError(
                f"{name}: max_lr must be a number or {len(groups)} numbers, one per parameter "
                f"group; got {max_lr!r}."
            )
        self.cycle_momentum = cycle_momentum
        if cycle_momentum:
            first = groups[0]
            if "momentum" not in first and "betas" not in first:
                raise ValueError(
                    f"{name}: cycle_momentum=True needs an optimiser with momentum (SGD, "
                    f"RMSprop) or betas (Adam); {type(optimizer).__name__} has neither. Pass "
                    "cycle_momentum=False."
                )
            self._use_beta = "betas" in first
        if last_epoch == -1:
            for group, top in zip(groups, maxima, strict=True):
                top = _number(top, "max_lr", name)
                group["initial_lr"] = top / div_factor
                group["max_lr"] = top
                group["min_lr"] = group["initial_lr"] / final_div_factor
                group["lr"] = group["initial_lr"]
                if cycle_momentum:
                    group["max_momentum"], group["base_momentum"] = max_momentum, base_momentum
                    self._set_momentum(group, max_momentum)
        super().__init__(optimizer, last_epoch)

    def _set_momentum(self, group: dict[str, Any], value: float) -> None:
        if self._use_beta:
            group["betas"] = (value, *tuple(group["betas"])[1:])
        else:
            group["momentum"] = value

    def _anneal(self, start: float, end: float, pct: float) -> float:
        if self.anneal_strategy == "cos":
            return end + (start - end) / 2.0 * (math.cos(math.pi * pct) + 1)
        return (end - start) * pct + start

    def get_lr(self) -> list[float]:
        step = self.last_epoch
        if step > self.total_steps:
            raise ValueError(
                f"OneCycleLR: stepped {step} times, more than total_steps = {self.total_steps}; "
                "make total_steps (or epochs * steps_per_epoch) cover every step."
            )
        rates = []
        for group in self.optimizer.param_groups:
            start_step = 0.0
            for i, (end_step, lr_from, lr_to, m_from, m_to) in enumerate(self._phases):
                if step <= end_step or i == len(self._phases) - 1:
                    pct = (step - start_step) / (end_step - start_step)
                    rates.append(self._anneal(group[lr_from], group[lr_to], pct))
                    if self.cycle_momentum:
                        self._set_momentum(group, self._anneal(group[m_from], group[m_to], pct))
                    break
                start_step = end_step
        return rates


class ReduceLROnPlateau:
    """Multiply the learning rate by `factor` when the metric given to `step(metric)`
    has not improved for more than `patience` epochs, as PyTorch's: "improved" is
    below best * (1 - threshold) (mode "min", threshold_mode "rel"), below
    best - threshold ("abs"), or above best * (1 + threshold) / best + threshold (mode
    "max"). After a reduction, `cooldown` epochs pass before counting again; the rate
    never goes below `min_lr`, and a change smaller than `eps` is skipped."""

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float | Sequence[float] = 0.0,
        eps: float = 1e-8,
    ) -> None:
        name = type(self).__name__
        _check_optimizer(optimizer, name)
        if mode not in ("min", "max"):
            raise ValueError(f"{name}: mode must be 'min' or 'max'; got {mode!r}.")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(
                f"{name}: threshold_mode must be 'rel' or 'abs'; got {threshold_mode!r}."
            )
        self.factor = _number(factor, "factor", name)
        if self.factor >= 1.0:
            raise ValueError(f"{name}: factor must be < 1 (it reduces the rate); got {factor}.")
        groups = optimizer.param_groups
        floors = list(min_lr) if isinstance(min_lr, (list, tuple)) else [min_lr] * len(groups)
        if len(floors) != len(groups):
            raise ValueError(
                f"{name}: min_lr must be a number or {len(groups)} numbers, one per group; "
                f"got {min_lr!r}."
            )
        self.optimizer = optimizer
        self.min_lrs = [_number(m, "min_lr", name) for m in floors]
        self.mode, self.threshold_mode = mode, threshold_mode
        self.patience = int(patience)
        self.threshold = _number(threshold, "threshold", name)
        self.cooldown = int(cooldown)
        self.eps = _number(eps, "eps", name)
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in groups]

    def _is_better(self, value: float) -> bool:
        if self.mode == "min":
            if self.threshold_mode == "rel":
                return value < self.best * (1 - self.threshold)
            return value < self.best - self.threshold
        if self.threshold_mode == "rel":
            return value > self.best * (self.threshold + 1)
        return value > self.best + self.threshold

    def step(self, metrics: float) -> None:
        """One epoch with validation metric `metrics` (a number or a one-element Tensor)."""
        current = float(metrics)
        self.last_epoch += 1
        if self._is_better(current):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0
        if self.num_bad_epochs > self.patience:
            for group, floor in zip(self.optimizer.param_groups, self.min_lrs, strict=True):
                old = float(group["lr"])
                new = max(old * self.factor, floor)
                if old - new > self.eps:
                    group["lr"] = new
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list[float]:
        return list(self._last_lr)

    def state_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict[str, Any]) -> None:
        self.__dict__.update(state_dict)
