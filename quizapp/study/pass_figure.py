"""The pass chance as a figure: what Home shows and the store keeps, apart from the engine.

`study.passchance` works a chance out (the exam's models, the scheduler, a simulation); Home only
shows one already worked out and kept (`pass_note`), so the figure and its wording live here, where
importing them costs nothing of the engine's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any


@dataclass(frozen=True)
class PassChance:
    p: float
    """P(scaled score >= passing) on `date`."""
    low: float
    high: float
    """The 80 % interval of `p` over what the history leaves uncertain."""
    date: date
    weakest_task: str | None
    """The task statement expected to cost the most points (None with nothing studied)."""
    expected_scaled: int
    expected_share: float
    needed_share: float
    """Share of the items that must be right to pass (34 of 50: 68 %)."""
    length: int
    replicates: int
    reason: str
    """What the figure rests on, and why it is low when it is."""
    seen: int
    total: int
    by_task: dict[str, float]
    """Expected share right of each task statement's questions on `date`."""

    def short(self) -> str:
        """One line for Home: "Pass chance 72 % (61–81 %) on 14 Dec — weakest: task 3.2". An interval
        that rounds to one figure is left out ("Pass chance <1 % on 14 Dec")."""
        low, high = _bare(self.low), _bare(self.high)
        interval = f" ({low}–{high} %)" if low != high else ""
        line = f"Pass chance {percent(self.p)}{interval} on {self.date.day} {self.date:%b}"
        return line + (f" — weakest: task {self.weakest_task}" if self.weakest_task else "")

    def as_dict(self) -> dict[str, Any]:
        """`stats --json`'s `pass_probability`."""
        return {
            "p": round(self.p, 4),
            "low": round(self.low, 4),
            "high": round(self.high, 4),
            "date": self.date.isoformat(),
            "expected_scaled": self.expected_scaled,
            "weakest_task": self.weakest_task,
            "reason": self.reason,
        }


def _bare(p: float) -> str:
    return str(round(p * 100))


def percent(p: float) -> str:
    """ "72 %"; the extremes as "<1 %" and ">99 %", never a flat 0 or 100."""
    if p < 0.005:
        return "<1 %"
    if p > 0.995:
        return ">99 %"
    return f"{round(p * 100)} %"


def target_moment(on: date | datetime) -> datetime:
    """A date means noon UTC that day, as the Coach's exam-date target does."""
    if isinstance(on, datetime):
        return on if on.tzinfo else on.replace(tzinfo=UTC)
    return datetime.combine(on, time(12), tzinfo=UTC)
