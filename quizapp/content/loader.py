"""Bank folders and files in, a Catalog of validated banks plus every located problem out.

The loader never stops at the first problem: each file is parsed and validated on its own, a file
with bad items still contributes its good ones, and rules that span files (unique ids, tasks that
exist in the blueprint) run last. The app opens with whatever is valid; `quizapp validate` prints
the problems and exits 1.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from threading import Thread
from typing import TYPE_CHECKING

from quizapp.content.analysis import Reader
from quizapp.content.discovery import (
    Source,
    bundled_blueprint_path,
    bundled_root,
    default_sources,
    resolved,
    source_for,
)
from quizapp.content.file_result import At, CachedQuestions, CachedResult, FileResult
from quizapp.content.models import AnyQuestion, Blueprint, CaseStudy, Flashcard
from quizapp.content.problems import BankError, Location, Problem
from quizapp.content.questions import QuestionInfo, Questions
from quizapp.textsafe import strip_unsafe

if TYPE_CHECKING:
    from quizapp.content.cache import CacheStats

__all__ = ["Bank", "Catalog", "Source", "bundled_root", "default_sources", "load_catalog", "load_strict"]


@dataclass
class Bank:
    """One exam's content: its blueprint and every valid item filed under it."""

    blueprint: Blueprint
    questions: Questions = field(default_factory=Questions)
    """By id; ask `questions.infos()` for what filters and counts need, and only index the ones shown."""
    case_studies: dict[str, CaseStudy] = field(default_factory=dict)
    case_of: dict[str, str] = field(default_factory=dict)
    """Question id -> id of the case study it belongs to."""
    flashcards: dict[str, Flashcard] = field(default_factory=dict)
    deck_of: dict[str, str] = field(default_factory=dict)
    """Flashcard id -> deck name."""

    @property
    def exam(self) -> str:
        return self.blueprint.exam

    @cached_property
    def task_set(self) -> frozenset[str]:
        return frozenset(self.blueprint.task_ids())

    def domain_of(self, question: AnyQuestion | Flashcard | QuestionInfo) -> int:
        return self.blueprint.domain_of(question.task)

    def scenario_of(self, question_id: str) -> str | None:
        """The case-study scenario a question stands on, or None for a standalone question."""
        case_id = self.case_of.get(question_id)
        return self.case_studies[case_id].scenario if case_id else None


@dataclass
class Catalog:
    """Everything loaded: banks by exam code (bundled exam first) and the problems found."""

    banks: dict[str, Bank] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    locations: dict[str, Location] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)
    cache: CacheStats | None = None
    """How the bank cache served this load (None: loaded without a cache)."""
    cache_writer: Thread | None = None
    """Writing the cache after `load_catalog(save_in_background=True)`; `wait_for_cache` joins it."""

    def wait_for_cache(self) -> None:
        if self.cache_writer is not None:
            self.cache_writer.join()

    @property
    def primary(self) -> Bank:
        return next(iter(self.banks.values()))

    def raise_for_problems(self) -> Catalog:
        if self.problems:
            raise BankError(self.problems)
        return self

    def summary(self) -> dict[str, object]:
        """Counts for `quizapp validate` and its `--json`."""
        several = len(self.banks) > 1
        by_domain: dict[str, int] = {}
        by_task: dict[str, int] = {}
        by_type: dict[str, int] = {}
        for bank in self.banks.values():
            prefix = f"{bank.exam} " if several else ""
            for domain in bank.blueprint.domains:
                by_domain.setdefault(f"{prefix}{domain.id}", 0)
                for task in domain.tasks:
                    by_task.setdefault(f"{prefix}{task.id}", 0)
            for q in bank.questions.infos():
                by_domain[f"{prefix}{bank.domain_of(q)}"] += 1
                by_task[f"{prefix}{q.task}"] = by_task.get(f"{prefix}{q.task}", 0) + 1
                by_type[q.type] = by_type.get(q.type, 0) + 1
        return {
            "questions": sum(len(b.questions) for b in self.banks.values()),
            "case_studies": sum(len(b.case_studies) for b in self.banks.values()),
            "flashcards": sum(len(b.flashcards) for b in self.banks.values()),
            "by_domain": by_domain,
            "by_task": by_task,
            "by_type": by_type,
            "errors": [p.as_dict() for p in sorted(self.problems)],
        }


