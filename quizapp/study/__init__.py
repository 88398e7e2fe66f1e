"""Study: the brain. Sessions, exams, scoring, scheduling (fsrs) and readiness, in plain Python.

No Textual and no SQL here; the clock is injected so everything is testable without waiting.
Names are imported on first use (PEP 562), so the home screen can read `study.today` and
`study.clock` without paying for the bank's models and the scheduler.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quizapp.lazy import lazy_exports

_EXPORTS = {
    "Clock": "clock",
    "ManualClock": "clock",
    "SystemClock": "clock",
    "Coach": "coach",
    "Settings": "settings",
    "ExamPlan": "exam",
    "ExamResult": "exam",
    "ExamSession": "exam",
    "assemble": "exam",
    "score": "exam",
    "split_by_weight": "exam",
    "FlashcardSession": "flashcards",
    "correct_response": "grading",
    "grade": "grading",
    "is_complete": "grading",
    "Feedback": "practice",
    "PracticeSession": "practice",
    "Scope": "practice",
    "PassChance": "passchance",
    "pass_probability": "passchance",
    "ExamCheck": "predictions",
    "Readiness": "readiness",
    "Srs": "srs",
    "card_id": "srs",
    "Today": "today",
}

__all__ = [
    "Clock",
    "Coach",
    "ExamPlan",
    "ExamResult",
    "ExamSession",
    "Feedback",
    "FlashcardSession",
    "ExamCheck",
    "ManualClock",
    "PassChance",
    "PracticeSession",
    "Readiness",
    "Scope",
    "Settings",
    "Srs",
    "SystemClock",
    "Today",
    "assemble",
    "card_id",
    "correct_response",
    "grade",
    "is_complete",
    "pass_probability",
    "score",
    "split_by_weight",
]


__getattr__ = lazy_exports(__name__, _EXPORTS, globals())


if TYPE_CHECKING:
    from quizapp.study.clock import Clock, ManualClock, SystemClock
    from quizapp.study.coach import Coach
    from quizapp.study.exam import ExamPlan, ExamResult, ExamSession, assemble, score, split_by_weight
    from quizapp.study.flashcards import FlashcardSession
    from quizapp.study.grading import correct_response, grade, is_complete
    from quizapp.study.passchance import PassChance, pass_probability
    from quizapp.study.practice import Feedback, PracticeSession, Scope
    from quizapp.study.predictions import ExamCheck
    from quizapp.study.readiness import Readiness
    from quizapp.study.settings import Settings
    from quizapp.study.srs import Srs, card_id
    from quizapp.study.today import Today
