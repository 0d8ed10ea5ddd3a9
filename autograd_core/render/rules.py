"""The local-derivative rule of every primitive op, as text for edge labels.

This is the one place the renderer knows anything about specific ops. Each entry lists,
per input, the derivative of the op's output y with respect to that input, in the
names the op's docstring uses (a, b for binary ops, x for unary ones); ops that move
or reduce elements state what their vector-Jacobian product does with the incoming
gradient g instead. An op missing here is still drawn, with a generic label.
"""

from __future__ import annotations

# op name -> one rule per input; a single rule applies to every input (concatenate, stack).
RULES: dict[str, tuple[str, ...]] = {
    "add": ("∂/∂a = 1", "∂/∂b = 1"),
    "subtract": ("∂/∂a = 1", "∂/∂b = −1"),
    "multiply": ("∂/∂a = b", "∂/∂b = a"),
    "divide": ("∂/∂a = 1/b", "∂/∂b = −a/b²"),
    "negative": ("∂/∂x = −1",),
    "power": ("∂/∂a = b·a^(b−1)", "∂/∂b = a^b·ln a"),
    "exp": ("∂/∂x = eˣ = y",),
    "log": ("∂/∂x = 1/x",),
    "sqrt": ("∂/∂x = 1/(2√x)",),
    "abs": ("∂/∂x = sign(x)",),
    "sign": ("∂/∂x = 0",),
    "tanh": ("∂/∂x = 1 − y²",),
    "sigmoid": ("∂/∂x = y(1 − y)",),
    "relu": ("∂/∂x = 1 if x > 0 else 0",),
    "maximum": ("∂/∂a = 1 where a > b (½ at ties)", "∂/∂b = 1 where b > a (½ at ties)"),
    "minimum": ("∂/∂a = 1 where a < b (½ at ties)", "∂/∂b = 1 where b < a (½ at ties)"),
    "where": ("∂/∂a = 1 where cond", "∂/∂b = 1 where not cond"),
    "clip": ("∂/∂x = 1 inside [lo, hi], else 0",),
    "astype": ("∂/∂x = 1 (cast back)",),
    "sum": ("vjp: g copied to every summed element",),
    "max": ("∂/∂x = 1 at the maximum (split at ties)",),
    "min": ("∂/∂x = 1 at the minimum (split at ties)",),
    "reshape": ("vjp: g reshaped back",),
    "transpose": ("vjp: g transposed back",),
    "broadcast_to": ("vjp: g summed over the broadcast axes",),
    "expand_dims": ("vjp: g reshaped back",),
    "squeeze": ("vjp: g reshaped back",),
    "getitem": ("vjp: g scatter-added into x's shape",),
    "getitem_backward": ("vjp: g indexed again",),
    "pad": ("vjp: g cropped (copies scatter-added)",),
    "concatenate": ("vjp: this input's slice of g",),
    "stack": ("vjp: this input's index of g",),
    "matmul": ("vjp: g @ bᵀ", "vjp: aᵀ @ g"),
    "sliding_window": ("vjp: windows of g folded back (col2im)",),
    "fold": ("vjp: sliding windows of g",),
    # the fused primitives of nn.functional (their docstrings say why they are fused)
    "linear": ("vjp: g @ W", "vjp: gᵀ @ x", "vjp: g summed over the batch"),
    "max_pool2d": ("vjp: g routed to each window's argmax",),
    "log_softmax": ("vjp: g − softmax(x)·Σg",),
    # the fresh input node that autograd_core.func makes for each argument
    "input": ("∂/∂x = 1",),
}

# Ops whose derivative is zero wherever it exists: no gradient passes through them.
ZERO_DERIVATIVE = frozenset({"sign"})


def rule(op: str, index: int) -> str:
    """The rule text for input `index` of `op` ("∂/∂a = b" for multiply's first input)."""
    rules = RULES.get(op)
    if rules is None:
        return f"vjp of {op}, input {index}"
    return rules[index] if index < len(rules) else rules[-1]
