"""`Parameter`, `Module`, `Sequential`, `ModuleList` and `ModuleDict`: the containers
layers live in.

A `Module` registers what is assigned to its attributes: a `Parameter` goes to
`_parameters`, a `Module` to `_modules`, and an array registered with
`register_buffer(name, array)` (running statistics, counters) to `_buffers`. Everything
that walks a model (`parameters()`, `state_dict()`, `train()`, `repr`) reads those three
ordered dicts, so names and order follow PyTorch: `fc1.weight`, `bn.running_mean`, in the
order attributes were assigned.

Each module also knows `_name`, its attribute name in the parent it was last registered
in (`"fc1"`, or `"0"` inside a `Sequential`); a module that was never registered (the
root) has `_name = None`. The graph renderer uses it to label clusters (`fc1: Linear`).

Calling a module runs `forward` inside `autograd_core.grad_mode.module_scope(module)`, so
every op recorded during the call is tagged with the modules whose forward is running.

Buffers are ndarrays, not Tensors: they never take part in differentiation. Like tensor
data they are replaced, never written into (`self.running_mean = new_array`).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import numpy as np

from autograd_core.grad_mode import module_scope
from autograd_core.tensor import Tensor, lock

from . import serialization


class Parameter(Tensor):
    """A Tensor that a `Module` registers as a learnable parameter.

    `Parameter(data, requires_grad=True, dtype=None)` copies `data`; integer or boolean
    data becomes float64 (float32 stays float32), since only floats can be trained.
    """

    __slots__ = ()

    def __init__(
        self,
        data: Any,
        requires_grad: bool = True,
        dtype: Any = None,
        name: str | None = None,
    ) -> None:
        if dtype is None:
            array = np.asarray(data.data if isinstance(data, Tensor) else data)
            if array.dtype.kind != "f":
                dtype = np.float64
        super().__init__(data, requires_grad=requires_grad, dtype=dtype, name=name)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()


class Module:
    """Base class of every layer and model: subclass it, assign layers and Parameters in
    `__init__`, and write `forward`. Call the module, not `forward`, to run it."""

    training: bool
    _name: str | None

    def __init__(self) -> None:
        # object.__setattr__: our own __setattr__ reads these dicts.
        object.__setattr__(self, "_parameters", OrderedDict())
        object.__setattr__(self, "_buffers", OrderedDict())
        object.__setattr__(self, "_non_persistent", set())
        object.__setattr__(self, "_modules", OrderedDict())
        object.__setattr__(self, "training", True)
        object.__setattr__(self, "_name", None)

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError(
            f"{type(self).__name__} has no forward(); define forward(self, ...) in the subclass."
        )

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with module_scope(self):
            return self.forward(*args, **kwargs)

    # ---- registration ---------------------------------------------------------------
    def _check_ready(self) -> None:
        if "_parameters" not in self.__dict__:
            raise AttributeError(
                f"{type(self).__name__}.__init__ must call super().__init__() before "
                "assigning parameters, buffers or sub-modules."
            )

    def __setattr__(self, name: str, value: Any) -> None:
        if isinstance(value, Parameter):
            self.register_parameter(name, value)
        elif isinstance(value, Module):
            self.add_module(name, value)
        elif "_parameters" in self.__dict__ and name in self._parameters:
            if value is not None:
                raise TypeError(
                    f"{type(self).__name__}.{name} is a parameter; assign an "
                    f"nn.Parameter or None, not {type(value).__name__}. To change its "
                    f"values, rebind its data: module.{name}.data = new_array."
                )
            self._parameters[name] = None
        elif "_buffers" in self.__dict__ and name in self._buffers:
            self._buffers[name] = _as_buffer(value, type(self).__name__, name)
        elif "_modules" in self.__dict__ and name in self._modules:
            if value is not None:
                raise TypeError(
                    f"{type(self).__name__}.{name} is a sub-module; assign an nn.Module "
                    f"or None, not {type(value).__name__}."
                )
            self._modules[name] = None
        else:
            object.__setattr__(self, name, value)

    def __getattr__(self, name: str) -> Any:
        # Only called when normal lookup fails, i.e. for registered entries.
        d = self.__dict__
        for store in ("_parameters", "_buffers", "_modules"):
            if store in d and name in d[store]:
                return d[store][name]
        raise AttributeError(f"'{type(self).__name__}' object has no attribute '{name}'")

    def __delattr__(self, name: str) -> None:
        for store in (self._parameters, self._buffers, self._modules):
            if name in store:
                del store[name]
                self._non_persistent.discard(name)
                return
        object.__delattr__(self, name)

    def __dir__(self) -> list[str]:
        extra = [*self._parameters, *self._buffers, *self._modules]
        return sorted(set(super().__dir__()) | set(extra))

    def _claim(self, name: str, kind: str) -> None:
        self._check_ready()
        if not isinstance(name, str) or not name or "." in name:
            raise KeyError(f"{kind} name must be a non-empty string without '.'; got {name!r}.")
        if hasattr(type(self), name):
            raise KeyError(
                f"{type(self).__name__} already has a method or class attribute '{name}'; "
                f"choose another name for the {kind}."
            )
        if name in self.__dict__:
            object.__delattr__(self, name)
        for store in (self._parameters, self._buffers, self._modules):
            store.pop(name, None)
        self._non_persistent.discard(name)

    def register_parameter(self, name: str, param: Parameter | None) -> None:
        """Register `param` (or None, a declared but absent parameter) as `name`. A
        parameter without a `name` gets this one, so graph renderings can label it."""
        if param is not None and not isinstance(param, Parameter):
            raise TypeError(
                f"register_parameter('{name}'): expected an nn.Parameter or None, got "
                f"{type(param).__name__}; wrap the values as nn.Parameter(array)."
            )
        self._claim(name, "parameter")
        if param is not None and param.name is None:
            param.name = name
        self._parameters[name] = param

    def register_buffer(self, name: str, array: Any, persistent: bool = True) -> None:
        """Register a non-learnable array (running statistics, counters) as `name`.
        Persistent buffers are saved in `state_dict()`; `array=None` declares an
        absent buffer."""
        self._claim(name, "buffer")
        self._buffers[name] = _as_buffer(array, type(self).__name__, name)
        if not persistent:
            self._non_persistent.add(name)

    def add_module(self, name: str, module: Module | None) -> None:
        """Register `module` as the child `name` (what assigning `self.name = module` does)."""
        if module is not None and not isinstance(module, Module):
            raise TypeError(f"add_module('{name}'): {type(module).__name__} is not an nn.Module.")
        self._claim(name, "module")
        if module is not None:
            object.__setattr__(module, "_name", name)
        self._modules[name] = module

    register_module = add_module

    # ---- walking the tree -----------------------------------------------------------
    def named_modules(self, prefix: str = "") -> Iterator[tuple[str, Module]]:
        """(qualified name, module) for this module and all below it, parents first, each
        module once even if it is registered in several places."""
        seen: set[int] = set()
        stack: list[tuple[str, Module]] = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            children = [
                (f"{name}.{key}" if name else key, child)
                for key, child in module._modules.items()
                if child is not None
            ]
            stack.extend(reversed(children))

    def modules(self) -> Iterator[Module]:
        for _, module in self.named_modules():
            yield module

    def named_children(self) -> Iterator[tuple[str, Module]]:
        seen: set[int] = set()
        for name, child in self._modules.items():
            if child is not None and id(child) not in seen:
                seen.add(id(child))
                yield name, child

    def children(self) -> Iterator[Module]:
        for _, child in self.named_children():
            yield child

    def named_parameters(
        self, prefix: str = "", recurse: bool = True
    ) -> Iterator[tuple[str, Parameter]]:
        """(qualified name, parameter), e.g. ("fc1.weight", ...), each parameter once."""
        return self._named_entries("_parameters", prefix, recurse)

    def parameters(self, recurse: bool = True) -> Iterator[Parameter]:
        for _, p in self.named_parameters(recurse=recurse):
            yield p

    def named_buffers(self, prefix: str = "", recurse: bool = True) -> Iterator[tuple[str, Any]]:
        return self._named_entries("_buffers", prefix, recurse)

    def buffers(self, recurse: bool = True) -> Iterator[np.ndarray]:
        for _, b in self.named_buffers(recurse=recurse):
            yield b

    def _named_entries(self, store: str, prefix: str, recurse: bool) -> Iterator[tuple[str, Any]]:
        modules = self.named_modules(prefix) if recurse else iter([(prefix, self)])
        seen: set[int] = set()
        for module_name, module in modules:
            for key, value in getattr(module, store).items():
                if value is None or id(value) in seen:
                    continue
                seen.add(id(value))
                yield (f"{module_name}.{key}" if module_name else key), value

    def apply(self, fn: Any) -> Module:
        """Call `fn(module)` on every sub-module, children before parents (as PyTorch),
        then on this module; returns self. Handy for custom initialisation."""
        order: list[Module] = []
        stack: list[tuple[Module, bool]] = [(self, False)]
        while stack:
            module, expanded = stack.pop()
            if expanded:
                order.append(module)
                continue
            stack.append((module, True))
            stack.extend((c, False) for c in reversed(list(module.children())))
        for module in order:
            fn(module)
        return self

    # ---- modes and gradients --------------------------------------------------------
    def train(self, mode: bool = True) -> Module:
        """Set training mode (Dropout drops, BatchNorm uses batch statistics) on this
        module and every sub-module; returns self."""
        if not isinstance(mode, bool):
            raise ValueError(f"train(mode): mode must be True or False; got {mode!r}.")
        for module in self.modules():
            object.__setattr__(module, "training", mode)
        return self

    def eval(self) -> Module:
        """Same as `train(False)`: evaluation mode for this module and all below it."""
        return self.train(False)

    def zero_grad(self) -> None:
        """Clear every parameter's gradient (sets `.grad` to None, as PyTorch does)."""
        for p in self.parameters():
            p.grad = None

    def requires_grad_(self, requires_grad: bool = True) -> Module:
        """Switch gradients on or off for every parameter (freezing a part of a model)."""
        for p in self.parameters():
            p.requires_grad_(requires_grad)
        return self

    def to(self, dtype: Any) -> Module:
        """Cast every parameter and floating buffer to the floating `dtype`; returns self.
        (`float()` and `double()` are the float32 and float64 shortcuts.)"""
        dtype = np.dtype(dtype)
        if dtype.kind != "f":
            raise TypeError(f"Module.to: dtype must be a floating type; got {dtype}.")
        for p in self.parameters():
            p.data = lock(p.data.astype(dtype))
            if p.grad is not None:
                p.grad = Tensor._wrap(lock(p.grad.data.astype(dtype)))
        for module in self.modules():
            for key, b in module._buffers.items():
                if b is not None and b.dtype.kind == "f":
                    module._buffers[key] = lock(b.astype(dtype))
        return self

    def float(self) -> Module:
        return self.to(np.float32)

    def double(self) -> Module:
        return self.to(np.float64)

    # ---- checkpoints ----------------------------------------------------------------
    def state_dict(self) -> OrderedDict[str, np.ndarray]:
        """Name -> copy of the values of every parameter and persistent buffer, in
        PyTorch's names and order (`fc1.weight`, `fc1.bias`, `bn.running_mean`, ...)."""
        return serialization.state_dict_of(self)

    def load_state_dict(
        self, state_dict: Mapping[str, Any], strict: bool = True
    ) -> serialization.IncompatibleKeys:
        """Copy values from `state_dict` into this module's parameters and buffers.

        With `strict=True` a missing or unexpected key is an error; a shape mismatch
        always is. Nothing is changed unless every check passes. Values are cast to
        each parameter's dtype. Returns `(missing_keys, unexpected_keys)`."""
        return serialization.load_state_dict_into(self, state_dict, strict)

    # ---- repr -----------------------------------------------------------------------
    def extra_repr(self) -> str:
        """The arguments shown inside `Name(...)`; layers override it."""
        return ""

    def __repr__(self) -> str:
        lines: list[str] = []
        extra = self.extra_repr()
        if extra:
            lines.extend(extra.split("\n"))
        elif type(self).extra_repr is Module.extra_repr:
            # A user model: show its own parameters and buffers with their shapes.
            for key, p in self._parameters.items():
                lines.append(f"({key}): {_describe(p, 'Parameter')}")
            for key, b in self._buffers.items():
                lines.append(f"({key}): {_describe(b, 'Buffer')}")
        for key, child in self._modules.items():
            text = repr(child).replace("\n", "\n  ")
            lines.append(f"({key}): {text}")
        name = type(self).__name__
        if not lines:
            return f"{name}()"
        if len(lines) == 1 and not self._modules and extra:
            return f"{name}({lines[0]})"
        return name + "(\n  " + "\n  ".join(lines) + "\n)"


