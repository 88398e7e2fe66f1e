"""Checking an export file whole: parse and validate in one pass, then the checks that span records
and what only study knows; a refusal lists the first problems with their JSON paths.

The format itself (the models, bounds and value types) is `export_format`; this module turns a file
into an `ExportFile` or an `ImportRefused`, and nothing is written by either.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pydantic import ValidationError
from pydantic_core import from_json

from quizapp.store.export_format import (
    Exam,
    ExportFile,
    ImportChecks,
    ImportRefused,
    error_line,
    guarded,
    json_path,
    kind_of,
)
from quizapp.store.transfer import EXPORT_FORMAT, EXPORT_VERSION
from quizapp.textsafe import escape


def load_export(raw: bytes, checks: ImportChecks | None = None) -> ExportFile:
    """Parse and validate an export file's bytes in one pass, or ImportRefused with JSON paths."""
    checks = checks or ImportChecks()
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]  # a byte-order mark some editors write; not part of the JSON
    try:
        model = ExportFile.model_validate_json(raw, context={"checks": checks})
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        if errors and errors[0]["type"] == "json_invalid":
            raise ImportRefused([_not_json(raw, errors[0]["msg"])]) from None
        raise ImportRefused(_refusal(errors, from_json(raw), checks)) from None
    return _checked(model, checks)


def validate_export(data: Any, checks: ImportChecks | None = None) -> ExportFile:
    """Already-parsed data (an `export_data()` dict) as models, or ImportRefused with JSON paths."""
    checks = checks or ImportChecks()
    try:
        model = ExportFile.model_validate(data, context={"checks": checks})
    except ValidationError as exc:
        raise ImportRefused(_refusal(exc.errors(include_url=False), data, checks)) from None
    return _checked(model, checks)


def _checked(model: ExportFile, checks: ImportChecks) -> ExportFile:
    """A well-formed file whose meaning is checked too: settings, duplicates, exams and the bank."""
    problems = list(_setting_problems(model.settings, checks))
    problems.extend(_record_problems(model, checks))
    if problems:
        raise ImportRefused(problems)
    return model


def _not_json(raw: bytes, message: str) -> str:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return f"$: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start})"
    return f"$: not JSON quizapp can read: {escape(message.removeprefix('Invalid JSON: '))}"


def _refusal(errors: list[Any], data: Any, checks: ImportChecks) -> list[str]:
    """Every problem of a file that failed validation: what it is not, or what is wrong where.

    A file that is not an export, or is from a newer quizapp, gets that one line rather than a
    list of everything this version does not recognise in it.
    """
    if not isinstance(data, dict):
        return [f"$: not a quizapp export (expected an object, got {kind_of(data)})"]
    if data.get("format") != EXPORT_FORMAT:
        return [f'$.format: not a quizapp progress export (expected "{EXPORT_FORMAT}")']
    version = data.get("version")
    if type(version) is int and version > EXPORT_VERSION:
        return [
            f"$.version: written by a newer quizapp (export version {version}; this quizapp reads "
            f"up to {EXPORT_VERSION}): upgrade quizapp to import it"
        ]
    problems = [error_line(e) for e in errors]
    settings = data.get("settings")
    if isinstance(settings, dict):
        problems.extend(_setting_problems(settings, checks))
    exams = data.get("exams")
    broken = {e["loc"][1] for e in errors if e["loc"][:1] == ("exams",) and len(e["loc"]) > 1}
    for n, exam in enumerate(exams if isinstance(exams, list) else []):
        if n not in broken:  # a well-formed exam in a refused file: say what else is wrong with it
            try:
                problems.extend(_exam_problems(f"$.exams[{n}]", Exam.model_validate(exam), checks))
            except ValidationError:
                continue
    return problems


def _setting_problems(settings: dict[Any, Any], checks: ImportChecks) -> Iterator[str]:
    for key, value in settings.items():
        if isinstance(key, str):
            why = guarded(checks.setting, key, value)
            if why:
                yield f"{json_path(('settings', key))}: {escape(why)}"


def _record_problems(model: ExportFile, checks: ImportChecks) -> Iterator[str]:
    """What no single row shows: duplicates, times in two places, and exams whose parts disagree
    (or miss the bank)."""
    for n, review in enumerate(model.reviews):
        if review["kind"] == "question" and review.get("duration_ms") is not None:
            # One source of truth: a question's time is on its answer (schema 4).
            yield f"$.reviews[{n}].duration_ms: a question's review carries no time (its answer has it)"
    seen: dict[str, int] = {}
    for n, item in enumerate(model.items):
        if item["item_id"] in seen:
            first = seen[item["item_id"]]
            yield f"$.items[{n}].item_id: {escape(item['item_id'])} appears twice (also $.items[{first}])"
        seen.setdefault(item["item_id"], n)
    unfinished = [n for n, e in enumerate(model.exams) if e.status == "in_progress"]
    for n in unfinished[1:]:
        yield f"$.exams[{n}].status: only one exam can be in progress (also $.exams[{unfinished[0]}])"
    for n, exam in enumerate(model.exams):
        yield from _exam_problems(f"$.exams[{n}]", exam, checks)


def _exam_problems(at: str, exam: Exam, checks: ImportChecks) -> Iterator[str]:
    count = len(exam.questions)
    if exam.status == "in_progress":
        if exam.finished_at is not None or exam.result is not None:
            yield f"{at}.status: in progress, but it has a finish time or a result"
        if count == 0:
            yield f"{at}.questions: an exam in progress needs its questions"
        elif exam.position >= count:
            yield f"{at}.position: {exam.position} is past the last question ({count} questions)"
    else:
        if exam.finished_at is None:
            yield f"{at}.finished_at: a {exam.status} exam needs its finish time"
        elif exam.finished_at < exam.started_at:  # both normalised to UTC: text order is time order
            yield f"{at}.finished_at: before started_at ({exam.started_at})"
        if exam.result is None:
            yield f"{at}.result: a {exam.status} exam needs its result"
        if exam.position > max(count - 1, 0):
            yield f"{at}.position: {exam.position} is past the last question ({count} questions)"
    positions: set[int] = set()
    for n, answer in enumerate(exam.answers):
        if answer["position"] >= count:
            yield f"{at}.answers[{n}].position: {answer['position']} is past the last question ({count})"
        elif answer["position"] in positions:
            yield f"{at}.answers[{n}].position: {answer['position']} appears twice"
        positions.add(answer["position"])
    if exam.status != "in_progress" or checks.question is None:
        return  # a finished exam is history: it may name questions this bank no longer has
    known = checks.question
    for n, question_id in enumerate(exam.questions):
        if not guarded(known, question_id):
            yield (
                f"{at}.questions[{n}]: {escape(question_id)} is not in the loaded bank, so this unfinished "
                "exam could not be resumed"
            )
    for n, answer in enumerate(exam.answers):
        if (
            answer["response"] is None
            or answer["position"] >= count
            or not guarded(known, exam.questions[answer["position"]])
        ):
            continue
        why = guarded(checks.response, exam.questions[answer["position"]], answer["response"])
        if why:
            yield f"{at}.answers[{n}].response: {escape(why)}"
