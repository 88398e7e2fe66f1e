"""Review outcomes counted in SQL, for true retention (Anki's table; issue 16, item 3).

Each review row keeps the state it replaced (`before_json`), which holds what was scheduled: the
item's due time and its FSRS card with the last review's time. So "was the item mature when it was
reviewed" is a question about that row alone, and SQLite's JSON functions answer it inside one
aggregate over the `review_time` index: the reviews are counted, never decoded in Python.

What counts (like Anki's "True Retention" table):
- only reviews of items in the review state: the first sight of an item (no `before`) and learning
  or relearning steps (minutes apart, scheduled by steps rather than by memory) are left out;
- mature means the interval the item was scheduled at was 21 days or more (`before.due` less the
  card's `last_review`, in days with `julianday`, which every SQLite has). The scheduled interval,
  not FSRS's stability: it is Anki's definition, so the figures compare with Anki's; it is what the
  learner actually waited for; and it does not move when new FSRS parameters are fitted (stability
  is the model's estimate, interval is the event).
  A due time pulled in before the exam date counts as scheduled: those intervals were shorter;
- passed means any rating but Again (a wrong answer is Again; a guess is Hard, so it passes).

A `before_json` that is not JSON (a damaged row) is skipped rather than failing the write or the
count, since SQLite's `json_extract` raises on malformed text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass

MATURE_DAYS = 21
"""Anki's threshold: a card whose interval is 21 days or more is mature (schema 8's `outcome_day`
counts by it: its triggers write 21)."""
MIDNIGHT = "T00:00:00.000000+00:00"
"""What follows the date in a stored time (`study.clock.iso`) at 00:00 UTC."""
REVIEW_STATE = 2
"""fsrs.State.Review in the stored card (written as 2 in the trigger and migration that use it)."""


@dataclass(frozen=True)
class OutcomeCount:
    """Reviews of one kind, in one period, young or mature: how many, and how many passed."""

    kind: str  # "card" | "question"
    period: int  # index into the `starts` asked for: at or after starts[period], before starts[period - 1]
    mature: bool
    reviews: int
    passed: int


class RetentionRecords:
    """Review outcome counts; mixed into ProgressStore, whose connection it reads."""

    _conn: sqlite3.Connection

    def reviews_between(self, bounds: Sequence[str]) -> list[int]:
        """Reviews (flashcards and questions) from each of `bounds` (ISO times, ascending) up to the
        next: one count a span, `len(bounds) - 1` of them, each a range of the `review_time` index
        counted inside SQLite in one statement, so a chart of days costs a count a day, not a row a
        review handed to Python."""
        if len(bounds) < 2:
            return []
        if list(bounds) != sorted(bounds):
            raise ValueError("bounds must be ascending")
        spans = ", ".join("(?, ?, ?)" for _ in bounds[1:])
        params: list[object] = []
        for i, (low, high) in enumerate(zip(bounds, bounds[1:], strict=False)):
            params += [i, low, high]
        rows = self._conn.execute(
            f"WITH span(i, low, high) AS (VALUES {spans}) SELECT i, (SELECT count(*) FROM review "
            "WHERE reviewed_at >= span.low AND reviewed_at < span.high) FROM span ORDER BY i",
            params,
        ).fetchall()
        return [int(n) for _, n in rows]

    def review_outcomes(self, starts: Sequence[str], mature_days: int = MATURE_DAYS) -> list[OutcomeCount]:
        """Reviews of items in review, counted by kind, period and maturity.

        `starts` are ISO times (the stored format), latest first: period 0 is from `starts[0]` on,
        period i from `starts[i]` up to `starts[i - 1]`. Nothing before `starts[-1]` is read.
        Combinations without a review are absent.

        At Anki's threshold (`MATURE_DAYS`) a period is counted from `outcome_day` (schema 8: one
        row per UTC day, kind and maturity) for the days it holds whole, and from `review_outcome`
        for the few days a start cuts (the learner's day starts at their hour, in their zone): the
        cost follows the days asked for and one day's reviews a start, never the reviews of the
        year (issue 18). Any other threshold counts the rows (`_outcomes_by_row`).
        """
        if not starts:
            return []
        if list(starts) != sorted(starts, reverse=True):
            raise ValueError("period starts must be given latest first")
        if mature_days != MATURE_DAYS:
            return self._outcomes_by_row(starts, mature_days)
        cut = sorted({s[:10] for s in starts if s[10:] != MIDNIGHT})
        params: dict[str, object] = {f"s{i}": start for i, start in enumerate(starts)}
        whens = " ".join(f"WHEN {{at}} >= :s{i} THEN {i}" for i in range(len(starts)))
        counts: dict[tuple[str, int, bool], tuple[int, int]] = {}

        def add(rows: Sequence[tuple[str, int | None, int, int, int]]) -> None:
            for kind, period, mature, n, passed in rows:
                if period is None or not n:
                    continue
                key = (kind, int(period), bool(mature))
                had = counts.get(key, (0, 0))
                counts[key] = (had[0] + int(n), had[1] + int(passed or 0))

        marks = ", ".join(f":c{i}" for i in range(len(cut)))
        params.update({f"c{i}": day for i, day in enumerate(cut)})
        params["first_day"] = starts[-1][:10]
        params["midnight"] = MIDNIGHT
        whole = self._conn.execute(
            f"SELECT kind, CASE {whens.format(at='day || :midnight')} END AS period, mature, "
            "sum(reviews), sum(passed) FROM outcome_day WHERE day >= :first_day "
            f"{f'AND day NOT IN ({marks})' if cut else ''} GROUP BY kind, period, mature",
            params,
        ).fetchall()
        add(whole)
        if cut:
            spans = ", ".join(f"(:c{i}, :n{i})" for i in range(len(cut)))
            params.update({f"n{i}": _next_day(day) for i, day in enumerate(cut)})
            edges = self._conn.execute(
                f"WITH span(low, high) AS (VALUES {spans}) "
                f"SELECT kind, CASE {whens.format(at='reviewed_at')} END AS period, "
                "interval_days >= 21 AS mature, count(*), sum(rating > 1) FROM span "
                "JOIN review_outcome ON reviewed_at >= span.low AND reviewed_at < span.high "
                "GROUP BY kind, period, mature",
                params,
            ).fetchall()
            add(edges)
        out = [OutcomeCount(kind, at, mature, n, ok) for (kind, at, mature), (n, ok) in counts.items()]
        return sorted(out, key=lambda c: (c.kind, c.period, c.mature))

    def _outcomes_by_row(self, starts: Sequence[str], mature_days: int) -> list[OutcomeCount]:
        """`review_outcomes` at a threshold the day summary does not keep: one range of rows."""
        # The reviews that count, with their scheduled interval in days, are the `review_outcome`
        # summary (schema migration 6), worked out once from `before_json` as each review is written
        # and clustered by time: ranges of it, no JSON read here. The oldest period (the year, most
        # of the rows) is summed by kind alone, its maturity counted by conditional sums: grouping
        # its rows by period and maturity too sorted every one of them (twice the time).
        last = len(starts) - 1
        counts = self._recent_outcomes(starts, mature_days) if last else []
        old = self._conn.execute(
            "SELECT kind, count(*), sum(rating > 1), sum(interval_days >= :mature_days), "
            "sum(interval_days >= :mature_days AND rating > 1) FROM review_outcome "
            f"WHERE reviewed_at >= :since {'AND reviewed_at < :until' if last else ''} GROUP BY kind",
            {"mature_days": mature_days, "since": starts[-1], "until": starts[-2] if last else None},
        ).fetchall()
        for kind, n, passed, mature, mature_passed in old:
            young = (n - mature, (passed or 0) - (mature_passed or 0))
            for is_mature, (reviews, ok) in ((False, young), (True, (mature or 0, mature_passed or 0))):
                if reviews:
                    counts.append(OutcomeCount(kind, last, is_mature, reviews, ok))
        return sorted(counts, key=lambda c: (c.kind, c.period, c.mature))

    def _recent_outcomes(self, starts: Sequence[str], mature_days: int) -> list[OutcomeCount]:
        """`review_outcomes` for every period but the oldest (from `starts[-2]` on)."""
        params: dict[str, object] = {"mature_days": mature_days, "since": starts[-2]}
        whens = []
        for i, start in enumerate(starts[:-2]):
            params[f"s{i}"] = start
            whens.append(f"WHEN reviewed_at >= :s{i} THEN {i}")
        period = f"CASE {' '.join(whens)} ELSE {len(starts) - 2} END" if whens else "0"
        sql = f"""
            SELECT kind, {period} AS period, interval_days >= :mature_days AS mature,
                count(*), sum(rating > 1)
            FROM review_outcome
            WHERE reviewed_at >= :since
            GROUP BY kind, period, mature
        """
        rows = self._conn.execute(sql, params).fetchall()
        return [OutcomeCount(kind, at, bool(mature), n, passed or 0) for kind, at, mature, n, passed in rows]


def _next_day(day: str) -> str:
    """The ISO date after `day` (YYYY-MM-DD): the end of its range of stored times."""
    from datetime import date, timedelta

    return (date.fromisoformat(day) + timedelta(days=1)).isoformat()
