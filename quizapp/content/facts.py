"""What counts, filters and exam draws need of a question, and the digest of a bank's facts.

Light on purpose (no pydantic, no YAML, no models): the bank index (`content.index`) serves these
to Home before the bank itself has loaded, and the loaded bank serves the very same ones.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    from quizapp.content.models import AnyQuestion


class QuestionInfo(NamedTuple):
    """What filters, counts and exam draws need of a question, without the question (a tuple: a big
    bank makes one per question on every start)."""

    id: str
    type: str
    task: str
    tags: list[str]

    @staticmethod
    def of(question: AnyQuestion) -> QuestionInfo:
        return QuestionInfo(question.id, question.type, question.task, list(question.tags))


def facts_digest(questions: Iterable[QuestionInfo], weights: Iterable[tuple[int, int]]) -> str:
    """What of a bank a pass chance depends on: each question's id, task and type, and the
    blueprint's domain weights (`(domain id, weight)`), as a digest (about a millisecond). The loaded
    bank and its index give the same digest, so a chance kept for one is found for the other."""
    import hashlib  # here: Home reads the digest the index keeps, and never makes one

    rows = sorted([info.id, info.task, info.type] for info in questions)
    text = json.dumps([rows, [[d, w] for d, w in weights]], separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()
