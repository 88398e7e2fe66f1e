"""Export, import and sync at scale: the export is written from the rows without becoming Python
values first and means exactly what `export_data` says, its bytes do not change while the data does
not, and a no-op import reads each table whole once instead of looking rows up one by one.

Counted, not timed (bench/transfer.py times 100k reviews): the SQL statements an import runs, the
memory an export holds."""

from __future__ import annotations

import json
import tracemalloc
from datetime import datetime, timedelta

import pytest
from fsrs import Rating

from quizapp.cli import main
from quizapp.store import ProgressStore, export_stream
from quizapp.study import ManualClock
from quizapp.study.clock import iso
from tests.factory import START, make_bank
from tests.store.histories import study_history


@pytest.fixture
def coach(tmp_path):
    clock = ManualClock(START)
    coach = study_history(tmp_path / "a", make_bank(), clock)
    clock.advance(days=3)
    cards = coach.flashcards()  # reviews of cards seen before: their logs hold a before-state
    for rating in (Rating.Hard, Rating.Good):
        if cards.current():
            cards.rate(rating)
    coach.update_settings(exam_date="2027-03-01")
    yield coach
    coach.store.close()


@pytest.mark.parametrize("sql_json", [True, False], ids=["sqlite-json", "python-encoder"])
def test_the_streamed_export_means_what_export_data_says(coach, monkeypatch, sql_json):
    monkeypatch.setattr(export_stream, "SQL_JSON", sql_json)
    data = coach.store.export_data()
    assert data["reviews"] and data["answers"] and len(data["exams"]) == 2
    assert any(r["before"] for r in data["reviews"]) and any(a["review_at"] for a in data["answers"])
    written = coach.store.export_bytes()
    assert json.loads(written) == data
    assert written.endswith(b"}\n") and written.count(b"\n") == 1  # compact: one line


@pytest.mark.parametrize("sql_json", [True, False], ids=["sqlite-json", "python-encoder"])
def test_a_before_state_is_exported_with_the_state_keys_alone(coach, monkeypatch, sql_json):
    """A row merged by a quizapp from before import validation may hold more than a state."""
    monkeypatch.setattr(export_stream, "SQL_JSON", sql_json)
    with coach.store._write() as c:
        c.execute(
            "UPDATE review SET before_json = json_set(before_json, '$.item_id', 'x', '$.extra', json('[1]')) "
            "WHERE before_json IS NOT NULL"
        )
    data = coach.store.export_data()
    befores = [r["before"] for r in data["reviews"] if r["before"]]
    assert befores and all(set(b) == set(export_stream.STATE_KEYS) for b in befores)
    assert all(type(b["leech"]) is bool and type(b["card"]) is dict for b in befores)
    assert json.loads(coach.store.export_bytes()) == data


def test_the_export_is_the_same_bytes_while_the_data_is_the_same(coach, tmp_path):
    first = coach.store.export_bytes()
    assert coach.store.export_bytes() == first
    assert set(coach.store.import_data(json.loads(first), coach.srs.replay).values()) == {0}
    assert coach.store.export_bytes() == first
    with ProgressStore.open(tmp_path / "b") as other:  # what another device holds after merging it
        other.import_data(json.loads(first), coach.srs.replay)
        assert json.loads(other.export_bytes()) == json.loads(first)


def test_export_to_stdout_writes_the_same_bytes(coach, tmp_path, capsysbinary):
    expected = coach.store.export_bytes()
    coach.store.close()
    assert main(["--data-dir", str(tmp_path / "a"), "export", "-"]) == 0
    assert capsysbinary.readouterr().out == expected


def test_quizapp_export_holds_the_history_in_memory_once(coach, tmp_path, monkeypatch):
    """The export used to be built as Python values and then as indented text (the history in
    memory twice, many times its size); now its compact bytes are the only copy, the rows
    passing through a bounded batch (made small here, so that the file dwarfs it)."""
    monkeypatch.setattr(export_stream, "BATCH", 50)
    coach.store.import_data(_grown(coach.store.export_data(), 300), coach.srs.replay)
    coach.store.close()
    args = ["--data-dir", str(tmp_path / "a"), "export", str(tmp_path / "out.json")]
    assert main(args) == 0  # modules imported, caches warm: the second run is the one measured
    tracemalloc.start()
    try:
        assert main(args) == 0
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    size = (tmp_path / "out.json").stat().st_size
    assert size > 500_000
    assert peak < 1.5 * size, f"peak {peak} bytes for a {size}-byte export"


def _grown(data: dict, copies: int) -> dict:
    """The same reviews and answers again and again, each copy a minute later: a long history."""

    def later(stamp: str | None, n: int) -> str | None:
        return None if stamp is None else iso(datetime.fromisoformat(stamp) + timedelta(minutes=n))

    reviews, answers = [], []
    for n in range(1, copies + 1):
        reviews += [r | {"reviewed_at": later(r["reviewed_at"], n)} for r in data["reviews"]]
        answers += [
            a | {"answered_at": later(a["answered_at"], n), "review_at": later(a["review_at"], n)}
            for a in data["answers"]
        ]
    return data | {"reviews": reviews, "answers": answers, "exams": [], "items": []}


def test_a_no_op_import_reads_each_table_once_not_row_by_row(tmp_path):
    """Items and exams were looked up one SELECT each; the statements an import runs must not
    grow with the file (reviews and answers were already read in bulk)."""
    counts = []
    for exams in (1, 4):
        coach = study_history(tmp_path / f"d{exams}", make_bank(), ManualClock(START))
        coach.resume_exam().submit()
        for seed in range(exams):
            coach.start_exam(3, seed=100 + seed).submit()
        data = coach.store.export_data()
        statements: list[str] = []
        coach.store._conn.set_trace_callback(statements.append)
        try:
            assert set(coach.store.import_data(data, coach.srs.replay).values()) == {0}
        finally:
            coach.store._conn.set_trace_callback(None)
            coach.store.close()
        counts.append((len(data["items"]), len(data["exams"]), len(statements)))
    (items_a, exams_a, run_a), (items_b, exams_b, run_b) = counts
    assert exams_b > exams_a and items_b >= items_a >= 5
    assert run_a == run_b, counts
    assert run_a < 20, counts


def test_a_merge_reads_the_logs_it_replays_in_one_query_not_one_per_item(tmp_path):
    bank = make_bank()
    a = study_history(tmp_path / "a", bank, ManualClock(START))
    b = study_history(tmp_path / "b", bank, ManualClock(START.replace(hour=20)))  # other times
    data = a.store.export_data()
    both = {r["item_id"] for r in data["reviews"]} & {r["item_id"] for r in b.store.export_data()["reviews"]}
    statements: list[str] = []
    b.store._conn.set_trace_callback(statements.append)
    try:
        added = b.store.import_data(data, b.srs.replay)
    finally:
        b.store._conn.set_trace_callback(None)
    assert added["reviews"] == len(data["reviews"]) and len(both) >= 5  # their logs are replayed
    assert len([s for s in statements if "FROM review WHERE item_id" in s]) == 1
    a.store.close()
    b.store.close()


def test_a_sqlite_without_json_functions_gets_the_python_encoder(coach):
    """3.38 and later have them built in, but a library can be compiled without them."""
    conn = coach.store._conn
    rows = export_stream._batches(
        conn, "SELECT json_missing(id) FROM review", export_stream.REVIEWS_PY_SQL, export_stream.review_dict
    )
    texts = [text for batch in rows for text in batch]
    assert [json.loads(t) for t in texts] == coach.store.export_data()["reviews"]
