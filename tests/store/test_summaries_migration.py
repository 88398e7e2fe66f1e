"""Migration 6 upgrades a version 5 file with history in place: every row kept, and the summaries it
builds equal what the triggers keep on a file that had them all along (issue 18)."""

from __future__ import annotations

import sqlite3
from datetime import timedelta

from fsrs import Rating

from quizapp.store import DB_NAME, SCHEMA_VERSION, ProgressStore
from quizapp.store.db import migrate
from quizapp.study import Coach, ManualClock
from quizapp.study.grading import correct_response
from tests.factory import START, make_bank
from tests.store.histories import study_history
from tests.store.test_summaries import from_the_log, kept

TABLES = ("setting", "item_state", "review", "answer", "missed", "exam", "exam_answer", "set_aside")


def _study(coach: Coach, clock: ManualClock, days: int) -> None:
    """Weeks of practice and flashcards after `study_history`: reviews in the review state (true
    retention), answers beyond the recent window of some questions, guesses marked."""
    for day in range(days):
        session = coach.practice(cram=True)
        for n in range(min(12, len(session))):
            session.answer(
                correct_response(session.current()) if (n + day) % 4 else None, duration_ms=900 * n
            )
            if n == 3:
                session.mark_guess()
            clock.advance(minutes=1)
        cards = coach.flashcards()
        while cards.current() is not None and cards.reviewed < 8:
            cards.rate(Rating.Again if (day + cards.reviewed) % 5 == 0 else Rating.Good)
        clock.advance(days=1)


def _as_version_5(source: sqlite3.Connection, folder) -> None:  # noqa: ANN001
    """The same rows in a file at schema 5, as quizapp before issue 18 left it."""
    folder.mkdir()
    conn = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    migrate(conn, target=5)
    for table in TABLES:
        columns = ", ".join(r[1] for r in conn.execute(f"PRAGMA table_info({table})"))
        rows = source.execute(f"SELECT {columns} FROM {table}").fetchall()
        if rows:
            marks = ", ".join("?" * len(rows[0]))
            conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
    assert not conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'tally'").fetchone()
    conn.close()


def test_a_version_5_file_with_history_is_upgraded_in_place(tmp_path):
    bank, clock = make_bank(per_task=2, cards_per_task=2), ManualClock(START)
    coach = study_history(tmp_path / "now", bank, clock)
    clock.advance(days=1)
    _study(coach, clock, 45)
    source = coach.store._conn
    assert coach.store.answered_count() > 300 and len(kept(source)["review_outcome"]) > 20
    _as_version_5(source, tmp_path / "old")

    with ProgressStore.open(tmp_path / "old") as upgraded:
        conn = upgraded._conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION >= 6
        for table in TABLES:  # every row kept (a setting's time came with schema 7: NULL here)
            columns = ", ".join(
                r[1] for r in conn.execute(f"PRAGMA table_info({table})") if r[1] != "changed_at"
            )
            assert (
                conn.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2").fetchall()
                == source.execute(f"SELECT {columns} FROM {table} ORDER BY 1, 2").fetchall()
            )
        assert kept(conn) == from_the_log(conn) == kept(source)  # built = what triggers keep
        old = Coach(bank, upgraded, ManualClock(clock.now()), fuzz=False)
        same_time = Coach(bank, coach.store, ManualClock(clock.now()), fuzz=False)
        assert old.stats() == same_time.stats()
        # and from here on the triggers keep the upgraded file's summaries
        _study(old, old.clock, 2)  # type: ignore[arg-type]
        assert kept(conn) == from_the_log(conn)


def test_an_empty_version_5_file_is_upgraded_with_empty_summaries(tmp_path):
    folder = tmp_path / "v5"
    folder.mkdir()
    conn = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    migrate(conn, target=5)
    conn.close()
    with ProgressStore.open(folder) as store:
        assert store.answered_count() == store.reviewed_count("card") == 0
        assert kept(store._conn) == from_the_log(store._conn)
        clock = ManualClock(START + timedelta(days=1))
        Coach(make_bank(), store, clock, fuzz=False).stats()
