"""scripts/run_notebooks.py as a user meets it: `python scripts/run_notebooks.py` with an
interpreter that lacks the notebook tooling, and re-runs that leave the files unchanged."""

from __future__ import annotations

import copy
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "run_notebooks.py"

sys.path.insert(0, str(ROOT / "scripts"))
import run_notebooks  # noqa: E402


def _plain(*args, **kwargs):
    """This interpreter without site-packages (`-S`): no nbformat, nbclient or numpy."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", run_notebooks.REEXEC)}
    return subprocess.run(
        [sys.executable, "-S", *args], capture_output=True, text=True, env=env, **kwargs
    )


def test_plain_interpreter_lacks_the_tooling():
    # What makes the two tests below meaningful.
    found = _plain("-c", "import nbformat")
    assert found.returncode != 0 and "No module named 'nbformat'" in found.stderr


def test_help_needs_only_the_standard_library():
    done = _plain(str(SCRIPT), "--help", timeout=30)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("usage: python scripts/run_notebooks.py")
    assert "--check" in done.stdout and "NOTEBOOK" in done.stdout
    assert done.stderr == ""


def test_unknown_notebook_is_named_before_anything_is_installed():
    done = _plain(str(SCRIPT), "no_such_notebook", timeout=30)
    assert done.returncode == 1
    assert "'no_such_notebook' is no notebook file or name" in done.stderr
    assert "01_scalar_autodiff" in done.stderr


def _volatile_notebook():
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3"}, "widgets": {"state": {"a1b2": {}}}},
        "cells": [
            {"cell_type": "markdown", "id": "same", "metadata": {}, "source": "# title"},
            {
                "cell_type": "code",
                "id": "same",  # a repeated id, as a copy-paste in an editor can leave
                "execution_count": 1,
                "metadata": {
                    "execution": {"iopub.execute_input": "2024-05-01T10:00:00.1Z"},
                    "ExecuteTime": {"end_time": "2024-05-01T10:00:01Z"},
                    "tags": ["keep"],
                },
                "source": ["g = draw(y)\n", "g"],
                "outputs": [
                    {"output_type": "stream", "name": "stdout", "text": ["step 1\n", "ste"]},
                    {  # printed once per machine, in between
                        "output_type": "stream",
                        "name": "stderr",
                        "text": "Matplotlib is building the font cache; this may take a moment.\n",
                    },
                    {"output_type": "stream", "name": "stdout", "text": "p 2\n"},
                    {"output_type": "stream", "name": "stdout", "text": " 10%\r 50%\r100%\n"},
                    {
                        "output_type": "execute_result",
                        "execution_count": 1,
                        "metadata": {},
                        "data": {
                            "image/svg+xml": "<svg/>",
                            "text/plain": "<autograd_core.render.display.Graph at 0x7f56640cdcd0>",
                        },
                    },
                    {"output_type": "stream", "name": "stdout", "text": "<object at 0xDEADBEEF>\n"},
                ],
            },
            {
                "cell_type": "code",
                "execution_count": 2,
                "metadata": {},
                "source": "1",
                "outputs": [],
            },
        ],
    }


def test_normalise_drops_what_changes_from_run_to_run():
    nb = run_notebooks.normalise(_volatile_notebook())

    assert "widgets" not in nb["metadata"] and nb["metadata"]["kernelspec"] == {"name": "python3"}
    code = nb["cells"][1]
    assert code["metadata"] == {"tags": ["keep"]}
    assert [out["output_type"] for out in code["outputs"]] == ["stream", "execute_result", "stream"]
    assert code["outputs"][0] == {
        "output_type": "stream",
        "name": "stdout",
        "text": "step 1\nstep 2\n100%\n",
    }
    result = code["outputs"][1]["data"]
    assert result["text/plain"] == "<autograd_core.render.display.Graph>"
    assert result["image/svg+xml"] == "<svg/>"
    assert code["outputs"][2]["text"] == "<object>\n"

    ids = [cell.get("id") for cell in nb["cells"]]
    assert ids[0] == "same" and len(set(ids)) == 3 and all(ids)
    # The made-up ids depend on the notebook only: a second copy gets the same ones.
    assert [c.get("id") for c in run_notebooks.normalise(_volatile_notebook())["cells"]] == ids


def test_normalise_twice_is_normalise_once():
    once = run_notebooks.normalise(_volatile_notebook())
    twice = run_notebooks.normalise(copy.deepcopy(once))
    assert twice == once


TINY = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"}
    },
    "cells": [
        {
            "cell_type": "code",
            "id": "c1",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": "import sys, time\n"
            "print('one', flush=True); time.sleep(0.3); print('two')\n"
            "object()",
        }
    ],
}


@pytest.mark.slow
def test_plain_interpreter_reruns_the_script_with_the_project_venv(tmp_path):
    """A copy of the project layout whose .venv/bin/python is this (tooled) interpreter:
    run under `python -S`, the script must hand itself over to .venv/bin/python, execute
    the notebook, and a second run must leave the file byte-identical."""
    (tmp_path / "scripts").mkdir()
    (tmp_path / "scripts" / "run_notebooks.py").write_text(SCRIPT.read_text())
    (tmp_path / "notebooks").mkdir()
    notebook = tmp_path / "notebooks" / "tiny.ipynb"
    notebook.write_text(json.dumps(TINY))
    venv_python = tmp_path / ".venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    calls = tmp_path / "calls.txt"
    venv_python.write_text(f'#!/bin/sh\necho "$@" >> {calls}\nexec {sys.executable} "$@"\n')
    venv_python.chmod(venv_python.stat().st_mode | stat.S_IXUSR)
    script = str(tmp_path / "scripts" / "run_notebooks.py")

    first = _plain(script, "tiny", cwd=tmp_path, timeout=240)
    assert first.returncode == 0, first.stdout + first.stderr
    assert f"{script} tiny" in calls.read_text().splitlines()  # the hand-over itself
    assert "tiny.ipynb: saved" in first.stdout
    # libzmq can abort a kernel's socket thread as the kernel shuts down, after the
    # notebook was saved ("Assertion failed: pfd.revents & POLLIN"): a known race in
    # the kernel's transport, not something the runner prints.
    noise = "Assertion failed: pfd.revents & POLLIN"
    assert [line for line in first.stderr.splitlines() if noise not in line] == []
    saved = notebook.read_bytes()
    outputs = json.loads(saved)["cells"][0]["outputs"]
    assert [o["output_type"] for o in outputs] == ["stream", "execute_result"]
    assert "".join(outputs[0]["text"]) == "one\ntwo\n"
    assert "".join(outputs[1]["data"]["text/plain"]) == "<object>"  # IPython: <object at 0x...>

    second = _plain(script, "--check", str(notebook), cwd=tmp_path, timeout=240)
    assert second.returncode == 0, second.stdout + second.stderr
    assert "tiny.ipynb: unchanged" in second.stdout
    assert notebook.read_bytes() == saved
