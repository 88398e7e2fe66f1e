"""The export format as pydantic models: what `import` accepts, checked whole before anything is written.

An export file is untrusted input (it may come from another machine, an older quizapp or a hand
edit), and everything it holds ends up in rows the app reads on every start. So a file is parsed
and validated in one pass by pydantic-core (its JSON parser has a nesting limit and no RecursionError,
and a year of history validates in about the time `json.loads` alone takes), strictly (`"1"`, `1.0`
and `true` are not the integer 1; NaN, Infinity and integers past 64 bits are refused), and refused
with every problem's JSON path when anything is off: the store never holds half a file.

What only `study` knows (does a card state load into FSRS, is a setting's value valid, is a question
in the loaded bank, does a response fit its question) comes in as `ImportChecks` callables, so the
store does not import `study` (the layers point study -> store).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from math import isfinite
from typing import Annotated, Any, Literal, NotRequired

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    TypeAdapter,
    ValidationError,
    ValidationInfo,
    with_config,
)
from pydantic_core import PydanticCustomError
from typing_extensions import TypedDict

from quizapp.store.records import MAX_DURATION_MS
from quizapp.store.transfer import EXPORT_VERSION
from quizapp.textsafe import UNSAFE, describe, escape, first_unsafe

MAX_EXPORT_BYTES = 128 * 1024 * 1024
"""About ten years of daily study; a bigger file is refused before it is read."""
MAX_PROBLEMS = 20

INT64 = 2**63 - 1
YEARS = (2000, 2200)
"""Timestamps outside these years are damage, not history (quizapp did not exist before 2000)."""
EPOCH_RANGE = (
    int(datetime(YEARS[0], 1, 1, tzinfo=UTC).timestamp()),
    int(datetime(YEARS[1], 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()),
)
JSON_DEPTH, JSON_NODES, JSON_STRING = 16, 10_000, 20_000
"""Bounds on free-form values (responses, results, settings): deeper or bigger is not quizapp's."""


