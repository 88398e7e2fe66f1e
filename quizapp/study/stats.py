"""`quizapp stats` and the dashboard's figures, gathered from the Coach (`Coach.stats`).

Everything here comes from the store's summaries and index ranges (schema 6): per-question tallies
for the accuracy, the newest answers mastery needs, the exams without their steps, the median time
from its index, so the cost does not grow with the answer and review logs.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING, Any

from quizapp.store.summaries import question_tallies
from quizapp.study.coach import _task_order
from quizapp.study.history import per_study_day
from quizapp.study.load import due_forecast, due_today_count
from quizapp.study.predictions import brier_summary, prediction_record
from quizapp.study.readiness import Mastery, readiness

if TYPE_CHECKING:
    from quizapp.study.coach import Coach


def stats(coach: Coach, with_pass_chance: bool = True) -> dict[str, Any]:
    """Everything `quizapp stats` prints (`Coach.stats`; the dashboard draws `dashboard_figures`,
    a bounded part of it). Without the pass
    chance (`pass_probability` is None) for a caller that has it worked out in a worker: on a cold
    Coach it reads every question review once, which the event loop must not wait for."""
    days, load = coach.days, coach.question_load()
    tallies = question_tallies(coach.store)
    by_domain, by_task = coach.mastery(tallies)
    exams = []
    records = coach.store.exam_summaries()
    for e in records:
        entry: dict[str, Any] = {
            "started_at": e.started_at,
            "status": e.status,
            "questions": e.questions,
            # The scaled score and P(pass) predicted just before it (None: from before predictions).
            "predicted": e.predicted,
            "predicted_pass": e.predicted_pass,
        }
        if e.result:
            entry.update(
                {
                    "finished_at": e.finished_at,
                    "scaled": e.result["scaled"],
                    "passed": e.result["passed"],
                    "correct": e.result["correct"],
                    "total": e.result["total"],
                    "time_used_s": e.result["time_used_s"],
                    # Time per question against the exam's pace (None: an exam from before times).
                    "timing": e.result.get("timing"),
                }
            )
        exams.append(entry)
    ready = readiness(coach.bank, by_domain, by_task, coach._target())
    return {
        "answered": coach.store.answered_count(),
        "reviewed": coach.store.reviewed_count("card"),
        "accuracy": _accuracy(coach, tallies),
        "mastery": _mastery(by_domain, by_task),
        # Due in the current study day; questions within the daily review limit, the rest held.
        "due": {
            "flashcards": due_today_count(coach.store, days, "card"),
            "questions": load.served,
            "questions_held": load.held,
        },
        "missed": coach.store.missed_count(),
        "leeches": len(coach.leeches()),
        "exams": exams,
        # The older point estimate of the scaled score (mastery by domain, weighted): kept for
        # the dashboard's bars and readers of earlier versions; "pass_probability" is the answer.
        "readiness": ready.as_dict(),
        # P(scaled >= 700) on the exam date (today without one), its 80 % interval and why.
        "pass_probability": coach.pass_chance().as_dict() if with_pass_chance else None,
        # How the pass predictions stored with past exams did (Brier; lower is better).
        "calibration": brier_summary(prediction_record(records)),  # type: ignore[arg-type]
        # Reviews per study day over the last 12 weeks (days without reviews left out).
        "reviews_per_day": per_study_day(coach.store, days, days.today() - timedelta(days=83)),
        # Cards falling due in each of the next 14 study days, overdue ones on the first.
        "due_forecast": due_forecast(coach.store, days, "card", 14),
        "exam_date": coach.settings.exam_date,
        "fsrs": coach.fsrs.stats(),
        # Share of reviews passed (not Again), by period, mature (interval >= 21 days) and young.
        "true_retention": coach.true_retention().as_dict(),
        # Median seconds a question over the answers whose time was measured (null: none was).
        "seconds_per_question": _seconds(coach.store.median_answer_ms()),
    }


def dashboard_figures(coach: Coach) -> dict[str, Any]:
    """What the dashboard draws, and only that, each from a read whose cost does not grow with the
    history (issue 18): the counts from counter rows, mastery and accuracy from the per-question
    summaries (bounded by the bank), the newest `RECENT_EXAMS` exams from one end of the exam index
    (not every exam with its list of questions: 130 of them after four years, which plotext then
    drew point by point), the forecast from index ranges, true retention from one range of its
    summary (at most a year of it). The keys are `stats()`'s, so the same widgets draw either;
    `exams` holds `ExamCheck`s, oldest first, and `more_exams` says whether older ones were left
    out; the calibration is over those exams.

    Left out as the dashboard does not show them: the pass chance (a worker's), the due counts,
    the readiness point estimate, the FSRS parameters, the median answer time (a walk to the middle
    of every timed answer) and the reviews per day (the reviews chart reads its own window)."""
    from quizapp.study.predictions import ExamCheck

    tallies = question_tallies(coach.store)
    by_domain, by_task = coach.mastery(tallies)
    newest = coach.store.recent_scores(RECENT_EXAMS + 1)
    checks = [
        ExamCheck(e.started_at, e.predicted, e.predicted_pass, e.scaled, e.passed)
        for e in reversed(newest[:RECENT_EXAMS])
    ]
    return {
        "answered": coach.store.answered_count(),
        "reviewed": coach.store.reviewed_count("card"),
        "accuracy": _accuracy(coach, tallies),
        "mastery": _mastery(by_domain, by_task),
        "missed": coach.store.missed_count(),
        "leeches": len(coach.leeches()),
        "exams": checks,
        "more_exams": len(newest) > RECENT_EXAMS,
        "calibration": brier_summary(checks),
        "due_forecast": due_forecast(coach.store, coach.days, "card", 14),
        "true_retention": coach.true_retention().as_dict(),
    }


RECENT_EXAMS = 20
"""How many exams the dashboard plots and scores the predictions of: the newest, which say how the
learner and the predictions stand now. Twenty still reads as separate points across an 80-column
chart (about three columns each); a hundred squeezed into it did not, and cost plotext time by the
point."""


def _accuracy(coach: Coach, tallies: dict[str, tuple[int, int]]) -> dict[str, dict[str, dict[str, int]]]:
    """Answers and right ones by domain and by task statement, from the per-question tallies."""
    accuracy_domain: dict[str, dict[str, int]] = {
        str(d.id): {"answered": 0, "correct": 0} for d in coach.bank.blueprint.domains
    }
    accuracy_task: dict[str, dict[str, int]] = {
        t: {"answered": 0, "correct": 0} for t in coach.bank.blueprint.task_ids()
    }
    for question_id, (answered, correct) in tallies.items():
        question = coach.bank.questions.info(question_id)
        if question is None:
            continue
        for bucket in (accuracy_domain[str(coach.bank.domain_of(question))], accuracy_task[question.task]):
            bucket["answered"] += answered
            bucket["correct"] += correct
    return {"by_domain": accuracy_domain, "by_task": accuracy_task}


def _mastery(by_domain: dict[str, Mastery], by_task: dict[str, Mastery]) -> dict[str, dict[str, Any]]:
    return {
        "by_domain": {k: _mastery_dict(v) for k, v in by_domain.items()},
        "by_task": {k: _mastery_dict(by_task[k]) for k in sorted(by_task, key=_task_order)},
    }


def _seconds(ms: float | None) -> float | None:
    """`timing.median_seconds`' rounding, for the median the store reads from its index."""
    return None if ms is None else round(ms / 1000, 1)


def _mastery_dict(m: Mastery) -> dict[str, Any]:
    return {
        "seen": m.seen,
        "total": m.total,
        "coverage": round(m.coverage, 4),
        # Shrunk toward guessing, and null ("few") until MIN_GROUP_SEEN questions back it: one
        # right answer is not 82 % mastery (issue 15, item 8).
        "mastery": None if m.shown is None else round(m.shown, 4),
        "estimate": round(m.estimate, 4),
    }
