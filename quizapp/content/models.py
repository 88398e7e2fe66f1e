"""The bank contract as pydantic models: what a blueprint, a question and a flashcard may be.

Models are frozen and forbid unknown keys so that a typo such as `corect:` is an error rather than a
silently ignored field. Rules that involve one item only live here as validators, so pydantic reports
them with a location inside the item; rules that span files (unique ids, known tasks) live in the
loader, which sees every file.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from quizapp.textsafe import UNSAFE

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:[-._][a-z0-9]+)*$")
TASK_PATTERN = re.compile(r"^\d+\.\d+$")
# Field rules are patterns that run inside pydantic-core: Python validators on every text field,
# id and task were most of the cost of reading a bank back from the cache. locate.py words their
# errors for authors ("text must not be empty", "id '…' must be lowercase…").


def _task_as_text(value: object) -> object:
    # YAML reads an unquoted `task: 1.1` as a float; accept it rather than punish the author.
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


# Terminal-control characters (textsafe.UNSAFE) as regex text that pydantic-core's engine, Python's
# and JSON Schema's all read the same way: `\uXXXX` escapes instead of the raw characters.
_UNSAFE = re.sub(r"[^\[\]-]", lambda m: f"\\u{ord(m.group()):04x}", UNSAFE.pattern)[1:-1]
SAFE_TEXT = f"^[^{_UNSAFE}]*$"
NOT_BLANK = f"^[^{_UNSAFE}]*[^\\s{_UNSAFE}][^{_UNSAFE}]*$"
"""Some text that is not whitespace, and no character that could act on a terminal: the loader reports
such a character at its place in the file; this keeps it out of a model built any other way (a cache
read back, an import), whatever the display layer does."""
Text = Annotated[str, StringConstraints(pattern=NOT_BLANK)]
SafeText = Annotated[str, StringConstraints(pattern=SAFE_TEXT)]
ItemId = Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern)]
TaskId = Annotated[str, BeforeValidator(_task_as_text), StringConstraints(pattern=TASK_PATTERN.pattern)]
Tag = Annotated[str, StringConstraints(pattern=NOT_BLANK)]


class Strict(BaseModel):
    """Base for every bank model: immutable, unknown keys refused."""

    model_config = ConfigDict(extra="forbid", frozen=True)


# --------------------------------------------------------------------------- blueprint


class ExamFormat(Strict):
    questions: int = Field(gt=0, description="Questions on a full exam, scored and unscored.")
    scored: int = Field(gt=0, description="How many of them count towards the score.")
    minutes: int = Field(gt=0)
    scale: tuple[int, int] = Field(description="Lowest and highest scaled score.")
    passing: int

    @model_validator(mode="after")
    def _consistent(self) -> ExamFormat:
        low, high = self.scale
        if low >= high:
            raise PydanticCustomError("bad_scale", "scale must be [lowest, highest]")
        if not low <= self.passing <= high:
            raise PydanticCustomError("bad_passing", "passing score must lie within the scale")
        if self.scored > self.questions:
            raise PydanticCustomError("bad_scored", "scored cannot exceed questions")
        return self


class TaskStatement(Strict):
    id: TaskId
    title: Text


class Domain(Strict):
    id: int = Field(gt=0)
    name: Text
    weight: int = Field(gt=0, le=100, description="Percent of the scored content.")
    tasks: list[TaskStatement] = Field(min_length=1)

    @field_validator("tasks")
    @classmethod
    def _tasks_belong(cls, tasks: list[TaskStatement], info: ValidationInfo) -> list[TaskStatement]:
        domain = info.data.get("id")
        for task in tasks:
            if domain is not None and task.id.split(".")[0] != str(domain):
                raise PydanticCustomError(
                    "task_domain",
                    "task {task} does not belong to domain {domain}",
                    {"task": task.id, "domain": domain},
                )
        return tasks


class Blueprint(Strict):
    """An exam: its format and the domains and task statements every item is filed under."""

    exam: Text
    title: Text
    version: SafeText | None = Field(default=None, description="Exam guide version the blueprint follows.")
    format: ExamFormat
    domains: list[Domain] = Field(min_length=1)

    @field_validator("domains")
    @classmethod
    def _domains_consistent(cls, domains: list[Domain]) -> list[Domain]:
        total = sum(d.weight for d in domains)
        if total != 100:
            raise PydanticCustomError(
                "weights", "domain weights must sum to 100, not {total}", {"total": total}
            )
        seen_domains: set[int] = set()
        seen_tasks: set[str] = set()
        for domain in domains:
            if domain.id in seen_domains:
                raise PydanticCustomError("dup_domain", "domain {id} appears twice", {"id": domain.id})
            seen_domains.add(domain.id)
            for task in domain.tasks:
                if task.id in seen_tasks:
                    raise PydanticCustomError("dup_task", "task {id} appears twice", {"id": task.id})
                seen_tasks.add(task.id)
        return domains

    def task_ids(self) -> list[str]:
        return [t.id for d in self.domains for t in d.tasks]

    def domain_of(self, task: str) -> int:
        return int(task.split(".")[0])

    def task_title(self, task: str) -> str:
        for domain in self.domains:
            for t in domain.tasks:
                if t.id == task:
                    return t.title
        raise KeyError(task)


# --------------------------------------------------------------------------- questions


class Option(Strict):
    text: Text
    correct: bool = False
    why: Text = Field(description="One line the learner reads after answering: why right or wrong.")


class Pair(Strict):
    prompt: Text
    response: Text


def _distinct(values: list[str], what: str) -> None:
    if len({value.strip().casefold() for value in values}) == len(values):
        return  # the common case, checked in one pass; the loop below only names the duplicate
    seen: set[str] = set()
    for value in values:
        key = value.strip().casefold()
        if key in seen:
            raise PydanticCustomError(
                "duplicate_text", "{what} '{value}' appears twice", {"what": what, "value": value}
            )
        seen.add(key)


DOC_HOSTS = ("docs.aws.amazon.com", "aws.amazon.com", "strandsagents.com", "kiro.dev")
"""Where a reference may point: AWS documentation and product pages (Strands Agents and Kiro are AWS
projects documented on their own sites). A bank from anyone must not send a learner elsewhere."""
_HOSTS = "|".join(h.replace(".", r"\.") for h in DOC_HOSTS)
DOC_URL = rf"^https://(?:[a-z0-9-]+\.)*(?:{_HOSTS})/[^\s{_UNSAFE}]*$"
"""A path without spaces or terminal-control characters (a URL is shown as text beside the link)."""
DocUrl = Annotated[str, StringConstraints(pattern=DOC_URL)]


class Ref(Strict):
    """A page a learner can open from the feedback: the documentation the key rests on."""

    title: Text
    url: DocUrl = Field(description="https:// on " + ", ".join(DOC_HOSTS) + " (or a subdomain).")


def ref_text(ref: Ref | str) -> str:
    """A reference as one line of text: its title and address (a bare string only reaches here from a
    model built without validation, and is shown as it is)."""
    return f"{ref.title} <{ref.url}>" if isinstance(ref, Ref) else ref


class _QuestionBase(Strict):
    id: ItemId
    task: TaskId
    tags: list[Tag] = Field(default_factory=list)
    stem: Text
    explanation: Text
    refs: list[Ref] = Field(
        default_factory=list,
        description="AWS documentation the key rests on, each {title, url}: the learner opens it from the "
        "feedback.",
    )


class SingleQuestion(_QuestionBase):
    """Multiple choice: exactly one correct option among at least four."""

    type: Literal["single"]
    options: list[Option]

    @field_validator("options")
    @classmethod
    def _one_correct(cls, options: list[Option]) -> list[Option]:
        _distinct([o.text for o in options], "option")
        correct = sum(o.correct for o in options)
        if correct != 1:
            raise PydanticCustomError(
                "single_correct",
                "a single question needs exactly one correct option, found {n}",
                {"n": correct},
            )
        if len(options) - 1 < 3:
            raise PydanticCustomError(
                "distractors",
                "a single question needs at least 3 distractors, found {n}",
                {"n": len(options) - 1},
            )
        return options


class MultiQuestion(_QuestionBase):
    """Multiple response: exactly `choose` correct options among at least five."""

    type: Literal["multi"]
    choose: int = Field(ge=2)
    options: list[Option]

    @field_validator("options")
    @classmethod
    def _choose_correct(cls, options: list[Option], info: ValidationInfo) -> list[Option]:
        _distinct([o.text for o in options], "option")
        if len(options) < 5:
            raise PydanticCustomError(
                "multi_options",
                "a multi question needs at least 5 options, found {n}",
                {"n": len(options)},
            )
        correct = sum(o.correct for o in options)
        choose = info.data.get("choose")
        if choose is not None and correct != choose:
            raise PydanticCustomError(
                "multi_correct",
                "choose is {choose} but {n} option(s) are marked correct",
                {"choose": choose, "n": correct},
            )
        if choose is not None and choose >= len(options):
            raise PydanticCustomError("multi_all", "choose must leave at least one distractor")
        return options


class OrderingQuestion(_QuestionBase):
    """Ordering: `items` are written in the right order; the app shuffles them."""

    type: Literal["ordering"]
    items: list[Text] = Field(min_length=3, max_length=6)

    @field_validator("items")
    @classmethod
    def _distinct_items(cls, items: list[str]) -> list[str]:
        _distinct(items, "item")
        return items


class MatchingQuestion(_QuestionBase):
    """Matching: each prompt maps to exactly one response; distractors match nothing."""

    type: Literal["matching"]
    pairs: list[Pair] = Field(min_length=3, max_length=7)
    distractors: list[Text] = Field(default_factory=list)

    @field_validator("pairs")
    @classmethod
    def _distinct_pairs(cls, pairs: list[Pair]) -> list[Pair]:
        _distinct([p.prompt for p in pairs], "prompt")
        _distinct([p.response for p in pairs], "response")
        return pairs

    @field_validator("distractors")
    @classmethod
    def _distinct_distractors(cls, distractors: list[str], info: ValidationInfo) -> list[str]:
        pairs = info.data.get("pairs") or []
        _distinct([p.response for p in pairs] + list(distractors), "response")
        return distractors


Question = Annotated[
    SingleQuestion | MultiQuestion | OrderingQuestion | MatchingQuestion,
    Field(discriminator="type"),
]
QUESTION_TYPES = ("single", "multi", "ordering", "matching")


# Inside a case study the task defaults to the case study's own, so each question model gets a
# twin whose `task` is optional; `CaseStudy.resolved` fills it in.
class CaseSingle(SingleQuestion):
    task: TaskId | None = None  # type: ignore[assignment]


class CaseMulti(MultiQuestion):
    task: TaskId | None = None  # type: ignore[assignment]


class CaseOrdering(OrderingQuestion):
    task: TaskId | None = None  # type: ignore[assignment]


class CaseMatching(MatchingQuestion):
    task: TaskId | None = None  # type: ignore[assignment]


CaseQuestion = Annotated[CaseSingle | CaseMulti | CaseOrdering | CaseMatching, Field(discriminator="type")]


class CaseStudy(Strict):
    """One scenario with several questions, kept together and scored one by one."""

    id: ItemId
    task: TaskId
    tags: list[Tag] = Field(default_factory=list)
    scenario: Text
    questions: list[CaseQuestion] = Field(min_length=2)

    def resolved(self) -> list[SingleQuestion | MultiQuestion | OrderingQuestion | MatchingQuestion]:
        """The case study's questions as plain questions, with task and tags inherited."""
        out = []
        for q in self.questions:
            data = q.model_dump()
            data["task"] = q.task or self.task
            data["tags"] = list(dict.fromkeys([*self.tags, *q.tags]))
            out.append(_PLAIN_BY_TYPE[q.type].model_validate(data))
        return out


_PLAIN_BY_TYPE: dict[str, type[_QuestionBase]] = {
    "single": SingleQuestion,
    "multi": MultiQuestion,
    "ordering": OrderingQuestion,
    "matching": MatchingQuestion,
}


class QuestionFile(Strict):
    """A `questions/*.yaml` file."""

    questions: list[Question] = Field(default_factory=list)
    case_studies: list[CaseStudy] = Field(default_factory=list)


# --------------------------------------------------------------------------- flashcards


class Flashcard(Strict):
    id: ItemId
    task: TaskId
    front: Text
    back: Text
    tags: list[Tag] = Field(default_factory=list)


class Deck(Strict):
    """A `flashcards/*.yaml` file."""

    deck: Text
    cards: list[Flashcard] = Field(min_length=1)


AnyQuestion = SingleQuestion | MultiQuestion | OrderingQuestion | MatchingQuestion
