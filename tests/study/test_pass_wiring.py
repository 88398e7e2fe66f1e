"""Issue 16 items 4, 5 and 7 wired: the Coach's pass chance (cached, safe in a thread worker), the
prediction stored with each exam, the record of predictions against results and its Brier score,
and `stats`' keys."""

from __future__ import annotations

import sqlite3
import threading
from datetime import date, timedelta

import pytest

import quizapp.store.summaries as summaries
import quizapp.study.predictions as predictions
from quizapp.store import ProgressStore
from quizapp.study import Coach, ExamCheck, ManualClock, PassChance, Scope, pass_probability
from quizapp.study.grading import correct_response
from quizapp.study.passchance import FirstTry, brier, first_tries
from quizapp.study.predictions import RecallCache
from quizapp.study.recall_calibration import fit_calibration, recall_evidence
from tests.factory import START, make_bank, make_coach
from tests.history import wrong_response

BANK = make_bank(per_task=4, cards_per_task=1, case_studies=0)


def _study(coach: Coach, days: int, per_day: int = 14, miss_every: int = 4) -> None:
    """`days` days of practice, two task statements a day in turn, a wrong answer every
    `miss_every`-th, some right ones marked as guesses."""
    clock: ManualClock = coach.clock  # type: ignore[assignment]
    tasks = coach.bank.blueprint.task_ids()
    n = 0
    for day in range(days):
        for task in (tasks[(2 * day) % len(tasks)], tasks[(2 * day + 1) % len(tasks)]):
            session = coach.practice(Scope("task", task))
            for _ in range(min(per_day // 2, len(session))):
                question = session.current()
                assert question is not None
                n += 1
                right = n % miss_every != 0
                session.answer(correct_response(question) if right else wrong_response(question, _Rng()))
                if right and n % 9 == 0:
                    session.mark_guess()
                clock.advance(seconds=60)
        clock.advance(days=1)


class _Rng:
    """`wrong_response` wants a random choice; the first wrong option is as good as any."""

    def choice(self, options):  # noqa: ANN001, ANN201
        return options[0]


def _sit(coach: Coach, length: int, seed: int, right: bool) -> None:
    exam = coach.start_exam(length, seed=seed)
    if right:
        for position in range(len(exam)):
            exam.answer(correct_response(exam.question(position)), position=position)
    coach.clock.advance(minutes=20)  # type: ignore[attr-defined]
    exam.submit()
    coach.clock.advance(days=1)  # type: ignore[attr-defined]


# ------------------------------------------------------------------------------ the prediction


def test_an_empty_history_gives_near_zero_with_the_reason_in_stats(tmp_path):
    coach = make_coach(tmp_path, BANK)
    chance = coach.pass_chance()
    assert isinstance(chance, PassChance) and chance.p < 0.01 and chance.date == START.date()
    stats = coach.stats()
    shown = stats["pass_probability"]
    assert set(shown) == {"p", "low", "high", "date", "expected_scaled", "weakest_task", "reason"}
    assert shown["p"] < 0.01 and shown["low"] <= shown["p"] <= shown["high"] < 0.01
    assert shown["date"] == START.date().isoformat() and shown["weakest_task"] is None
    assert shown["reason"].startswith("Nothing studied yet")
    assert stats["calibration"] == {"brier": None, "exams": 0, "baseline_brier": None}
    assert "readiness" in stats  # the older point estimate is still there


def test_the_pass_chance_is_for_the_exam_date_or_the_date_asked(tmp_path):
    coach = make_coach(tmp_path, BANK)
    _study(coach, 3)
    exam_day = coach.clock.today() + timedelta(days=20)
    coach.update_settings(exam_date=exam_day.isoformat())
    assert coach.pass_chance().date == exam_day
    assert coach.pass_chance(on=date(2027, 3, 1)).date == date(2027, 3, 1)
    assert coach.stats()["pass_probability"]["date"] == exam_day.isoformat()
    coach.update_settings(exam_date=None)
    assert coach.pass_chance().date == coach.clock.today()


def test_it_is_the_engine_on_the_stored_history(tmp_path):
    """The Coach adds reads and a cache, nothing else: the same figure as the engine given the
    records (first tries by SQL, the calibration from every question review)."""
    coach = make_coach(tmp_path, BANK)
    _study(coach, 6)
    srs = coach.srs
    calibration = fit_calibration(recall_evidence(coach.store.reviews(), predictions.guess_rates(BANK), srs))
    on = coach.clock.today()  # no exam date: the learner's today (noon UTC)
    engine = pass_probability(
        BANK,
        coach.store.states("question"),
        first_tries(coach.store.answers()),
        srs,
        on,
        calibration=calibration,
    )
    mine = coach.pass_chance()
    assert mine.p == pytest.approx(engine.p, abs=1e-9)
    assert (mine.low, mine.high, mine.reason) == (
        pytest.approx(engine.low),
        pytest.approx(engine.high),
        engine.reason,
    )
    assert 0 < mine.low < mine.p < mine.high < 1  # a real interval once there is a history


def test_first_tries_by_sql_agree_with_the_engines_reading_of_the_answers(tmp_path):
    coach = make_coach(tmp_path, BANK)
    _study(coach, 8, miss_every=3)
    sql = summaries.first_tries(coach.store)
    python = first_tries(coach.store.answers())
    assert sql == python
    # every kind is there: right and never missed, right first and missed since, wrong or a guess
    assert set(sql.values()) == {FirstTry(True, True), FirstTry(True, False), FirstTry(False, False)}


# ------------------------------------------------------------------------------ the caches


def test_a_second_call_with_nothing_new_reads_no_review_and_predicts_nothing(tmp_path, monkeypatch):
    coach = make_coach(tmp_path, BANK)
    _study(coach, 5)
    reads: list[str] = []
    predicts: list[int] = []
    real_all, real_from, real_predict = (
        summaries.question_reviews,
        summaries.question_reviews_from,
        predictions.pass_probability,
    )
    monkeypatch.setattr(predictions, "question_reviews", lambda s: reads.append("all") or real_all(s))
    monkeypatch.setattr(
        predictions, "question_reviews_from", lambda s, i: reads.append(f"from {i}") or real_from(s, i)
    )
    monkeypatch.setattr(
        predictions, "pass_probability", lambda *a, **k: predicts.append(1) or real_predict(*a, **k)
    )
    monkeypatch.setattr(ProgressStore, "reviews", lambda *a, **k: pytest.fail("the whole log was read"))

    first = coach.pass_chance()
    assert reads == ["all"] and predicts == [1]
    assert coach.pass_chance() is first and coach.known_pass_chance() is first
    assert coach.stats()["pass_probability"] == first.as_dict()
    assert reads == ["all"] and predicts == [1]  # nothing read again, nothing predicted again

    _study(coach, 1, per_day=3, miss_every=100)  # three more answers, none marked as a guess
    assert coach.known_pass_chance() is None  # what is stored changed
    coach.pass_chance()
    assert reads[0] == "all" and len(reads) == 2 and reads[1].startswith("from ")  # only the new reviews
    assert predicts == [1, 1]


def test_the_calibration_brought_up_to_date_equals_one_fitted_on_the_whole_log(tmp_path):
    coach = make_coach(tmp_path, BANK)
    cache = RecallCache()
    for _ in range(4):
        _study(coach, 3)
        grown = cache.calibration(coach.store, BANK, coach.srs)
        whole = fit_calibration(
            recall_evidence(coach.store.reviews(), predictions.guess_rates(BANK), coach.srs)
        )
        assert (grown.a, grown.b, grown.reviews) == (
            pytest.approx(whole.a),
            pytest.approx(whole.b),
            whole.reviews,
        )
    assert cache.full_reads == 1 and whole.reviews > 0


@pytest.mark.parametrize("edit", ["guess", "undo"])
def test_an_edit_of_the_log_is_seen(tmp_path, edit):
    """Marking an answer as a guess re-rates its review and keeps every count; an undo removes it.
    Either way the cached prediction is not served again, and the calibration is read whole."""
    coach = make_coach(tmp_path, BANK)
    _study(coach, 4, miss_every=100)
    session = coach.practice(Scope())
    session.answer(correct_response(session.current()))
    coach.clock.advance(minutes=1)  # type: ignore[attr-defined]
    before = coach.pass_chance()
    reads = coach._recall.full_reads
    if edit == "guess":
        session.mark_guess()
    else:
        session.undo()
    assert coach.known_pass_chance() is None
    after = coach.pass_chance()
    assert coach._recall.full_reads == reads + 1
    assert after is not before


# ------------------------------------------------------------------------------ threads


def _strict(store: ProgressStore) -> ProgressStore:
    """The store with a connection that refuses use from any thread but this one: a worker that
    touched it would raise sqlite3.ProgrammingError."""
    store._conn.close()
    store._conn = sqlite3.connect(store.path, isolation_level=None, check_same_thread=True)
    return store


def _in_thread(call):  # noqa: ANN001, ANN202
    box: dict = {}

    def run() -> None:
        try:
            box["value"] = call()
        except BaseException as exc:  # noqa: BLE001 - handed back to the test
            box["error"] = exc

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(60)
    if "error" in box:
        raise box["error"]
    return box["value"]


def test_a_worker_reads_through_its_own_connection_never_the_apps(tmp_path):
    coach = make_coach(tmp_path, BANK)
    _study(coach, 4)
    coach.forget_settings()  # the worker must read settings too, from its snapshot
    _strict(coach.store)
    chance = _in_thread(coach.pass_chance)
    assert coach._settings is None  # the worker kept nothing it read for the main thread
    assert coach.known_pass_chance() is chance  # which finds the worker's prediction
    inputs = _in_thread(coach.pass_chance_inputs)
    assert inputs.ready is chance


def test_a_worker_predicts_while_the_main_thread_studies(tmp_path):
    coach = make_coach(tmp_path, BANK)
    _study(coach, 2)
    _strict(coach.store)
    stop = threading.Event()
    results: list[PassChance] = []
    errors: list[BaseException] = []

    def keep_predicting() -> None:
        while not stop.is_set():
            try:
                results.append(coach.pass_chance())
            except BaseException as exc:  # noqa: BLE001
                errors.append(exc)
                return

    worker = threading.Thread(target=keep_predicting)
    worker.start()
    try:
        _study(coach, 3, per_day=10)
    finally:
        stop.set()
        worker.join(60)
    assert not errors and results
    assert all(0 <= r.low <= r.p <= r.high <= 1 for r in results)
    # what the main thread then sees is the prediction for what is stored now
    fresh = coach.pass_chance()
    assert coach.known_pass_chance() is fresh


# ------------------------------------------------------------------------------ exams


def test_start_exam_stores_the_pass_chance_of_its_own_form(tmp_path):
    coach = make_coach(tmp_path, BANK)
    _study(coach, 6)
    coach.start_exam(12, seed=4)
    record = coach.store.in_progress_exam()
    assert record is not None and record.predicted_pass is not None
    assert 0.0 <= record.predicted_pass <= 1.0
    expected = coach.pass_chance(on=coach.clock.now(), form=record.question_ids)
    assert record.predicted_pass == pytest.approx(expected.p)
    assert record.predicted == expected.expected_scaled
    entry = coach.stats()["exams"][0]
    assert (entry["predicted_pass"], entry["predicted"]) == (record.predicted_pass, record.predicted)


def test_the_prediction_record_and_its_brier_score(tmp_path):
    coach = make_coach(tmp_path, BANK)
    assert coach.prediction_record() == [] and coach.brier() is None
    # an exam from before pass chances: in the record, not in the score
    old = coach.store.create_exam(1, "2026-11-01T09:00:00.000000+00:00", 600, ["q-1.1-000"], 610)
    result = {"scaled": 100, "passed": False, "correct": 0, "total": 1, "time_used_s": 5.0}
    coach.store.finish_exam(old, "submitted", "2026-11-01T09:10:00.000000+00:00", 5.0, result, [])
    assert coach.brier() is None
    _study(coach, 5)
    _sit(coach, 8, seed=1, right=True)
    _sit(coach, 8, seed=2, right=False)
    _sit(coach, 8, seed=3, right=True)
    coach.start_exam(8, seed=4)  # in progress: no outcome yet
    record = coach.prediction_record()
    assert [type(c) for c in record] == [ExamCheck] * 4
    assert [c.started_at for c in record] == sorted(c.started_at for c in record)  # oldest first
    assert [(c.scaled, c.passed) for c in record] == [(100, False), (1000, True), (100, False), (1000, True)]
    assert record[0].predicted_pass is None and record[0].predicted_scaled == 610
    scored = record[1:]
    assert all(c.predicted_pass is not None and 0 <= c.predicted_pass <= 1 for c in scored)
    expected = brier([c.predicted_pass for c in scored], [c.passed for c in scored])
    assert coach.brier() == pytest.approx(expected)
    calibration = coach.stats()["calibration"]
    assert calibration["exams"] == 3 and calibration["brier"] == round(expected, 4)
    assert calibration["baseline_brier"] == round(brier([2 / 3] * 3, [True, False, True]), 4)
