"""Which FSRS parameters are in use, kept as one setting: `fsrs` (a JSON object).

One key, so a fit's parameters and what is said about them are written in one transaction and can
never disagree after a crash. The object:

    source            "default" | "fitted"
    parameters        null (FSRS's defaults) or 21 numbers py-fsrs's Scheduler loads unchanged
    reviews           reviews in the log the parameters in use were fitted on (0 for the defaults)
    log_loss          held-out log loss of the parameters in use, at the last fit (null: never run)
    default_log_loss  held-out log loss of FSRS's defaults on the same reviews
    fitted_log_loss   held-out log loss of the last fit, adopted or not
    held_out          how many recent reviews those log losses were measured on
    fitted_at         when the parameters in use were fitted (null for the defaults)
    checked_reviews   reviews in the log at the last run, adopted or not: the next automatic run
                      waits for `refit_due`
    checked_at        when that run was
    auto              false after the learner chose the defaults: no automatic run adopts a fit
                      until they run `quizapp optimize` themselves
    reason            what the last run or choice did, in words

A stored value that cannot be used is reported and the defaults apply (like every other setting);
`fsrs_setting_problem` is the check for import and the doctor. Light on purpose: py-fsrs is imported
only to check parameters, fsrs-rs never.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from datetime import datetime
from typing import TYPE_CHECKING, Any

from quizapp.study.clock import iso

if TYPE_CHECKING:
    from quizapp.store import ProgressStore
    from quizapp.study.fit import FitResult

KEY = "fsrs"
REFIT_MIN_NEW = 200
REFIT_SHARE = 0.20
"""An automatic fit runs again once 200 new reviews or 20 % more than at the last run (whichever is
more) have been logged: a fit moves little on less, and a run costs a subprocess."""
REFIT_MIN_REVIEWS = 400
"""No automatic run before the log could hold enough outcomes (`fit.MIN_OUTCOMES`)."""


@dataclass(frozen=True)
class FsrsChoice:
    """The FSRS parameters in use and what the last fit said about them."""

    source: str = "default"
    parameters: tuple[float, ...] | None = None
    reviews: int = 0
    log_loss: float | None = None
    default_log_loss: float | None = None
    fitted_log_loss: float | None = None
    held_out: int = 0
    fitted_at: str | None = None
    checked_reviews: int = 0
    checked_at: str | None = None
    auto: bool = True
    reason: str = ""

    @property
    def fitted(self) -> bool:
        return self.source == "fitted" and self.parameters is not None

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["parameters"] = list(self.parameters) if self.parameters is not None else None
        return data

    def stats(self) -> dict[str, Any]:
        """The `fsrs` object of `stats --json` (issue 16, item 7)."""
        return {
            "source": self.source,
            "reviews": self.reviews,
            "log_loss": self.log_loss,
            "default_log_loss": self.default_log_loss,
            "fitted_at": self.fitted_at,
        }

    def describe(self) -> list[str]:
        """Lines for the Settings screen and `quizapp optimize`: which parameters, on how many
        reviews, the log loss of both (lower predicts better)."""
        if self.fitted:
            lines = [f"FSRS parameters: fitted to your {self.reviews} reviews on {_day(self.fitted_at)}"]
        elif self.checked_at is None:
            lines = ["FSRS parameters: the defaults (no fit has run yet)"]
        else:
            lines = ["FSRS parameters: the defaults"]
        if self.log_loss is not None and self.default_log_loss is not None:
            ours = "fitted" if self.fitted else "last fit"
            other = self.log_loss if self.fitted else self.fitted_log_loss
            if other is not None:
                lines.append(
                    f"Log loss on the latest {self.held_out} reviews: {ours} {other:.3f}, "
                    f"defaults {self.default_log_loss:.3f} (lower predicts better)"
                )
        if self.reason:
            lines.append(f"Last run ({_day(self.checked_at)}): {self.reason}")
        return lines


def _day(at: str | None) -> str:
    return at[:10] if at else "never"


def fsrs_setting_problem(value: object) -> str | None:
    """Why `value` cannot be the `fsrs` setting, or None. Unknown fields (from a newer quizapp) are
    ignored; missing optional ones take their defaults."""
    if not isinstance(value, dict):
        return "the FSRS parameters setting must be an object"
    source = value.get("source", "default")
    if source not in ("default", "fitted"):
        return "the FSRS parameters' source must be default or fitted"
    parameters = value.get("parameters")
    if source == "fitted":
        if not isinstance(parameters, list):
            return "fitted FSRS parameters must be a list of 21 numbers"
        from quizapp.study.fit import scheduler_problem

        problem = scheduler_problem(parameters)
        if problem is not None:
            return f"the fitted FSRS parameters cannot be used: {problem}"
    elif parameters is not None:
        return "the default FSRS parameters are stored as null"
    for name in ("reviews", "checked_reviews", "held_out"):
        count = value.get(name, 0)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            return f"{name} must be a whole number of reviews"
    for name in ("log_loss", "default_log_loss", "fitted_log_loss"):
        loss = value.get(name)
        if loss is not None and (
            isinstance(loss, bool) or not isinstance(loss, int | float) or not 0 <= loss < math.inf
        ):
            return f"{name} must be a positive number or null"
    for name in ("fitted_at", "checked_at"):
        at = value.get(name)
        if at is not None and not _is_time(at):
            return f"{name} must be a time like 2026-11-23T09:00:00+00:00 or null"
    if not isinstance(value.get("auto", True), bool):
        return "auto must be true or false"
    if not isinstance(value.get("reason", ""), str):
        return "reason must be text"
    return None


def _is_time(at: object) -> bool:
    if not isinstance(at, str):
        return False
    try:
        return datetime.fromisoformat(at).tzinfo is not None
    except ValueError:
        return False


def fsrs_choice(value: object, report: Callable[[str], None] | None = None) -> FsrsChoice:
    """The choice a stored value holds; a value that cannot be used is reported and the defaults
    apply (None, nothing stored yet, is the defaults without a report)."""
    if value is None:
        return FsrsChoice()
    problem = fsrs_setting_problem(value)
    if problem is not None:
        if report is not None:
            report(f"setting {KEY}: {problem}; the default FSRS parameters apply")
        return FsrsChoice()
    assert isinstance(value, dict)
    fields = FsrsChoice.__dataclass_fields__
    known = {k: v for k, v in value.items() if k in fields}
    if known.get("parameters") is not None:
        known["parameters"] = tuple(float(p) for p in known["parameters"])
    for name in ("log_loss", "default_log_loss", "fitted_log_loss"):
        if known.get(name) is not None:
            known[name] = float(known[name])
    return FsrsChoice(**known)


def read_fsrs(store: ProgressStore, report: Callable[[str], None] | None = None) -> FsrsChoice:
    """The FSRS parameters in use, from the store's settings."""
    return fsrs_choice(store.settings().get(KEY), report)