class ImportRefused(ValueError):
    """The file cannot be imported; `problems` are `$.json.path: message` lines, first ones first."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems[:MAX_PROBLEMS]
        self.total = len(problems)
        super().__init__("; ".join(self.problems))


# ---------------------------------------------------------------------------------- the checks


def _no_problem(*_: object) -> str | None:
    return None


@dataclass(frozen=True)
class ImportChecks:
    """What study knows about the values; the defaults check nothing (structure is still checked)."""

    card: Callable[[object], str | None] = _no_problem
    """Why a card state cannot be scheduled, or None (study.srs.card_problem)."""
    setting: Callable[[str, object], str | None] = _no_problem
    """Why a value cannot be that setting, or None (study.settings.setting_problem)."""
    question: Callable[[str], bool] | None = None
    """Is this question in the loaded bank? None: no bank to check an unfinished exam against."""
    response: Callable[[str, object], str | None] = _no_problem
    """Why a stored response does not fit that (known) question, or None."""


def _checks(info: ValidationInfo) -> ImportChecks:
    context = info.context or {}
    return context.get("checks") or ImportChecks()


def guarded(check: Callable[..., str | None], *args: object) -> str | None:
    """A check that fails is a refusal with its reason, never a traceback halfway through an import."""
    try:
        return check(*args)
    except Exception as exc:  # noqa: BLE001 - the checks are study's code run on hostile values
        return f"cannot be checked ({type(exc).__name__})"


def _fail(why: str) -> PydanticCustomError:
    return PydanticCustomError("quizapp", "{why}", {"why": why})


# ------------------------------------------------------------------------------ value types


def _plain_json(value: Any) -> Any:
    """A free-form value must be JSON quizapp can store and read back: finite, bounded, not deep.

    Walked without recursion, scalars checked inline: it runs on every card state and response of
    a file (tens of thousands), so it must cost about as little as reading them.
    """
    stack: list[tuple[Any, int]] = [([value], 0)]
    nodes = 0
    while stack:
        container, depth = stack.pop()
        if depth > JSON_DEPTH:
            raise _fail(f"nested more than {JSON_DEPTH} levels deep")
        children = container.values() if type(container) is dict else container
        nodes += len(children)
        if nodes > JSON_NODES:
            raise _fail(f"more than {JSON_NODES} values")
        for child in children:
            kind = type(child)
            if kind is str:
                if len(child) > JSON_STRING:
                    raise _fail(f"a text longer than {JSON_STRING} characters")
            elif kind is int:
                if not -INT64 - 1 <= child <= INT64:
                    raise _fail("an integer is too large (quizapp stores 64-bit integers)")
            elif kind is float:
                if not isfinite(child):
                    raise _fail("numbers must be finite")
            elif kind is dict or kind is list:
                stack.append((child, depth + 1))
            elif child is not None and kind is not bool:
                raise _fail(f"not a JSON value ({kind.__name__})")
    return value


def _stamp(value: str) -> str:
    """ISO 8601 with a time zone, within YEARS; stored in quizapp's one form (UTC, microseconds),
    which is what it exports, so a quizapp file passes through unchanged and text order stays
    time order for any other offset."""
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _fail("must be an ISO 8601 date and time like 2027-01-31T09:30:00+00:00") from None
    if len(value) == 32 and value.endswith("+00:00") and value[10] == "T" and value[19] == ".":
        canonical = value  # quizapp's own form (the common case: skip the conversion)
    elif moment.tzinfo is None:
        raise _fail("must carry a time zone (like +00:00)")
    else:
        try:
            canonical = moment.astimezone(UTC).isoformat(timespec="microseconds")
        except OverflowError:
            raise _fail(f"must lie in the years {YEARS[0]}-{YEARS[1]}") from None
    if not YEARS[0] <= int(canonical[:4]) <= YEARS[1]:
        raise _fail(f"must lie in the years {YEARS[0]}-{YEARS[1]}, got {canonical[:4]}")
    return canonical


def _day(value: str) -> str:
    try:
        day = date.fromisoformat(value)
    except ValueError:
        day = None
    if day is None or len(value) != 10:  # 3.11 also reads 20270131 and 2027-W05-1
        raise _fail("must be a date like 2027-01-31")
    if not YEARS[0] <= day.year <= YEARS[1]:
        raise _fail(f"must lie in the years {YEARS[0]}-{YEARS[1]}, got {day.year}")
    return value


def _card(value: dict[str, Any], info: ValidationInfo) -> dict[str, Any]:
    why = guarded(_checks(info).card, value)
    if why:
        raise _fail(why)
    return value


SAFE_WORD = f"^[^\\s{UNSAFE.pattern[1:-1]}]+$"
"""Ids, modes and setting names: no spaces, no character that could act on a terminal. A pattern,
so it runs inside pydantic-core (tens of thousands of ids per file); `_message` explains a mismatch."""
Id = Annotated[str, Field(min_length=1, max_length=200, pattern=SAFE_WORD)]
Mode = Annotated[str, Field(min_length=1, max_length=40, pattern=SAFE_WORD)]
Stamp = Annotated[str, Field(max_length=64), AfterValidator(_stamp)]
Day = Annotated[str, Field(max_length=10), AfterValidator(_day)]
Count = Annotated[int, Field(ge=0, le=1_000_000)]
Epoch = Annotated[int, Field(ge=EPOCH_RANGE[0], le=EPOCH_RANGE[1])]
Int64 = Annotated[int, Field(ge=-INT64 - 1, le=INT64)]
Seconds = Annotated[float, Field(ge=0, le=10_000_000)]
Duration = NotRequired[Annotated[int, Field(ge=0, le=MAX_DURATION_MS)] | None]
"""Time on an item in whole ms (a day at most); absent (a file from before times) or null: not
measured."""
Json = Annotated[Any, AfterValidator(_plain_json)]
Kind = Literal["card", "question"]

ROWS = ConfigDict(strict=True, allow_inf_nan=False, extra="ignore")
"""Strict: JSON has types, and "1", 1.0 and true are not the integer 1. Rows are TypedDicts (a
year of history is some 50k of them; plain dicts validate in a fraction of a model's time). Keys
unknown here (from a newer quizapp of the same export version) are dropped."""


@with_config(ROWS)
class FsrsCard(TypedDict):
    """py-fsrs's `Card.to_dict()`; whether FSRS can schedule it is `ImportChecks.card`'s call."""

    card_id: Int64
    state: Annotated[int, Field(ge=0, le=100)]
    step: Annotated[int, Field(ge=0, le=1000)] | None
    stability: Annotated[float, Field(ge=-1e9, le=1e9)] | None
    difficulty: Annotated[float, Field(ge=-1e9, le=1e9)] | None
    due: Annotated[str, Field(max_length=64)]
    last_review: Annotated[str, Field(max_length=64)] | None


CardState = Annotated[FsrsCard, AfterValidator(_card)]


@with_config(ROWS)
class State(TypedDict):
    """A spaced-repetition state, as `rows.state_to_json` writes it (a review's `before`)."""

    kind: Kind
    card: CardState
    due: Epoch
    lapses: Count
    reps: Count
    leech: StrictBool
    introduced_day: Day


@with_config(ROWS)
class Item(State):
    item_id: Id


@with_config(ROWS)
class Review(TypedDict):
    item_id: Id
    kind: Kind
    rating: Annotated[int, Field(ge=1, le=4)]
    reviewed_at: Stamp
    mode: Mode
    before: State | None
    duration_ms: Duration


@with_config(ROWS)
class Answer(TypedDict):
    question_id: Id
    answered_at: Stamp
    day: Day
    correct: StrictBool
    guess: StrictBool
    mode: Mode
    response: Json
    review_at: Stamp | None
    duration_ms: Duration


@with_config(ROWS)
class ExamAnswer(TypedDict):
    position: Annotated[int, Field(ge=0, le=10_000)]
    response: Json
    flagged: StrictBool
    duration_ms: Duration


@with_config(ROWS)
class TimingSummary(TypedDict):
    """An exam's time per question (`study.timing.Timing.as_dict`); results from before it have none."""

    timed: Annotated[int, Field(ge=0, le=10_000)]
    median_s: Seconds | None
    mean_s: Seconds | None
    pace_s: Annotated[int, Field(ge=1, le=86_400)]
    over_pace: Annotated[int, Field(ge=0, le=10_000)]
    spare_s: Annotated[float, Field(ge=-10_000_000, le=86_400)] | None


@with_config(ROWS)
class ResultSummary(TypedDict):
    """What the app reads back from a finished exam's result (home, stats, the score chart)."""

    scaled: Annotated[int, Field(ge=0, le=10_000)]
    passed: StrictBool
    correct: Annotated[int, Field(ge=0, le=10_000)]
    total: Annotated[int, Field(ge=0, le=10_000)]
    time_used_s: Seconds
    timing: NotRequired[TimingSummary]


_RESULT = TypeAdapter(ResultSummary)


def _result(value: dict[str, Any] | None) -> dict[str, Any] | None:
    if value is None:
        return None
    _plain_json(value)
    try:
        summary = _RESULT.validate_python(value)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        raise _fail(f"{dotted_path(first['loc'])}: {error_text(first)}") from None
    if summary["correct"] > summary["total"]:
        raise _fail("correct: more than the total")
    return value


class Exam(BaseModel):
    """A practice exam; whether its parts agree (and, unfinished, fit the bank) is `_exam_problems`'."""

    model_config = ROWS
    seed: Int64
    started_at: Stamp
    time_limit_s: Annotated[int, Field(ge=1, le=86_400)]
    questions: Annotated[list[Id], Field(max_length=10_000)]
    status: Literal["in_progress", "submitted", "timed_out"]
    position: Annotated[int, Field(ge=0, le=10_000)] = 0
    elapsed_s: Seconds = 0.0
    finished_at: Stamp | None = None
    result: Annotated[dict[str, Any] | None, AfterValidator(_result)] = None
    predicted: Annotated[int, Field(ge=0, le=10_000)] | None = None
    predicted_pass: Annotated[float, Field(ge=0.0, le=1.0)] | None = None
    """P(pass) predicted when it started; absent (a file from before schema 5) or null: none."""
    answers: list[ExamAnswer] = []


class ExportFile(BaseModel):
    """A whole export. Settings values are free-form here and checked per key by `ImportChecks`."""

    model_config = ROWS
    format: Literal["quizapp-progress"]
    version: Annotated[int, Field(ge=1, le=EXPORT_VERSION)]
    schema_: Annotated[int, Field(ge=1, le=INT64, alias="schema")] = 1
    settings: dict[Annotated[str, Field(min_length=1, max_length=100, pattern=SAFE_WORD)], Json] = {}
    settings_changed: dict[Annotated[str, Field(min_length=1, max_length=100, pattern=SAFE_WORD)], Stamp] = {}
    """When each setting was last changed (schema 7 on): a merge keeps the newest value of each.
    Optional, so files from before it import (their settings are older than any with a time)."""
    items: list[Item] = []
    reviews: list[Review] = []
    answers: list[Answer] = []
    exams: list[Exam] = []


# ------------------------------------------------------------------------------- messages


def error_line(error: Any) -> str:
    loc = tuple(error["loc"])
    if loc and loc[-1] == "[key]":  # pydantic's mark for a dict key (a setting's name)
        return f"{json_path(loc[:-1])}: the key {error_text(error)}"
    return f"{json_path(loc)}: {error_text(error)}"


def json_path(loc: tuple[int | str, ...]) -> str:
    return "$" + dotted_path(loc, lead=".")


def dotted_path(loc: tuple[int | str, ...], lead: str = "") -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part.isidentifier():
            out += ("." if out or lead else "") + part
        else:
            out += f"[{escape(json.dumps(part, ensure_ascii=False))}]"
    return out


def error_text(error: Any) -> str:
    value = error.get("input")
    if error["type"] == "string_pattern_mismatch" and isinstance(value, str):
        at = first_unsafe(value)
        return (
            f"contains {describe(value[at])} at character {at + 1}" if at is not None else "contains a space"
        )
    if error["type"] in ("quizapp", "missing"):
        return escape(error["msg"][0].lower() + error["msg"][1:])
    message = error["msg"][0].lower() + error["msg"][1:]
    return f"{escape(message)}, got {shown_value(value)}"


def shown_value(value: Any) -> str:
    if isinstance(value, dict | list):
        return kind_of(value)
    try:
        text = json.dumps(value, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError):
        text = type(value).__name__
    return escape(text if len(text) <= 40 else text[:37] + "...")


def kind_of(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, str):
        return "a string"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    return "a number"
