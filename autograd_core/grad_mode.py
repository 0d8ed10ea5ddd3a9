"""Grad mode and anomaly mode: thread-local switches read by the engine.

Each thread starts with gradients enabled and anomaly detection off, so two threads
training two models never see each other's `no_grad`.
"""

from __future__ import annotations

import functools
import threading
from collections.abc import Callable
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])


class _State(threading.local):
    def __init__(self) -> None:
        self.grad_enabled = True
        self.anomaly = False
        self.scope: tuple[Any, ...] = ()  # the nn.Modules whose forward is running


state = _State()


def is_grad_enabled() -> bool:
    """True when operations on tensors that require grad are being recorded."""
    return state.grad_enabled


class _Switch:
    """A context manager (and decorator) that sets one thread-local flag for a block."""

    _field = "grad_enabled"

    def __init__(self, value: bool) -> None:
        self._value = value
        self._saved: list[bool] = []

    def __enter__(self) -> None:
        self._saved.append(getattr(state, self._field))
        setattr(state, self._field, self._value)

    def __exit__(self, *exc: object) -> None:
        setattr(state, self._field, self._saved.pop())

    def __call__(self, fn: F) -> F:
        value, kind = self._value, type(self)

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            switch = kind.__new__(kind)
            _Switch.__init__(switch, value)
            with switch:
                return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]


class no_grad(_Switch):
    """Block (or decorated function) in which no graph is recorded."""

    def __init__(self) -> None:
        super().__init__(False)


class enable_grad(_Switch):
    """Block (or decorated function) in which recording is on, even inside `no_grad`."""

    def __init__(self) -> None:
        super().__init__(True)


class set_grad_enabled(_Switch):
    """`set_grad_enabled(flag)`: recording on or off for a block, chosen at run time."""

    def __init__(self, mode: bool) -> None:
        super().__init__(bool(mode))


class module_scope:
    """Marks the ops recorded inside it as made by `module` (nested scopes nest), so a
    rendered graph can draw each module's ops in a cluster. `nn.Module.__call__` uses it."""

    def __init__(self, module: Any) -> None:
        self._module = module

    def __enter__(self) -> None:
        state.scope = (*state.scope, self._module)

    def __exit__(self, *exc: object) -> None:
        state.scope = state.scope[:-1]
