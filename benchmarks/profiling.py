"""Where the engine's time goes: cProfile over a case's step, summarised as shares.

Two lists per case: by self time (the function's own code, callees excluded) and by
inclusive time (with callees), each as a share of the profiled total. cProfile adds a
roughly constant cost per Python call, so shares of many-call functions are inflated;
they rank hot spots, they are not timings.

pyinstrument (a sampling profiler, no per-call cost) gives a call tree of the same
step when installed: `python -m benchmarks.profiling CASE [VARIANT]`.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
from pathlib import Path
from typing import Any

from .case import Step

TOP = 8
ROOT = Path(__file__).resolve().parent.parent


def _label(func: tuple[str, int, str]) -> str:
    filename, line, name = func
    if filename == "~":  # a C function: cProfile names it "<built-in method ...>"
        return name.replace("<built-in method ", "").replace("<method ", "").rstrip(">")
    path = Path(filename)
    try:
        where = path.resolve().relative_to(ROOT).as_posix()
    except ValueError:
        where = path.name
    return f"{where}:{line}({name})"


def _is_harness(label: str) -> bool:
    return label.startswith("benchmarks/") or label.startswith("{method 'disable'")


def _rows(stats: pstats.Stats, repeat: int, column: int) -> list[dict[str, Any]]:
    """The TOP functions by `column` (2: self time, 3: inclusive time), each with both
    shares of the profiled total and its calls per step; the harness's frames left out."""
    total = stats.total_tt  # type: ignore[attr-defined]
    entries = sorted(stats.stats.items(), key=lambda kv: kv[1][column], reverse=True)  # type: ignore[attr-defined]
    rows = []
    for func, (_, calls, self_t, incl_t, _) in entries:
        label = _label(func)
        if _is_harness(label):
            continue
        rows.append(
            {
                "function": label,
                "self": self_t / total,
                "inclusive": incl_t / total,
                "calls": calls / repeat,
            }
        )
        if len(rows) == TOP:
            break
    return rows


def profile_step(step: Step, repeat: int, warmup: int) -> dict[str, Any]:
    """Run `step` `warmup` times plain, then `repeat` times under cProfile."""
    for _ in range(warmup):
        step()
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        step()
    profiler.disable()
    stats = pstats.Stats(profiler)
    return {
        "total_s": stats.total_tt / repeat,  # type: ignore[attr-defined]
        "by_self": _rows(stats, repeat, 2),
        "by_inclusive": _rows(stats, repeat, 3),
    }


def main(argv: list[str] | None = None) -> int:
    """Print pyinstrument's call tree of one variant's step (engine by default)."""
    p = argparse.ArgumentParser(prog="python -m benchmarks.profiling", description=main.__doc__)
    p.add_argument("case")
    p.add_argument("variant", nargs="?", default="engine")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--threads", type=int, default=1)
    args = p.parse_args(argv)
    from .harness import THREAD_VARS

    for name in THREAD_VARS:
        os.environ.setdefault(name, str(args.threads))
    from pyinstrument import Profiler

    from .cases import get_case

    step = get_case(args.case).variant(args.variant).make()
    step()
    with Profiler(interval=0.0005) as profiler:
        for _ in range(args.repeat):
            step()
    print(profiler.output_text(unicode=True, color=False, show_all=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
