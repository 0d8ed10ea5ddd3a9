"""draw(): the DOT source holds exactly the expected nodes and edges, with labels, for a
scalar expression, an MLP and a conv net; options; rendering through `dot`."""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field

import graphviz
import numpy as np
import pytest

import autograd_core
from autograd_core import Tensor, detect_anomaly, draw
from autograd_core.render import GraphvizNotFound, to_dot

# ---- a small DOT reader for the statements draw() writes --------------------------------

_EDGE = re.compile(r"^\t+(\w+) -> (\w+)(?: \[(.*)\])?$")
_NODE = re.compile(r"^\t+(\w+) \[(.*)\]$")
_CLUSTER = re.compile(r"^\t+subgraph (cluster_\d+) \{$")


@dataclass
class Dot:
    nodes: dict[str, str] = field(default_factory=dict)  # id -> attribute text
    edges: list[tuple[str, str, str]] = field(default_factory=list)
    cluster_of: dict[str, tuple[str, ...]] = field(default_factory=dict)  # id -> labels
    clusters: list[tuple[str, ...]] = field(default_factory=list)

    def label(self, node: str) -> str:
        return label_text(self.nodes[node])

    def first_line(self, node: str) -> str:
        return self.label(node).split("\n")[0]

    def kind(self, node: str) -> str:
        return {"t": "tensor", "o": "op", "c": "const", "m": "module"}.get(node[0], node)

    def of_kind(self, kind: str) -> list[str]:
        return [n for n in self.nodes if self.kind(n) == kind]

    def ops(self) -> Counter:
        return Counter(self.label(n) for n in self.of_kind("op"))

    def named(self) -> dict[str, str]:
        """Readable names: tensors by their first label line, ops as 'op:<output>'."""
        out = {n: self.first_line(n) for n in self.nodes}
        for n in self.of_kind("op"):  # op o<i> made tensor t<i>
            out[n] = f"{self.label(n)}:{out['t' + n[1:]]}"
        return out


def parse_dot(source: str) -> Dot:
    dot = Dot()
    stack: list[str] = []
    pending = None
    for line in source.splitlines():
        if m := _CLUSTER.match(line):
            pending = m.group(1)
            continue
        if pending is not None:  # the cluster's attribute line
            stack.append(label_text(line))
            dot.clusters.append(tuple(stack))
            pending = None
            continue
        if line.strip() == "}" and stack:
            stack.pop()
            continue
        if m := _EDGE.match(line):
            dot.edges.append((m.group(1), m.group(2), m.group(3) or ""))
        elif (m := _NODE.match(line)) and m.group(1) not in ("graph", "node", "edge"):
            dot.nodes[m.group(1)] = m.group(2)
            dot.cluster_of[m.group(1)] = tuple(stack)
    return dot


def label_text(attrs: str) -> str:
    """The label as plain text: HTML tags dropped, <BR/> as newlines."""
    if (start := attrs.find("label=<")) >= 0:
        depth, i = 0, start + 6
        while True:
            depth += {"<": 1, ">": -1}.get(attrs[i], 0)
            if depth == 0:
                break
            i += 1
        body = attrs[start + 7 : i].replace("<BR/>", "\n")
        return html.unescape(re.sub(r"<[^>]*>", "", body))
    m = re.search(r'label="((?:[^"\\]|\\.)*)"', attrs)
    return "" if m is None else m.group(1).replace("\\n", "\n").replace('\\"', '"')


# ---- the scalar expression --------------------------------------------------------------


def scalar_graph():
    a = Tensor(2.0, requires_grad=True, name="a")
    b = Tensor(-3.0, requires_grad=True, name="b")
    c = Tensor(10.0, requires_grad=True, name="c")
    f = Tensor(-2.0, requires_grad=True, name="f")
    e = a * b
    e.name = "e"
    d = e + c
    d.name = "d"
    L = d * f
    L.name = "L"
    return L, dict(a=a, b=b, c=c, d=d, e=e, f=f, L=L)


def test_scalar_expression_nodes_and_edges():
    L, _ = scalar_graph()
    dot = parse_dot(to_dot(L))
    assert len(dot.nodes) == 10
    assert dot.ops() == Counter({"multiply": 2, "add": 1})
    assert sorted(dot.first_line(n) for n in dot.of_kind("tensor")) == list("Labcdef")
    name = dot.named()
    assert sorted((name[s], name[d]) for s, d, _ in dot.edges) == sorted(
        [
            ("a", "multiply:e"),
            ("b", "multiply:e"),
            ("multiply:e", "e"),
            ("e", "add:d"),
            ("c", "add:d"),
            ("add:d", "d"),
            ("d", "multiply:L"),
            ("f", "multiply:L"),
            ("multiply:L", "L"),
        ]
    )
    labels = {dot.first_line(n): dot.label(n) for n in dot.of_kind("tensor")}
    assert labels["a"] == "a\n() float64\ndata 2"
    assert labels["L"] == "L\n() float64\ndata -8"


