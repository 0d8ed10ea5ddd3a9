"""A scalar autodiff `Value` in pure Python, written the way micrograd is (a closure per
node, a recursive topological sort), with the unary functions micrograd lacks: `sin`,
`cos`, `exp`, `log`, `tanh`. It is the reference of the `scalar_math` case: what a
user gets from the simplest engine that can differentiate `sin(x * a) + log(...)`.

Only the operations the benchmark uses are here; each derivative is the textbook one.
"""

from __future__ import annotations

import math
from collections.abc import Callable


def _noop() -> None:
    return None


class Value:
    """A float with a gradient and the closure that sends it to its operands."""

    __slots__ = ("data", "grad", "_backward", "_prev")

    def __init__(self, data: float, children: tuple[Value, ...] = ()) -> None:
        self.data = data
        self.grad = 0.0
        self._backward: Callable[[], None] = _noop
        self._prev = children

    def __add__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data + other.data, (self, other))

        def _backward() -> None:
            self.grad += out.grad
            other.grad += out.grad

        out._backward = _backward
        return out

    __radd__ = __add__

    def __mul__(self, other: Value | float) -> Value:
        other = other if isinstance(other, Value) else Value(other)
        out = Value(self.data * other.data, (self, other))

        def _backward() -> None:
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad

        out._backward = _backward
        return out

    __rmul__ = __mul__

    def __neg__(self) -> Value:
        return self * -1.0

    def __sub__(self, other: Value | float) -> Value:
        return self + (-other)

    def _unary(self, value: float, derivative: float) -> Value:
        """A function of self alone whose derivative at self.data is `derivative`."""
        out = Value(value, (self,))

        def _backward() -> None:
            self.grad += derivative * out.grad

        out._backward = _backward
        return out

    def sin(self) -> Value:
        return self._unary(math.sin(self.data), math.cos(self.data))

    def cos(self) -> Value:
        return self._unary(math.cos(self.data), -math.sin(self.data))

    def exp(self) -> Value:
        e = math.exp(self.data)
        return self._unary(e, e)

    def log(self) -> Value:
        return self._unary(math.log(self.data), 1.0 / self.data)

    def tanh(self) -> Value:
        t = math.tanh(self.data)
        return self._unary(t, 1.0 - t * t)

    def backward(self) -> None:
        topo: list[Value] = []
        visited: set[int] = set()

        def build(v: Value) -> None:
            if id(v) not in visited:
                visited.add(id(v))
                for child in v._prev:
                    build(child)
                topo.append(v)

        build(self)
        self.grad = 1.0
        for v in reversed(topo):
            v._backward()
