"""Each exam's pass prediction (schema 5): stored in [0, 1], migrated in as unknown, carried by export
and import (older files without it still import), kept by a merge, refused when it is not a probability."""

from __future__ import annotations

import copy
import sqlite3

import pytest

from quizapp.store import DB_NAME, SCHEMA_VERSION, ProgressStore
from quizapp.store.db import migrate
from quizapp.store.export_format import ImportRefused
from quizapp.store.import_check import validate_export
from quizapp.store.transfer import EXPORT_VERSION

AT = "2026-11-23T09:00:00.000000+00:00"
LATER = "2026-11-24T09:00:00.000000+00:00"
END = "2026-11-24T10:00:00.000000+00:00"
RESULT = {"scaled": 720, "passed": True, "correct": 2, "total": 3, "time_used_s": 120.0}


def no_replay(item_id, kind, logs):
    return None


def _schema_4_database(folder) -> None:
    """A database as quizapp left it before pass predictions: a finished exam with its prediction
    of the scaled score, answers and times, and one still in progress."""
    conn = sqlite3.connect(folder / DB_NAME, isolation_level=None)
    migrate(conn, target=4)
    conn.execute(
        "INSERT INTO exam (seed, started_at, time_limit_s, questions_json, status, position, elapsed_s, "
        'finished_at, result_json, predicted) VALUES (3, ?, 600, \'["q1","q2","q3"]\', \'submitted\', 2, '
        "120.0, ?, ?, 655)",
        (AT, END, '{"correct":2,"passed":true,"scaled":720,"time_used_s":120.0,"total":3}'),
    )
    conn.execute(
        "INSERT INTO exam_answer (exam_id, position, response_json, flagged, duration_ms) "
        "VALUES (1, 0, '2', 1, 9000)"
    )
    conn.execute(
        "INSERT INTO exam (seed, started_at, time_limit_s, questions_json, status, position, elapsed_s) "
        "VALUES (4, ?, 600, '[\"q1\"]', 'in_progress', 0, 5.0)",
        (LATER,),
    )
    conn.close()


def test_schema_4_upgrades_with_every_exam_intact_and_its_pass_prediction_unknown(tmp_path):
    assert SCHEMA_VERSION >= 5
    _schema_4_database(tmp_path)
    with ProgressStore.open(tmp_path) as upgraded:
        assert upgraded._conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        done, unfinished = upgraded.exams()
        assert (done.seed, done.status, done.predicted, done.result, done.finished_at) == (
            3,
            "submitted",
            655,
            RESULT,
            END,
        )
        assert (done.responses, done.flagged, done.durations) == ({0: 2}, {0}, {0: 9000})
        assert done.predicted_pass is None and unfinished.predicted_pass is None  # unknown, never 0
        assert (unfinished.status, unfinished.elapsed_s) == ("in_progress", 5.0)
        # and the upgraded file takes pass predictions from now on
        exam_id = upgraded.create_exam(5, END, 600, ["q2"], 640, predicted_pass=0.31)
        assert upgraded.exam(exam_id).predicted_pass == pytest.approx(0.31)


def test_the_schema_refuses_a_pass_prediction_outside_0_to_1(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        for bad in (-0.01, 1.01, 7.0):
            with pytest.raises(sqlite3.IntegrityError):
                store.create_exam(1, AT, 600, ["q1"], 600, predicted_pass=bad)
        assert store.exams() == []  # each refused create left nothing behind
        for good in (0.0, 1.0, None):
            store.exam(store.create_exam(1, AT, 600, ["q1"], 600, predicted_pass=good))
        assert [e.predicted_pass for e in store.exams()] == [0.0, 1.0, None]


def _source(tmp_path) -> dict:
    with ProgressStore.open(tmp_path / "source") as store:
        first = store.create_exam(3, AT, 600, ["q1", "q2", "q3"], 655, predicted_pass=0.4375)
        store.finish_exam(first, "submitted", END, 120.0, RESULT, [])
        store.create_exam(4, LATER, 600, ["q1"], None)  # no prediction: an older quizapp's exam
        return store.export_data()


def test_export_and_import_carry_the_pass_prediction(tmp_path):
    data = _source(tmp_path)
    assert data["version"] == EXPORT_VERSION == 1  # an optional field: no new export version
    assert [e["predicted_pass"] for e in data["exams"]] == [0.4375, None]
    with ProgressStore.open(tmp_path / "target") as target:
        assert target.import_data(data, no_replay)["exams"] == 2
        assert [(e.seed, e.predicted, e.predicted_pass) for e in target.exams()] == [
            (3, 655, 0.4375),
            (4, None, None),
        ]
        assert target.export_data()["exams"] == data["exams"]  # a round trip changes nothing


def test_an_export_from_before_pass_predictions_imports(tmp_path):
    data = _source(tmp_path)
    for exam in data["exams"]:
        del exam["predicted_pass"]
    with ProgressStore.open(tmp_path / "target") as target:
        assert target.import_data(data, no_replay)["exams"] == 2
        assert [e.predicted_pass for e in target.exams()] == [None, None]


def test_a_merge_keeps_a_known_prediction_and_fills_an_unknown_one(tmp_path):
    data = _source(tmp_path)
    older = copy.deepcopy(data)
    del older["exams"][0]["predicted_pass"]  # the same exam, merged earlier by an older quizapp
    with ProgressStore.open(tmp_path / "target") as target:
        target.import_data(older, no_replay)
        assert target.exams()[0].predicted_pass is None
        assert target.import_data(data, no_replay)["exams"] == 0  # no exam added twice...
        assert target.exams()[0].predicted_pass == 0.4375  # ...but the one without it takes the file's
        changed = copy.deepcopy(data)
        changed["exams"][0]["predicted_pass"] = 0.9
        target.import_data(changed, no_replay)
        assert target.exams()[0].predicted_pass == 0.4375  # a prediction known here is kept


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (1.5, "less than or equal to 1"),
        (-0.25, "greater than or equal to 0"),
        ("0.5", "a valid number"),
        (True, "a valid number"),
        (float("nan"), "finite"),
        ([0.5], "a valid number"),
    ],
)
def test_a_pass_prediction_that_is_not_a_probability_is_refused_with_its_path(tmp_path, value, words):
    data = _source(tmp_path)
    data["exams"][0]["predicted_pass"] = value
    with pytest.raises(ImportRefused) as refused:
        validate_export(data)
    (problem,) = refused.value.problems
    assert problem.startswith("$.exams[0].predicted_pass: ") and words in problem


def test_whole_numbers_0_and_1_are_probabilities(tmp_path):
    data = _source(tmp_path)
    data["exams"][0]["predicted_pass"] = 1
    data["exams"][1]["predicted_pass"] = 0
    with ProgressStore.open(tmp_path / "target") as target:
        target.import_data(validate_export(data), no_replay)
        assert [(e.predicted_pass, type(e.predicted_pass)) for e in target.exams()] == [
            (1.0, float),
            (0.0, float),
        ]
