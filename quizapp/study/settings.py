"""The learner's settings, kept in the store. Light on purpose: the home screen reads them before
the bank (and pydantic) has loaded."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, fields, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from quizapp.store.peek import peek_setting

if TYPE_CHECKING:
    from quizapp.store import ProgressStore


@dataclass(frozen=True)
class Settings:
    new_cards_per_day: int = 20
    desired_retention: float = 0.90
    exam_date: str | None = None  # ISO date
    exam_length: str = "full"  # full | scored | a number of questions
    theme: str = "textual-dark"
    # The last short-exam count, kept apart from `exam_length` so that choosing Full (or Scored)
    # and then Short again brings back the learner's count instead of a default.
    short_exam_length: int = 20
    # The local hour a study day starts (Anki's "next day starts at"): reviews at 1 am count for the
    # evening before, and cards fall due from this hour on the day they are due.
    next_day_starts_at: int = 4
    # Due questions served per study day (answers to seen questions already given that day count);
    # the rest wait, most overdue first. 0 serves none; QUESTION_REVIEWS_MAX is as good as no limit.
    question_reviews_per_day: int = 50

    def validated(self) -> Settings:
        """These settings with each value checked and typed; a numeric `exam_length` is also the
        remembered short-exam count, so the two never disagree."""
        if not 0 <= int(self.new_cards_per_day) <= 1000:
            raise ValueError("new cards per day must be between 0 and 1000")
        if not 0.70 <= float(self.desired_retention) <= 0.99:
            raise ValueError("desired retention must be between 0.70 and 0.99")
        if self.exam_date is not None:
            try:
                date.fromisoformat(self.exam_date)
            except ValueError:
                raise ValueError("exam date must be a date like 2027-01-31") from None
        if self.exam_length not in ("full", "scored") and not (
            str(self.exam_length).isdigit() and 1 <= int(self.exam_length) <= SHORT_EXAM_MAX
        ):
            raise ValueError(f"exam length must be full, scored or a number from 1 to {SHORT_EXAM_MAX}")
        if not 1 <= int(self.short_exam_length) <= SHORT_EXAM_MAX:
            raise ValueError(f"short exam length must be a number from 1 to {SHORT_EXAM_MAX}")
        if not 0 <= int(self.next_day_starts_at) <= 23:
            raise ValueError("the next day must start at an hour from 0 to 23")
        if not 0 <= int(self.question_reviews_per_day) <= QUESTION_REVIEWS_MAX:
            raise ValueError(f"question reviews per day must be between 0 and {QUESTION_REVIEWS_MAX}")
        short = int(self.exam_length) if str(self.exam_length).isdigit() else int(self.short_exam_length)
        return replace(
            self,
            new_cards_per_day=int(self.new_cards_per_day),
            desired_retention=float(self.desired_retention),
            exam_length=str(self.exam_length),
            short_exam_length=short,
            next_day_starts_at=int(self.next_day_starts_at),
            question_reviews_per_day=int(self.question_reviews_per_day),
        )


SHORT_EXAM_MAX = 200
QUESTION_REVIEWS_MAX = 9999
"""Anki's default maximum reviews per day: in effect, no limit."""


class FieldError(ValueError):
    """A value typed into a settings field that cannot be used; the message is for the learner, in
    plain words that say what to type."""


