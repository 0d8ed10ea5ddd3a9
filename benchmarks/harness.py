"""The parent's side: start one child per (case, variant) with BLAS threads pinned, and
collect the JSON it prints.

Thread counts are fixed through the environment, which every BLAS (OpenBLAS, MKL,
Accelerate), OpenMP and numexpr read once when they load, so the child is started with
them already set rather than setting them after NumPy is imported.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

THREAD_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
)
ROOT = Path(__file__).resolve().parent.parent
CHILD_TIMEOUT_S = 900


def thread_env(threads: int, base: dict[str, str] | None = None) -> dict[str, str]:
    """`base` (default: this process's environment) with every thread variable = threads."""
    env = dict(os.environ if base is None else base)
    env.update({name: str(threads) for name in THREAD_VARS})
    return env


def missing_modules(modules: tuple[str, ...]) -> list[str]:
    """The modules among `modules` that cannot be imported (checked without importing)."""
    return [m for m in modules if importlib.util.find_spec(m) is None]


def run_child(
    case: str,
    variant: str,
    *,
    threads: int,
    repeat: int,
    warmup: int,
    profile: bool = False,
    timeout: float = CHILD_TIMEOUT_S,
) -> dict[str, Any]:
    """Run `python -m benchmarks.runner` for one variant and return its JSON result.

    A crash, a timeout or unparsable output becomes `{"error": ...}`, never an exception,
    so one broken variant does not lose the rest of the run."""
    cmd = [
        sys.executable,
        "-m",
        "benchmarks.runner",
        case,
        variant,
        f"--threads={threads}",
        f"--repeat={repeat}",
        f"--warmup={warmup}",
    ]
    if profile:
        cmd.append("--profile")
    env = thread_env(threads)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    try:
        done = subprocess.run(
            cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s"}
    lines = [line for line in done.stdout.splitlines() if line.strip()]
    if lines:
        try:
            return json.loads(lines[-1])
        except json.JSONDecodeError:
            pass
    tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
    return {"error": f"exit code {done.returncode}: {tail}"}
