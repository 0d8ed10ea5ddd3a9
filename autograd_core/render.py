"""Graph rendering (see issue 4): placeholder entry points."""

from __future__ import annotations

from typing import Any


def draw(root: Any, **options: Any) -> Any:
    raise NotImplementedError("draw is not implemented yet")


def trace_backward(root: Any) -> Any:
    raise NotImplementedError("trace_backward is not implemented yet")


def explain(x: Any, root: Any) -> Any:
    raise NotImplementedError("explain is not implemented yet")
