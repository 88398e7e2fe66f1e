"""`quizapp doctor [--repair] [--json]` on a real data folder and the bundled banks."""

from __future__ import annotations

import json

from quizapp.cli import main
from quizapp.store import ProgressStore

BAD_CARD = '{"due": "2026-11-23T09:00:00+00:00"}'


def _damage(folder) -> None:
    with ProgressStore.open(folder) as store:
        conn = store._conn
        conn.execute(
            "INSERT INTO item_state VALUES ('fc-x', 'card', ?, 5, 0, 1, 0, '2026-11-20')", (BAD_CARD,)
        )
        conn.execute(
            "INSERT INTO exam (seed, started_at, time_limit_s, questions_json, status) "
            "VALUES (1, '2026-11-23T09:00:00+00:00', 600, '[\"gone-1\"]', 'in_progress')"
        )
        store.set_setting("exam_length", "forever")


def test_doctor_lists_repairs_and_is_then_healthy(tmp_path, capsys):
    data = str(tmp_path)
    assert main(["doctor", "--data-dir", data]) == 0  # a fresh store is healthy
    assert "no problems" in capsys.readouterr().out
    _damage(tmp_path)

    assert main(["doctor", "--data-dir", data]) == 1
    out = capsys.readouterr().out
    assert "card fc-x" in out and "exam 1" in out and "setting exam_length" in out and "--repair" in out

    assert main(["stats", "--data-dir", data]) == 0  # stats carries on and says what it left out
    err = capsys.readouterr().err
    assert "setting exam_length" in err and "doctor --repair" in err

    assert main(["doctor", "--repair", "--data-dir", data]) == 0
    assert "repaired" in capsys.readouterr().out
    with ProgressStore.open(tmp_path) as store:
        assert len(store.set_aside_rows()) == 3

    assert main(["doctor", "--repair", "--json", "--data-dir", data]) == 0  # nothing left to do
    report = json.loads(capsys.readouterr().out)
    assert report["healthy"] and report["problems"] == [] and report["repaired"] == []
    with ProgressStore.open(tmp_path) as store:
        assert len(store.set_aside_rows()) == 3


def test_doctor_json_names_each_problem_and_exits_1(tmp_path, capsys):
    _damage(tmp_path)
    assert main(["doctor", "--json", "--data-dir", str(tmp_path)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert not report["healthy"]
    assert {(p["what"], p["key"]) for p in report["problems"]} == {
        ("card", "fc-x"),
        ("exam", "1"),
        ("setting", "exam_length"),
    }


def test_doctor_on_a_store_it_cannot_open_says_why(tmp_path, capsys):
    (tmp_path / "progress.db").write_bytes(b"not a database\n" * 300)
    assert main(["doctor", "--json", "--data-dir", str(tmp_path)]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["error"]["kind"] == "not_database"
