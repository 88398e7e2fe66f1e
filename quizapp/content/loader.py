"""Bank folders and files in, a Catalog of validated banks plus every located problem out.

The loader never stops at the first problem: each file is parsed and validated on its own, a file
with bad items still contributes its good ones, and rules that span files (unique ids, tasks that
exist in the blueprint) run last. The app opens with whatever is valid; `quizapp validate` prints
the problems and exits 1.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, TypeAdapter, ValidationError

from quizapp.content import models, yamlsafe
from quizapp.content.locate import problems_from
from quizapp.content.models import (
    AnyQuestion,
    Blueprint,
    CaseStudy,
    Deck,
    Flashcard,
    Question,
    QuestionFile,
)
from quizapp.content.problems import BankError, Location, Problem

YAML_SUFFIXES = (".yaml", ".yml")
BLUEPRINT_NAME = "blueprint.yaml"
_QUESTION = TypeAdapter(Question)
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
    questions: dict[str, AnyQuestion] = field(default_factory=dict)
    case_studies: dict[str, CaseStudy] = field(default_factory=dict)
    case_of: dict[str, str] = field(default_factory=dict)
    """Question id -> id of the case study it belongs to."""
    flashcards: dict[str, Flashcard] = field(default_factory=dict)
    deck_of: dict[str, str] = field(default_factory=dict)
    """Flashcard id -> deck name."""

    @property
    def exam(self) -> str:
        return self.blueprint.exam

    def domain_of(self, question: AnyQuestion | Flashcard) -> int:
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
            for q in bank.questions.values():
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
    """Bulk loads allocate millions of small objects; collecting mid-load only costs time."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
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


# --------------------------------------------------------------------------- reading


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _read(path: Path, problems: list[Problem]) -> yamlsafe.Parsed | None:
    shown = _display(path)
    try:
        raw = path.read_bytes()
        parsed = yamlsafe.parse(yamlsafe.decode(raw))
    except OSError as exc:
        problems.append(Problem(shown, 1, 1, f"cannot read file: {exc.strerror or exc}"))
        return None
    except yamlsafe.YamlProblem as exc:
        problems.append(Problem(shown, exc.line, exc.column, exc.message))
        return None
    problems.extend(Problem(shown, d.line, d.column, d.message) for d in parsed.duplicate_keys)
    if not isinstance(parsed.data, dict):
        mark = parsed.root.start_mark
        problems.append(
            Problem(
                shown,
                mark.line + 1,
                mark.column + 1,
                "top level must be a mapping with 'questions'/'case_studies' (a question file) "
                "or 'deck' and 'cards' (a flashcard deck)",
            )
        )
        return None
    return parsed


def _kind(data: dict) -> str | None:
    if "questions" in data or "case_studies" in data:
        return "questions"
    if "deck" in data or "cards" in data:
        return "deck"
    if "domains" in data or "exam" in data:
        return "blueprint"
    return None


def _item_marks(root: yaml.Node, key: str) -> list[yaml.Mark]:
    if isinstance(root, yaml.MappingNode):
        for k, v in root.value:
            if k.value == key and isinstance(v, yaml.SequenceNode):
                return [item.start_mark for item in v.value]
    return []


def _task_mark(item: yaml.Node) -> yaml.Mark:
    if isinstance(item, yaml.MappingNode):
        for k, v in item.value:
            if k.value == "task":
                return v.start_mark
    return item.start_mark


def _node_at(root: yaml.Node, *path: str | int) -> yaml.Node:
    node = root
    for part in path:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == part), node)
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
    return node


# --------------------------------------------------------------------------- the loader


