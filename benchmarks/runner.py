"""Child entry point: run one variant of one case and print one JSON object.

    python -m benchmarks.runner CASE VARIANT [--threads N] [--repeat N] [--warmup N] [--profile]

The parent (`benchmarks.harness`) starts this with the BLAS thread variables already in
the environment. Run by hand, it sets them itself before anything imports NumPy, so
nothing at module level here may import NumPy (or a case).
"""

from __future__ import annotations

import argparse
import json
import os
import traceback
from typing import Any

from .harness import THREAD_VARS, missing_modules


def _parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m benchmarks.runner", description=__doc__)
    p.add_argument("case")
    p.add_argument("variant")
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeat", type=int, default=None, help="default: the case's")
    p.add_argument("--warmup", type=int, default=None, help="default: the case's")
    p.add_argument("--profile", action="store_true", help="cProfile hot spots, no timing")
    return p.parse_args(argv)


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Build the variant, time (or profile) it, and return the result record."""
    for name in THREAD_VARS:
        os.environ.setdefault(name, str(args.threads))

    from .cases import get_case  # imports NumPy: only after the thread variables
    from .timing import current_rss_kb, measure, peak_rss_kb

    case = get_case(args.case)
    variant = case.variant(args.variant)
    head: dict[str, Any] = {"case": case.name, "variant": variant.name, "threads": args.threads}
    missing = missing_modules(variant.requires)
    if missing:
        return {**head, "skipped": f"{', '.join(missing)} not installed"}
    repeat = case.repeat if args.repeat is None else args.repeat
    warmup = case.warmup if args.warmup is None else args.warmup
    step = variant.make()
    after_setup = current_rss_kb()
    if args.profile:
        from .profiling import profile_step

        return {**head, "profile": profile_step(step, repeat, warmup)}
    result = measure(step, repeat, warmup)
    if case.derive is not None:
        result["derived"] = case.derive(result["phases_s"])
    return {
        **head,
        **result,
        "repeat": repeat,
        "warmup": warmup,
        "peak_rss_kb": peak_rss_kb(),
        "rss_after_setup_kb": after_setup,
    }


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    try:
        record = run(args)
    except ImportError as exc:
        record = {"case": args.case, "variant": args.variant, "skipped": f"import failed: {exc}"}
    except Exception as exc:  # reported as the row's error, with the traceback on stderr
        traceback.print_exc()
        record = {
            "case": args.case,
            "variant": args.variant,
            "error": f"{type(exc).__name__}: {exc}",
        }
    print(json.dumps(record))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
