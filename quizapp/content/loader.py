"""Bank folders and files in, a Catalog of validated banks plus every located problem out.

The loader never stops at the first problem: each file is parsed and validated on its own, a file
with bad items still contributes its good ones, and rules that span files (unique ids, tasks that
exist in the blueprint) run last. The app opens with whatever is valid; `quizapp validate` prints
the problems and exits 1.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from threading import Thread
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, ValidationError

from quizapp.content import models, yamlsafe
from quizapp.content.file_result import (
    At,
    CachedQuestions,
    CachedResult,
    FileKind,
    FileResult,
    Placed,
    PlacedCard,
    PlacedCase,
)
from quizapp.content.locate import problems_from
from quizapp.content.models import (
    AnyQuestion,
    Blueprint,
    CaseStudy,
    Deck,
    Flashcard,
    QuestionFile,
)
from quizapp.content.problems import BankError, Location, Problem
from quizapp.content.questions import QUESTION, CacheDamaged, QuestionInfo, Questions

if TYPE_CHECKING:
    from quizapp.content.cache import CacheStats

YAML_SUFFIXES = (".yaml", ".yml")
BLUEPRINT_NAME = "blueprint.yaml"
_MODELS: tuple[type[BaseModel], ...] = tuple(
    value for value in vars(models).values() if isinstance(value, type) and issubclass(value, BaseModel)
)


def bundled_root() -> Path:
    """Where the bundled `questions/` and `flashcards/` are: inside the wheel, or the checkout."""
    package = Path(__file__).resolve().parent.parent
    packaged = package / "_banks"
    return packaged if packaged.is_dir() else package.parent


def bundled_blueprint_path() -> Path:
    return bundled_root() / "questions" / BLUEPRINT_NAME


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


# --------------------------------------------------------------------------- discovery


@dataclass(frozen=True)
class Source:
    """A set of bank files and the blueprint they are filed under (None: the bundled one)."""

    files: tuple[Path, ...]
    blueprint: Path | None


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(
        p for p in folder.rglob("*") if p.suffix in YAML_SUFFIXES and p.name != BLUEPRINT_NAME and p.is_file()
    )


def source_for(path: Path) -> Source:
    """Resolve a bank folder or a single file into the files to read and their blueprint."""
    if path.is_dir():
        questions, flashcards = path / "questions", path / "flashcards"
        if questions.is_dir() or flashcards.is_dir():
            files = [
                *(_yaml_files(questions) if questions.is_dir() else []),
                *(_yaml_files(flashcards) if flashcards.is_dir() else []),
            ]
            blueprint = questions / BLUEPRINT_NAME
        else:
            files = _yaml_files(path)
            blueprint = path / BLUEPRINT_NAME
        return Source(tuple(files), blueprint if blueprint.is_file() else None)
    if path.name == BLUEPRINT_NAME:
        return Source((), path)
    for candidate in (path.parent / BLUEPRINT_NAME, path.parent.parent / "questions" / BLUEPRINT_NAME):
        if candidate.is_file():
            return Source((path,), candidate)
    return Source((path,), None)


def default_sources(bank_dirs: Sequence[Path] = ()) -> list[Path]:
    return [bundled_root(), *bank_dirs]


# --------------------------------------------------------------------------- one file on its own


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _at(mark: yaml.Mark) -> At:
    return (mark.line + 1, mark.column + 1)


def _parse(raw: bytes, problems: list[tuple[int, int, str]]) -> yamlsafe.Parsed | None:
    try:
        parsed = yamlsafe.parse(yamlsafe.decode(raw))
    except yamlsafe.YamlProblem as exc:
        problems.append((exc.line, exc.column, exc.message))
        return None
    problems.extend((d.line, d.column, d.message) for d in parsed.duplicate_keys)
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


def _located(exc: ValidationError, root: yaml.Node) -> list[tuple[int, int, str]]:
    return [(p.line, p.column, p.message) for p in problems_from(exc, root, "", _MODELS)]


def unread(exc: OSError) -> FileResult:
    return FileResult(kind="unread", problems=[(1, 1, f"cannot read file: {exc.strerror or exc}")])


def analyse_blueprint(raw: bytes) -> FileResult:
    problems: list[tuple[int, int, str]] = []
    parsed = _parse(raw, problems)
    if parsed is None:
        return FileResult(kind="blueprint", problems=problems)
    try:
        blueprint = Blueprint.model_validate(parsed.data)
    except ValidationError as exc:
        problems.extend(_located(exc, parsed.root))
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
        problems.extend(_located(exc, parsed.root))
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
        problems.extend(_located(exc, parsed.root))
        name = data.get("deck") if isinstance(data.get("deck"), str) else None
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
            raw = path.read_bytes()
        except OSError as exc:
            return unread(exc)
        return analyse(raw, role)

    def save(self) -> None:
        """Nothing to keep."""

    def save_in_background(self) -> Thread | None:
        """Save from a thread (None: nothing to save)."""
        return None

    def recover(self, path: Path, question_id: str) -> AnyQuestion:
        """Question `question_id` as bank file `path` has it now (for a cached question gone bad)."""
        try:
            result = analyse(path.read_bytes(), "bank")
        except OSError as exc:
            raise CacheDamaged(f"cannot read {path} again: {exc.strerror or exc}") from exc
        for placed in result.questions:
            if placed.item.id == question_id:
                return placed.item
        raise CacheDamaged(f"{path} no longer has question {question_id!r}")


def analyse(raw: bytes, role: str) -> FileResult:
    return analyse_blueprint(raw) if role == "blueprint" else analyse_bank_file(raw)


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
        key = path.resolve() if path else None
        if key not in self.blueprints:
            source = path or bundled_blueprint_path()
            result = self.reader.result(source, "blueprint")
            self.problems(_display(source), result)
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
                    _display(path or bundled_blueprint_path()),
                    1,
                    1,
                    f"blueprint for exam {blueprint.exam!r} differs from the one in "
                    f"{_display(origin) if origin else 'the bundled bank'}; its items are checked "
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
        shown = _display(path)
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
        deck = result.deck or path.stem
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
            bank = loading.blueprint(source.blueprint)
            for path in source.files:
                loading.catalog.files.append(path)
                loading.file(bank, path)
                done += 1
                if progress is not None:
                    progress(done, total)
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
