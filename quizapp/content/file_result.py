"""What one bank file yields on its own: valid items with their positions, and its own problems.

Everything here depends only on the file's bytes, which is what makes it safe to cache: rules
that span files (unique ids, tasks known to the blueprint, one blueprint per exam) run afterwards,
over these results, every time. Positions are 1-based `(line, column)` pairs.
"""

from __future__ import annotations

from typing import Annotated, Literal, NamedTuple

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator

from quizapp.content.models import TASK_PATTERN, Blueprint, CaseStudy, Flashcard, ItemId, Question, Tag

At = tuple[int, int]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Placed(NamedTuple):
    """A valid question and where it and its `task` are written (a tuple: a cold load of a big bank
    makes one per question, and a pydantic model cost eight times as much to build)."""

    item: Question
    at: At
    task_at: At


CachedTask = Annotated[str, StringConstraints(pattern=TASK_PATTERN.pattern)]
"""A task as the cache keeps it: always text (the YAML float leniency of TaskId is for authors)."""


class CachedQuestions(_Frozen):
    """Standalone questions as the bank cache keeps them, column by column.

    Each question's facts are validated on every read; its full text (`bodies`, its JSON) through the
    Question model the first time it is used (questions.py). Columns of strings validate as fast as
    `json.loads` reads them, where a model per question cost three times that.
    """

    ids: list[ItemId] = []
    types: list[Literal["single", "multi", "ordering", "matching"]] = []
    tasks: list[CachedTask] = []
    tags: list[list[Tag]] = []
    places: list[int] = []
    """Per question: line and column of the item, then of its `task`."""
    bodies: list[str] = []

    @model_validator(mode="after")
    def _aligned(self) -> CachedQuestions:
        n = len(self.ids)
        if not (len(self.types) == len(self.tasks) == len(self.tags) == len(self.bodies) == n):
            raise ValueError("cached question columns differ in length")
        if len(self.places) != 4 * n:
            raise ValueError("cached question places do not match the questions")
        return self

    @staticmethod
    def of(placed: list[Placed], bodies: list[str]) -> CachedQuestions:
        items = [p.item for p in placed]
        return CachedQuestions.model_construct(
            ids=[q.id for q in items],
            types=[q.type for q in items],
            tasks=[q.task for q in items],
            tags=[q.tags for q in items],
            places=[n for p in placed for n in (*p.at, *p.task_at)],
            bodies=bodies,
        )


class PlacedCase(_Frozen):
    """A valid case study with its questions already resolved (task and tags inherited)."""

    item: CaseStudy
    at: At
    task_at: At
    inner: list[Placed]


class PlacedCard(NamedTuple):
    item: Flashcard
    at: At
    task_at: At


FileKind = Literal["questions", "deck", "blueprint", "other", "unread"]


class _Result(_Frozen):
    kind: FileKind
    problems: list[tuple[int, int, str]] = []
    at: At = (1, 1)
    """Where the document starts, for problems about the file as a whole."""
    cases: list[PlacedCase] = []
    deck: str | None = None
    cards: list[PlacedCard] = []
    blueprint: Blueprint | None = None


class FileResult(_Result):
    """One file's contribution before any cross-file rule has run."""

    questions: list[Placed] = []


class CachedResult(_Result):
    """A FileResult as the bank cache keeps it: standalone questions deferred (case studies are few and
    are kept whole)."""

    questions: CachedQuestions = CachedQuestions()
