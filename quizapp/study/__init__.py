"""Study: the brain. Sessions, exams, scoring, scheduling (fsrs) and readiness, in plain Python.

No Textual and no SQL here; the clock is injected so everything is testable without waiting.
"""

from quizapp.study.clock import Clock, ManualClock, SystemClock
from quizapp.study.coach import Coach, Settings
from quizapp.study.exam import ExamPlan, ExamResult, ExamSession, assemble, score, split_by_weight
from quizapp.study.flashcards import FlashcardSession
from quizapp.study.grading import correct_response, grade, is_complete
from quizapp.study.practice import Feedback, PracticeSession, Scope
from quizapp.study.readiness import Readiness
from quizapp.study.srs import Srs, card_id

__all__ = [
    "Clock",
    "Coach",
    "ExamPlan",
    "ExamResult",
    "ExamSession",
    "Feedback",
    "FlashcardSession",
    "ManualClock",
    "PracticeSession",
    "Readiness",
    "Scope",
    "Settings",
    "Srs",
    "SystemClock",
    "assemble",
    "card_id",
    "correct_response",
    "grade",
    "is_complete",
    "score",
    "split_by_weight",
]
