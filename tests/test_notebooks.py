"""Every notebook runs top to bottom without error, and its saved outputs (what a code
host shows) hold rendered graphs."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
IMAGES = ("image/svg+xml", "image/png")

pytestmark = [
    pytest.mark.slow,
    # jupyter_client and zmq warn about their own internals; this suite turns warnings
    # into errors for our code only.
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
    pytest.mark.filterwarnings("ignore::RuntimeWarning"),
]


def _outputs(nb):
    return [out for cell in nb.cells if cell.cell_type == "code" for out in cell.outputs]


def _images(nb) -> int:
    return sum(1 for out in _outputs(nb) if any(k in out.get("data", {}) for k in IMAGES))


def test_there_are_notebooks():
    assert NOTEBOOKS, "notebooks/ holds no notebook"


def test_graph_text_beside_the_picture_is_the_same_on_every_run():
    """Jupyter saves repr(graph) as text/plain beside the SVG: no memory address in it."""
    import re

    import numpy as np

    from autograd_core import Tensor, draw
    from autograd_core.render.display import Graph

    assert repr(Graph()) == "<Graph: 0 nodes, 0 edges>"
    literal = Graph(body=["\tgraph [rankdir=TB]\n", '\ta [label="x [0]"]\n', "\tb\n", "\ta -> b\n"])
    assert repr(literal) == "<Graph: 2 nodes, 1 edge>"

    x = Tensor(np.array([1.0, 2.0]), requires_grad=True)
    y = (x * x).sum()
    graphs = [draw(y), draw(y), draw(y, backward=True)]
    assert repr(graphs[0]) == repr(graphs[1])
    for graph in graphs:
        svg = graph.pipe(format="svg").decode()
        nodes, edges = svg.count('class="node"'), svg.count('class="edge"')
        assert nodes > 1 and edges > 0
        assert repr(graph) == f"<Graph: {nodes} nodes, {edges} edges>"
        assert not re.search("0x[0-9a-f]", repr(graph))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_and_saved_outputs_hold_images(path, monkeypatch):
    import nbformat

    saved = nbformat.read(path, as_version=4)
    assert _images(saved) > 0, (
        f"{path.name}: saved without rendered graphs; run scripts/run_notebooks.py"
    )
    assert not [o for o in _outputs(saved) if o.output_type == "error"]

    monkeypatch.syspath_prepend(str(ROOT / "scripts"))
    sys.modules.pop("run_notebooks", None)
    import run_notebooks

    executed = run_notebooks.execute(path, timeout=120)  # raises CellExecutionError on error
    assert not [o for o in _outputs(executed) if o.output_type == "error"]
    assert _images(executed) > 0


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_saved_notebooks_hold_nothing_that_changes_between_runs(path):
    """No memory address, timestamp or measured time in what is saved, so re-running
    an unchanged notebook leaves it unchanged in git."""
    import re

    text = path.read_text(encoding="utf-8")
    assert not re.search(r" at 0x[0-9a-f]{6,}", text)
    assert '"execution"' not in text and "iopub." not in text
    assert not re.search(r"\b\d+(\.\d+)? ?(s|ms|µs|us)\b[;,)]", text.replace("\\n", " "))
