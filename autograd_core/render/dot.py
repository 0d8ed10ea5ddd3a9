"""The pure half of rendering: tensors in, DOT text out (no graphviz involved).

`to_dot(root, **options)` walks the graph (`layout.plan`, iterative, with a visited
set), labels what will be drawn and writes DOT statements. `display.draw` hands the same
statements to graphviz. The options are those of `autograd_core.draw`; see `Options`.

Forward view: edges follow the data, tensor -> op -> result. Backward view
(`backward=True`): edges follow the gradient, result -> op -> input, each labelled with
the op's local-derivative rule (declared with the op) and, from a `trace_backward` of the graph,
the gradient it carried (incoming gradient times local derivative), where broadcasting
was undone, and at each node the sum of what arrived.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

import numpy as np

from ..grad_mode import Composite
from ..graph import Freed
from ..tensor import Tensor
from . import text
from .layout import Edge, Layout, Node, Path, plan
from .names import describe_module, module_title
from .replay import Trace, trace_backward

# Colours: one meaning each.
LEAF = "#d6eaf8"  # a leaf that requires grad (parameter or input)
ROOT = "#d5f5e3"  # the tensor drawn from
PLAIN = "#ffffff"  # an intermediate result
OP = "#fdebd0"
CONST = "#f2f3f4"
BAD = "#f5b7b1"  # NaN or inf in value or gradient
BAD_LIGHT = "#fadbd8"  # NaN or inf that came in from an input
BAD_LINE = "#c0392b"
MARK = "#f9e79f"  # highlighted tensors, the current replay step
MARK_LINE = "#d35400"
GRAD = "#a93226"
MUTED = "#909497"
NODE = {
    "fontname": "Helvetica",
    "fontsize": 11,
    "shape": "box",
    "style": "rounded,filled",
    "fillcolor": PLAIN,
}
NOTE = {"shape": "note", "fillcolor": "#fef9e7", "style": "filled,dashed", "fontsize": 10}
CLUSTER = ("#f8f9f9", "#eef6fb", "#fef5e7", "#f4ecf7")


@dataclass
class Options:
    """What `draw` accepts (all keywords)."""

    show_values: bool = True  # tensor values, when at most max_value_size elements
    show_grads: bool = True  # gradients: .grad, or every node's in the backward view
    direction: str = "TB"  # "TB" (top to bottom) or "LR" (left to right); also BT, RL
    max_nodes: int = 150  # node budget; beyond it, repeated steps fold and the rest is summarised
    highlight: Any = None  # a Tensor, a name, or several; or {tensor_or_name: colour}
    backward: bool = False  # the backward view: gradient flow with rules and values
    collapse: Any = None  # True (every innermost module), a depth, names, modules or types
    expand: bool = False  # draw the ops inside composite layers (conv2d, ...), not one box
    params: Any = None  # a Module or {name: tensor} for labels (modules seen are used anyway)
    show_constants: bool = True  # inputs that need no gradient, while the graph holds them
    show_contributions: bool = True  # backward view: what each edge carried
    max_value_size: int = 6
    title: str | None = None
    trace: Trace | None = None  # backward view of this trace (else one is made)
    step: int | None = None  # with trace: the table after this step, its node highlighted


def options(**kwargs: Any) -> Options:
    known = {f.name for f in fields(Options)}
    unknown = sorted(set(kwargs) - known)
    if unknown:
        raise TypeError(f"draw() got unknown option(s) {unknown}; the options are {sorted(known)}.")
    opts = Options(**kwargs)
    if opts.direction not in ("TB", "LR", "BT", "RL"):
        raise ValueError(f"draw(direction=...) must be 'TB' or 'LR'; got {opts.direction!r}.")
    if not isinstance(opts.max_nodes, int) or opts.max_nodes < 1:
        raise ValueError(f"draw(max_nodes=...) must be a positive int; got {opts.max_nodes!r}.")
    if opts.step is not None and opts.trace is None:
        raise ValueError("draw(step=...) needs trace=, the trace_backward() it is a step of.")
    return opts


def roots_of(root: Any) -> list[Tensor]:
    roots = [root] if isinstance(root, Tensor) else list(root)
    for r in roots:
        if not isinstance(r, Tensor):
            raise TypeError(f"draw() expects a Tensor or Tensors; got {type(r).__name__}.")
    if not roots:
        raise ValueError("draw() needs at least one Tensor.")
    return roots


def to_dot(root: Tensor | Sequence[Tensor], **kwargs: Any) -> str:
    """The DOT source `draw(root, **kwargs)` hands to graphviz."""
    return "digraph {\n" + "".join(dot_lines(root, options(**kwargs))) + "}\n"


# ---- escaping ------------------------------------------------------------------------


def _html(s: str) -> str:
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _quoted(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _attrs(**attrs: Any) -> str:
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        if isinstance(value, _Html):
            parts.append(f"{key}=<{value.text}>")
        else:
            parts.append(f"{key}={_quoted(str(value))}")
    return " [" + " ".join(parts) + "]" if parts else ""


@dataclass
class _Html:
    text: str


def _stmt(head: str, **attrs: Any) -> str:
    """One DOT statement on its own line: `\tt3 [label="..."]`."""
    return f"\t{head}{_attrs(**attrs)}\n"


# ---- the view ------------------------------------------------------------------------


class _View:
    """Everything labelling needs: options, names, the trace and the replay step."""

    def __init__(self, roots: list[Tensor], opts: Options) -> None:
        self.opts = opts
        self.roots = roots
        self.note: str | None = None
        self.trace: Trace | None = opts.trace
        if opts.backward and self.trace is None:
            if len(roots) != 1:
                raise ValueError("draw(backward=True) draws the gradient of one root tensor.")
            if roots[0].requires_grad:
                try:
                    self.trace = trace_backward(roots[0])
                except RuntimeError:
                    self.note = (
                        "the graph was freed by backward(): only .grad is shown; "
                        "call backward(retain_graph=True) to see every gradient"
                    )
        self.step = opts.step
        self.done: dict[int, int] = {}  # id(tensor) -> its step, for steps up to self.step
        if self.trace is not None:
            last = len(self.trace) - 1 if self.step is None else self.step
            if not 0 <= last < len(self.trace):
                raise IndexError(f"step {self.step} is out of range: {len(self.trace)} steps.")
            for s in self.trace.steps[: last + 1]:
                self.done[id(s.node)] = s.index
        self.current = None if self.step is None else self.trace.steps[self.step]  # type: ignore[union-attr]
        self.marks = _highlights(opts.highlight)

    def grad(self, t: Tensor) -> np.ndarray | None:
        if self.trace is not None:
            return self.trace.grad(t) if id(t) in self.done else None
        return None if t.grad is None else t.grad._data

    def title(self, t: Tensor, names: dict[int, str]) -> str | None:
        if id(t) in names:
            return names[id(t)]
        if t.name:
            return t.name
        if self.trace is not None and self.trace.grad(t) is not None:
            return self.trace.label(t)
        return None

    def mark(self, t: Tensor, title: str | None) -> str | None:
        colour = self.marks.get(id(t))
        if colour is None and title is not None:
            colour = self.marks.get(title)
        return colour


def _highlights(spec: Any) -> dict[Any, str]:
    """{id(tensor) or name: colour}."""
    if spec is None:
        return {}
    if isinstance(spec, dict):
        items = list(spec.items())
    elif isinstance(spec, (Tensor, str)):
        items = [(spec, MARK)]
    else:
        items = [(x, MARK) for x in spec]
    return {(id(k) if isinstance(k, Tensor) else k): c for k, c in items}


def dot_lines(root: Tensor | Sequence[Tensor], opts: Options) -> list[str]:
    """The body of the DOT graph, one statement per line (tab-indented, as graphviz)."""
    return drawing(root, opts)[0]


def drawing(root: Tensor | Sequence[Tensor], opts: Options) -> tuple[list[str], Layout, Any]:
    """The DOT body, the layout it was drawn from (which tensor each node id shows) and
    the trace of backward it labels with (or None)."""
    roots = roots_of(root)
    view = _View(roots, opts)
    layout = plan(
        roots,
        opts.params,
        max_nodes=opts.max_nodes,
        constants=opts.show_constants,
        collapse=opts.collapse,
        expand=opts.expand,
    )
    return _body(layout, view), layout, view.trace


def _body(layout: Layout, view: _View) -> list[str]:
    lines = _header(layout, view)
    node_lines: dict[Path, list[str]] = {}
    for node in layout.nodes.values():
        node_lines.setdefault(_key(node.path), []).append(_node(node, layout, view))
    lines += _clusters(layout, node_lines)
    lines += [_edge(e, layout, view) for e in layout.edges]
    if view.current is not None:
        lines.append(_table_node(view))
    return lines


def _key(path: Path) -> Path:
    return tuple(id(m) for m in path)


def _header(layout: Layout, view: _View) -> list[str]:
    o = view.opts
    label_lines = [o.title] if o.title else []
    if view.current is not None:
        last = len(view.trace) - 1  # type: ignore[arg-type]
        label_lines.append(f"step {view.current.index} of {last}: {view.current.equation()}")
    elif o.backward:
        label_lines.append("backward: gradients flow along the arrows")
    n = len(layout.walk.tensors)
    if layout.truncated or layout.folded:
        label_lines.append(
            f"{n:,} tensors in the graph, {layout.drawn_tensors:,} drawn (max_nodes={o.max_nodes})"
        )
    if view.note:
        label_lines.append(view.note)
    graph = {
        "rankdir": o.direction,
        "bgcolor": "white",
        "fontname": "Helvetica",
        "fontsize": 12,
        "nodesep": 0.3,
        "ranksep": 0.35,
        "labelloc": "t",
        "label": "\n".join(label_lines) or None,
    }
    return [
        _stmt("graph", **graph),
        _stmt("node", **NODE),
        _stmt("edge", fontname="Helvetica", fontsize=9, color="#566573", fontcolor="#424949"),
    ]


def _clusters(layout: Layout, node_lines: dict[Path, list[str]]) -> list[str]:
    """Nodes inside nested `subgraph cluster_k` blocks, one per module path."""
    modules: dict[Path, Path] = {}  # key -> path
    for node in layout.nodes.values():
        p = node.path
        for n in range(1, len(p) + 1):
            modules.setdefault(_key(p[:n]), p[:n])
    children: dict[Path, list[Path]] = {}
    for key in modules:
        children.setdefault(key[:-1], []).append(key)
    out: list[str] = list(node_lines.get((), []))
    numbering = {key: k for k, key in enumerate(modules)}
    stack: list[tuple[Path, bool]] = [(k, False) for k in reversed(children.get((), []))]
    while stack:
        key, close = stack.pop()
        depth = len(key)
        pad = "\t" * depth
        if close:
            out.append(pad + "}\n")
            continue
        path = modules[key]
        attrs = _attrs(
            label=module_title(path[-1]),
            **({"class": "composite"} if isinstance(path[-1], Composite) else {}),
            style="rounded,filled",
            fillcolor=CLUSTER[(depth - 1) % len(CLUSTER)],
            color="#7f8c8d",
            fontsize=11,
            fontname="Helvetica-Bold",
        )[2:-1]
        out.append(f"{pad}subgraph cluster_{numbering[key]} {{\n{pad}\t{attrs}\n")
        out.extend(pad + line for line in node_lines.get(key, []))
        stack.append((key, True))
        stack.extend((k, False) for k in reversed(children.get(key, [])))
    return out


# ---- nodes ---------------------------------------------------------------------------


def _node(node: Node, layout: Layout, view: _View) -> str:
    if node.kind == "tensor":
        return _tensor_node(node, layout, view)
    if node.kind == "op":
        t = layout.walk.tensors[node.ref]
        return _stmt(node.id, label=t.op, shape="ellipse", fillcolor=OP, fontsize=10)
    if node.kind == "const":
        v = layout.walk.consts[node.ref]
        shape = text.shape_text(np.shape(v))
        value = text.value_text(v, view.opts.max_value_size) if view.opts.show_values else None
        name = layout.names.get(id(v), "const")  # named through params={"x": x}
        label = f"{name} {value}" if value is not None and np.ndim(v) == 0 else f"{name} {shape}"
        if value is not None and np.ndim(v) > 0:
            label += f"\n{value}"
        style = "rounded,filled,dashed"
        return _stmt(node.id, label=label, fillcolor=CONST, style=style, color=MUTED, fontsize=9)
    if node.kind == "fold":
        f = node.ref
        label = f"⋮  {f.repeats:,} more repeats of\n{f.unit}\n({f.hidden:,} steps not drawn)"
        return _stmt(node.id, label=label, **NOTE)
    if node.kind == "more":
        label = f"⋯  {node.ref}\n(raise max_nodes= to draw more)"
        return _stmt(node.id, label=label, **NOTE)
    return _module_node(node, layout)


def _tensor_node(node: Node, layout: Layout, view: _View) -> str:
    o = view.opts
    i = node.ref
    t = layout.walk.tensors[i]
    title = view.title(t, layout.names)
    rows: list[str] = []
    if title:
        rows.append(f"<B>{_html(title)}</B>")
    dims = f"{text.shape_text(t._data.shape)} {t._data.dtype}"
    rows.append(f'<FONT POINT-SIZE="9" COLOR="#566573">{_html(dims)}</FONT>')
    freed = isinstance(t, Freed) and t.freed_values
    if freed:
        rows.append('<FONT POINT-SIZE="9" COLOR="#909497">values freed by backward</FONT>')
    elif o.show_values:
        v = text.value_text(t._data, o.max_value_size)
        if v is not None:
            rows.append(f"data {_html(v)}")
    g = view.grad(t) if o.show_grads or view.trace is not None else None
    if o.show_grads:
        rows.extend(_grad_rows(t, g, view))
    bad = [f"{text.nonfinite(t._data)} in value"] if not freed and text.nonfinite(t._data) else []
    if g is not None and text.nonfinite(g):
        bad.append(f"{text.nonfinite(g)} in grad")
    fill = LEAF if t.is_leaf and t.requires_grad else PLAIN
    if any(t is r for r in view.roots):
        fill = ROOT
    line, width = None, None
    if bad:
        first = text.nonfinite(t._data) is not None and not _inputs_bad(t)
        fill, line, width = (BAD, BAD_LINE, 3) if first else (BAD_LIGHT, BAD_LINE, 1.5)
        what = ", ".join(bad) + (": first made here" if first and t.op is not None else "")
        rows.append(f'<FONT COLOR="{BAD_LINE}"><B>⚠ {_html(what)}</B></FONT>')
        where = text.origin_text(t._node.origin) if t.op is not None else "a leaf: given as input"
        rows.append(f'<FONT POINT-SIZE="9" COLOR="{BAD_LINE}">{_html(where)}</FONT>')
    mark = view.mark(t, title)
    if view.current is not None and view.current.node is t:
        mark = MARK
    if mark:
        fill, line, width = mark, MARK_LINE, 3
    return _stmt(
        node.id, label=_Html("<BR/>".join(rows)), fillcolor=fill, color=line, penwidth=width
    )


def _inputs_bad(t: Tensor) -> bool:
    """Whether a NaN or inf in t's value came from one of its inputs."""
    node = t._node
    if node is None:
        return False
    if any(p is not None and text.nonfinite(p._data) for p in node.parents):
        return True
    return node.saved is not None and any(text.nonfinite(v) for v in node.saved[1:])


