"""Execute the notebooks and save them in place with their outputs (graphs as SVG), so
that a code host shows them rendered.

    python scripts/run_notebooks.py [--check] [--timeout SECONDS] [NOTEBOOK ...]

NOTEBOOK is a path or the start of a name in notebooks/ (`03`, `05_cnn`); the default is
every notebooks/*.ipynb. Any python3 will do: when this interpreter lacks the notebook
tooling (the `notebooks` extra), the script re-runs itself with the project's
.venv/bin/python, creating or completing .venv first with
`bash scripts/setup.sh dev,demo,notebooks`. Rendering the graphs needs Graphviz's `dot`,
which that script installs on Debian.

A re-run of unchanged notebooks leaves the files byte-identical: the kernel is this
interpreter with fixed hash seed, matplotlib settings and progress-bar format; the saved
outputs hold no execution timestamps, object addresses or stream chunking (`normalise`).
What a notebook itself prints, such as a time it measured, is saved as printed.

Only the standard library is imported before the re-run.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
SETUP = ["bash", str(ROOT / "scripts" / "setup.sh"), "dev,demo,notebooks"]
# What this script and the notebooks import: the `notebooks` extra and the package's needs.
TOOLING = ("nbformat", "nbclient", "ipykernel", "numpy", "graphviz", "matplotlib", "sklearn")
REEXEC = "RUN_NOTEBOOKS_REEXEC"  # set for the re-run, so that it cannot loop

# ---- finding an interpreter with the tooling (standard library only) -------------------


def missing_tooling() -> list[str]:
    """The modules of TOOLING that this interpreter cannot import."""
    return [name for name in TOOLING if importlib.util.find_spec(name) is None]


def venv_has_tooling() -> bool:
    if not VENV_PYTHON.exists():
        return False
    probe = "import importlib.util as u, sys; sys.exit(None in map(u.find_spec, sys.argv[1:]))"
    return subprocess.run([str(VENV_PYTHON), "-c", probe, *TOOLING]).returncode == 0


def ensure_tooling(argv: list[str]) -> None:
    """Return when this interpreter can run the notebooks; otherwise re-run this script
    with .venv/bin/python, after `scripts/setup.sh` when .venv lacks the tooling."""
    missing = missing_tooling()
    if not missing:
        return
    here = f"{sys.executable} lacks {', '.join(missing)}"
    if os.environ.get(REEXEC):
        sys.exit(f"{here}. Install it: bash scripts/setup.sh dev,demo,notebooks")
    if not venv_has_tooling():
        what = "Completing" if VENV_PYTHON.exists() else "Creating"
        print(f"{here}. {what} .venv: bash scripts/setup.sh {SETUP[-1]}")
        sys.stdout.flush()
        if subprocess.run(SETUP, cwd=ROOT).returncode != 0:
            sys.exit("scripts/setup.sh failed (its messages are above).")
    os.environ[REEXEC] = "1"
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), str(Path(__file__).resolve()), *argv])


# ---- normalising the saved notebook (standard library only) -----------------------------

# Set by Jupyter front ends, nbclient's record_timing, papermill and ipywidgets: when and
# with which kernel objects a run happened.
VOLATILE_CELL_METADATA = ("execution", "ExecuteTime", "papermill")
VOLATILE_NOTEBOOK_METADATA = ("papermill", "widgets")
# `<autograd_core.render.display.Graph at 0x7f56640cdcd0>` -> `<...Graph>`.
ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")
# Printed once per machine, by the first kernel that imports matplotlib.
ONE_OFF_LINES = ("Matplotlib is building the font cache; this may take a moment.\n",)


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else value


def _overwritten(text: str) -> str:
    """What a terminal leaves of text that rewrites lines with carriage returns."""
    text = re.sub(r"\r+\n", "\n", text)
    return re.sub(r"[^\r\n]*\r(?!\n)", "", text)


def _cell_id(index: int, cell: dict[str, Any]) -> str:
    digest = hashlib.sha1(f"{index}\0{_text(cell.get('source', ''))}".encode())
    return digest.hexdigest()[:8]


def _merged(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Consecutive stream outputs of one name as one: the kernel cuts a cell's stream
    into messages by timing, so how many there are changes from run to run."""
    merged: list[dict[str, Any]] = []
    for out in outputs:
        prev = merged[-1] if merged else {}
        if out.get("output_type") == "stream":
            out["text"] = _text(out.get("text", ""))
            if prev.get("output_type") == "stream" and prev.get("name") == out.get("name"):
                prev["text"] += out["text"]
                continue
        merged.append(out)
    return merged