@contextmanager
def gc_paused() -> Iterator[None]:
    """Bulk loads allocate millions of small objects; collecting mid-load only costs time.

    What survives the load (the banks) lives as long as the app, so it is frozen out of the
    collector's view: otherwise the first collection after the load walks all of it (~50 ms for a
    10k bank) only to find nothing to free.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.enable()


def display(path: Path) -> str:
    """A file as problems name it: relative to the working folder when inside it."""
    try:
        return str(resolved(path).relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --------------------------------------------------------------------------- rules across files


class _Loading:
    """State of one load: ids seen so far, banks being filled, problems collected."""

    def __init__(self, reader: Reader) -> None:
        self.reader = reader
        self.catalog = Catalog()
        self.blueprints: dict[Path | None, Blueprint | None] = {}
        self.blueprint_origin: dict[str, Path | None] = {}

    def problems(self, shown: str, result: FileResult | CachedResult) -> None:
        self.catalog.problems.extend(Problem(shown, *problem) for problem in result.problems)

    def problem(self, shown: str, at: At, message: str) -> None:
        self.catalog.problems.append(Problem(shown, *at, message))

    # blueprints -------------------------------------------------------------------------------

    def blueprint(self, path: Path | None) -> Bank | None:
        """The bank for a blueprint file (None: the bundled AIF-C01 blueprint)."""
        key = resolved(path) if path else None
        if key not in self.blueprints:
            source = path or bundled_blueprint_path()
            result = self.reader.result(source, "blueprint")
            self.problems(display(source), result)
            self.blueprints[key] = result.blueprint
        blueprint = self.blueprints[key]
        if blueprint is None:
            return None
        banks = self.catalog.banks
        if blueprint.exam not in banks:
            banks[blueprint.exam] = bank = Bank(blueprint)
            bank.questions.recover = self.reader.recover
            self.blueprint_origin[blueprint.exam] = key
        elif banks[blueprint.exam].blueprint != blueprint:
            origin = self.blueprint_origin[blueprint.exam]
            self.catalog.problems.append(
                Problem(
                    display(path or bundled_blueprint_path()),
                    1,
                    1,
                    f"blueprint for exam {blueprint.exam!r} differs from the one in "
                    f"{display(origin) if origin else 'the bundled bank'}; its items are checked "
                    "against the first",
                )
            )
        return banks[blueprint.exam]

    # items -------------------------------------------------------------------------------------

    def claim(self, item_id: str, location: Location) -> bool:
        """Register an id; a duplicate is reported at both places and the later one dropped."""
        first = self.catalog.locations.get(item_id)
        if first is None:
            self.catalog.locations[item_id] = location
            return True
        problems = self.catalog.problems
        problems.append(
            Problem(
                location.path,
                location.line,
                location.column,
                f"duplicate id {item_id!r}: already used at {first}",
            )
        )
        problems.append(
            Problem(
                first.path, first.line, first.column, f"duplicate id {item_id!r}: used again at {location}"
            )
        )
        return False

    def task_known(self, bank: Bank, task: str, shown: str, at: At) -> bool:
        if task in bank.task_set:
            return True
        self.problem(
            shown,
            at,
            f"task {task!r} is not a task statement of {bank.exam} "
            f"(known: {', '.join(bank.blueprint.task_ids())})",
        )
        return False

    def admit(self, bank: Bank, shown: str, item_id: str, task: str, at: At, task_at: At) -> bool:
        return self.claim(item_id, Location(shown, *at)) and self.task_known(bank, task, shown, task_at)

    def cached_questions(self, bank: Bank, shown: str, cached: CachedQuestions, path: Path) -> None:
        """`admit` for the cache's columns, with its common case (a new id, a known task) inlined:
        a warm start with a big bank runs this once per question."""
        questions, locations, tasks, places = (
            bank.questions,
            self.catalog.locations,
            bank.task_set,
            cached.places,
        )
        rows = zip(cached.ids, cached.types, cached.tasks, cached.tags, cached.bodies, strict=True)
        for i, (qid, kind, task, tags, body) in enumerate(rows):
            line, column = places[4 * i], places[4 * i + 1]
            if qid not in locations and task in tasks:
                locations[qid] = Location(shown, line, column)
            elif not self.admit(
                bank, shown, qid, task, (line, column), (places[4 * i + 2], places[4 * i + 3])
            ):
                continue
            questions.add_deferred(QuestionInfo(qid, kind, task, tags), body, path)

    def file(self, bank: Bank | None, path: Path) -> None:
        result = self.reader.result(path, "bank")
        shown = display(path)
        self.problems(shown, result)
        if bank is None:
            return
        if isinstance(result, CachedResult):
            self.cached_questions(bank, shown, result.questions, path)
        else:
            for placed in result.questions:
                q = placed.item
                if self.admit(bank, shown, q.id, q.task, placed.at, placed.task_at):
                    bank.questions[q.id] = q
        for case in result.cases:
            if not self.claim(case.item.id, Location(shown, *case.at)):
                continue
            if not self.task_known(bank, case.item.task, shown, case.task_at):
                continue
            kept = [
                inner.item
                for inner in case.inner
                if self.admit(bank, shown, inner.item.id, inner.item.task, inner.at, inner.task_at)
            ]
            if len(kept) >= 2:
                bank.case_studies[case.item.id] = case.item
                for question in kept:
                    bank.questions[question.id] = question
                    bank.case_of[question.id] = case.item.id
        deck = result.deck or strip_unsafe(path.stem)
        for card in result.cards:
            if self.admit(bank, shown, card.item.id, card.item.task, card.at, card.task_at):
                bank.flashcards[card.item.id] = card.item
                bank.deck_of[card.item.id] = deck


def load_catalog(
    paths: Iterable[Path],
    *,
    cache_dir: Path | None = None,
    progress: Callable[[int, int], None] | None = None,
    save_in_background: bool = False,
) -> Catalog:
    """Load bank folders and files; problems are collected, never raised.

    With `cache_dir`, files unchanged since the last load come from the cache there and only
    changed files are parsed; the cache is a speed-up only, so any trouble with it is ignored.
    `progress(done, total)` is called after each bank file, for a loading screen.
    With `save_in_background`, a cache that needs writing is written by a thread after the banks are
    returned (the app uses them meanwhile); `catalog.wait_for_cache()` waits for it.
    """
    paths = [Path(p) for p in paths]
    with gc_paused():
        if cache_dir is None:
            reader: Reader = Reader()
        else:
            from quizapp.content.cache import BankCache

            reader = BankCache(cache_dir, paths)
        loading = _Loading(reader)
        loading.blueprint(None)  # the bundled exam is always the primary bank
        sources = [source_for(path) for path in paths]
        total, done = sum(len(source.files) for source in sources), 0
        for source in sources:
            for folder, message in source.problems:
                loading.problem(display(folder), (1, 1), message)
            bank = loading.blueprint(source.blueprint)
            for path in source.files:
                loading.catalog.files.append(path)
                loading.file(bank, path)
                done += 1
                if progress is not None:
                    progress(done, total)
        catalog = loading.catalog
        reader.index_for(catalog.primary if catalog.banks else None, bool(catalog.problems))
        if not save_in_background:
            reader.save()
    if save_in_background:
        loading.catalog.cache_writer = reader.save_in_background()
    loading.catalog.problems.sort()
    loading.catalog.cache = getattr(reader, "stats", None)
    return loading.catalog


def load_strict(paths: Iterable[Path], *, cache_dir: Path | None = None) -> Catalog:
    """Load and raise BankError listing every problem, for tools that want all-or-nothing."""
    return load_catalog(paths, cache_dir=cache_dir).raise_for_problems()