def _grad_rows(t: Tensor, g: np.ndarray | None, view: _View) -> list[str]:
    o = view.opts
    if view.trace is not None and view.trace.grad(t) is not None and g is None:
        return [f'<FONT COLOR="{MUTED}">grad: not yet</FONT>']
    if g is None:
        return []
    v = text.value_text(g, o.max_value_size)
    if v is None:
        biggest = float(np.max(np.abs(g))) if g.size else 0.0
        v = f"{text.shape_text(g.shape)}, |g| max {biggest:.3g}"
    body = v
    rows = [f'<FONT COLOR="{GRAD}">grad {_html(body)}</FONT>']
    if view.trace is not None:
        step = view.trace.steps[view.done[id(t)]]
        k = len(step.contributions)
        if k > 1:
            parts = [text.value_text(c.value, o.max_value_size) for c in step.contributions]
            summed = " + ".join(parts) if all(parts) and t.size == 1 else f"{k} contributions"  # type: ignore[arg-type]
            rows.append(f'<FONT POINT-SIZE="9" COLOR="{GRAD}">= sum of {_html(summed)}</FONT>')
        elif k == 0 and t is view.trace.root:
            name = _html(view.trace.label(t))
            rows.append(f'<FONT POINT-SIZE="9" COLOR="{GRAD}">seed: d{name}/d{name} = 1</FONT>')
    return rows


