"""From tensors to what will be drawn.

1. `walk`: an iterative breadth-first walk from the roots over each node's parents, with a
   visited set; constants (inputs that need no gradient) come from its saved values while the
   graph holds it.
2. The node budget: runs of identical steps (the same op on the same shapes with inputs
   of the same kinds, each step feeding only the next) are folded into one
   "repeated" node, and whatever still exceeds the budget, farthest from the root, is
   summarised in a single node with its op counts. Only what is drawn is labelled
   later, so a graph of 100,000 nodes costs one walk.
3. Clusters: every node gets the path of modules it was made in (`Node.scope`);
   a collapsed module becomes one box.

The result, a `Layout`, is plain data: node ids with kinds and module paths, and edges
in data-flow direction.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..grad_mode import Composite
from ..tensor import Tensor
from .names import parameter_names

Path = tuple[Any, ...]  # the modules a node was made in, outermost first


@dataclass(eq=False)
class Walk:
    """Every tensor reachable from the roots, and how they connect."""

    tensors: list[Tensor]  # breadth-first from the roots
    inputs: list[list[tuple[int, int]]]  # per tensor: (input position, ref); ref >= 0 is
    # a tensor index, ref < 0 the constant -1 - ref
    consts: list[Any]
    uses: list[int]  # how many op inputs each tensor feeds
    leaf_scope: dict[int, Path]  # leaf index -> longest module path all its users share


def walk(roots: Sequence[Tensor], constants: bool = True) -> Walk:
    """Walk the graph from `roots` (iteratively, each tensor once)."""
    tensors: list[Tensor] = []
    index: dict[int, int] = {}
    for r in roots:
        if id(r) not in index:
            index[id(r)] = len(tensors)
            tensors.append(r)
    inputs: list[list[tuple[int, int]]] = []
    consts: list[Any] = []
    const_index: dict[int, int] = {}
    leaf_scope: dict[int, Path] = {}
    i = 0
    while i < len(tensors):
        t = tensors[i]
        i += 1
        row: list[tuple[int, int]] = []
        inputs.append(row)
        node = t._node
        if node is None:
            continue
        saved = node.saved
        for k, p in enumerate(node.parents):
            if p is not None:
                j = index.get(id(p))
                if j is None:
                    j = index[id(p)] = len(tensors)
                    tensors.append(p)
                if p.op is None:
                    known = leaf_scope.get(j)
                    leaf_scope[j] = (
                        node.scope if known is None else common_prefix(known, node.scope)
                    )
                row.append((k, j))
            elif constants and saved is not None:
                v = saved[k + 1]
                c = const_index.get(id(v)) if isinstance(v, np.ndarray) else None
                if c is None:
                    c = len(consts)
                    consts.append(v)
                    if isinstance(v, np.ndarray):
                        const_index[id(v)] = c
                row.append((k, -1 - c))
    uses = [0] * len(tensors)
    for row in inputs:
        for _, ref in row:
            if ref >= 0:
                uses[ref] += 1
    return Walk(tensors, inputs, consts, uses, leaf_scope)


def common_prefix(a: Path, b: Path) -> Path:
    n = 0
    for x, y in zip(a, b, strict=False):
        if x is not y:
            break
        n += 1
    return a[:n]


# ---- repeated steps ------------------------------------------------------------------


@dataclass(eq=False)
class Fold:
    """A run of repeated steps, drawn as its first and last unit and one node between."""

    head: int  # the last drawn step of the first unit (nearest the root)
    position: int  # which input of the head continues the run
    tail: int  # the first drawn step of the last unit
    hidden: int  # steps between them (not drawn)
    repeats: int  # how many units those steps make
    unit: str  # what one unit is, in data-flow order, e.g. "multiply(add, const) -> add(...)"


MAX_PERIOD = 4  # the longest repeated unit recognised, in steps


def find_folds(w: Walk, min_repeats: int = 3) -> dict[int, Fold]:
    """Runs of at least `min_repeats` repeated units along chains of single-use results,
    by the index of their head.

    A step's signature is its op, shape, dtype and the kinds of its inputs. Each step is
    linked to the input that continues the chain: the one input with its own signature,
    else the only input made by an op; either must feed nothing else."""
    kinds = [t.op or "leaf" for t in w.tensors]
    signatures: dict[Any, int] = {}  # signature -> a small int, so comparing is cheap
    sig: list[int] = [-1] * len(w.tensors)
    for i, t in enumerate(w.tensors):
        if t.op is not None:
            parts = tuple((k, kinds[r] if r >= 0 else "const") for k, r in w.inputs[i])
            key = (t.op, t._data.shape, t._data.dtype, parts)
            sig[i] = signatures.setdefault(key, len(signatures))
    described = {v: _step_text(k) for k, v in signatures.items()}
    uses = w.uses
    nxt: dict[int, tuple[int, int]] = {}
    for i, s in enumerate(sig):
        if s < 0:
            continue
        made = [(k, r) for k, r in w.inputs[i] if r >= 0 and uses[r] == 1 and sig[r] >= 0]
        if not made:
            continue
        same = [(k, r) for k, r in made if sig[r] == s]
        pick = same if len(same) == 1 else made if len(made) == 1 else []
        if pick:
            nxt[i] = pick[0]
    followers = {r for _, r in nxt.values()}
    folds: dict[int, Fold] = {}
    for start in nxt:
        if start in followers:
            continue
        chain = [start]
        while chain[-1] in nxt:
            chain.append(nxt[chain[-1]][1])
        _fold_chain(chain, sig, described, nxt, folds, min_repeats)
    return folds


def _fold_chain(
    chain: list[int],
    sig: list[int],
    described: dict[int, str],
    nxt: dict[int, tuple[int, int]],
    folds: dict[int, Fold],
    min_repeats: int,
) -> None:
    """Fold the periodic stretches of one chain (root end first), each at its longest."""
    s = [sig[i] for i in chain]
    n = len(s)
    i = 0
    while i < n:
        best: tuple[int, int] | None = None
        for p in range(1, MAX_PERIOD + 1):
            j = i
            while j + p < n and s[j] == s[j + p]:
                j += 1
            length = (j - i + p) // p * p  # whole units only
            if length // p >= min_repeats and (best is None or length > best[1]):
                best = (p, length)
        if best is None:
            i += 1
            continue
        p, length = best
        end = i + length
        hidden = length - 2 * p
        if hidden > 0:
            head, tail = chain[i + p - 1], chain[end - p]
            unit = " -> ".join(described[sig[k]] for k in reversed(chain[i : i + p]))
            folds[head] = Fold(head, nxt[head][0], tail, hidden, hidden // p, unit)
        i = end


def _step_text(sig: Any) -> str:
    op, _, _, parts = sig
    return f"{op}({', '.join(kind for _, kind in parts)})"


# ---- what is drawn -------------------------------------------------------------------


@dataclass(eq=False)
class Node:
    id: str
    kind: str  # "tensor", "op", "const", "fold", "more", "module"
    ref: Any  # tensor index, const index, Fold, module path, or a summary text
    path: Path  # the cluster it is drawn in


@dataclass(eq=False)
class Edge:
    src: str  # in data-flow direction
    dst: str
    tensor: int = -1  # for an op's input edge: the op's output tensor ...
    position: int = -1  # ... and the input's position


@dataclass(eq=False)
class Layout:
    walk: Walk
    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)  # id(tensor) -> parameter name
    drawn_tensors: int = 0
    folded: bool = False
    truncated: bool = False


def tensor_path(w: Walk, i: int, names: dict[int, str]) -> Path:
    """Op results sit in the module that made them, parameters in the innermost module
    all their users share, other leaves (inputs) outside every module."""
    t = w.tensors[i]
    if t._node is not None:
        return t._node.scope
    if id(t) in names:
        return w.leaf_scope.get(i, ())
    return ()


class _Paths:
    """`tensor_path` of each tensor, computed when first asked for."""

    def __init__(self, w: Walk, names: dict[int, str]) -> None:
        self.w, self.names = w, names
        self.known: dict[int, Path] = {}

    def __getitem__(self, i: int) -> Path:
        p = self.known.get(i)
        if p is None:
            p = self.known[i] = tensor_path(self.w, i, self.names)
        return p


class Collapser:
    """Which module paths are drawn as one box (`collapse=` of `draw`, and every
    composite layer unless `expand=True`)."""

    def __init__(self, spec: Any, paths: set[Path], expand: bool = True) -> None:
        self.boxes: set[Path] = set()
        every = {p[:n] for p in paths for n in range(1, len(p) + 1)}
        if not expand:
            self.boxes = {p for p in every if isinstance(p[-1], Composite)}
        if spec is None or spec is False:
            return
        if spec is True:  # the innermost modules: layers become boxes
            parents = {p[:-1] for p in every}
            self.boxes |= {p for p in every if p not in parents}
        elif isinstance(spec, int):
            self.boxes |= {p for p in every if len(p) == spec}
        else:
            wanted = [spec] if isinstance(spec, (str, type)) or hasattr(spec, "forward") else spec
            self.boxes |= {p for p in every if any(_matches(p, w) for w in wanted)}

    def box(self, path: Path) -> Path | None:
        """The outermost collapsed module `path` lies in, if any."""
        if not self.boxes:
            return None
        for n in range(1, len(path) + 1):
            if path[:n] in self.boxes:
                return path[:n]
        return None


def qualified_name(path: Path) -> str:
    """The dotted name below the outermost module: `encoder.conv1` for (model, encoder, conv1)."""
    return ".".join(str(getattr(m, "_name", None) or type(m).__name__) for m in path[1:])


def _matches(path: Path, wanted: Any) -> bool:
    module = path[-1]
    if isinstance(wanted, str):
        return wanted in (qualified_name(path), getattr(module, "_name", None))
    if isinstance(wanted, type):
        return isinstance(module, wanted)
    return module is wanted


def plan(
    roots: Sequence[Tensor],
    params: Any = None,
    *,
    max_nodes: int,
    constants: bool,
    collapse: Any,
    expand: bool = True,
    w: Walk | None = None,
) -> Layout:
    """Choose the nodes and edges to draw, within `max_nodes`."""
    w = walk(roots, constants) if w is None else w
    names = parameter_names(w.tensors, params)
    paths = _Paths(w, names)
    every = set()
    if collapse not in (None, False) or not expand:
        every = {paths[i] for i in range(len(w.tensors))} - {()}
    collapser = Collapser(collapse, every, expand)
    cost = _Cost(w, paths, collapser)
    total = sum(cost(i) for i in range(len(w.tensors)))
    folds = find_folds(w) if total > max_nodes else {}
    cost.boxes_seen.clear()
    order, truncated = _choose(w, len({id(r) for r in roots}), folds, cost, max_nodes)
    layout = Layout(w, names=names, drawn_tensors=len(order), truncated=truncated)
    layout.folded = any(i in folds for i in order)
    _build(layout, order, folds, paths, collapser)
    return layout


def _const_path(w: Walk, paths: _Paths, i: int, c: int) -> Path:
    """Scalar constants sit with the op using them; arrays (inputs) outside modules."""
    v = w.consts[c]
    return paths[i] if not isinstance(v, np.ndarray) or v.size == 1 else ()


class _Cost:
    """How many drawn nodes tensor i adds: itself, its op and its constants, or nothing
    new when they fall in a module box already counted."""

    def __init__(self, w: Walk, paths: _Paths, collapser: Collapser) -> None:
        self.w, self.paths, self.collapser = w, paths, collapser
        self.boxes_seen: set[Path] = set()

    def __call__(self, i: int) -> int:
        w = self.w
        if not self.collapser.boxes:
            consts = sum(1 for _, r in w.inputs[i] if r < 0)
            return 1 + (w.tensors[i].op is not None) + consts
        places = [self.paths[i]] + [
            _const_path(w, self.paths, i, -1 - r) for _, r in w.inputs[i] if r < 0
        ]
        if w.tensors[i].op is not None:
            places.append(self.paths[i])
        units = 0
        for p in places:
            box = self.collapser.box(p)
            if box is None:
                units += 1
            elif box not in self.boxes_seen:
                self.boxes_seen.add(box)
                units += 1
        return units


def _choose(
    w: Walk, n_roots: int, folds: dict[int, Fold], cost: _Cost, max_nodes: int
) -> tuple[list[int], bool]:
    """Tensors to draw, breadth-first from the roots until the budget is spent; a fold's
    head leads straight to its tail. Returns them and whether some were left out."""
    order: list[int] = []
    queued = set(range(n_roots))
    queue = deque(range(n_roots))
    spent = 0
    while queue:
        i = queue.popleft()
        c = cost(i) + (1 if i in folds else 0)
        if spent + c > max_nodes and order:
            return order, True
        spent += c
        order.append(i)
        fold = folds.get(i)
        for k, r in w.inputs[i]:
            if r < 0:
                continue
            if fold is not None and k == fold.position:
                r = fold.tail
            if r not in queued:
                queued.add(r)
                queue.append(r)
    return order, False


def _build(
    layout: Layout, order: list[int], folds: dict[int, Fold], paths: _Paths, collapser: Collapser
) -> None:
    """The nodes and edges for the chosen tensors: each with its op and constants, fold
    nodes, one summary node for everything left out, module boxes for collapsed nodes."""
    w, nodes, edges = layout.walk, layout.nodes, layout.edges
    drawn = set(order)
    alias: dict[str, str] = {}  # node id -> the id drawn for it (a box when collapsed)
    box_ids: dict[tuple[int, ...], str] = {}

    def add(node_id: str, kind: str, ref: Any, path: Path) -> str:
        drawn_as = node_id
        box = collapser.box(path)
        if box is not None and kind in ("tensor", "op", "const"):
            drawn_as = box_ids.setdefault(tuple(id(m) for m in box), f"m{len(box_ids)}")
            kind, ref, path = "module", box, box[:-1]
        alias[node_id] = drawn_as
        if drawn_as not in nodes:
            nodes[drawn_as] = Node(drawn_as, kind, ref, path)
        return node_id

    left_out = False
    for i in order:
        t = w.tensors[i]
        tid = add(f"t{i}", "tensor", i, paths[i])
        if t.op is None:
            continue
        oid = add(f"o{i}", "op", i, t._node.scope)
        edges.append(Edge(oid, tid))
        fold = folds.get(i)
        for k, r in w.inputs[i]:
            if r < 0:
                src = add(f"c{-1 - r}", "const", -1 - r, _const_path(w, paths, i, -1 - r))
            elif fold is not None and k == fold.position:
                src = add(f"f{i}", "fold", fold, common_prefix(paths[i], paths[fold.tail]))
                left_out |= fold.tail not in drawn
                edges.append(Edge(f"t{fold.tail}" if fold.tail in drawn else "more", src))
            elif r in drawn:
                src = f"t{r}"
            else:
                left_out = True
                src = "more"
            edges.append(Edge(src, oid, i, k))
    if left_out:
        nodes["more"] = Node("more", "more", _summary(w, drawn), ())
    _resolve(layout, alias)


def _summary(w: Walk, drawn: set[int]) -> str:
    """What is not drawn, as `99,800 more tensors: add ×49,900, multiply ×49,900`."""
    counts = Counter(t.op or "leaf" for i, t in enumerate(w.tensors) if i not in drawn)
    top = ", ".join(f"{op} ×{k:,}" for op, k in counts.most_common(4))
    more = len(counts) - 4
    return f"{sum(counts.values()):,} more tensors: {top}" + (
        f" and {more} more kinds" if more > 0 else ""
    )


def _resolve(layout: Layout, alias: dict[str, str]) -> None:
    """Point edges at the nodes drawn for them (a module box for collapsed nodes),
    dropping edges inside one box and repeated edges into or out of a box."""
    nodes = layout.nodes
    kept: list[Edge] = []
    seen: set[tuple[str, str]] = set()
    for e in layout.edges:
        src, dst = alias.get(e.src, e.src), alias.get(e.dst, e.dst)
        if src == e.src and dst == e.dst:
            kept.append(e)
            continue
        if src == dst or (src, dst) in seen:
            continue
        seen.add((src, dst))
        boxed = nodes[src].kind == "module" or nodes[dst].kind == "module"
        kept.append(Edge(src, dst) if boxed else Edge(src, dst, e.tensor, e.position))
    layout.edges = kept
