"""Issue 16 item 1 in `quizapp stats`: the median time per question when one was measured, and each
exam's time per question against the pace in `--json`."""

from __future__ import annotations

import json

from quizapp.cli import main
from tests.factory import make_bank, make_coach


def test_stats_say_the_median_time_and_exams_carry_their_timing(tmp_path, capsys):
    coach = make_coach(tmp_path, make_bank(per_task=2, cards_per_task=1, case_studies=0))
    session = coach.practice()
    for ms in (40_000, 48_000, 60_000):
        session.answer(None, duration_ms=ms)
    exam = coach.start_exam(2, seed=1)
    exam.spend(0, 30_000)
    exam.submit()
    stats = coach.stats()
    coach.store.close()
    assert stats["exams"][0]["timing"]["median_s"] == 30.0
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "stats"]) == 0
    assert "median time per question: 48 s" in capsys.readouterr().out
    assert main(["--data-dir", data, "stats", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["exams"][0]["timing"]["timed"] == 1


def test_stats_say_nothing_of_time_when_none_was_measured(tmp_path, capsys):
    coach = make_coach(tmp_path, make_bank(per_task=2, cards_per_task=1, case_studies=0))
    coach.practice().answer(None)
    coach.store.close()
    assert main(["--data-dir", str(tmp_path / "data"), "stats"]) == 0
    assert "time per question" not in capsys.readouterr().out
