"""`defop`: the one way to declare a primitive op, for the ops of this project and for users.

A primitive is a forward on arrays plus one vector-Jacobian product (vjp) per input,
declared side by side with the text a drawing shows for each derivative:

    multiply = defop(
        "multiply", np.multiply,
        lambda g, out, a, b: g * b,          # the vjp for a
        lambda g, out, a, b: g * a,          # the vjp for b
        rules=("∂/∂a = b", "∂/∂b = a"),
    )

`multiply(x, y)` then takes Tensors, arrays and numbers. Positional arguments are the
inputs; keyword arguments are constants of the call (an axis, a shape) that reach the
forward and every vjp as keywords. `vjps[i](g, out, *inputs, **params)` returns the
gradient for input i given `g`, the gradient of `out`. It may return the broadcast shape:
the engine sums it back to the input's shape and casts it to the input's dtype, and
refuses (naming the op and the input) a result that cannot be reduced.

The vjps see arrays in ordinary backward and Tensors under `backward(create_graph=True)`;
written with operators, array methods, NumPy functions (which dispatch to `ops` on
Tensors) or other ops, they differentiate again to any order. A vjp of None marks an
input that never receives a gradient (a condition, an index).

Done here once for every op: unwrapping Tensors, naming the op in shape errors, locking
the output read-only (copied first when it is a view of an array the caller can still
write to), refusing complex results, and recording the graph node when grad
mode is on and an input requires grad. An op with no vjps, or whose output is not
floating point, is not differentiable: its result never requires grad.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .anomaly import user_frame
from .grad_mode import state
from .graph import Node, Vjp
from .tensor import Tensor, lock, protected


class Op:
    """A primitive: its name, forward, vjps and the rule text of each derivative."""

    __slots__ = ("name", "forward", "vjps", "rules", "joint", "residuals", "zero", "wants")

    def __init__(
        self,
        name: str,
        forward: Callable[..., Any],
        vjps: tuple[Vjp | None, ...],
        rules: Sequence[str] | str | None,
        joint: bool,
        residuals: bool,
        zero: bool,
    ) -> None:
        self.name = name
        self.forward = forward
        self.vjps = vjps
        self.rules = (rules,) if isinstance(rules, str) else tuple(rules or ())
        self.joint = joint  # one vjp returning every input's gradient (ops with many inputs)
        self.residuals = residuals  # forward returns (out, {name: value}) for the vjps
        self.zero = zero  # the derivative is 0 wherever it exists (sign, floor, ...)
        # which inputs can receive a gradient (None: all of them, for a joint vjp)
        self.wants = None if joint else tuple(v is not None for v in vjps)

    def rule(self, index: int) -> str:
        """The derivative of the output with respect to input `index`, as text."""
        if not self.rules:
            return f"vjp of {self.name}, input {index}"
        return self.rules[index] if index < len(self.rules) else self.rules[-1]

    def __repr__(self) -> str:
        return f"<op {self.name}>"


def defop(
    name: str,
    forward: Callable[..., Any],
    *vjps: Vjp | None,
    rules: Sequence[str] | str | None = None,
    doc: str | None = None,
    joint: bool = False,
    residuals: bool = False,
    zero_derivative: bool = False,
    scalar: Callable[[Any, Any], Any] | None = None,
) -> Callable[..., Tensor]:
    """Declare a primitive op and return the function that applies it.

    `forward(*arrays, **params)` computes the output; `vjps[i](g, out, *inputs, **params)`
    is the vector-Jacobian product for input i; `rules[i]` is its derivative as text
    ("∂/∂x = cos x"), shown by `draw(backward=True)` and `trace_backward` (one string
    serves every input). Also:

    - `doc`: the docstring of the returned function.
    - `joint=True`: a single vjp returns a sequence with every input's gradient (or None),
      for ops with many inputs, such as concatenate, so backward stays linear in their
      number.
    - `residuals=True`: forward returns `(out, extras)`, a dict of arrays it computed
      anyway (an argmax, a mask) that the vjps then receive as keywords.
    - `zero_derivative=True`: the derivative is zero wherever it exists; `explain` says so.
    - `scalar`: for a two-input op, the same arithmetic on NumPy scalars
      (`operator.mul` for `np.multiply`), used when both inputs are 0-d floats or
      numbers: NumPy's scalar arithmetic costs a fraction of a ufunc call on 0-d arrays,
      and gives the same result (IEEE arithmetic, the same dtype rules).

    A one-input op whose forward is a NumPy ufunc (np.sin, np.exp) is called on the
    NumPy scalar of a 0-d float input: the ufunc takes about half the time on a scalar,
    with the same result and the same warnings.
    """
    if joint and len(vjps) != 1:
        raise ValueError(f"defop({name!r}): joint=True takes exactly one vjp; got {len(vjps)}.")
    op = Op(name, forward, vjps, rules, joint, residuals, zero_derivative)
    on_scalar = isinstance(forward, np.ufunc) and forward.nin == 1 and forward.nout == 1

    def apply(*inputs: Any, **params: Any) -> Tensor:
        if len(inputs) == 2:  # the common case, spelled out: this runs once per op
            a, b = inputs
            x = a._data if isinstance(a, Tensor) else a
            y = b._data if isinstance(b, Tensor) else b
            if scalar is not None and not params:
                # the scalar of a 0-d float array, or a Python number as it is; None
                # for anything else, such as an array with axes (written out for each
                # input: a helper's call per input cost more than the test itself)
                kind = type(x)
                if kind is np.ndarray:
                    x0 = x[()] if not x.ndim and x.dtype in _FLOATS else None
                else:
                    x0 = x if kind is float or kind is int else None
                if x0 is not None:
                    kind = type(y)
                    if kind is np.ndarray:
                        y0 = y[()] if not y.ndim and y.dtype in _FLOATS else None
                    else:
                        y0 = y if kind is float or kind is int else None
                    if y0 is not None and (x0 is not x or y0 is not y):
                        return _record_scalar(op, scalar(x0, y0), a, b, x0, y0)
            arrays: Any = (x, y)
        elif len(inputs) == 1:
            x = inputs[0]
            x = x._data if isinstance(x, Tensor) else x
            if on_scalar and type(x) is np.ndarray and not x.ndim and x.dtype in _FLOATS:
                x = x[()]  # a ufunc on a 0-d float: its scalar (see the docstring)
            arrays = (x,)
        else:
            arrays = [x._data if isinstance(x, Tensor) else x for x in inputs]
        try:
            out = forward(*arrays, **params) if params else forward(*arrays)
        except (ValueError, TypeError, AttributeError) as err:  # NumPy's, on bad operands
            raise _explained(name, err, arrays, inputs) from None
        if residuals:
            out, extras = out
            params = {**params, **extras}
        return record(op, out, inputs, params)

    apply.op = op  # type: ignore[attr-defined]
    apply.__name__ = apply.__qualname__ = name
    apply.__doc__ = doc or forward.__doc__
    return apply


_FLOATS = (np.dtype(np.float64), np.dtype(np.float32))
_new = object.__new__


def record(op: Op, out: Any, inputs: Sequence[Any], params: dict[str, Any]) -> Tensor:
    """Wrap `out`, the result of `op` on `inputs`, and remember how to send gradients
    back to each input that requires grad (when grad mode is on)."""
    if type(out) is np.ndarray:
        if out.base is not None and not protected(out):
            out = out.copy()  # a view of an array the caller can still write to
    else:
        out = np.asarray(out)  # 0-d results arrive as NumPy scalars
    out.setflags(False)  # write=False, spelled positionally: this runs once per op
    t = _new(Tensor)  # Tensor._wrap(out), spelled out: this runs once per op
    t._data = out
    t._grad = t.name = t._node = t._hooks = None
    t.requires_grad = t._retains_grad = False
    if out.dtype.kind != "f":
        if out.dtype.kind not in "biu":
            raise TypeError(
                f"{op.name}: the result has dtype {out.dtype}, but tensors hold real numbers "
                "or booleans; complex values are not supported. Keep the inputs real (for "
                "example a ** 0.5 instead of a ** 0.5j)."
            )
        return t  # integers and booleans carry no gradient
    st = state
    if not st.grad_enabled:
        return t
    node = Node()  # its items: the parents, one per input (None: no gradient needed)
    # The vjps read 0-d values as NumPy scalars, whose arithmetic costs a tenth of
    # a 0-d array's: scalar graphs spend most of backward in it.
    saved: list[Any] = [out[()] if out.ndim == 0 else out]
    needed = False
    wants = op.wants
    i = -1  # the input's index, counted by hand (cheaper than enumerate)
    for x in inputs:  # a plain loop: this runs once per op
        i += 1
        if isinstance(x, Tensor):
            data = x._data
            saved.append(data[()] if data.ndim == 0 else data)
            if x.requires_grad and (wants is None or (i < len(wants) and wants[i])):
                node.append(x)
                needed = True
                continue
        elif type(x) is float or type(x) is int:
            saved.append(x)
        else:
            saved.append(_saved_value(x))
        node.append(None)
    if not needed:
        return t
    t.requires_grad = True
    node.op = op
    node.saved = tuple(saved)
    node.params = params or None
    node.scope = st.scope
    node.origin = user_frame() if st.anomaly else None
    t._node = node
    return t


def _record_scalar(op: Op, value: Any, a: Any, b: Any, x0: Any, y0: Any) -> Tensor:
    """`record` for a two-input op computed on scalars: `value` = op(x0, y0), with x0 and
    y0 the scalars of the 0-d inputs `a` and `b` (Tensors, 0-d arrays or Python numbers).
    The node `record` makes, with what it would recompute passed in (a constant 0-d array
    is saved as its scalar, a copy, as a Tensor's value is)."""
    kind = type(value)
    if kind is not np.float64 and kind is not np.float32:  # Python numbers in, or ints
        return record(op, value, (a, b), {})
    out = np.asarray(value)
    out.setflags(False)
    t = _new(Tensor)  # Tensor._wrap(out), as in record
    t._data = out
    t._grad = t.name = t._node = t._hooks = None
    t.requires_grad = t._retains_grad = False
    st = state
    if not st.grad_enabled:
        return t
    pa = a if isinstance(a, Tensor) and a.requires_grad else None
    pb = b if isinstance(b, Tensor) and b.requires_grad else None
    if pa is None and pb is None:
        return t
    node = Node((pa, pb))
    t.requires_grad = True
    node.op = op
    node.saved = (value, x0, y0)
    node.params = None
    node.scope = st.scope
    node.origin = user_frame() if st.anomaly else None
    t._node = node
    return t


def _saved_value(x: Any) -> Any:
    """A constant input as the vjps will see it."""
    if type(x) is np.ndarray:
        return lock(x.copy()) if x.flags.writeable else x  # the caller may write into it
    if isinstance(x, (list, tuple)):
        return lock(np.array(x))
    return x


def _explained(
    name: str, err: Exception, values: Sequence[Any], inputs: Sequence[Any]
) -> Exception:
    """The error to raise when NumPy refused `name` on `values`: an op's own message as it
    is; shapes that do not broadcast explained (the op, the shapes, the axis that
    disagrees); anything else with the op's name in front."""
    message = str(err)
    if message.startswith(f"{name}:") or isinstance(err, np.exceptions.AxisError):
        return err
    if isinstance(err, (TypeError, AttributeError)):
        kinds = ", ".join(type(v).__name__ for v in inputs)
        why = f" ({message})" if isinstance(err, TypeError) else ""
        return TypeError(
            f"{name}: cannot apply to ({kinds}){why}. Give Tensors, NumPy arrays or numbers."
        )
    return mismatch(name, err, *values)


def mismatch(op: str, err: Exception, *values: Any) -> ValueError:
    """When the shapes of `values` do not broadcast: an error naming the op, the shapes
    and the first axis that disagrees; otherwise NumPy's message after the op's name."""
    try:
        shapes = [np.shape(v) for v in values]
    except ValueError:  # a ragged list: NumPy's message says it
        return ValueError(f"{op}: {err}")
    try:
        np.broadcast_shapes(*shapes)
    except ValueError:
        ndim = max(len(s) for s in shapes)
        for axis in range(-1, -ndim - 1, -1):
            lengths = {s[axis] for s in shapes if len(s) >= -axis} - {1}
            if len(lengths) > 1:
                break
        return ValueError(
            f"{op}: shapes {' and '.join(map(str, shapes))} do not broadcast: axes are "
            f"matched from the right and must be equal or 1, but axis {axis} has lengths "
            f"{sorted(lengths)}. Reshape an operand, or add length-1 axes (x[:, None], "
            "ops.expand_dims) so that the axes you mean line up."
        )
    return ValueError(f"{op}: {err}")
