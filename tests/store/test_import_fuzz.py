"""Property test: a mutated export is either imported whole (and importing it again changes nothing)
or refused with nothing written; either way no exception escapes and the learner can study on."""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quizapp.cli.progress import import_checks
from quizapp.store import ProgressStore
from quizapp.store.export_format import ImportRefused
from quizapp.store.import_check import load_export, validate_export
from quizapp.store.records import MAX_DURATION_MS
from quizapp.study import Coach, ManualClock
from tests.factory import START, make_bank
from tests.store.histories import study_history

BANK = make_bank(per_task=2, cards_per_task=1, case_studies=0)
CHECKS = import_checks(BANK)

HOSTILE = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(
        [
            "9999-12-31T00:00:00+00:00",
            "1999-12-31T23:59:59+00:00",
            "2026-11-23T09:00:00",
            "2026-11-23T09:00:00+14:00",
            "2026-02-31",
            "1700000000",
            "in_progress",
            "timed_out",
            "card",
            "question",
            "\x1b]52;c;aGk=\x07",
            "",
        ]
    ),
    st.lists(st.integers(min_value=-3, max_value=9), max_size=4),
    st.dictionaries(st.sampled_from(["card_id", "state", "due", "x"]), st.integers(), max_size=3),
)
DURATION = st.one_of(
    st.none(),
    st.integers(min_value=0, max_value=MAX_DURATION_MS),  # a time this quizapp could have measured
    st.sampled_from([-1, MAX_DURATION_MS + 1, 41_000.0, 1.5, "41000", True, 2**64]),
    HOSTILE,
)
"""What a row's `duration_ms` (a time on an item, whole ms, 0 to a day) may be set to."""
PREDICTED_PASS = st.one_of(
    st.none(),
    st.floats(min_value=0.0, max_value=1.0),  # a pass chance this quizapp could have predicted
    st.sampled_from([0, 1, -0.01, 1.01, 2, "0.5", True, False, float("nan"), float("inf"), 1e308]),
    HOSTILE,
)
"""What an exam's `predicted_pass` (P(pass) when it started, 0 to 1, schema 5) may be set to."""


def _paths(node: Any, path: tuple = ()) -> list[tuple]:
    out = [path]
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*path, index))
    return out


def _timed_rows(data: Any) -> list[dict[str, Any]]:
    """The rows of an export that carry a time, as far as the file still has them."""
    if not isinstance(data, dict):
        return []
    rows = [
        row
        for key in ("reviews", "answers")
        if isinstance(data.get(key), list)
        for row in data[key]
        if isinstance(row, dict)
    ]
    for exam in data.get("exams") if isinstance(data.get("exams"), list) else []:
        if isinstance(exam, dict) and isinstance(exam.get("answers"), list):
            rows += [row for row in exam["answers"] if isinstance(row, dict)]
    return rows


def _exams(data: Any) -> list[dict[str, Any]]:
    if not isinstance(data, dict) or not isinstance(data.get("exams"), list):
        return []
    return [exam for exam in data["exams"] if isinstance(exam, dict)]


@st.composite
def mutated(draw: st.DrawFn, base: dict[str, Any]) -> dict[str, Any] | Any:
    data: Any = copy.deepcopy(base)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        if not path:
            return draw(HOSTILE)
        parent = data
        for key in path[:-1]:
            parent = parent[key]
        action = draw(st.sampled_from(["replace", "delete", "duplicate", "time", "predict"]))
        timed = _timed_rows(data)
        exams = _exams(data)
        if action == "time" and timed:  # a review, answer or exam item given (another) time
            draw(st.sampled_from(timed))["duration_ms"] = draw(DURATION)
        elif action == "predict" and exams:  # an exam given (another) pass prediction
            draw(st.sampled_from(exams))["predicted_pass"] = draw(PREDICTED_PASS)
        elif action == "delete" and isinstance(parent, dict):
            del parent[path[-1]]
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[path[-1]]))
        else:
            parent[path[-1]] = draw(HOSTILE)
    return data


def _valid_export(folder: Path) -> dict[str, Any]:
    coach = study_history(folder, BANK, ManualClock(START))
    data = coach.store.export_data()
    coach.store.close()
    return data


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _valid_export(tmp_path_factory.mktemp("source"))


def _digest(store: ProgressStore) -> str:
    return hashlib.sha256(json.dumps(store.export_data(), sort_keys=True).encode()).hexdigest()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_mutated_export_is_imported_whole_or_refused_whole(tmp_path_factory, base, data):
    candidate = data.draw(mutated(base))
    via_bytes = data.draw(st.booleans())
    with ProgressStore.open(tmp_path_factory.mktemp("target")) as store:
        coach = Coach(BANK, store, ManualClock(START), fuzz=False)
        before = _digest(store)
        try:
            if via_bytes:  # the command's path: the file's bytes, parsed and validated in one pass
                export = load_export(json.dumps(candidate).encode(), CHECKS)
            else:  # a caller's already-parsed data
                export = validate_export(candidate, CHECKS)
        except ImportRefused as refused:
            assert refused.problems and all(p.startswith("$") for p in refused.problems)
            assert not any("\x1b" in p or "\x07" in p for p in refused.problems)
            assert _digest(store) == before
            return
        store.import_data(export, coach.srs.replay)
        for exam in store.exams():  # a pass chance is a probability, whatever the file said
            assert exam.predicted_pass is None or (
                type(exam.predicted_pass) is float and 0.0 <= exam.predicted_pass <= 1.0
            )
        once = _digest(store)
        assert set(store.import_data(export, coach.srs.replay).values()) == {0}
        assert _digest(store) == once
        coach.stats()
        coach.flashcards()
        coach.resume_exam()