def _outputs(outputs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for out in outputs:
        if out.get("output_type") == "stream":
            out["text"] = _text(out.get("text", ""))
            for line in ONE_OFF_LINES:
                out["text"] = out["text"].replace(line, "")
    kept = []
    for out in _merged([o for o in outputs if o.get("output_type") != "stream" or o["text"]]):
        if out.get("output_type") == "stream":
            out["text"] = ADDRESS.sub(">", _overwritten(out["text"]))
            if not out["text"]:
                continue
        else:
            data = out.get("data", {})
            if isinstance(data.get("text/plain"), (str, list)):
                data["text/plain"] = ADDRESS.sub(">", _text(data["text/plain"]))
        kept.append(out)
    return _merged(kept)  # again, if a stream emptied above parted two


def normalise(nb: dict[str, Any]) -> dict[str, Any]:
    """Make `nb` (a notebook as a dict, or an nbformat NotebookNode) the same for the same
    results, in place, and return it: volatile metadata dropped, object addresses cut out
    of text outputs, consecutive stream outputs merged and carriage-return rewrites applied,
    missing or repeated cell ids made from position and source. Applying it twice changes
    nothing more."""
    for key in VOLATILE_NOTEBOOK_METADATA:
        nb.get("metadata", {}).pop(key, None)
    seen: set[str] = set()
    with_ids = (nb.get("nbformat", 4), nb.get("nbformat_minor", 0)) >= (4, 5)
    for index, cell in enumerate(nb.get("cells", [])):
        for key in VOLATILE_CELL_METADATA:
            cell.get("metadata", {}).pop(key, None)
        if with_ids:
            if not cell.get("id") or cell["id"] in seen:
                cell["id"] = _cell_id(index, cell)
            seen.add(cell["id"])
        if cell.get("cell_type") == "code":
            cell["outputs"] = _outputs(cell.get("outputs", []))
    return nb


# ---- running (needs the tooling) ---------------------------------------------------------

MATPLOTLIBRC = """\
# Written by scripts/run_notebooks.py: the same figures on every machine (no user style),
# and SVG ids that do not change from run to run.
svg.hashsalt: autograd-engine
"""


def kernel_env(config_dir: Path) -> dict[str, str]:
    """The kernel's environment: this checkout's packages first, and fixed settings for
    whatever else would make outputs differ from run to run or machine to machine."""
    env = dict(os.environ)
    env.pop(REEXEC, None)
    paths = [str(ROOT), *filter(None, env.get("PYTHONPATH", "").split(os.pathsep))]
    rc = config_dir / "matplotlibrc"
    rc.write_text(MATPLOTLIBRC)
    env.update(
        PYTHONPATH=os.pathsep.join(dict.fromkeys(paths)),
        JUPYTER_PLATFORM_DIRS="1",
        PYTHONHASHSEED="0",
        MPLBACKEND="module://matplotlib_inline.backend_inline",  # even if the shell sets Agg
        MATPLOTLIBRC=str(rc),
        SOURCE_DATE_EPOCH="0",  # matplotlib's SVG and PDF dates
        TQDM_BAR_FORMAT="{l_bar}{bar}| {n_fmt}/{total_fmt}",  # no rate or elapsed time
    )
    return env


def read(path: Path) -> Any:
    """The notebook at `path`, ids made deterministic before nbformat would invent them."""
    import nbformat

    raw = normalise(json.loads(path.read_text(encoding="utf-8")))
    return nbformat.reads(json.dumps(raw), as_version=4)


def execute(path: Path, timeout: int = 300) -> Any:
    """Run every cell of the notebook at `path` in a fresh kernel (raise on an error) and
    return it normalised."""
    import matplotlib.font_manager  # noqa: F401  (builds the font cache here, not in a cell)
    import zmq
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    nb = read(path)
    # Only ipykernel's own spec: the kernel is this interpreter, not a `python3` kernel
    # that some other installation registered for the user.
    specs = KernelSpecManager(kernel_dirs=[], ensure_native_kernel=True)
    km = KernelManager(kernel_name="python3", kernel_spec_manager=specs)
    if km.has_trait("transport_encryption") and zmq.has("curve"):
        # Newer kernels warn, on every start, about talking to us over plain TCP.
        km.transport_encryption = "auto"
    client = NotebookClient(
        nb,
        km=km,
        timeout=timeout,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
    )
    with tempfile.TemporaryDirectory(prefix="run_notebooks-") as tmp:
        # cleanup_kc: shut the kernel down now, though the client was handed its manager.
        client.execute(env=kernel_env(Path(tmp)), cleanup_kc=True)
    return normalise(nb)


def dumps(nb: Any) -> str:
    """The file's text, as nbformat.write saves it."""
    import nbformat

    text = nbformat.writes(nb)
    return text if text.endswith("\n") else text + "\n"


def changed_cells(old: str, new: str) -> str:
    """Which cells differ between two notebook texts, as Jupyter numbers them (`In [5]`)."""
    a, b = json.loads(old)["cells"], json.loads(new)["cells"]
    if len(a) != len(b):
        return f"{len(a)} cells before, {len(b)} now"
    labels = [
        f"In [{y['execution_count']}]" if y.get("execution_count") else f"cell {i + 1}"
        for i, (x, y) in enumerate(zip(a, b))
        if x != y
    ]
    return ", ".join(labels) or "metadata"


def resolve(arg: str) -> Path:
    path = Path(arg)
    if path.is_file():
        return path.resolve()
    matches = sorted(NOTEBOOKS.glob(f"{arg}*.ipynb")) if "/" not in arg else []
    if len(matches) == 1:
        return matches[0]
    names = ", ".join(p.stem for p in sorted(NOTEBOOKS.glob("*.ipynb")))
    what = "matches several notebooks" if matches else "is no notebook file or name"
    raise SystemExit(f"{arg!r} {what}; the notebooks are: {names}")


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python scripts/run_notebooks.py",
        description="Execute notebooks top to bottom and save them with their outputs. "
        "Re-runs itself with .venv/bin/python (creating .venv with scripts/setup.sh) "
        "when this interpreter lacks the notebook tooling.",
    )
    parser.add_argument(
        "notebooks",
        nargs="*",
        metavar="NOTEBOOK",
        help="a path, or the start of a name in notebooks/ such as 03 (default: all)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="execute but do not save; exit 1 if a saved notebook differs from its re-run",
    )
    parser.add_argument(
        "--timeout", type=int, default=300, metavar="SECONDS", help="per cell (default 300)"
    )
    return parser.parse_args(argv)


def main(argv: list[str]) -> int:
    args = parse(argv)
    paths = [resolve(a) for a in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    ensure_tooling(argv)
    from nbclient.exceptions import CellExecutionError

    failed, differ = [], []
    for path in paths:
        start = time.perf_counter()
        try:
            text = dumps(execute(path, timeout=args.timeout))
        except CellExecutionError as err:
            print(f"{path.name}: a cell failed, not saved\n{err}", file=sys.stderr)
            failed.append(path.name)
            continue
        saved = path.read_text(encoding="utf-8")
        if saved == text:
            what = "unchanged"
        elif args.check:
            what = f"differs from the saved file: {changed_cells(saved, text)}"
            differ.append(path.name)
        else:
            with open(path, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
            what = f"saved; changed: {changed_cells(saved, text)}"
        print(f"{path.name}: {what} ({time.perf_counter() - start:.1f} s)")
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
    return 1 if failed or differ else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
