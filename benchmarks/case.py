"""What a benchmark case is: a fixed workload with one variant per implementation.

A variant's `make()` builds everything the workload needs (weights, data, imports of
its framework) and returns the function to time. That function either returns None,
and the harness times the whole call, or returns a dict of phase name -> seconds it
timed itself (for example `build` and `backward`), which the harness reports per phase.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

Step = Callable[[], "dict[str, float] | None"]


@dataclass(frozen=True)
class Variant:
    """One implementation of a case. `requires` names modules that must be importable
    (a missing one makes the variant a skipped row, not an error)."""

    name: str
    make: Callable[[], Step]
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class Case:
    """A workload. `reference` is the variant every row's ratio is taken against;
    `metric` is what that ratio compares: median `time` or `peak_rss_kb`."""

    name: str
    description: str
    reference: str
    variants: tuple[Variant, ...]
    repeat: int = 10
    warmup: int = 2
    quick_repeat: int = 3
    metric: str = "time"
    profile: bool = True  # profile the engine variant (off where another case shows the same)
    # Extra figures derived from a row's phase medians, e.g. microseconds per op.
    derive: Callable[[dict[str, float]], dict[str, float]] | None = None

    def variant(self, name: str) -> Variant:
        for v in self.variants:
            if v.name == name:
                return v
        known = ", ".join(v.name for v in self.variants)
        raise KeyError(f"case {self.name!r} has no variant {name!r}; it has: {known}")
