"""The pass chance as the app asks for it, and the record of how past predictions did.

`passchance` is the model: a pure function of summaries. This module is the seam between it and
the store, in two halves so the slow half can run off the event loop:

- `PassInputs` are what a prediction needs, read from the store (question states, first tries, the
  recall calibration, the scheduler and the date): `Coach.pass_chance_inputs()` gathers them;
- `compute_pass_chance(inputs)` is pure (no store, no clock) and is what takes the time
  (tens of ms on a year of history), so a thread worker can run it while the main thread writes.

`ExamCheck` pairs what was predicted just before an exam with what the learner then scored: the
dashboard plots one against the other and `brier_summary` scores the pass predictions.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from quizapp.store.summaries import (
    question_review_tally,
    question_reviews,
    question_reviews_from,
    save_note,
    saved_note,
)
from quizapp.study.guessing import guess_rates
from quizapp.study.passchance import FirstTries, PassChance, brier, pass_probability
from quizapp.study.recall_calibration import Calibration, RecallEvidence, fit_calibration, recall_evidence

if TYPE_CHECKING:
    from quizapp.content import Bank
    from quizapp.store import ExamRecord, ItemState, ProgressStore
    from quizapp.study.srs import Srs


@dataclass(frozen=True)
class PassInputs:
    """Everything `compute_pass_chance` needs, already read: no store, no clock."""

    bank: Bank
    states: Mapping[str, ItemState]
    first: FirstTries
    srs: Srs
    on: datetime
    calibration: Calibration | None
    form: tuple[str, ...] | None = None
    key: tuple[Any, ...] = ()
    """What the result depends on, for the Coach's cache (empty: not cached)."""
    ready: PassChance | None = None
    """The prediction already made for these inputs (the Coach's cache): nothing to compute."""


def compute_pass_chance(inputs: PassInputs) -> PassChance:
    """The prediction for `inputs` (pure: safe in a thread worker; same inputs, same answer)."""
    if inputs.ready is not None:
        return inputs.ready
    return pass_probability(
        inputs.bank,
        inputs.states,
        inputs.first,
        inputs.srs,
        inputs.on,
        calibration=inputs.calibration,
        form=inputs.form,
    )


Tally = tuple[int, int, str | None, int | None]
"""`store.summaries.question_review_tally`: count, top id, its time and rating."""


@dataclass(frozen=True)
class _Read:
    """What a RecallCache knows, replaced whole (never changed in place): a thread worker and the
    main thread may both bring it up to date, and each sees one consistent state."""

    key: tuple[Any, ...]
    tally: Tally
    evidence: RecallEvidence
    fitted: Calibration
    stamp: str = ""
    """`_stamp` of what the evidence depends on besides the log, to keep it across processes."""


NOTE = "recall_evidence"
"""The `housekeeping` note (`summaries.saved_note`) the evidence is kept in between processes."""
NOTE_VERSION = 1