def test_values_and_gradients_in_labels():
    L, t = scalar_graph()
    L.backward()
    dot = parse_dot(to_dot(L))
    labels = {dot.first_line(n): dot.label(n) for n in dot.of_kind("tensor")}
    assert labels["a"].endswith("grad 6") and labels["f"].endswith("grad 4")
    assert "grad" not in labels["e"]  # non-leaf gradients are not kept by backward
    dot = parse_dot(to_dot(L, show_values=False, show_grads=False))
    assert all("data" not in dot.label(n) and "grad" not in dot.label(n) for n in dot.nodes)


def test_small_values_only():
    x = Tensor(np.arange(12.0).reshape(3, 4), requires_grad=True, name="x")
    y = (x * 2).sum()
    dot = parse_dot(to_dot(y, max_value_size=4))
    labels = {dot.first_line(n): dot.label(n) for n in dot.of_kind("tensor")}
    assert labels["x"] == "x\n(3, 4) float64"
    dot = parse_dot(to_dot(y, max_value_size=12))
    labels = {dot.first_line(n): dot.label(n) for n in dot.of_kind("tensor")}
    assert "data [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9, 10, 11]]" in labels["x"]


def test_constants_are_drawn_while_the_graph_holds_them():
    x = Tensor(3.0, requires_grad=True, name="x")
    y = x * 2.0 + 1.0
    dot = parse_dot(to_dot(y))
    consts = sorted(dot.label(n) for n in dot.of_kind("const"))
    assert consts == ["const 1", "const 2"]
    assert len(dot.edges) == 6
    assert not parse_dot(to_dot(y, show_constants=False)).of_kind("const")
    y.backward()  # frees the saved values; the structure stays drawable
    dot = parse_dot(to_dot(y))
    assert dot.ops() == Counter({"multiply": 1, "add": 1}) and not dot.of_kind("const")


def test_named_input_through_params():
    x = Tensor(np.ones((2, 3)))
    w = Tensor(np.ones(3), requires_grad=True, name="w")
    y = (x * w).sum()
    dot = parse_dot(to_dot(y, params={"x": x}))
    assert [dot.label(n) for n in dot.of_kind("const")] == ["x (2, 3)\n[[1, 1, 1], [1, 1, 1]]"]


def test_options():
    L, t = scalar_graph()
    assert 'rankdir="LR"' in to_dot(L, direction="LR")
    assert 'rankdir="TB"' in to_dot(L)
    with pytest.raises(ValueError, match="direction"):
        to_dot(L, direction="sideways")
    with pytest.raises(TypeError, match="unknown option"):
        to_dot(L, colour=True)
    with pytest.raises(ValueError, match="max_nodes"):
        to_dot(L, max_nodes=0)
    assert to_dot(L, title="My graph").count("My graph") == 1


def test_highlight_by_tensor_and_by_name():
    L, t = scalar_graph()
    for spec in (t["e"], "e", [t["e"]], {t["e"]: "#f9e79f"}):
        dot = parse_dot(to_dot(L, highlight=spec))
        marked = [dot.first_line(n) for n, a in dot.nodes.items() if 'penwidth="3"' in a]
        assert marked == ["e"], spec


def test_tensor_draw_and_several_roots():
    L, t = scalar_graph()
    g = L.draw(direction="LR")
    assert isinstance(g, graphviz.Digraph)
    assert g.source == autograd_core.draw(L, direction="LR").source
    dot = parse_dot(to_dot([t["e"], t["d"]]))
    assert sorted(dot.first_line(n) for n in dot.of_kind("tensor")) == list("abcde")


def test_a_leaf_alone():
    dot = parse_dot(to_dot(Tensor([1.0, 2.0], name="x")))
    assert list(dot.nodes) == ["t0"] and not dot.edges


