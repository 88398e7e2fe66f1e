"""Issue 16 items 4, 5 and 7 on the command line: `quizapp stats` ends with the pass chance, what it
rests on and (once exams carry one) how the predictions did; and the issue's "done when": a learner's
imported history of a few thousand reviews gets fitted parameters that beat the defaults on held-out
reviews, and a pass probability with an interval."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from itertools import zip_longest
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.content import bundled_root, load_catalog
from quizapp.store import ProgressStore
from tests.factory import make_bank, make_coach
from tests.study.fit_learner import simulate, write_history


def test_stats_of_an_empty_history_say_near_zero_and_why(tmp_path, capsys):
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "stats"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2].startswith("Pass chance <1 % on ")
    assert out[-1].startswith("  Nothing studied yet: guessing alone scores about")
    assert not any(line.startswith("pass predictions so far") for line in out)  # no exam yet
    assert main(["--data-dir", data, "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    chance = stats["pass_probability"]
    assert chance["p"] < 0.01 and chance["reason"].startswith("Nothing studied yet")
    assert chance["date"] == datetime.now().astimezone().date().isoformat()  # the learner's today
    assert stats["calibration"] == {"brier": None, "exams": 0, "baseline_brier": None}


def test_stats_print_the_pass_chance_and_the_brier_score_of_past_predictions(tmp_path, capsys):
    coach = make_coach(tmp_path, make_bank(per_task=2, cards_per_task=1, case_studies=0))
    for seed in (1, 2):
        coach.start_exam(3, seed=seed).submit()  # blank: a fail, predicted as very likely one
        coach.clock.advance(days=1)  # type: ignore[attr-defined]
    predictions = [e.predicted_pass for e in coach.store.exams()]
    coach.store.close()
    data = str(tmp_path / "data")
    assert main(["--data-dir", data, "stats"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-3].startswith("Pass chance ") and out[-2].startswith("  ")
    exam_lines = [line for line in out if line.startswith("  2026-")]
    assert len(exam_lines) == 2 and all(", pass chance " in line for line in exam_lines)
    assert exam_lines[0].endswith(" %)")  # each exam's prediction beside its score
    expected = sum(p * p for p in predictions) / 2  # both failed
    assert out[-1] == (
        f"pass predictions so far: Brier score {expected:.3f} over 2 exams (0 is perfect; always "
        "predicting your pass rate would score 0.000)"
    )
    assert main(["--data-dir", data, "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert [e["predicted_pass"] for e in stats["exams"]] == predictions
    assert stats["calibration"]["exams"] == 2 and stats["calibration"]["brier"] == round(expected, 4)


# ------------------------------------------------------------------------------ done when


@pytest.fixture
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fit counts study days in the system's zone (its child process inherits TZ)."""
    monkeypatch.setenv("TZ", "UTC")


def _learner_on_the_real_bank(folder: Path, exam_day: date) -> int:
    """A forgetful learner (tests/study/fit_learner: memory from a known non-default FSRS model)
    with 350 of the bundled bank's questions, taken from every task statement in turn, and 350 of
    its flashcards: about 8,900 reviews over 120 days, the last one yesterday (the commands run on
    today's clock), and an exam date two weeks ahead."""
    bank = load_catalog([bundled_root()]).primary
    by_task: dict[str, list[str]] = {}
    for qid in bank.questions:
        by_task.setdefault(bank.questions.info(qid).task, []).append(qid)
    spread = [qid for row in zip_longest(*by_task.values()) for qid in row if qid]
    questions, cards = iter(spread), iter(bank.flashcards)
    events = simulate(items=700)
    ids: dict[str, str] = {}
    for event in events:
        if event.item_id not in ids:
            ids[event.item_id] = next(cards if event.kind == "card" else questions)
    shift = datetime.now(UTC) - timedelta(days=1) - events[-1].at
    moved = [replace(e, item_id=ids[e.item_id], at=e.at + shift) for e in events]
    with ProgressStore.open(folder) as store:
        write_history(store, moved)
        store.set_setting("exam_date", exam_day.isoformat())
    return len(moved)


@pytest.mark.slow  # the fit runs in a child process
def test_an_imported_history_gets_a_better_fit_and_a_pass_chance_with_an_interval(tmp_path, capsys, _utc):
    exam_day = datetime.now(UTC).date() + timedelta(days=14)
    reviews = _learner_on_the_real_bank(tmp_path / "machine-a", exam_day)
    assert 3000 <= reviews <= 10_000  # a few thousand
    export = tmp_path / "progress.json"
    assert main(["--data-dir", str(tmp_path / "machine-a"), "export", str(export)]) == 0
    fresh = str(tmp_path / "machine-b")
    assert main(["--data-dir", fresh, "import", str(export)]) == 0
    assert "imported" in capsys.readouterr().out

    assert main(["--data-dir", fresh, "optimize", "--json"]) == 0
    fit = json.loads(capsys.readouterr().out)
    assert fit["action"] == "fit" and fit["adopted"] is True
    assert fit["log_loss"] < fit["default_log_loss"]  # held-out: the most recent 20 % of reviews
    assert fit["fsrs"]["source"] == "fitted" and fit["fsrs"]["reviews"] == reviews

    assert main(["--data-dir", fresh, "stats", "--json"]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert stats["fsrs"]["source"] == "fitted"  # the prediction below uses the learner's parameters
    chance = stats["pass_probability"]
    assert chance["date"] == exam_day.isoformat()
    # about 29 % (21-38 %): neither certain nor hopeless, and the history leaves a real doubt
    assert 0.02 < chance["low"] < chance["p"] < chance["high"] < 0.98
    assert chance["high"] - chance["low"] >= 0.05
    assert "reviews" in chance["reason"] and chance["weakest_task"] is not None

    assert main(["--data-dir", fresh, "stats"]) == 0
    lines = capsys.readouterr().out.splitlines()
    day = f"{exam_day.day} {exam_day:%b}"
    assert lines[-2].startswith("Pass chance ") and f"on {day} — weakest: task " in lines[-2]
    assert "–" in lines[-2]  # the interval, as "(61–81 %)"
