"""The pass chance Home last showed, kept in the store for the next start.

Working it out takes tens of milliseconds on a year of history even with the recall evidence
kept (`predictions.RecallCache.keep`): a simulation of the exam over every task. A learner who
opens quizapp again without having studied since (a second start in a day, a browser tab) would
wait for the same figure again. Kept with what it was worked out for (the store's fingerprint,
the day predicted for, the FSRS parameters and the bank), it is shown at once when all of that
still holds; any answer, review, import, new day, fit or bank change makes it not hold, and the
chance is worked out as before. A note, never the truth: `housekeeping`, written after the paint.
"""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from quizapp.study.pass_figure import PassChance

if TYPE_CHECKING:
    from quizapp.content import Bank
    from quizapp.content.index import IndexBank
    from quizapp.store import ProgressStore

NOTE = "pass_chance"
VERSION = 1


def bank_stamp(bank: Bank | IndexBank) -> str:
    """What of the bank a pass chance depends on: each question's id, task and type, and the
    blueprint's domain weights, as a digest (about a millisecond; the bank index keeps it, so Home
    finds the kept chance before the bank has loaded). From the questions' facts, so no question is
    validated for it; an edit to a question's options alone (its guessing rate) is seen at the next
    answer, review or day, when the key changes anyway."""
    from quizapp.content.index import bank_digest

    return bank_digest(bank)


def note_key(stamp: tuple[Any, ...], moment: Any, parameters: Any, bank: str) -> str:
    """The key a kept chance must match: plain JSON of the in-memory key's parts (the bank by its
    digest rather than by the object's identity, which lasts one process)."""
    params = None if parameters is None else [float(p) for p in parameters]
    return json.dumps([VERSION, list(stamp), moment.isoformat(), params, bank], separators=(",", ":"))


def read(store: ProgressStore, key: str) -> PassChance | None:
    """The kept chance when it was kept for `key`; None otherwise (or when the note is not one
    this code wrote: it is only ever a shortcut)."""
    from quizapp.store.summaries import saved_note

    text = saved_note(store, NOTE)
    if not text:
        return None
    try:
        note = json.loads(text)
        if note.get("key") != key:
            return None
        fields = dict(note["chance"])
        fields["date"] = date.fromisoformat(fields["date"])
        return PassChance(**fields)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def keep(store: ProgressStore, key: str, chance: PassChance) -> None:
    """Keep `chance` for `key` (one small write; StoreError when it cannot be written)."""
    from dataclasses import asdict

    from quizapp.store.summaries import save_note, saved_note

    fields = asdict(chance)
    fields["date"] = chance.date.isoformat()
    text = json.dumps({"key": key, "chance": fields}, separators=(",", ":"), sort_keys=True)
    if saved_note(store, NOTE) != text:
        save_note(store, NOTE, text)