class _Loading:
    """State of one load: ids seen so far, banks being filled, problems collected."""

    def __init__(self) -> None:
        self.catalog = Catalog()
        self.blueprints: dict[Path | None, Blueprint | None] = {}
        self.blueprint_origin: dict[str, Path | None] = {}

    def problem(self, path: Path, mark: yaml.Mark, message: str) -> None:
        self.catalog.problems.append(Problem(_display(path), mark.line + 1, mark.column + 1, message))

    # blueprints -------------------------------------------------------------------------------

    def blueprint(self, path: Path | None) -> Bank | None:
        """The bank for a blueprint file (None: the bundled AIF-C01 blueprint)."""
        key = path.resolve() if path else None
        if key not in self.blueprints:
            self.blueprints[key] = self._read_blueprint(path or bundled_blueprint_path())
        blueprint = self.blueprints[key]
        if blueprint is None:
            return None
        banks = self.catalog.banks
        if blueprint.exam not in banks:
            banks[blueprint.exam] = Bank(blueprint)
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

    def _read_blueprint(self, path: Path) -> Blueprint | None:
        parsed = _read(path, self.catalog.problems)
        if parsed is None:
            return None
        try:
            return Blueprint.model_validate(parsed.data)
        except ValidationError as exc:
            self.catalog.problems.extend(problems_from(exc, parsed.root, _display(path), _MODELS))
            return None

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

    def task_known(self, bank: Bank, task: str, path: Path, mark: yaml.Mark) -> bool:
        if task in bank.blueprint.task_ids():
            return True
        self.problem(
            path,
            mark,
            f"task {task!r} is not a task statement of {bank.exam} "
            f"(known: {', '.join(bank.blueprint.task_ids())})",
        )
        return False

    def question_file(self, bank: Bank | None, path: Path, parsed: yamlsafe.Parsed) -> None:
        data = parsed.data
        assert isinstance(data, dict)
        try:
            qfile = QuestionFile.model_validate(data)
            questions: list[tuple[int, AnyQuestion]] = list(enumerate(qfile.questions))
            cases: list[tuple[int, CaseStudy]] = list(enumerate(qfile.case_studies))
        except ValidationError as exc:
            self.catalog.problems.extend(problems_from(exc, parsed.root, _display(path), _MODELS))
            questions, cases = self._salvage(data)
        if bank is None:
            return
        shown = _display(path)
        q_marks = _item_marks(parsed.root, "questions")
        for index, question in questions:
            mark = q_marks[index]
            if not self.claim(question.id, Location(shown, mark.line + 1, mark.column + 1)):
                continue
            item_node = _node_at(parsed.root, "questions", index)
            if self.task_known(bank, question.task, path, _task_mark(item_node)):
                bank.questions[question.id] = question
        c_marks = _item_marks(parsed.root, "case_studies")
        for index, case in cases:
            mark = c_marks[index]
            case_node = _node_at(parsed.root, "case_studies", index)
            if not self.claim(case.id, Location(shown, mark.line + 1, mark.column + 1)):
                continue
            if not self.task_known(bank, case.task, path, _task_mark(case_node)):
                continue
            kept: list[AnyQuestion] = []
            inner_marks = _item_marks(case_node, "questions")
            for inner_index, question in enumerate(case.resolved()):
                m = inner_marks[inner_index]
                inner_node = _node_at(case_node, "questions", inner_index)
                if self.claim(question.id, Location(shown, m.line + 1, m.column + 1)) and self.task_known(
                    bank, question.task, path, _task_mark(inner_node)
                ):
                    kept.append(question)
            if len(kept) >= 2:
                bank.case_studies[case.id] = case
                for question in kept:
                    bank.questions[question.id] = question
                    bank.case_of[question.id] = case.id

    @staticmethod
    def _salvage(data: dict) -> tuple[list[tuple[int, AnyQuestion]], list[tuple[int, CaseStudy]]]:
        """Keep the valid items of a file that has invalid ones (already reported)."""
        questions: list[tuple[int, AnyQuestion]] = []
        cases: list[tuple[int, CaseStudy]] = []
        raw_questions = data.get("questions")
        if isinstance(raw_questions, list):
            for index, raw in enumerate(raw_questions):
                with suppress(ValidationError):
                    questions.append((index, _QUESTION.validate_python(raw)))
        raw_cases = data.get("case_studies")
        if isinstance(raw_cases, list):
            for index, raw in enumerate(raw_cases):
                with suppress(ValidationError):
                    cases.append((index, CaseStudy.model_validate(raw)))
        return questions, cases

    def deck_file(self, bank: Bank | None, path: Path, parsed: yamlsafe.Parsed) -> None:
        data = parsed.data
        assert isinstance(data, dict)
        try:
            deck = Deck.model_validate(data)
            name, cards = deck.deck, list(enumerate(deck.cards))
        except ValidationError as exc:
            self.catalog.problems.extend(problems_from(exc, parsed.root, _display(path), _MODELS))
            name = data.get("deck") if isinstance(data.get("deck"), str) else path.stem
            cards = []
            raw_cards = data.get("cards")
            if isinstance(raw_cards, list):
                for index, raw in enumerate(raw_cards):
                    with suppress(ValidationError):
                        cards.append((index, Flashcard.model_validate(raw)))
        if bank is None:
            return
        shown = _display(path)
        marks = _item_marks(parsed.root, "cards")
        for index, card in cards:
            mark = marks[index]
            if not self.claim(card.id, Location(shown, mark.line + 1, mark.column + 1)):
                continue
            if self.task_known(bank, card.task, path, _task_mark(_node_at(parsed.root, "cards", index))):
                bank.flashcards[card.id] = card
                bank.deck_of[card.id] = str(name)

    def source(self, source: Source) -> None:
        bank = self.blueprint(source.blueprint)
        for path in source.files:
            self.catalog.files.append(path)
            parsed = _read(path, self.catalog.problems)
            if parsed is None:
                continue
            assert isinstance(parsed.data, dict)
            kind = _kind(parsed.data)
            if kind == "questions":
                self.question_file(bank, path, parsed)
            elif kind == "deck":
                self.deck_file(bank, path, parsed)
            elif kind == "blueprint":
                self.problem(
                    path,
                    parsed.root.start_mark,
                    f"a blueprint must be named {BLUEPRINT_NAME} and sit in questions/",
                )
            else:
                self.problem(
                    path,
                    parsed.root.start_mark,
                    "not a bank file: expected top-level 'questions'/'case_studies' or 'deck' and 'cards'",
                )


def load_catalog(paths: Iterable[Path]) -> Catalog:
    """Load bank folders and files; problems are collected, never raised."""
    loading = _Loading()
    with gc_paused():
        loading.blueprint(None)  # the bundled exam is always the primary bank
        for path in paths:
            loading.source(source_for(Path(path)))
    loading.catalog.problems.sort()
    return loading.catalog


def load_strict(paths: Iterable[Path]) -> Catalog:
    """Load and raise BankError listing every problem, for tools that want all-or-nothing."""
    return load_catalog(paths).raise_for_problems()