def _module_node(node: Node, layout: Layout) -> str:
    path = node.ref
    rows = [f"<B>{_html(module_title(path[-1]))}</B>"]
    params = [
        (name, t)
        for i, t in enumerate(layout.walk.tensors)
        if (name := layout.names.get(id(t))) is not None
        and t.op is None
        and layout.walk.leaf_scope.get(i, ())[: len(path)] == path
    ]
    for name, t in params[:6]:
        rows.append(f'<FONT POINT-SIZE="9">{_html(name)} {_html(text.shape_text(t.shape))}</FONT>')
    if len(params) > 6:
        rows.append(f'<FONT POINT-SIZE="9">and {len(params) - 6} more parameters</FONT>')
    if isinstance(path[-1], Composite):
        rows.append('<FONT POINT-SIZE="9">its ops: draw(expand=True)</FONT>')
    elif len(rows) == 1:
        rows.append(f'<FONT POINT-SIZE="9">{_html(describe_module(path[-1]))} (collapsed)</FONT>')
    label = _Html("<BR/>".join(rows))
    return _stmt(node.id, label=label, shape="box3d", fillcolor="#e8daef", style="filled")


# ---- edges ---------------------------------------------------------------------------


def _edge(e: Edge, layout: Layout, view: _View) -> str:
    nodes = layout.nodes
    const = nodes[e.src].kind == "const"
    if not view.opts.backward:
        return _stmt(
            f"{e.src} -> {e.dst}", **({"style": "dashed", "color": MUTED} if const else {})
        )
    # Backward view: the arrow goes the way the gradient does.
    if const:
        return _stmt(f"{e.dst} -> {e.src}", style="dotted", arrowhead="none", color=MUTED)
    attrs: dict[str, Any] = {}
    if e.tensor >= 0:
        attrs = _gradient_edge(layout.walk.tensors[e.tensor], e.position, view, layout.names)
    return _stmt(f"{e.dst} -> {e.src}", **attrs)


