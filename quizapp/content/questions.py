"""A bank's questions by id, where those read back from the bank cache are only validated when used.

Building ~8 pydantic models per question (the question, its options, their wrappers) was most of the
cost of a warm start with a big bank, and a session only ever shows a few dozen questions. So a cached
question arrives as its facts (id, type, task, tags: validated at once, since every filter, count and
exam draw needs them) plus its JSON, which is validated through the same `Question` model the first
time the question itself is asked for. What needs only the facts asks `infos()` and never pays for the
rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, MutableMapping, ValuesView
from pathlib import Path

from pydantic import TypeAdapter

from quizapp.content.facts import QuestionInfo
from quizapp.content.models import AnyQuestion, Question

QUESTION: TypeAdapter[AnyQuestion] = TypeAdapter(Question)
"""Validates (and dumps) any one question, whatever its type."""


class CacheDamaged(RuntimeError):
    """A cached question did not validate, and its bank file no longer has it either."""


Recover = Callable[[Path, str], AnyQuestion]
"""Read question `id` from bank file `path` afresh, when its cached JSON turns out to be bad."""


class Questions(MutableMapping[str, AnyQuestion]):
    """Questions by id, in the order they were added (bank order)."""

    __slots__ = ("_items", "_info", "recover")

    def __init__(self, questions: dict[str, AnyQuestion] | None = None) -> None:
        self._items: dict[str, AnyQuestion | tuple[str, Path]] = {}
        self._info: dict[str, QuestionInfo] = {}
        self.recover: Recover | None = None
        for question in (questions or {}).values():
            self[question.id] = question

    def add_deferred(self, info: QuestionInfo, body: str, source: Path) -> None:
        """A question known by its facts, validated from `body` (its JSON) when first asked for;
        `source` is the bank file it came from, read again should the JSON not validate."""
        self._items[info.id] = (body, source)
        self._info[info.id] = info

    def infos(self) -> ValuesView[QuestionInfo]:
        return self._info.values()

    def info(self, question_id: str) -> QuestionInfo | None:
        return self._info.get(question_id)

    def __getitem__(self, question_id: str) -> AnyQuestion:
        value = self._items[question_id]
        if isinstance(value, tuple):
            value = self._materialise(question_id, *value)
        return value

    def _materialise(self, question_id: str, body: str, source: Path) -> AnyQuestion:
        """Validate a cached question; if that fails (a damaged or forged cache), the file wins."""
        info = self._info[question_id]
        try:
            question = QUESTION.validate_json(body)
            if QuestionInfo.of(question) != info:
                raise ValueError("not the question its facts describe")
        except ValueError as exc:
            if self.recover is None:
                raise CacheDamaged(f"cached question {question_id!r} does not validate: {exc}") from exc
            question = self.recover(source, question_id)
            if QuestionInfo.of(question) != info:
                raise CacheDamaged(f"{source} changed while open: question {question_id!r} differs") from exc
        self._items[question_id] = question
        return question

    def __setitem__(self, question_id: str, question: AnyQuestion) -> None:
        if question.id != question_id:
            raise KeyError(f"question {question.id!r} filed under {question_id!r}")
        self._items[question_id] = question
        self._info[question_id] = QuestionInfo.of(question)

    def __delitem__(self, question_id: str) -> None:
        del self._items[question_id]
        del self._info[question_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._items

    def __repr__(self) -> str:
        deferred = sum(isinstance(v, tuple) for v in self._items.values())
        return f"Questions({len(self)} questions, {deferred} not yet validated)"
