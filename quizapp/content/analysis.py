"""One bank file on its own: its bytes in, its valid items with their positions and its problems out.

Everything here depends only on the file's bytes, which is what lets the bank cache keep the result.
A bad item is reported and the file's other items kept; text a terminal would act on is reported at
the character (yamlrules) and its item refused by the models, whose vaguer error for it is dropped.
"""

from __future__ import annotations

import os
from contextlib import suppress
from pathlib import Path
from threading import Thread
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, ValidationError

from quizapp.content import models, yamlsafe
from quizapp.content.discovery import BLUEPRINT_NAME
from quizapp.content.file_result import (
    At,
    CachedResult,
    FileKind,
    FileResult,
    Placed,
    PlacedCard,
    PlacedCase,
)
from quizapp.content.locate import problems_from
from quizapp.content.models import AnyQuestion, Blueprint, CaseStudy, Deck, Flashcard, QuestionFile
from quizapp.content.questions import QUESTION, CacheDamaged
from quizapp.reading import Refused, read_bounded
from quizapp.textsafe import first_unsafe

if TYPE_CHECKING:
    from quizapp.content.loader import Bank

_MODELS: tuple[type[BaseModel], ...] = tuple(
    value for value in vars(models).values() if isinstance(value, type) and issubclass(value, BaseModel)
)


def _at(mark: yaml.Mark) -> At:
    return (mark.line + 1, mark.column + 1)


def _parse(raw: bytes, problems: list[tuple[int, int, str]]) -> yamlsafe.Parsed | None:
    try:
        parsed = yamlsafe.parse(yamlsafe.decode(raw))
    except yamlsafe.YamlProblem as exc:
        problems.append((exc.line, exc.column, exc.message))
        return None
    except yamlsafe.YamlRefused as exc:
        problems.extend((p.line, p.column, p.message) for p in exc.problems)
        return None
    problems.extend((d.line, d.column, d.message) for d in parsed.duplicate_keys)
    problems.extend((u.line, u.column, u.message) for u in parsed.unsafe_text)
    if not isinstance(parsed.data, dict):
        problems.append(
            (
                *_at(parsed.root.start_mark),
                "top level must be a mapping with 'questions'/'case_studies' (a question file) "
                "or 'deck' and 'cards' (a flashcard deck)",
            )
        )
        return None
    return parsed


def _kind(data: dict) -> FileKind:
    if "questions" in data or "case_studies" in data:
        return "questions"
    if "deck" in data or "cards" in data:
        return "deck"
    if "domains" in data or "exam" in data:
        return "blueprint"
    return "other"


def _items(root: yaml.Node, key: str) -> list[yaml.Node]:
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == key and isinstance(v, yaml.SequenceNode):
                return v.value
    return []


def _task_at(item: yaml.Node) -> At:
    if isinstance(item, yaml.MappingNode):
        for k, v in item.value:
            if k.value == "task":
                return _at(v.start_mark)
    return _at(item.start_mark)


def _located(exc: ValidationError, parsed: yamlsafe.Parsed) -> list[tuple[int, int, str]]:
    """The models' errors, but not those about strings already reported at their unsafe character."""
    skip = parsed.unsafe_at
    return [
        (p.line, p.column, p.message)
        for p in problems_from(exc, parsed.root, "", _MODELS)
        if (p.line, p.column) not in skip
    ]


def unread(message: str) -> FileResult:
    return FileResult(kind="unread", problems=[(1, 1, message)])


def read(path: Path) -> tuple[bytes, os.stat_result]:
    """A bank file's bytes, read only if it is a regular file within the size limit; else Refused."""
    return read_bounded(path, yamlsafe.MAX_FILE_BYTES, "banks")


def analyse_blueprint(raw: bytes) -> FileResult:
    problems: list[tuple[int, int, str]] = []
    parsed = _parse(raw, problems)
    if parsed is None:
        return FileResult(kind="blueprint", problems=problems)
    try:
        blueprint = Blueprint.model_validate(parsed.data)
    except ValidationError as exc:
        problems.extend(_located(exc, parsed))
        blueprint = None
    return FileResult(kind="blueprint", problems=problems, blueprint=blueprint)


def analyse_bank_file(raw: bytes) -> FileResult:
    """Parse and validate one question file or deck; a bad item is reported and the rest kept."""
    problems: list[tuple[int, int, str]] = []
    parsed = _parse(raw, problems)
    if parsed is None:
        return FileResult(kind="other", problems=problems)
    assert isinstance(parsed.data, dict)
    kind = _kind(parsed.data)
    at = _at(parsed.root.start_mark)
    if kind == "questions":
        return _question_file(parsed, problems)
    if kind == "deck":
        return _deck_file(parsed, problems)
    message = (
        f"a blueprint must be named {BLUEPRINT_NAME} and sit in questions/"
        if kind == "blueprint"
        else "not a bank file: expected top-level 'questions'/'case_studies' or 'deck' and 'cards'"
    )
    return FileResult(kind=kind, problems=[*problems, (*at, message)], at=at)


