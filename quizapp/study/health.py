"""Stored progress that cannot be used, found and set aside (`quizapp doctor`).

A card state FSRS cannot load, an exam that can never be resumed, a setting with an invalid value:
each would stop the app or silently change its behaviour. The app tolerates them where they are
read (`Srs.card_of`, `read_settings`, `Coach.resume_exam`); the doctor lists them all and, asked
to repair, sets each aside in the store's `set_aside` table before replacing or removing it, so
no history is deleted and a second repair changes nothing.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from quizapp.store import ExamRecord
from quizapp.study.clock import iso
from quizapp.study.settings import Settings, setting_problem
from quizapp.study.srs import card_problem

if TYPE_CHECKING:
    from quizapp.content import Bank
    from quizapp.study.coach import Coach


def exam_problem(record: ExamRecord, bank: Bank, *, newest: bool = True) -> str | None:
    """Why an in-progress exam can never be resumed or submitted, or None."""
    ids = record.question_ids
    if not ids:
        return "its list of questions is empty or cannot be read"
    unknown = [qid for qid in ids if qid not in bank.questions]
    if unknown:
        shown = ", ".join(unknown[:3]) + (" ..." if len(unknown) > 3 else "")
        return (
            f"{len(unknown)} of its {len(ids)} questions are not in the banks loaded now ({shown}); "
            "if they are in a bank folder, pass it with --bank-dir"
        )
    count = len(ids)
    if isinstance(record.position, bool) or not isinstance(record.position, int):
        return "its current position is not a number"
    if not 0 <= record.position < count:
        return f"its current position {record.position} is outside its {count} questions"
    outside = sorted(p for p in {*record.responses, *record.flagged} if not 0 <= p < count)
    if outside:
        return f"it holds answers or flags past its last question (position {outside[0]})"
    if not record.time_limit_s or record.time_limit_s <= 0 or not 0 <= record.elapsed_s < float("inf"):
        return "its time limit or time used is not a valid duration"
    if not newest:
        return "a newer exam is in progress, so this one is never offered"
    return None


@dataclass(frozen=True)
class Finding:
    """One stored thing that cannot be used: what and which, why, and what --repair does."""

    what: str  # card | question | exam | setting
    key: str
    problem: str
    repair: str

    def label(self) -> str:
        return f"{self.what} {self.key}"

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def examine(coach: Coach) -> list[Finding]:
    """Everything stored that cannot be used, in a stable order. Reads whole tables: for the
    doctor, never for a screen."""
    store, bank = coach.store, coach.bank
    findings: list[Finding] = []
    for item_id, state in sorted(store.states().items()):
        problem = card_problem(state.card)
        if problem is not None:
            logged = len(store.reviews(item_id))
            repair = (
                f"recompute it from its {logged} logged review(s)"
                if logged
                else "it starts afresh: it has no logged reviews"
            )
            findings.append(Finding(state.kind, item_id, problem, repair))
    for n, exam_id in enumerate(store.in_progress_exam_ids()):
        record = store.exam(exam_id)
        problem = None if record is None else exam_problem(record, bank, newest=n == 0)
        if record is not None and problem is not None:
            findings.append(
                Finding(
                    "exam",
                    str(exam_id),
                    f"started {record.started_at[:16]}, cannot be resumed: {problem}",
                    "set it aside with its answers, so a new exam can start",
                )
            )
    defaults = Settings()
    for key, value in sorted(store.settings().items()):
        problem = setting_problem(key, value)
        if problem is not None:
            findings.append(
                Finding("setting", key, problem, f"set it aside; {_default_applies(defaults, key)}")
            )
    return findings


def _default_applies(defaults: Settings, key: str) -> str:
    if key == "fsrs":
        return "FSRS's default parameters apply"
    return f"the default ({getattr(defaults, key)!r}) applies"


def repair(coach: Coach) -> list[Finding]:
    """Set aside everything `examine` finds; returns what was repaired. Idempotent."""
    store = coach.store
    at = iso(coach.clock.now())
    srs = coach.srs
    done: list[Finding] = []
    for finding in examine(coach):
        if finding.what in ("card", "question"):
            replacement = None
            logs = store.reviews(finding.key)
            if logs:
                try:
                    replacement = srs.replay(finding.key, finding.what, logs)
                except (ValueError, KeyError, TypeError, OverflowError):
                    replacement = None  # a log that does not replay: the item starts afresh
            if replacement is not None and card_problem(replacement.card) is not None:
                replacement = None
            changed = store.set_aside_state(finding.key, finding.problem, at, replacement)
        elif finding.what == "exam":
            changed = store.set_aside_exam(int(finding.key), finding.problem, at)
        else:
            changed = store.set_aside_setting(finding.key, finding.problem, at)
        if changed:
            done.append(finding)
    coach.forget_settings()
    return done