def _describe(value: Any, kind: str) -> str:
    if value is None:
        return "None"
    return f"{kind}(shape={tuple(value.shape)}, dtype={value.dtype})"


def _as_buffer(value: Any, owner: str, name: str) -> np.ndarray | None:
    if value is None:
        return None
    if isinstance(value, Tensor):
        value = value.data
    array = np.array(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(
            f"{owner}.{name}: a buffer holds numbers or booleans; got dtype {array.dtype}."
        )
    return lock(array)


class Sequential(Module):
    """Modules applied one after the other: `Sequential(Linear(4, 8), ReLU(), ...)` or
    `Sequential(OrderedDict(fc=Linear(4, 8), act=ReLU()))`. Indexable (`seq[0]`,
    `seq[-1]`, `seq[1:]` gives a Sequential), with `len()` and iteration."""

    def __init__(self, *modules: Any) -> None:
        super().__init__()
        if len(modules) == 1 and isinstance(modules[0], Mapping):
            for name, module in modules[0].items():
                self.add_module(str(name), _checked(module, "Sequential", name))
        else:
            for i, module in enumerate(modules):
                self.add_module(str(i), _checked(module, "Sequential", i))

    def forward(self, x: Any) -> Any:
        for module in self._modules.values():
            x = module(x)
        return x

    def append(self, module: Module) -> Sequential:
        self.add_module(str(len(self)), _checked(module, "Sequential", len(self)))
        return self

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._modules.values()))

    def __getitem__(self, index: int | slice) -> Any:
        items = list(self._modules.items())
        if isinstance(index, slice):
            return Sequential(OrderedDict(items[index]))  # keeps the names: "1", "2", ...
        return items[_position(index, len(items), "Sequential")][1]


