"""Names for tensors and modules: parameter names from `named_parameters()`, module
titles such as `fc1: Linear(64, 32)`. Duck-typed, so `autograd_core` never imports `nn`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from ..grad_mode import Composite
from ..tensor import Tensor


def parameter_names(tensors: Iterable[Tensor], params: Any = None) -> dict[int, str]:
    """id(tensor) -> qualified parameter name ("fc1.weight"); the ids of the arrays of
    tensors given in `params` map to their names too, to label constant inputs.

    Names come from `params` (a Module, a mapping name -> Tensor or an iterable of
    (name, Tensor) pairs) and from `named_parameters()` of the outermost module every
    recorded op was made in."""
    names: dict[int, str] = {}
    for name, t in _pairs(params):
        names.setdefault(id(t), name)
        if isinstance(t, Tensor):  # also names it where it enters as a constant
            names.setdefault(id(t._data), name)
    roots: dict[int, Any] = {}  # the outermost modules (a composite layer has no parameters)
    for t in tensors:
        scope = t._node.scope if t._node is not None else ()
        if scope:
            roots.setdefault(id(scope[0]), scope[0])
    for module in roots.values():
        if not hasattr(module, "named_parameters"):
            continue
        for name, t in _pairs(module):
            names.setdefault(id(t), name)
    return names


def _pairs(params: Any) -> list[tuple[str, Tensor]]:
    if params is None:
        return []
    if hasattr(params, "named_parameters"):
        return list(params.named_parameters())
    if isinstance(params, Mapping):
        return list(params.items())
    return list(params)


def module_title(module: Any) -> str:
    """`fc1: Linear(64, 32)`: the module's attribute name (if any) and a one-line repr."""
    name = getattr(module, "_name", None)
    described = describe_module(module)
    return f"{name}: {described}" if name else described


_POSITIONAL = ("in_features=", "out_features=", "in_channels=", "out_channels=")


def describe_module(module: Any) -> str:
    """A one-line description, never cut: `Linear(64, 32)`, `Conv2d(3, 8, kernel_size=3)`,
    `MLP`, or a composite layer's `conv2d(stride=2, padding=1)`."""
    if isinstance(module, Composite):
        return module.title()
    cls = type(module).__name__
    extra = getattr(module, "extra_repr", None)
    text = extra() if callable(extra) else ""
    if not text or "\n" in text:
        return cls
    parts = [p.strip() for p in text.split(", ")]
    for i, p in enumerate(parts):
        for prefix in _POSITIONAL:
            if p.startswith(prefix):
                parts[i] = p[len(prefix) :]
    parts = [p for p in parts if p != "bias=True"]
    return f"{cls}({', '.join(parts)})"
