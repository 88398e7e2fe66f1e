"""True retention from the day summary of schema 8 (issue 18): counted, not timed.

`outcome_day` counts the reviews true retention counts per UTC day, kind and maturity; a period is
its whole days from there and the days a period start cuts from `review_outcome`. These tests check
that the summary always equals the rows (every write, an undo, a changed rating, the migration that
builds it), that the counts equal the row-by-row way for starts at midnight or at any hour, and that
the work (SQLite's VM steps) does not grow with the reviews of the year.
"""

from __future__ import annotations

import json
import random
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quizapp.store import ProgressStore
from quizapp.store.db import migrate
from quizapp.store.retention import MATURE_DAYS

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def _stamp(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def add_reviews(conn: sqlite3.Connection, per_day: int, days: int, seed: int = 1) -> None:
    """`per_day` reviews of items in review on each of the last `days` days, at any hour, mature or
    young, passed or not, as the review log stores them (the triggers do the rest)."""
    rng = random.Random(seed)
    rows = []
    for day in range(days):
        for n in range(per_day):
            at = NOW - timedelta(days=day, minutes=rng.randint(0, 23 * 60), seconds=n)
            interval = rng.choice([1, 5, 20.9, 21, 40, 90])
            last = at - timedelta(days=interval)
            before = {
                "due": int((last + timedelta(days=interval)).timestamp()),
                "card": {"state": 2, "last_review": _stamp(last)},
            }
            kind = rng.choice(["card", "question"])
            rows.append(
                (f"{kind}-{n}", kind, rng.choice([1, 2, 3, 3, 3, 4]), _stamp(at), "x", json.dumps(before))
            )
    with conn:
        conn.executemany(
            "INSERT INTO review (item_id, kind, rating, reviewed_at, mode, before_json) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )


def by_day_from_rows(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT substr(reviewed_at, 1, 10), kind, interval_days >= 21, count(*), sum(rating > 1) "
        "FROM review_outcome GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    ).fetchall()


def by_day(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT day, kind, mature, reviews, passed FROM outcome_day ORDER BY 1, 2, 3"
    ).fetchall()


def starts_at(hour: int, minute: int = 0) -> list[str]:
    """Period starts as `study.retention.period_starts` makes them (0, 1, 6, 29, 364 days back), the
    day starting at `hour`:`minute` UTC (before NOW's 09:00)."""
    today = NOW.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return [_stamp(today - timedelta(days=back)) for back in (0, 1, 6, 29, 364)]


def test_the_day_summary_follows_every_write(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        conn = store._conn
        add_reviews(conn, per_day=6, days=60)
        assert by_day(conn) == by_day_from_rows(conn) != []
        ids = [r[0] for r in conn.execute("SELECT id FROM review ORDER BY id")]
        with conn:
            conn.execute("DELETE FROM review WHERE id IN (?, ?, ?)", ids[:3])  # an undo
            conn.execute("UPDATE review SET rating = 1 WHERE id = ?", (ids[10],))  # re-rated
            conn.execute("UPDATE review SET reviewed_at = ? WHERE id = ?", (_stamp(NOW), ids[11]))
            conn.execute("DELETE FROM review WHERE id > ?", (ids[-40],))
        assert by_day(conn) == by_day_from_rows(conn)
        assert conn.execute("SELECT count(*) FROM outcome_day WHERE reviews <= 0").fetchone()[0] == 0


def test_counts_equal_the_row_by_row_way_at_any_day_start(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        add_reviews(store._conn, per_day=8, days=400)
        for starts in (starts_at(0), starts_at(4), starts_at(2, 30), starts_at(8, 45)):
            counted = store.review_outcomes(starts)
            assert counted == store._outcomes_by_row(starts, MATURE_DAYS)
            assert {1, 2, 3, 4} <= {c.period for c in counted}
        assert store.review_outcomes(starts_at(4), 30) == store._outcomes_by_row(starts_at(4), 30)


def _vm_steps(store: ProgressStore, call: Callable[[], object]) -> int:
    """SQLite VM instructions (in hundreds) that `call` takes on the store's connection."""
    steps = [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    store._conn.set_progress_handler(tick, 100)
    try:
        call()
    finally:
        store._conn.set_progress_handler(None, 0)
    return steps[0]


def test_true_retention_work_does_not_grow_with_the_reviews_of_the_year(tmp_path):
    """Two learners over the same year, one reviewing 2 a day, the other 40: the counts read the
    same days of the summary (four rows a day at most), and the log's rows only on the five days a
    start cuts. Row by row, the second took about 20 times the first's steps."""
    steps = {}
    for per_day in (2, 40):
        with ProgressStore.open(tmp_path / str(per_day)) as store:
            add_reviews(store._conn, per_day=per_day, days=365)
            steps[per_day] = _vm_steps(store, lambda: store.review_outcomes(starts_at(4)))
    assert steps[40] < 4 * steps[2], steps


def test_an_old_database_is_upgraded_with_its_days_counted(tmp_path):
    """A version 7 file with reviews: the migration counts them into `outcome_day`, nothing lost."""
    path = tmp_path / "progress.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=7)
    add_reviews(conn, per_day=5, days=40)
    before = conn.execute("SELECT count(*) FROM review_outcome").fetchone()[0]
    conn.close()
    with ProgressStore.open(Path(tmp_path)) as store:
        conn = store._conn
        assert conn.execute("SELECT count(*) FROM review_outcome").fetchone()[0] == before > 0
        assert by_day(conn) == by_day_from_rows(conn)


# ------------------------------------------------------------------ the median answer time (schema 9)


def add_answers(conn: sqlite3.Connection, times: list[int | float | None]) -> None:
    """Answers with these times (None: not measured), as the answer log stores them."""
    with conn:
        conn.executemany(
            "INSERT INTO answer (question_id, answered_at, day, correct, mode, response_json, duration_ms) "
            "VALUES (?, ?, '2026-11-23', 1, 'practice', '0', ?)",
            [(f"q{n % 50}", _stamp(NOW - timedelta(seconds=n)), t) for n, t in enumerate(times)],
        )


def seconds_from_answers(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute(
        "SELECT CAST(duration_ms AS INTEGER) / 1000, count(*) FROM answer WHERE duration_ms IS NOT NULL "
        "GROUP BY 1 ORDER BY 1"
    ).fetchall()


def test_the_median_is_statistics_median_after_every_write(tmp_path):
    import statistics

    rng = random.Random(9)
    with ProgressStore.open(tmp_path) as store:
        conn = store._conn
        assert store.median_answer_ms() is None
        add_answers(conn, [None, 4_999, 5_000, 5_001, 2_000.5])  # the middle two in two seconds
        times = [4_999, 5_000, 5_001, 2_000.5]
        assert store.median_answer_ms() == statistics.median(times)
        more = [rng.choice([None, rng.randint(0, 200_000)]) for _ in range(501)]
        add_answers(conn, more)
        times += [t for t in more if t is not None]
        ids = [r[0] for r in conn.execute("SELECT id FROM answer WHERE duration_ms IS NOT NULL ORDER BY id")]
        with conn:
            conn.execute("DELETE FROM answer WHERE id IN (?, ?)", ids[5:7])  # an undo
            conn.execute("UPDATE answer SET duration_ms = 61000 WHERE id = ?", (ids[9],))
            conn.execute("UPDATE answer SET duration_ms = NULL WHERE id = ?", (ids[10],))
        times = [r[0] for r in conn.execute("SELECT duration_ms FROM answer WHERE duration_ms IS NOT NULL")]
        assert conn.execute(
            "SELECT second, n FROM answer_second ORDER BY 1"
        ).fetchall() == seconds_from_answers(conn)
        for _ in range(3):  # an odd and an even count
            assert store.median_answer_ms() == statistics.median(times)
            add_answers(conn, [rng.randint(0, 200_000)])
            times = [
                r[0] for r in conn.execute("SELECT duration_ms FROM answer WHERE duration_ms IS NOT NULL")
            ]


def test_the_median_reads_one_second_of_answers_not_half_of_them(tmp_path):
    """Answers of 20 to 110 s: ten times as many of them, and the median walks one second's share
    of ten times as many (a tenth of the walk to the middle of them all, which it was before)."""
    rng = random.Random(3)
    steps = {}
    for count in (2_000, 20_000):
        with ProgressStore.open(tmp_path / str(count)) as store:
            add_answers(store._conn, [rng.randint(20_000, 110_000) for _ in range(count)])
            steps[count] = _vm_steps(store, store.median_answer_ms)
    assert steps[20_000] < 4 * steps[2_000], steps


def test_an_old_database_is_upgraded_with_its_seconds_counted(tmp_path):
    path = tmp_path / "progress.db"
    conn = sqlite3.connect(path, isolation_level=None)
    migrate(conn, target=8)
    add_answers(conn, [1_500, None, 2_500, 2_600, 90_000])
    conn.close()
    with ProgressStore.open(Path(tmp_path)) as store:
        assert seconds_from_answers(store._conn) == [(1, 1), (2, 2), (90, 1)]
        assert store._conn.execute("SELECT second, n FROM answer_second ORDER BY 1").fetchall() == [
            (1, 1),
            (2, 2),
            (90, 1),
        ]
        assert store.median_answer_ms() == 2_550