def _gradient_edge(
    child: Tensor, position: int, view: _View, names: dict[int, str]
) -> dict[str, Any]:
    o = view.opts
    lines = [_named_rule(child, position, view, names)]
    c = view.trace.edge(child, position) if view.trace is not None else None
    # As in the reference algorithm, an edge's term is computed at its input's step.
    sent = c is not None and id(c.parent) in view.done
    attrs: dict[str, Any] = {}
    if c is not None and not sent:
        attrs.update(color=MUTED, fontcolor=MUTED, style="dashed")
    if sent and o.show_contributions:
        g = text.value_text(c.grad, o.max_value_size)
        value = text.value_text(c.value, o.max_value_size)
        local = None if c.local is None else text.value_text(c.local, o.max_value_size)
        if g is not None and local is not None and value is not None and c.value.size == 1:
            lines.append(f"{g} × {local} = {value}")
        elif value is not None:
            lines.append(f"sends {value}")
        else:
            lines.append(f"sends {text.shape_text(c.value.shape)}")
        if c.broadcast:
            lines.append(c.broadcast)
        if text.nonfinite(c.value):
            attrs.update(color=BAD_LINE, fontcolor=BAD_LINE, penwidth=2)
    if sent and view.current is not None and c.parent is view.current.node:  # type: ignore[union-attr]
        attrs.update(color=MARK_LINE, fontcolor=MARK_LINE, penwidth=2.5)
    attrs["label"] = "\n".join(lines)
    return attrs


