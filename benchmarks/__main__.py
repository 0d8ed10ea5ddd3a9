"""`python -m benchmarks`: run the cases, print the table and the targets, write RESULTS.md.

python -m benchmarks                          # every case, 1 BLAS thread
python -m benchmarks --quick                  # fewer repeats (a smoke run)
python -m benchmarks --case mlp_step,tiny_ops --repeat 5
python -m benchmarks --case deep_chain        # a prefix selects deep_chain_100k and _1m
python -m benchmarks --list                   # the cases and their variants
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path
from typing import Any

from .case import Case
from .cases import CASES, select
from .harness import missing_modules, run_child
from .machine import load_average, machine_info
from .report import Results, document, results_table, targets_section
from .targets import fmt_seconds, judge_all

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "RESULTS.md"
FINDINGS = HERE / "FINDINGS.md"  # hand-written analysis of the profiles, copied into the report


def _parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark the engine against NumPy, PyTorch and micrograd.",
    )
    p.add_argument("--case", action="append", default=[], help="name, comma list or prefix")
    p.add_argument("--threads", type=int, default=1, help="BLAS/OpenMP threads (default 1)")
    p.add_argument("--repeat", type=int, default=None, help="timed repeats (default: per case)")
    p.add_argument("--warmup", type=int, default=None, help="untimed runs (default: per case)")
    p.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="the Markdown report")
    p.add_argument("--quick", action="store_true", help="fewer repeats and warm-ups")
    p.add_argument("--no-profile", action="store_true", help="skip the cProfile pass")
    p.add_argument("--list", action="store_true", help="list the cases and exit")
    return p.parse_args(argv)


def _counts(case: Case, args: argparse.Namespace) -> tuple[int, int]:
    repeat = case.quick_repeat if args.quick else case.repeat
    warmup = min(case.warmup, 1) if args.quick else case.warmup
    return (
        repeat if args.repeat is None else args.repeat,
        warmup if args.warmup is None else args.warmup,
    )


def _run_variant(case: Case, name: str, args: argparse.Namespace, profile: bool) -> dict[str, Any]:
    missing = missing_modules(case.variant(name).requires)
    if missing:
        return {
            "case": case.name,
            "variant": name,
            "skipped": f"{', '.join(missing)} not installed",
        }
    repeat, warmup = _counts(case, args)
    if profile:
        repeat, warmup = max(1, min(repeat, case.quick_repeat)), 1
    return run_child(
        case.name, name, threads=args.threads, repeat=repeat, warmup=warmup, profile=profile
    )


def _progress(row: dict[str, Any]) -> str:
    head = f"{row['case']}/{row['variant']}"
    if "skipped" in row or "error" in row:
        return f"{head}: {row.get('skipped') or row.get('error')}"
    if "profile" in row:
        return f"{head}: profiled"
    return f"{head}: {fmt_seconds(row['median_s'])}, peak RSS {row['peak_rss_kb'] / 1024:.0f} MB"


def main(argv: list[str] | None = None) -> int:
    args = _parse(argv)
    if args.list:
        for c in CASES.values():
            print(f"{c.name:18} {', '.join(v.name for v in c.variants):28} {c.description}")
        return 0
    cases = select(args.case)
    load_start = load_average()
    results: Results = {}
    for case in cases:
        for variant in case.variants:
            row = _run_variant(case, variant.name, args, profile=False)
            results.setdefault(case.name, {})[variant.name] = row
            print(_progress(row), file=sys.stderr, flush=True)
    profiles: dict[str, dict[str, Any]] = {}
    if not args.no_profile:
        for case in (c for c in cases if c.profile):
            profiles[case.name] = _run_variant(case, "engine", args, profile=True)
            print(_progress(profiles[case.name]), file=sys.stderr, flush=True)
    judged = judge_all(results)
    print(results_table(cases, results))
    print()
    print(targets_section(judged))
    settings = {
        "command": shlex.join(
            ["python", "-m", "benchmarks", *(sys.argv[1:] if argv is None else argv)]
        ),
        "threads": args.threads,
        "repeats": "per case (see n)" if args.repeat is None else str(args.repeat),
        "load_start": load_start,
        "load_end": load_average(),
    }
    findings = FINDINGS.read_text() if FINDINGS.exists() else ""
    text = document(cases, results, judged, profiles, machine_info(), settings, findings)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text)
    print(f"wrote {args.output}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
