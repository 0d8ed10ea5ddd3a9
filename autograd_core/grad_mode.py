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


class Composite:
    """A layer made of several ops (conv2d, cross_entropy, ...), as a scope: drawings
    show its ops as one box titled `conv2d(stride=2, padding=1)` unless asked to expand
    it. It stands where a module would in a node's scope."""

    __slots__ = ("name", "settings")

    def __init__(self, name: str, settings: str) -> None:
        self.name, self.settings = name, settings

    def title(self) -> str:
        return f"{self.name}({self.settings})"


def _setting(value: Any) -> str | None:
    """A call argument as the title shows it: numbers, strings, None and small tuples;
    arrays and tensors are the layer's inputs, not its settings."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return repr(value)
    if (
        isinstance(value, tuple)
        and len(value) <= 4
        and all(isinstance(v, (bool, int, float)) for v in value)
    ):
        return repr(value)
    return None


def composite(name: str) -> Callable[[F], F]:
    """Decorator for a function that is a composition of ops: the ops it records are
    drawn as one box, titled with `name` and the call's settings (its number, string and
    tuple arguments), folded unless `draw(expand=True)`."""

    def wrap(fn: F) -> F:
        @functools.wraps(fn)
        def layer(*args: Any, **kwargs: Any) -> Any:
            shown = [t for t in map(_setting, args) if t is not None]
            shown += [f"{k}={t}" for k, v in kwargs.items() if (t := _setting(v)) is not None]
            st = state
            st.scope = (*st.scope, Composite(name, ", ".join(shown)))
            try:
                return fn(*args, **kwargs)
            finally:
                st.scope = st.scope[:-1]

        return layer  # type: ignore[return-value]

    return wrap
