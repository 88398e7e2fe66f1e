"""Export and import carry the time on each answer, flashcard review and exam item; older files
(without times) still import, and a time that cannot be one is refused with its JSON path."""

from __future__ import annotations

import copy
import json

import pytest

from quizapp.store import AnswerWrite, ItemState, ProgressStore
from quizapp.store.export_format import ImportRefused
from quizapp.store.import_check import load_export, validate_export
from quizapp.store.records import MAX_DURATION_MS
from quizapp.store.transfer import EXPORT_VERSION

AT = "2026-11-23T09:00:00.000000+00:00"
LATER = "2026-11-23T09:05:00.000000+00:00"


def card(item_id: str, kind: str = "card") -> ItemState:
    fsrs_card = {
        "card_id": 1,
        "state": 1,
        "step": 0,
        "stability": None,
        "difficulty": None,
        "due": AT,
        "last_review": None,
    }
    return ItemState(item_id, kind, fsrs_card, 1_800_000_000, 0, 1, False, "2026-11-23")


def no_replay(item_id, kind, logs):
    return None


def _history(store: ProgressStore) -> None:
    store.record_review(card("c1"), 3, AT, "flashcard", duration_ms=6_500)
    store.record_review(card("c2"), 1, LATER, "flashcard")  # not measured
    timed = AnswerWrite("q1", AT, "2026-11-23", True, "practice", 1, duration_ms=41_000)
    store.record_answer(timed, card("q1", "question"), 3)
    store.record_answer(AnswerWrite("q2", LATER, "2026-11-23", False, "cram", 0), None, None)
    exam_id = store.create_exam(4, AT, 600, ["q1", "q2", "q3"], None)
    store.save_exam_step(exam_id, 1, 30.0, response=(0, 1), durations={0: 20_000, 2: 5_000})


@pytest.fixture
def exported(tmp_path) -> dict:
    with ProgressStore.open(tmp_path / "source") as store:
        _history(store)
        return store.export_data()


def test_the_export_holds_each_time_and_null_where_none_was_measured(exported):
    assert exported["version"] == EXPORT_VERSION == 1  # optional fields: no new version needed
    assert [(r["item_id"], r["duration_ms"]) for r in exported["reviews"]] == [
        ("c1", 6_500),
        ("q1", None),  # a question's review: its time is on its answer
        ("c2", None),
    ]
    answers = [(a["question_id"], a["duration_ms"]) for a in exported["answers"]]
    assert answers == [("q1", 41_000), ("q2", None)]
    (exam,) = exported["exams"]
    assert exam["answers"] == [  # a position with only a time is exported too
        {"position": 0, "response": 1, "flagged": False, "duration_ms": 20_000},
        {"position": 2, "response": None, "flagged": False, "duration_ms": 5_000},
    ]


def test_export_import_export_keeps_every_time(tmp_path, exported):
    with ProgressStore.open(tmp_path / "target") as other:
        other.import_data(load_export(json.dumps(exported).encode()), no_replay)
        assert other.export_data() == exported
        assert {r.item_id: r.duration_ms for r in other.reviews()} == {"c1": 6_500, "q1": None, "c2": None}
        assert [a.duration_ms for a in other.answers()] == [41_000, None]
        assert other.in_progress_exam().durations == {0: 20_000, 2: 5_000}


def _without_times(data: dict) -> dict:
    """The file an earlier quizapp wrote: the same, with no duration_ms anywhere."""
    old = copy.deepcopy(data)
    for row in old["reviews"] + old["answers"] + [a for e in old["exams"] for a in e["answers"]]:
        del row["duration_ms"]
    old["exams"][0]["answers"] = [a for a in old["exams"][0]["answers"] if a["response"] is not None]
    return old


def test_an_export_from_before_times_imports_with_every_time_unknown(tmp_path, exported):
    old = _without_times(exported)
    with ProgressStore.open(tmp_path / "target") as other:
        added = other.import_data(load_export(json.dumps(old).encode()), no_replay)
        assert added["reviews"] == 3 and added["answers"] == 2 and added["exams"] == 1
        assert all(r.duration_ms is None for r in other.reviews())
        assert all(a.duration_ms is None for a in other.answers())
        assert other.in_progress_exam().durations == {}
        assert other.in_progress_exam().responses == {0: 1}


def test_a_later_import_fills_in_times_the_store_did_not_know(tmp_path, exported):
    """Two devices converge: history first merged from an old file gets its times from a newer
    export of the same history; a time already known is kept; a second import changes nothing."""
    with ProgressStore.open(tmp_path / "target") as other:
        other.import_data(_without_times(exported), no_replay)
        other.import_data(exported, no_replay)
        assert {r.item_id: r.duration_ms for r in other.reviews()} == {"c1": 6_500, "q1": None, "c2": None}
        assert [a.duration_ms for a in other.answers()] == [41_000, None]
        once = other.export_data()
        changed = copy.deepcopy(exported)
        changed["reviews"][0]["duration_ms"] = 1
        changed["answers"][0]["duration_ms"] = 2
        assert set(other.import_data(changed, no_replay).values()) == {0}
        assert other.export_data() == once  # the time already known here wins, as local settings do