def _question_file(parsed: yamlsafe.Parsed, problems: list[tuple[int, int, str]]) -> FileResult:
    data = parsed.data
    assert isinstance(data, dict)
    try:
        qfile = QuestionFile.model_validate(data)
        questions: list[tuple[int, AnyQuestion]] = list(enumerate(qfile.questions))
        cases: list[tuple[int, CaseStudy]] = list(enumerate(qfile.case_studies))
    except ValidationError as exc:
        problems.extend(_located(exc, parsed))
        questions, cases = _salvage(data)
    q_nodes = _items(parsed.root, "questions")
    placed = [Placed(q, _at(q_nodes[i].start_mark), _task_at(q_nodes[i])) for i, q in questions]
    c_nodes = _items(parsed.root, "case_studies")
    placed_cases = []
    for index, case in cases:
        node = c_nodes[index]
        inner_nodes = _items(node, "questions")
        inner = [
            Placed(q, _at(inner_nodes[i].start_mark), _task_at(inner_nodes[i]))
            for i, q in enumerate(case.resolved())
        ]
        placed_cases.append(
            PlacedCase.model_construct(
                item=case, at=_at(node.start_mark), task_at=_task_at(node), inner=inner
            )
        )
    # Wrappers around models pydantic has just validated: constructing them unvalidated saves a
    # second pass over every item (a third of the loader's own cost on a 10k bank).
    return FileResult.model_construct(
        kind="questions", problems=problems, questions=placed, cases=placed_cases
    )


def _salvage(data: dict) -> tuple[list[tuple[int, AnyQuestion]], list[tuple[int, CaseStudy]]]:
    """Keep the valid items of a file that has invalid ones (already reported)."""
    questions: list[tuple[int, AnyQuestion]] = []
    cases: list[tuple[int, CaseStudy]] = []
    raw_questions = data.get("questions")
    if isinstance(raw_questions, list):
        for index, raw in enumerate(raw_questions):
            with suppress(ValidationError):
                questions.append((index, QUESTION.validate_python(raw)))
    raw_cases = data.get("case_studies")
    if isinstance(raw_cases, list):
        for index, raw in enumerate(raw_cases):
            with suppress(ValidationError):
                cases.append((index, CaseStudy.model_validate(raw)))
    return questions, cases


def _deck_file(parsed: yamlsafe.Parsed, problems: list[tuple[int, int, str]]) -> FileResult:
    data = parsed.data
    assert isinstance(data, dict)
    try:
        deck = Deck.model_validate(data)
        name: str | None = deck.deck
        cards = list(enumerate(deck.cards))
    except ValidationError as exc:
        problems.extend(_located(exc, parsed))
        name = data.get("deck")
        if not isinstance(name, str) or first_unsafe(name) is not None:
            name = None
        cards = []
        raw_cards = data.get("cards")
        if isinstance(raw_cards, list):
            for index, raw in enumerate(raw_cards):
                with suppress(ValidationError):
                    cards.append((index, Flashcard.model_validate(raw)))
    nodes = _items(parsed.root, "cards")
    placed = [PlacedCard(card, _at(nodes[i].start_mark), _task_at(nodes[i])) for i, card in cards]
    return FileResult.model_construct(kind="deck", problems=problems, deck=name, cards=placed)


class Reader:
    """Reads and analyses files with no cache; `BankCache` is the caching twin."""

    def result(self, path: Path, role: str) -> FileResult | CachedResult:
        try:
            raw, _ = read(path)
        except Refused as exc:
            return unread(exc.message)
        return analyse(raw, role)

    def save(self) -> None:
        """Nothing to keep."""

    def index_for(self, bank: Bank | None, problems: bool) -> None:
        """Nothing to index (`BankCache` keeps the bank index beside its cache)."""

    def save_in_background(self) -> Thread | None:
        """Save from a thread (None: nothing to save)."""
        return None

    def recover(self, path: Path, question_id: str) -> AnyQuestion:
        """Question `question_id` as bank file `path` has it now (for a cached question gone bad)."""
        try:
            result = analyse(read(path)[0], "bank")
        except Refused as exc:
            raise CacheDamaged(f"cannot read {path} again: {exc.message}") from exc
        for placed in result.questions:
            if placed.item.id == question_id:
                return placed.item
        raise CacheDamaged(f"{path} no longer has question {question_id!r}")


def analyse(raw: bytes, role: str) -> FileResult:
    return analyse_blueprint(raw) if role == "blueprint" else analyse_bank_file(raw)
