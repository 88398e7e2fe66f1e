"""The full quick_check runs on every open only while it is cheap (`QUICK_CHECK_BYTES`, about 2 ms of
checking): a file past that, a few weeks of study, is checked once a week like any large file."""

from __future__ import annotations

import sqlite3

from quizapp.store import DB_NAME, ProgressStore
from quizapp.store import db as store_db


def test_a_file_past_two_mib_is_checked_weekly_not_on_every_open(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    seen: list[str] = []
    connect = store_db._connect

    def traced(path):  # noqa: ANN001, ANN202
        conn = connect(path)
        conn.set_trace_callback(seen.append)
        return conn

    ProgressStore.open(tmp_path).close()
    conn = sqlite3.connect(tmp_path / DB_NAME, isolation_level=None)
    conn.execute("INSERT INTO housekeeping (key, value) VALUES ('padding', zeroblob(3 * 1024 * 1024))")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    assert 2 * 2**20 < (tmp_path / DB_NAME).stat().st_size < 16 * 2**20  # a year of study's size
    monkeypatch.setattr(store_db, "_connect", traced)
    checks = []
    for _ in range(3):
        ProgressStore.open(tmp_path).close()
        checks.append(sum(s.strip() == "PRAGMA quick_check" for s in seen))
        seen.clear()
    assert checks == [1, 0, 0]  # checked once (never before), the pass kept, then not within the week