def test_duplicate_rows_in_one_file_take_the_first_known_time(tmp_path, exported):
    data = copy.deepcopy(exported)
    first = copy.deepcopy(data["reviews"][0])
    first["duration_ms"] = None
    data["reviews"].insert(0, first)  # the same review twice: once without, once with its time
    with ProgressStore.open(tmp_path / "target") as other:
        other.import_data(data, no_replay)
        assert [r.duration_ms for r in other.reviews("c1")] == [6_500]


BAD = [
    (("reviews", 0, "duration_ms"), -1),
    (("reviews", 0, "duration_ms"), MAX_DURATION_MS + 1),
    (("reviews", 0, "duration_ms"), 1.5),
    (("reviews", 0, "duration_ms"), 1000.0),
    (("reviews", 0, "duration_ms"), "1000"),
    (("reviews", 0, "duration_ms"), True),
    (("answers", 0, "duration_ms"), -5),
    (("answers", 0, "duration_ms"), 2**64),
    (("exams", 0, "answers", 0, "duration_ms"), -1),
    (("exams", 0, "answers", 1, "duration_ms"), [1]),
]


@pytest.mark.parametrize(("path", "value"), BAD, ids=[f"{p[0]}-{v!r}" for p, v in BAD])
def test_a_time_that_cannot_be_one_is_refused_with_its_path(tmp_path, exported, path, value):
    data = copy.deepcopy(exported)
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    expected = "$." + ".".join(f"[{p}]" if isinstance(p, int) else p for p in path).replace(".[", "[")
    for check in (lambda: validate_export(data), lambda: load_export(json.dumps(data).encode())):
        with pytest.raises(ImportRefused) as refused:
            check()
        assert any(p.startswith(expected + ":") for p in refused.value.problems), refused.value.problems


def test_a_time_on_a_question_review_is_refused(exported):
    """The question's time is on its answer; a second one on its review could disagree with it."""
    data = copy.deepcopy(exported)
    data["reviews"][1]["duration_ms"] = 41_000
    with pytest.raises(ImportRefused) as refused:
        validate_export(data)
    assert refused.value.problems == [
        "$.reviews[1].duration_ms: a question's review carries no time (its answer has it)"
    ]


def test_the_longest_time_a_file_may_hold_is_a_day(tmp_path, exported):
    data = copy.deepcopy(exported)
    data["reviews"][0]["duration_ms"] = MAX_DURATION_MS
    data["answers"][0]["duration_ms"] = 0
    with ProgressStore.open(tmp_path / "target") as other:
        other.import_data(data, no_replay)
        assert other.reviews("c1")[0].duration_ms == MAX_DURATION_MS
        assert other.answers().__next__().duration_ms == 0


def _finished_exam_export(tmp_path) -> dict:
    from quizapp.study.grading import correct_response
    from tests.factory import make_coach

    coach = make_coach(tmp_path / "exam")
    exam = coach.start_exam(3, seed=1)
    exam.answer(correct_response(exam.question()))
    exam.spend(0, 50_000)
    exam.next()
    exam.spend(1, 100_000)
    exam.submit()
    data = coach.store.export_data()
    coach.store.close()
    return data


def test_a_finished_exam_carries_its_time_figures_through_export_and_import(tmp_path):
    data = _finished_exam_export(tmp_path)
    (exam,) = data["exams"]
    assert exam["result"]["timing"]["median_s"] == 75.0 and exam["result"]["timing"]["over_pace"] == 1
    assert [q["ms"] for q in exam["result"]["questions"]] == [50_000, 100_000, None]
    with ProgressStore.open(tmp_path / "target") as other:
        other.import_data(load_export(json.dumps(data).encode()), no_replay)
        assert other.export_data()["exams"] == data["exams"]


@pytest.mark.parametrize(
    ("key", "value"),
    [("median_s", "fast"), ("mean_s", -1.0), ("pace_s", 0), ("over_pace", 1.5), ("timed", None)],
)
def test_a_result_whose_time_figures_cannot_be_read_is_refused(tmp_path, key, value):
    data = _finished_exam_export(tmp_path)
    data["exams"][0]["result"]["timing"][key] = value
    with pytest.raises(ImportRefused) as refused:
        validate_export(data)
    assert refused.value.problems[0].startswith(f"$.exams[0].result: timing.{key}: ")
