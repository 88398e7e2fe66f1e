"""Row <-> record conversions shared by the store's parts (progress, exams, transfer)."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from quizapp.store.records import AnswerRecord, ItemState


def dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def loads_or(text: str | None, fallback: Any) -> Any:
    """Stored JSON, or `fallback` when it does not parse: a damaged value must reach the checks
    that report it (`card_problem`, the doctor), not stop every screen that reads the table."""
    if text is None:
        return fallback
    try:
        return json.loads(text)
    except (ValueError, TypeError, RecursionError):
        return fallback


def state_from_row(row: sqlite3.Row | tuple) -> ItemState:
    item_id, kind, card_json, due, lapses, reps, leech, introduced = row
    return ItemState(item_id, kind, loads_or(card_json, {}), due, lapses, reps, bool(leech), introduced)


def state_to_json(state: ItemState) -> str:
    return dumps(
        {
            "card": state.card,
            "due": state.due,
            "lapses": state.lapses,
            "reps": state.reps,
            "leech": state.leech,
            "introduced_day": state.introduced_day,
            "kind": state.kind,
        }
    )


def state_from_json(item_id: str, text: str | None) -> ItemState | None:
    if text is None:
        return None
    d = json.loads(text)
    return ItemState(
        item_id, d["kind"], d["card"], d["due"], d["lapses"], d["reps"], d["leech"], d["introduced_day"]
    )


ANSWER_COLUMNS = (
    "id, question_id, answered_at, day, correct, guess, mode, response_json, review_id, duration_ms"
)


def answer_from_row(row: tuple) -> AnswerRecord:
    """An `ANSWER_COLUMNS` row as a record."""
    return AnswerRecord(
        row[0], row[1], row[2], row[3], bool(row[4]), bool(row[5]), row[6], json.loads(row[7]), row[8], row[9]
    )


STATE_COLUMNS = "item_id, kind, card_json, due, lapses, reps, leech, introduced_day"
