"""The performance targets (single thread, medians, same run), judged met or missed.

Each target reads the rows of one case, keyed by variant, and compares one figure with
a limit: a ratio of two rows (engine / reference) or an absolute figure of the engine
row. A target whose rows are missing, skipped or failed is "not measured".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Rows = dict[str, dict[str, Any]]  # variant -> the child's result


def ok(row: dict[str, Any] | None) -> bool:
    return row is not None and "skipped" not in row and "error" not in row


def value(row: dict[str, Any], field: str) -> float:
    """A row's median time (`median_s`), peak RSS (`peak_rss_kb`) or derived figure."""
    return row[field] if field in row else row["derived"][field]


@dataclass(frozen=True)
class Target:
    case: str
    text: str
    field: str  # the figure compared
    limit: float | None  # None: the engine row only has to succeed
    against: str | None = None  # a reference variant: compare the ratio engine / it
    unit: str = "x"

    def judge(self, rows: Rows) -> tuple[str, str]:
        """("met" | "missed" | "not measured", the figures behind it)."""
        engine = rows.get("engine")
        if not ok(engine):
            why = (engine or {}).get("error") or (engine or {}).get("skipped") or "not run"
            return "not measured", f"engine row: {why}"
        mine = value(engine, self.field)
        if self.limit is None:
            return "met", f"engine ran and its gradient checked out ({_fmt(self.field, mine)})"
        if self.against is None:
            figure = mine
            detail = f"{mine:.2f} {self.unit} (limit {self.limit:g} {self.unit})"
        else:
            ref = rows.get(self.against)
            if not ok(ref):
                why = (ref or {}).get("skipped") or (ref or {}).get("error") or "not run"
                return "not measured", f"{self.against} row: {why}"
            theirs = value(ref, self.field)
            figure = mine / theirs
            detail = (
                f"{figure:.2f}x (limit {self.limit:g}x): engine {_fmt(self.field, mine)} vs "
                f"{self.against} {_fmt(self.field, theirs)}"
            ) + _without_gc(self.field, engine, ref)
        return ("met" if figure <= self.limit else "missed"), detail


def _without_gc(field: str, engine: dict[str, Any], ref: dict[str, Any]) -> str:
    """For time ratios where the garbage collector took a visible share: the ratio of
    the times spent outside it, as a second reading."""
    if field != "median_s":
        return ""
    gc_mine, gc_theirs = engine.get("gc_s", 0.0), ref.get("gc_s", 0.0)
    if max(gc_mine / engine[field], gc_theirs / ref[field]) < 0.05:
        return ""
    ratio = (engine[field] - gc_mine) / (ref[field] - gc_theirs)
    return (
        f"; in gc: engine {fmt_seconds(gc_mine)}, {ref['variant']} {fmt_seconds(gc_theirs)}; "
        f"outside gc the ratio is {ratio:.2f}x"
    )


def _fmt(field: str, v: float) -> str:
    if field == "peak_rss_kb":
        return f"{v / 1024:.1f} MB"
    if field == "median_s":
        return fmt_seconds(v)
    return f"{v:.2f}"


def fmt_seconds(s: float) -> str:
    if s >= 1:
        return f"{s:.2f} s"
    if s >= 1e-3:
        return f"{s * 1e3:.2f} ms"
    return f"{s * 1e6:.1f} us"


TARGETS: tuple[Target, ...] = (
    Target("mlp_step", "engine <= 1.03x hand-written NumPy", "median_s", 1.03, "numpy"),
    Target("cnn_step", "engine <= 1.0x NumPy im2col", "median_s", 1.0, "numpy"),
    Target("cnn_step", "engine <= 1.0x PyTorch", "median_s", 1.0, "torch"),
    Target("lstm_lm_step", "engine <= 1.5x PyTorch", "median_s", 1.5, "torch"),
    Target("transformer_step", "engine <= 1.5x PyTorch", "median_s", 1.5, "torch"),
    Target("scalar_graph", "engine build+backward <= 0.5x micrograd", "median_s", 0.5, "micrograd"),
    Target(
        "scalar_graph",
        "engine backward <= 1.0x micrograd's backward",
        "backward_us_per_node",
        1.0,
        "micrograd",
    ),
    Target(
        "scalar_math",
        "engine build+backward <= 0.5x micrograd-style pure Python",
        "median_s",
        0.5,
        "pure_python",
    ),
    Target("deep_chain_1m", "engine works 1,000,000 deep", "median_s", None),
    Target("deep_chain_100k", "engine <= 0.6x PyTorch at 100,000 deep", "median_s", 0.6, "torch"),
    Target(
        "node_cost",
        "engine cost per node flat within 20% from 10^3 to 10^6 nodes, collector on",
        "spread",
        1.2,
        unit="x (dearest size / cheapest)",
    ),
    Target(
        "tiny_ops", "engine forward + backward <= 2.5 us per op", "total_us_per_op", 2.5, unit="us"
    ),
    Target(
        "mlp_train_memory", "engine peak RSS <= 1.1x NumPy reference", "peak_rss_kb", 1.1, "numpy"
    ),
)


def judge_all(results: dict[str, Rows]) -> list[tuple[Target, str, str]]:
    """Every target whose case was run: (target, status, figures)."""
    return [(t, *t.judge(results[t.case])) for t in TARGETS if t.case in results]