class ModuleList(Module):
    """A list of modules that registers them (`ModuleList([Linear(4, 4) for _ in ...])`,
    named "0", "1", ...); it has no forward of its own. Supports `append`, `extend`,
    `insert`, indexing (a slice gives a ModuleList), assignment to an index, `del`,
    `len()` and iteration, as PyTorch's."""

    def __init__(self, modules: Iterable[Module] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.extend(modules)

    def append(self, module: Module) -> ModuleList:
        self.add_module(str(len(self)), _checked(module, "ModuleList", len(self)))
        return self

    def extend(self, modules: Iterable[Module]) -> ModuleList:
        if isinstance(modules, Module) and not isinstance(modules, (ModuleList, Sequential)):
            raise TypeError(
                "ModuleList.extend takes an iterable of modules; got a single "
                f"{type(modules).__name__}. Use append for one module."
            )
        for module in modules:
            self.append(module)
        return self

    def insert(self, index: int, module: Module) -> None:
        items = list(self._modules.values())
        items.insert(index, _checked(module, "ModuleList", index))  # list.insert's rules
        self._renumber(items)

    def _renumber(self, items: list[Module]) -> None:
        _register_in_order(self, [(str(i), module) for i, module in enumerate(items)])

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[Module]:
        return iter(list(self._modules.values()))

    def __getitem__(self, index: int | slice) -> Any:
        items = list(self._modules.values())
        if isinstance(index, slice):
            return ModuleList(items[index])
        return items[_position(index, len(items), "ModuleList")]

    def __setitem__(self, index: int, module: Module) -> None:
        items = list(self._modules.values())
        items[_position(index, len(items), "ModuleList")] = _checked(module, "ModuleList", index)
        self._renumber(items)

    def __delitem__(self, index: int | slice) -> None:
        items = list(self._modules.values())
        if isinstance(index, slice):
            del items[index]
        else:
            del items[_position(index, len(items), "ModuleList")]
        self._renumber(items)


class ModuleDict(Module):
    """A dict of modules that registers them under their keys (`ModuleDict({"enc":
    Linear(4, 8), "dec": Linear(8, 4)})`, parameters named "enc.weight", ...), in
    insertion order; no forward of its own. Supports indexing by key, assignment, `del`,
    `in`, `len()`, iteration over the keys, `keys() values() items() update() pop()
    clear()`, as PyTorch's."""

    def __init__(self, modules: Mapping[str, Module] | Iterable[Any] | None = None) -> None:
        super().__init__()
        if modules is not None:
            self.update(modules)

    def __getitem__(self, key: str) -> Module:
        if key not in self._modules:
            raise KeyError(f"ModuleDict has no module {key!r}; its keys are {list(self._modules)}.")
        return self._modules[key]

    def __setitem__(self, key: str, module: Module) -> None:
        module = _checked(module, "ModuleDict", key)
        if key in self._modules:  # replaced where it stands, as in a dict
            _register_in_order(self, [(k, module if k == key else m) for k, m in self.items()])
        else:
            self.add_module(key, module)

    def __delitem__(self, key: str) -> None:
        self[key]  # noqa: B018 - raises the KeyError that names the keys
        del self._modules[key]

    def __contains__(self, key: object) -> bool:
        return key in self._modules

    def __len__(self) -> int:
        return len(self._modules)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self._modules))

    def keys(self) -> list[str]:
        return list(self._modules)

    def values(self) -> list[Module]:
        return list(self._modules.values())

    def items(self) -> list[tuple[str, Module]]:
        return list(self._modules.items())

    def update(self, modules: Mapping[str, Module] | Iterable[Any]) -> None:
        """Add (or replace) modules from a mapping or an iterable of (key, module) pairs."""
        pairs = modules.items() if isinstance(modules, Mapping) else modules
        for entry in pairs:
            try:
                key, module = entry
            except (TypeError, ValueError):
                raise TypeError(
                    "ModuleDict.update takes a mapping or (key, module) pairs; got an entry "
                    f"{entry!r}."
                ) from None
            self[key] = module

    def pop(self, key: str) -> Module:
        module = self[key]
        del self[key]
        return module

    def clear(self) -> None:
        self._modules.clear()


def _register_in_order(container: Module, entries: list[tuple[str, Module]]) -> None:
    """Register `entries` as the container's only children, in this order."""
    container._modules.clear()
    for key, module in entries:
        container.add_module(key, module)


def _position(index: Any, n: int, owner: str) -> int:
    if not isinstance(index, (int, np.integer)):
        raise TypeError(f"{owner} indices must be ints or slices; got {type(index).__name__}.")
    if not -n <= index < n:
        raise IndexError(f"{owner} index {index} is out of range for {n} modules.")
    return int(index) % n


def _checked(module: Any, owner: str, position: Any) -> Module:
    if not isinstance(module, Module):
        raise TypeError(
            f"{owner}: entry {position!r} is a {type(module).__name__}, not an nn.Module; "
            "wrap functions in a Module subclass."
        )
    return module
