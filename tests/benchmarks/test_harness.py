"""The benchmark harness itself: case selection, timing, targets, the report, and one
real child process end to end (small and fast)."""

import json
import subprocess
import sys

import pytest

from benchmarks import harness, report, targets, timing
from benchmarks.cases import CASES, select


def test_select_takes_names_comma_lists_and_prefixes():
    assert [c.name for c in select([])] == list(CASES)
    assert [c.name for c in select(["tiny_ops,mlp_step"])] == ["tiny_ops", "mlp_step"]
    assert [c.name for c in select(["deep_chain"])] == ["deep_chain_100k", "deep_chain_1m"]
    with pytest.raises(KeyError, match="unknown case"):
        select(["nope"])


def test_every_case_has_its_reference_and_an_engine_variant():
    for case in CASES.values():
        names = [v.name for v in case.variants]
        assert case.reference in names and "engine" in names, case.name


def test_thread_env_pins_every_variable():
    env = harness.thread_env(3, base={"PATH": "/bin"})
    assert env["PATH"] == "/bin"
    assert all(env[name] == "3" for name in harness.THREAD_VARS)


def test_measure_reports_medians_per_phase():
    calls = iter([{"a": 1.0, "b": 2.0}, {"a": 3.0, "b": 4.0}, {"a": 5.0, "b": 0.0}])
    result = timing.measure(lambda: next(calls), repeat=2, warmup=1)
    assert result["phases_s"] == {"a": 4.0, "b": 2.0}
    assert result["median_s"] == pytest.approx(6.0)  # totals 7 and 5; the first is warm-up
    assert result["gc_s"] >= 0.0


def test_targets_compare_ratios_and_absolutes():
    rows = {
        "engine": {"variant": "engine", "median_s": 2.0, "gc_s": 0.0, "peak_rss_kb": 100},
        "numpy": {"variant": "numpy", "median_s": 1.0, "gc_s": 0.0, "peak_rss_kb": 100},
    }
    ratio = targets.Target("c", "t", "median_s", 1.05, "numpy")
    assert ratio.judge(rows)[0] == "missed"
    assert targets.Target("c", "t", "peak_rss_kb", 1.1, "numpy").judge(rows)[0] == "met"
    assert ratio.judge({"engine": rows["engine"]})[0] == "not measured"
    assert targets.Target("c", "t", "median_s", None).judge(rows)[0] == "met"


def test_results_table_marks_the_reference_and_skips():
    case = CASES["mlp_step"]
    row = {"median_s": 0.01, "gc_s": 0.0, "peak_rss_kb": 2048, "repeat": 3, "phases_s": {}}
    results = {"mlp_step": {"numpy": row, "engine": row, "torch": {"skipped": "torch missing"}}}
    table = report.results_table([case], results)
    assert "1.00 (ref)" in table and "skipped: torch missing" in table


def test_runner_child_prints_one_json_record():
    env = harness.thread_env(1)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.runner",
            "tiny_ops",
            "engine",
            "--repeat=1",
            "--warmup=0",
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=harness.ROOT,
        timeout=120,
        check=True,
    )
    record = json.loads(done.stdout.strip().splitlines()[-1])
    assert record["case"] == "tiny_ops" and "error" not in record
    assert set(record["phases_s"]) == {"forward", "backward"}
    assert record["derived"]["forward_us_per_op"] > 0
    assert record["peak_rss_kb"] > 0


def test_the_report_names_the_commit_it_measured():
    from benchmarks import machine

    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], capture_output=True, text=True, cwd=harness.ROOT, check=True
    ).stdout.strip()
    measured = machine.commit()
    assert head.startswith(measured.split()[0]) and len(measured.split()[0]) == 10
    info = {**machine.machine_info(), "commit": measured}
    settings = {"command": "python -m benchmarks", "threads": 1, "repeats": "3"}
    settings |= {"load_start": None, "load_end": None}
    text = report.document([], {}, [], {}, info, settings, "")
    assert f"at commit {measured} with" in text