def test_nan_and_inf_are_marked_with_their_origin():
    with np.errstate(all="ignore"), detect_anomaly():
        a = Tensor([1.0, -1.0], requires_grad=True, name="a")
        b = a.log()  # NaN made here
        c = (b * 2).sum()
    dot = parse_dot(to_dot(c))
    labels = {n: dot.label(n) for n in dot.of_kind("tensor")}
    first = [n for n, s in labels.items() if "first made here" in s]
    assert len(first) == 1 and "b = a.log()" in labels[first[0]]
    assert "test_render.py" in labels[first[0]]
    inherited = [n for n, s in labels.items() if "NaN in value" in s and n not in first]
    assert len(inherited) == 2
    assert all("#f5b7b1" in dot.nodes[n] or "#fadbd8" in dot.nodes[n] for n in first + inherited)
    with np.errstate(all="ignore"):
        x = Tensor([0.0, 4.0], requires_grad=True, name="x")
        y = (x * 1e308 * 10).sum()  # inf, recorded without detect_anomaly
    labels = [parse_dot(to_dot(y)).label(n) for n in parse_dot(to_dot(y)).of_kind("tensor")]
    assert any("inf in value" in s and "detect_anomaly()" in s for s in labels)


# ---- modules -----------------------------------------------------------------------------

import nn  # noqa: E402
import nn.functional as F  # noqa: E402


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 3)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(3, 2)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


def mlp_loss():
    model = MLP()
    x = Tensor(np.random.default_rng(0).normal(size=(5, 4)))
    return model, x, (model(x) ** 2).sum()


def test_mlp_nodes_edges_and_clusters():
    model, x, loss = mlp_loss()
    dot = parse_dot(to_dot(loss, params={"x": x}))
    # 9 tensors (4 parameters, 5 op outputs), 5 ops, 2 constants (the input x and the
    # exponent 2); edges: 3 in + 1 out per linear, 1 + 1 for relu and sum, 2 + 1 for power
    assert len(dot.of_kind("tensor")) == 9 and len(dot.of_kind("const")) == 2
    assert dot.ops() == Counter({"linear": 2, "relu": 1, "power": 1, "sum": 1})
    assert len(dot.nodes) == 16 and len(dot.edges) == 15
    titles = {dot.first_line(n) for n in dot.of_kind("tensor")}
    assert {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"} <= titles
    assert sorted(dot.clusters) == sorted(
        [
            ("MLP",),
            ("MLP", "fc1: Linear(4, 3)"),
            ("MLP", "act: ReLU"),
            ("MLP", "fc2: Linear(3, 2)"),
        ]
    )
    name = dot.named()
    where = {name[n]: dot.cluster_of[n][-1] if dot.cluster_of[n] else "" for n in dot.nodes}
    assert where["fc1.weight"] == "fc1: Linear(4, 3)"
    assert where["relu:" + dot.first_line(_output_of(dot, "relu"))] == "act: ReLU"
    assert (
        sum(1 for n in dot.of_kind("op") if dot.cluster_of[n][-1:] == ("fc2: Linear(3, 2)",)) == 1
    )
    inputs = [n for n in dot.of_kind("const") if dot.label(n) == "x (5, 4)"]
    assert len(inputs) == 1 and dot.cluster_of[inputs[0]] == ()


def _output_of(dot: Dot, op: str) -> str:
    (o,) = [n for n in dot.of_kind("op") if dot.label(n) == op]
    return next(d for s, d, _ in dot.edges if s == o)


def test_collapse_modules():
    model, x, loss = mlp_loss()
    dot = parse_dot(to_dot(loss, collapse=True))
    boxes = sorted(dot.first_line(n) for n in dot.of_kind("module"))
    assert boxes == ["act: ReLU", "fc1: Linear(4, 3)", "fc2: Linear(3, 2)"]
    assert dot.ops() == Counter({"power": 1, "sum": 1})
    name = dot.named()
    pairs = {(name[s], name[d]) for s, d, _ in dot.edges}
    assert ("fc1: Linear(4, 3)", "act: ReLU") in pairs and (
        "act: ReLU",
        "fc2: Linear(3, 2)",
    ) in pairs
    fc1 = next(n for n in dot.of_kind("module") if dot.first_line(n).startswith("fc1"))
    assert "fc1.weight (3, 4)" in dot.label(fc1)
    only = parse_dot(to_dot(loss, collapse="fc1"))
    assert [only.first_line(n) for n in only.of_kind("module")] == ["fc1: Linear(4, 3)"]
    assert only.ops()["linear"] == 1
    whole = parse_dot(to_dot(loss, collapse=1))
    assert [whole.first_line(n) for n in whole.of_kind("module")] == ["MLP"]
    by_type = parse_dot(to_dot(loss, collapse=[nn.Linear]))
    assert len(by_type.of_kind("module")) == 2


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3)
        self.pool = nn.MaxPool2d(2)
        self.flat = nn.Flatten()
        self.fc = nn.Linear(18, 3)

    def forward(self, x):
        return self.fc(self.flat(self.pool(self.conv(x).relu())))