def _named_rule(child: Tensor, position: int, view: _View, known: dict[int, str]) -> str:
    """The op's rule for one input, written with the real operands: each symbol of the
    vjp's signature (a, b, x, ...) becomes that input's name, and y the output's, so that
    `L = d * f` reads `∂L/∂d = f`. An input without a name keeps its symbol in angle
    brackets (`⟨b⟩`), which no variable can be mistaken for; a scalar constant shows its
    value."""
    node = child._node
    rule = node.op.rule(position)
    parents = node.parents
    symbols = text.input_symbols(node.op, len(parents))
    names = {"y": view.title(child, known) or "⟨y⟩"}
    for k, symbol in enumerate(symbols):
        if symbol is None:
            continue
        parent, saved = parents[k], node.saved
        if parent is not None:
            names[symbol] = view.title(parent, known) or f"⟨{symbol}⟩"
        elif saved is not None and np.ndim(saved[k + 1]) == 0:
            names[symbol] = text.value_text(saved[k + 1], 1) or f"⟨{symbol}⟩"
        else:
            names[symbol] = f"⟨{symbol}⟩"
    return text.with_operands(rule, names)


def _table_node(view: _View) -> str:
    """The grad_table after the current step, as a table beside the graph."""
    trace, current = view.trace, view.current
    assert trace is not None and current is not None
    rows = [f'<TR><TD COLSPAN="2"><B>grad_table after step {current.index}</B></TD></TR>']
    shown = trace.steps[:40]
    for s in shown:
        filled = s.index <= current.index
        v = text.value_text(s.grad, view.opts.max_value_size) if filled else ""
        v = v if v is not None else text.shape_text(s.grad.shape)
        bg = f' BGCOLOR="{MARK}"' if s is current else ""
        colour = "#000000" if filled else MUTED
        rows.append(
            f'<TR><TD ALIGN="LEFT"{bg}><FONT COLOR="{colour}">{_html(s.label)}</FONT></TD>'
            f'<TD ALIGN="RIGHT"{bg}>{_html(v or "·")}</TD></TR>'
        )
    if len(trace) > len(shown):
        rows.append(f'<TR><TD COLSPAN="2">and {len(trace) - len(shown)} more</TD></TR>')
    table = (
        f'<TABLE BORDER="1" CELLBORDER="0" CELLSPACING="0" CELLPADDING="3">{"".join(rows)}</TABLE>'
    )
    return _stmt("grad_table", label=_Html(table), shape="plaintext", style="")
