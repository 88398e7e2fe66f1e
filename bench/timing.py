"""Figures and their statistics: what one benchmark reports and how it is judged against its goal.

Every figure keeps its raw samples (one per run) so the table can show the spread next to the median;
a single number would hide a noisy machine.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0-100) with linear interpolation, as numpy's default does."""
    if not values:
        raise ValueError("percentile of no values")
    ordered = sorted(values)
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass
class Figure:
    """One reported number: a sample per run, a goal (None: informative only) and its direction."""

    key: str
    label: str
    unit: str
    goal: float | None = None
    strict: bool = False
    """True when the goal is `value < goal` rather than `value <= goal`."""
    samples: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.samples.append(value)

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def ok(self) -> bool | None:
        if self.goal is None or not self.samples:
            return None
        return self.median < self.goal if self.strict else self.median <= self.goal

    def goal_text(self) -> str:
        if self.goal is None:
            return ""
        return f"{'<' if self.strict else '≤'} {_fmt(self.goal)}"

    def row(self) -> tuple[str, str, str, str, str, str]:
        if not self.samples:
            return (self.label, "-", "-", "-", self.goal_text(), "skipped")
        ok = {True: "ok", False: "MISSED", None: ""}[self.ok]
        return (
            f"{self.label} [{self.unit}]",
            _fmt(self.median),
            _fmt(min(self.samples)),
            _fmt(max(self.samples)),
            self.goal_text(),
            ok,
        )


def _fmt(value: float) -> str:
    if value >= 100:
        return f"{value:,.0f}"
    if value >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


def table(figures: list[Figure]) -> str:
    """A fixed-width table: figure, median, min, max, goal, ok?"""
    header = ("figure", "median", "min", "max", "goal", "ok?")
    rows = [header, *(f.row() for f in figures)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = []
    for n, r in enumerate(rows):
        cells = [r[0].ljust(widths[0]), *(c.rjust(w) for c, w in zip(r[1:5], widths[1:5], strict=True)), r[5]]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)
