"""Timing and memory measurement, run inside the benchmark child process.

`measure` runs the step `warmup` times untimed, then `repeat` times timed with
`time.perf_counter`, and reports medians. The cyclic garbage collector stays enabled
(allocation-triggered collections are part of the real cost of building a graph), but
`gc.collect()` runs before every call so that no repeat pays for the previous one's
garbage, and the time spent in collections during each call is measured (through
`gc.callbacks`) and reported as `gc_s`: for graphs of many small nodes it is a large
share of the total, in every framework written in Python.
"""

from __future__ import annotations

import gc
import resource
import statistics
import sys
import time
from typing import Any

from .case import Step

TOTAL = "total"
GC = "gc"


def peak_rss_kb() -> int:
    """This process's peak resident set size so far, in KB (ru_maxrss: KB on Linux,
    bytes on macOS)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def current_rss_kb() -> int | None:
    """Resident set size right now, in KB (Linux only; None elsewhere)."""
    try:
        with open("/proc/self/statm") as f:
            pages = int(f.read().split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return pages * resource.getpagesize() // 1024


class GcClock:
    """Seconds spent in the cyclic garbage collector while installed (gc.callbacks)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, Any]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        else:
            self.seconds += time.perf_counter() - self._started

    def __enter__(self) -> GcClock:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


def _run_once(step: Step) -> dict[str, float]:
    gc.collect()
    with GcClock() as clock:
        start = time.perf_counter()
        phases = step()
        elapsed = time.perf_counter() - start
    total = sum(phases.values()) if phases else elapsed
    return {TOTAL: total, GC: clock.seconds, **(phases or {})}


def measure(step: Step, repeat: int, warmup: int) -> dict[str, Any]:
    """Medians (seconds) of `repeat` timed calls of `step` after `warmup` untimed ones.

    When the step times its own phases, the total is their sum (setup and checks the
    step does between phases are not counted)."""
    if repeat < 1:
        raise ValueError(f"repeat must be >= 1; got {repeat}")
    for _ in range(warmup):
        _run_once(step)
    samples = [_run_once(step) for _ in range(repeat)]
    medians = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
    return {
        "median_s": medians.pop(TOTAL),
        "gc_s": medians.pop(GC),
        "phases_s": medians,
        "samples_s": [s[TOTAL] for s in samples],
    }
