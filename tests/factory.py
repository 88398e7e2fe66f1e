"""Banks, stores and coaches built in memory for tests: any size, every type, a fixed clock."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from quizapp.content import Bank, bundled_root, load_catalog
from quizapp.content.models import (
    CaseStudy,
    Flashcard,
    MatchingQuestion,
    MultiQuestion,
    OrderingQuestion,
    SingleQuestion,
)
from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
_BLUEPRINT = None


def blueprint():
    global _BLUEPRINT
    if _BLUEPRINT is None:
        _BLUEPRINT = load_catalog([bundled_root() / "questions" / "blueprint.yaml"]).primary.blueprint
    return _BLUEPRINT


def _options(n: int, correct: set[int]) -> list[dict]:
    return [{"text": f"option {i}", "correct": i in correct, "why": f"why {i}"} for i in range(n)]


def make_question(qid: str, task: str, kind: str, tags: tuple[str, ...] = ()):
    base = {
        "id": qid,
        "task": task,
        "stem": f"Stem of {qid}?",
        "explanation": "Because.",
        "refs": [{"title": "AWS docs", "url": "https://docs.aws.amazon.com/bedrock/latest/userguide/"}],
        "tags": list(tags),
    }
    if kind == "single":
        return SingleQuestion(type="single", options=_options(4, {1}), **base)
    if kind == "multi":
        return MultiQuestion(type="multi", choose=2, options=_options(5, {0, 3}), **base)
    if kind == "ordering":
        return OrderingQuestion(type="ordering", items=["first", "second", "third", "fourth"], **base)
    return MatchingQuestion(
        type="matching",
        pairs=[{"prompt": f"p{i}", "response": f"r{i}"} for i in range(3)],
        distractors=["rX"],
        **base,
    )


KINDS = ("single", "multi", "ordering", "matching")


def make_bank(per_task: int = 12, cards_per_task: int = 3, case_studies: int = 2) -> Bank:
    bank = Bank(blueprint())
    n = 0
    for task in bank.blueprint.task_ids():
        for i in range(per_task):
            q = make_question(f"q-{task}-{i:03d}", task, KINDS[n % 4], tags=("even",) if i % 2 == 0 else ())
            bank.questions[q.id] = q
            n += 1
        for i in range(cards_per_task):
            card = Flashcard(id=f"fc-{task}-{i:02d}", task=task, front=f"front {task} {i}", back="back")
            bank.flashcards[card.id] = card
            bank.deck_of[card.id] = f"deck {task[0]}"
    for c in range(case_studies):
        task = "3.1" if c % 2 == 0 else "1.2"
        questions = [make_question(f"cs-{c}-q{j}", task, KINDS[j % 4]).model_dump() for j in range(3)]
        case = CaseStudy(id=f"cs-{c}", task=task, scenario="A scenario.", questions=questions)
        bank.case_studies[case.id] = case
        for q in case.resolved():
            bank.questions[q.id] = q
            bank.case_of[q.id] = case.id
    return bank


def make_coach(tmp_path: Path, bank: Bank | None = None, clock: ManualClock | None = None) -> Coach:
    store = ProgressStore.open(tmp_path / "data")
    return Coach(bank or make_bank(), store, clock or ManualClock(START), fuzz=False)