def record_fit(
    store: ProgressStore, result: FitResult, now: datetime, *, by_learner: bool = False
) -> FsrsChoice:
    """Store what a fit did: adopted parameters replace those in use, and every run (adopted,
    declined or failed) is remembered so the next automatic one waits for new reviews.
    `by_learner` (`quizapp optimize`) lets automatic runs adopt again after the defaults were chosen."""
    current = read_fsrs(store)
    at = iso(now)
    auto = current.auto or by_learner
    # A run that failed before counting (a timeout) counts as having seen the log as it is now, so
    # the next automatic run still waits for new reviews instead of failing again at once.
    seen = review_count(store) if result.failed and not result.reviews else result.reviews
    checked = {"checked_reviews": seen, "checked_at": at, "auto": auto, "reason": result.reason}
    if result.adopted and result.parameters is not None and (current.auto or by_learner):
        new = FsrsChoice(
            source="fitted",
            parameters=tuple(result.parameters),
            reviews=result.reviews,
            log_loss=result.log_loss,
            default_log_loss=result.default_log_loss,
            fitted_log_loss=result.log_loss,
            held_out=result.test,
            fitted_at=at,
            **checked,
        )
    elif result.failed or result.log_loss is None:
        new = replace(current, **checked)
    else:
        new = replace(
            current,
            log_loss=result.current_log_loss,
            default_log_loss=result.default_log_loss,
            fitted_log_loss=result.log_loss,
            held_out=result.test,
            **checked,
        )
        if result.adopted:  # adopted by the fit, but the learner chose the defaults: say so
            new = replace(new, reason=f"{result.reason}; kept the defaults you chose")
    store.set_setting(KEY, new.to_json(), iso(now))
    return new


def revert_to_defaults(store: ProgressStore, now: datetime) -> FsrsChoice:
    """Offer the defaults back: FSRS's default parameters from now on, and no automatic fit adopts
    new ones until the learner runs `quizapp optimize`. What the last fit measured is kept."""
    current = read_fsrs(store)
    new = replace(
        current,
        source="default",
        parameters=None,
        reviews=0,
        log_loss=current.default_log_loss,
        fitted_at=None,
        auto=False,
        reason=f"you chose the default parameters on {iso(now)[:10]}",
    )
    store.set_setting(KEY, new.to_json(), iso(now))
    return new


def review_count(store: ProgressStore) -> int:
    """Reviews logged, flashcards and questions: what `refit_due` compares (two counter rows the
    store's triggers keep, so asking on every Home costs the same whatever the history)."""
    return store.reviewed_count("card") + store.reviewed_count("question")


def refit_due(choice: FsrsChoice, reviews: int) -> bool:
    """Whether the app should run a fit in the background now (`reviews`: `review_count`)."""
    if not choice.auto or reviews < REFIT_MIN_REVIEWS:
        return False
    new = reviews - choice.checked_reviews
    return new >= max(REFIT_MIN_NEW, math.ceil(REFIT_SHARE * choice.checked_reviews))