def read_field(name: str, text: str, today: date) -> int | float | str | None:
    """The value typed into the settings field `name`, ready for `Coach.update_settings`.

    Raises FieldError with a message that says what to type, since the learner sees it beside the
    field. Stricter than `Settings.validated` in one way: a new exam date must not be in the past
    (`today` comes from the injected clock), while a stored date that has since passed still loads.
    """
    text = text.strip()
    if name == "new_cards_per_day":
        if not (text.isascii() and text.isdigit() and 0 <= int(text) <= 1000):
            raise FieldError("Use a whole number from 0 to 1000, e.g. 20")
        return int(text)
    if name == "desired_retention":
        try:
            value = float(text)
        except ValueError:
            value = -1.0
        if not 0.70 <= value <= 0.99:
            raise FieldError("Use a number from 0.70 to 0.99, e.g. 0.90")
        return value
    if name == "exam_date":
        if not text:
            return None
        try:
            # fromisoformat alone also takes 20270131 and 2027-W05-1: only the form we ask for
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                raise ValueError(text)
            day = date.fromisoformat(text)
        except ValueError:
            raise FieldError("Use YYYY-MM-DD, e.g. 2027-01-31, or leave it empty") from None
        if day < today:
            raise FieldError(f"That day has passed: use {today.isoformat()} or later, or leave it empty")
        return text
    if name == "short_exam_length":
        if not (text.isascii() and text.isdigit() and 1 <= int(text) <= SHORT_EXAM_MAX):
            raise FieldError(f"Use a whole number of questions from 1 to {SHORT_EXAM_MAX}, e.g. 20")
        return int(text)
    if name == "next_day_starts_at":
        if not (text.isascii() and text.isdigit() and 0 <= int(text) <= 23):
            raise FieldError("Use an hour from 0 to 23, e.g. 4 for 4 am (0 is midnight)")
        return int(text)
    if name == "question_reviews_per_day":
        if not (text.isascii() and text.isdigit() and 0 <= int(text) <= QUESTION_REVIEWS_MAX):
            most = QUESTION_REVIEWS_MAX
            raise FieldError(f"Use a whole number from 0 to {most}, e.g. 50 ({most} means no limit)")
        return int(text)
    raise KeyError(name)


def setting_problem(key: str, value: object) -> str | None:
    """Why `value` cannot be the setting `key`, or None: import refuses such a value, the doctor
    sets it aside, and reading settings drops it alone (the other settings stay)."""
    if key == "fsrs":  # the FSRS parameters in use: kept and checked by `fit_settings`
        from quizapp.study.fit_settings import fsrs_setting_problem

        return fsrs_setting_problem(value)
    if key not in {f.name for f in fields(Settings)}:
        return None  # unknown keys (from a newer quizapp) are kept and ignored
    if key == "theme":
        return None if isinstance(value, str) and value.strip() else "theme must be a name"
    if key == "exam_date" and value is not None and not isinstance(value, str):
        return "exam date must be a date like 2027-01-31"
    if key == "new_cards_per_day" and (isinstance(value, bool) or not isinstance(value, int)):
        return "new cards per day must be a whole number"
    if key == "desired_retention" and (isinstance(value, bool) or not isinstance(value, int | float)):
        return "desired retention must be a number"
    if key == "exam_length" and (not isinstance(value, str | int) or isinstance(value, bool)):
        return "exam length must be full, scored or a number of questions"
    if key == "short_exam_length" and (isinstance(value, bool) or not isinstance(value, int)):
        return "short exam length must be a whole number"
    if key == "next_day_starts_at" and (isinstance(value, bool) or not isinstance(value, int)):
        return "the hour the next day starts must be a whole number"
    if key == "question_reviews_per_day" and (isinstance(value, bool) or not isinstance(value, int)):
        return "question reviews per day must be a whole number"
    try:
        Settings(**{key: value}).validated()  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        return str(exc) if "isoformat" not in str(exc) else "exam date must be a date like 2027-01-31"
    return None


def read_settings(store: ProgressStore, report: Callable[[str], None] | None = None) -> Settings:
    """The stored settings. A value that cannot be used is dropped alone, so its default applies
    and every other setting stays; `report` hears about it (the doctor sets it aside)."""
    defaults = Settings()
    known = {f.name for f in fields(Settings)}
    values: dict[str, object] = {}
    for key, value in store.settings().items():
        if key not in known:
            continue  # not a Settings field: `fsrs` is read (and reported) by `fit_settings.read_fsrs`
        problem = setting_problem(key, value)
        if problem is not None:
            if report is not None:
                report(f"setting {key}: {problem}; the default ({getattr(defaults, key)!r}) applies")
        elif key in known:
            values[key] = value
    try:
        return Settings(**values).validated()  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:  # each value passed alone; together they never fail
        if report is not None:
            report(f"settings: {exc}; the defaults apply")
        return defaults


def peek_theme(data_dir: Path) -> str | None:
    """The learner's theme before the store is open (see `peek_setting`); None when unknown."""
    theme = peek_setting(data_dir, "theme")
    return theme if isinstance(theme, str) else None