def _stamp(srs: Srs, rates: Mapping[str, float]) -> str:
    """What the evidence depends on besides the log: the FSRS parameters (R) and each question's
    guessing rate (the bank), as a digest."""
    parameters = None if srs.parameters is None else list(srs.parameters)
    text = json.dumps([NOTE_VERSION, parameters, sorted(rates.items())], separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


class RecallCache:
    """The recall calibration, kept up to date with as little reading as possible.

    A fit reads every question review (tens of ms on a year). But the evidence is a sum over
    reviews, so when the log only grew since the last read, just the new reviews are read and
    added (a session's worth: well under a millisecond), and the fit (a few hundred operations on
    the binned evidence) is redone. The whole log is read again only when it was edited (an undo, an
    answer re-rated as a guess), or the parameters or the bank changed (R and the guessing rates are
    part of the evidence). Nothing is read when the review tally has not moved."""

    def __init__(self) -> None:
        self._read: _Read | None = None
        self._kept: Tally | None = None
        """The tally of the evidence last kept in the store (`keep`)."""
        self.full_reads = 0
        """How many times the whole log was read (tests check that a second call reads none)."""

    @property
    def fitted(self) -> Calibration | None:
        """The last calibration worked out, whatever it was for (None: none yet)."""
        read = self._read
        return read.fitted if read else None

    def calibration(
        self, store: ProgressStore, bank: Bank, srs: Srs, tally: Tally | None = None
    ) -> Calibration:
        """The calibration for the log in `store` (its `question_review_tally`, if already read)."""
        key = (id(bank), len(bank.questions), srs.parameters)
        tally = tally or question_review_tally(store)
        read = self._read
        if read is not None and read.key == key and read.tally == tally:
            return read.fitted
        rates = guess_rates(bank)
        stamp = _stamp(srs, rates)
        if read is None or read.key != key:
            read = _kept_read(store, key, stamp)  # what an earlier process kept, if it still fits
            if read is not None and read.tally == tally:
                self._read = read
                return read.fitted
        evidence = _grown(read, store, tally, rates, srs) if read is not None else None
        if evidence is None:
            evidence = recall_evidence(question_reviews(store), rates, srs)
            self.full_reads += 1
        fitted = fit_calibration(evidence)
        self._read = _Read(key, tally, evidence, fitted, stamp)
        return fitted

    def keep(self, store: ProgressStore) -> bool:
        """Keep the evidence in the store (a `housekeeping` note) when it moved since last kept, so
        the next process reads only the reviews added since, not the whole log (its first pass
        chance, `quizapp stats`). A write: call it on the store's own thread, at a quiet moment.
        Returns whether it wrote."""
        read = self._read
        if read is None or not read.stamp or read.tally == self._kept:
            return False
        note = {
            "stamp": read.stamp,
            "tally": list(read.tally),
            "bins": [[x, guess, *row] for (x, guess), row in read.evidence.bins.items()],
        }
        save_note(store, NOTE, json.dumps(note, separators=(",", ":")))
        self._kept = read.tally
        return True


def _kept_read(store: ProgressStore, key: tuple[Any, ...], stamp: str) -> _Read | None:
    """The evidence an earlier process kept (`RecallCache.keep`), if it was for the same parameters
    and bank; `_grown` then checks it against the log (its last review still there, nothing removed
    below it) before adding the reviews since. None: read the log whole."""
    text = saved_note(store, NOTE)
    if not text:
        return None
    try:
        note = json.loads(text)
        if note["stamp"] != stamp:
            return None
        count, top, at, rating = note["tally"]
        bins = {(int(x), float(guess)): [int(n), int(k), float(sx)] for x, guess, n, k, sx in note["bins"]}
    except (ValueError, TypeError, KeyError):
        return None  # a note that does not read back is only a lost shortcut
    evidence = RecallEvidence(bins)
    return _Read(key, (int(count), int(top), at, rating), evidence, fit_calibration(evidence), stamp)


def _grown(
    read: _Read, store: ProgressStore, tally: Tally, rates: Mapping[str, float], srs: Srs
) -> RecallEvidence | None:
    """The evidence of `read` plus the reviews added since, or None when the log was not just
    appended to (then it must be read whole)."""
    count, top, at, rating = read.tally
    if count > tally[0]:
        return None  # fewer reviews now than read: some were removed
    rows = question_reviews_from(store, top)
    if top:
        if not rows or rows[0].id != top or (rows[0].reviewed_at, rows[0].rating) != (at, rating):
            return None  # the last review read is gone or replaced
        rows = rows[1:]
    if count + len(rows) != tally[0]:
        return None  # reviews were removed below the top
    grown = RecallEvidence({k: list(v) for k, v in read.evidence.bins.items()})
    for k, row in recall_evidence(rows, rates, srs).bins.items():
        mine = grown.bins.setdefault(k, [0, 0, 0.0])
        for i, value in enumerate(row):
            mine[i] += value
    return grown


@dataclass(frozen=True)
class ExamCheck:
    """One finished exam: the prediction made just before it, and what happened."""

    started_at: str
    predicted_scaled: int | None
    """The scaled score predicted when it started (None: an exam from before predictions)."""
    predicted_pass: float | None
    """P(pass) predicted when it started (None: an exam from before pass chances)."""
    scaled: int
    passed: bool


def prediction_record(exams: Sequence[ExamRecord]) -> list[ExamCheck]:
    """Finished exams with a result, oldest first (as the store lists them)."""
    checks = []
    for exam in sorted(exams, key=lambda e: (e.started_at, e.id)):
        result = exam.result
        if exam.status == "in_progress" or not result:
            continue
        try:
            scaled, passed = int(result["scaled"]), bool(result["passed"])
        except (KeyError, TypeError, ValueError):
            continue  # a result that does not read back is the doctor's business, not a chart point
        checks.append(ExamCheck(exam.started_at, exam.predicted, exam.predicted_pass, scaled, passed))
    return checks


def brier_of(checks: Sequence[ExamCheck]) -> float | None:
    """Brier score of the stored pass predictions (None when no exam has one)."""
    scored = [c for c in checks if c.predicted_pass is not None]
    if not scored:
        return None
    return brier(
        [c.predicted_pass for c in scored if c.predicted_pass is not None], [c.passed for c in scored]
    )


def brier_summary(checks: Sequence[ExamCheck]) -> dict[str, Any]:
    """`stats`' "calibration": the Brier score of the pass predictions, how many exams it rests on,
    and the baseline it must beat: always predicting the learner's overall pass rate over those
    exams (known only afterwards, so a fair bar: beating it means the predictions told the exams
    apart, not just the average)."""
    scored = [c for c in checks if c.predicted_pass is not None]
    if not scored:
        return {"brier": None, "exams": 0, "baseline_brier": None}
    rate = sum(c.passed for c in scored) / len(scored)
    return {
        "brier": round(brier([c.predicted_pass or 0.0 for c in scored], [c.passed for c in scored]), 4),
        "exams": len(scored),
        "baseline_brier": round(brier([rate] * len(scored), [c.passed for c in scored]), 4),
    }


__all__ = [
    "ExamCheck",
    "PassInputs",
    "brier_of",
    "brier_summary",
    "compute_pass_chance",
    "prediction_record",
]