def _reference_walk(root):
    """What should be drawn, found independently: tensors, op counts, constant inputs."""
    seen, stack, ops, consts, edges = {id(root): root}, [root], Counter(), 0, 0
    while stack:
        t = stack.pop()
        if t.op is None:
            continue
        ops[t.op] += 1
        edges += 1
        for p in t._node.parents:
            edges += 1
            if p is None:
                consts += 1
            elif id(p) not in seen:
                seen[id(p)] = p
                stack.append(p)
    return len(seen), ops, consts, edges


def test_conv_net_nodes_edges_and_clusters():
    net = ConvNet()
    x = Tensor(np.random.default_rng(1).normal(size=(2, 1, 8, 8)))
    loss = net(x).sum()
    tensors, ops, consts, edges = _reference_walk(loss)
    dot = parse_dot(to_dot(loss, max_nodes=1000, expand=True))  # every op, conv2d's too
    assert len(dot.of_kind("tensor")) == tensors
    assert dot.ops() == ops and len(dot.of_kind("const")) == consts
    assert len(dot.edges) == edges
    assert ops["conv2d"] == 1 and ops["linear"] == 1 and ops["relu"] == 1
    labels = {c[-1] for c in dot.clusters}
    assert "ConvNet" in labels and "fc: Linear(18, 3)" in labels
    assert any(lab.startswith("conv: Conv2d(1, 2") for lab in labels)
    assert any(lab.startswith("pool: MaxPool2d") for lab in labels)
    titles = {dot.first_line(n) for n in dot.of_kind("tensor")}
    assert {"conv.weight", "conv.bias", "fc.weight", "fc.bias"} <= titles
    in_conv = [n for n in dot.of_kind("op") if "".join(dot.cluster_of[n][-1:]).startswith("conv")]
    assert "conv2d" in {dot.label(n) for n in in_conv}


def test_composite_layers_draw_folded_with_their_settings_until_expanded():
    net = ConvNet()
    x = Tensor(np.random.default_rng(1).normal(size=(2, 1, 8, 8)))
    loss = F.mse_loss(net(x), np.zeros((2, 3)))  # a composite of four ops
    folded = to_dot(loss, max_nodes=1000)
    assert "<B>conv2d(stride=(1, 1), padding=(0, 0), dilation=(1, 1), groups=1)</B>" in folded
    assert '"subtract"' not in folded and '"subtract"' in to_dot(loss, expand=True)
    assert len(parse_dot(folded).nodes) < len(parse_dot(to_dot(loss, expand=True)).nodes)


def test_cluster_titles_are_never_cut():
    import nn

    conv = nn.Conv2d(16, 32, kernel_size=3, stride=2, padding=1, dilation=1, groups=1)
    y = conv(Tensor(np.ones((1, 16, 5, 5)))).sum()
    titles = {c[-1] for c in parse_dot(to_dot(y)).clusters}
    title = next(t for t in titles if t.startswith("Conv2d("))
    assert "..." not in title and "padding=(1, 1)" in title


# ---- rendering ----------------------------------------------------------------------------


def test_renders_to_svg_png_and_pdf(tmp_path):
    L, _ = scalar_graph()
    svg = draw(L).pipe(format="svg").decode()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg
    assert "multiply" in svg and "add" in svg
    assert "multiply" in draw(L, backward=True).pipe(format="svg", encoding="utf-8")
    for fmt, magic in (("svg", b"<?xml"), ("png", b"\x89PNG"), ("pdf", b"%PDF")):
        path = draw(L).render(tmp_path / f"graph_{fmt}", format=fmt)
        with open(path, "rb") as fh:
            assert fh.read(8).startswith(magic)


def test_jupyter_shows_svg():
    L, _ = scalar_graph()
    bundle = draw(L)._repr_mimebundle_()
    assert "<svg" in bundle["image/svg+xml"]


def test_missing_dot_says_how_to_install(monkeypatch, tmp_path):
    L, _ = scalar_graph()
    monkeypatch.setenv("PATH", str(tmp_path))  # no `dot` on it
    g = draw(L)
    assert g.source.startswith("digraph") and "multiply" in g.source
    for attempt in (lambda: g.pipe(format="svg"), lambda: g.render(tmp_path / "x", format="png")):
        with pytest.raises(GraphvizNotFound) as err:
            attempt()
        message = str(err.value)
        assert "apt-get install graphviz" in message
        assert "brew install graphviz" in message
        assert "conda install -c conda-forge graphviz" in message
        assert isinstance(err.value, graphviz.ExecutableNotFound)
    assert "apt-get install graphviz" in g._repr_mimebundle_()["text/plain"]
