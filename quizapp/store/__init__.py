"""Store: the learner's progress in SQLite. The only package that speaks SQL."""

from quizapp.store.db import DB_NAME, SCHEMA_VERSION, StoreError, move_aside
from quizapp.store.progress import ProgressStore
from quizapp.store.records import (
    AnswerRecord,
    AnswerWrite,
    ExamRecord,
    ItemState,
    MissedEntry,
    ReviewRecord,
)

__all__ = [
    "DB_NAME",
    "SCHEMA_VERSION",
    "AnswerRecord",
    "AnswerWrite",
    "ExamRecord",
    "ItemState",
    "MissedEntry",
    "ProgressStore",
    "ReviewRecord",
    "StoreError",
    "move_aside",
]
