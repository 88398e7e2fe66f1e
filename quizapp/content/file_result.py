"""What one bank file yields on its own: valid items with their positions, and its own problems.

Everything here depends only on the file's bytes, which is what makes it safe to cache: rules
that span files (unique ids, tasks known to the blueprint, one blueprint per exam) run afterwards,
over these results, every time. Positions are 1-based `(line, column)` pairs.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict

from quizapp.content.models import Blueprint, CaseStudy, Flashcard, Question

At = tuple[int, int]


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Placed(_Frozen):
    """A valid question and where it and its `task` are written."""

    item: Question
    at: At
    task_at: At


class PlacedCase(_Frozen):
    """A valid case study with its questions already resolved (task and tags inherited)."""

    item: CaseStudy
    at: At
    task_at: At
    inner: list[Placed]


class PlacedCard(_Frozen):
    item: Flashcard
    at: At
    task_at: At


FileKind = Literal["questions", "deck", "blueprint", "other", "unread"]


class FileResult(_Frozen):
    """One file's contribution before any cross-file rule has run."""

    kind: FileKind
    problems: list[tuple[int, int, str]] = []
    at: At = (1, 1)
    """Where the document starts, for problems about the file as a whole."""
    questions: list[Placed] = []
    cases: list[PlacedCase] = []
    deck: str | None = None
    cards: list[PlacedCard] = []
    blueprint: Blueprint | None = None
