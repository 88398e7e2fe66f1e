"""Import validates everything before it writes anything (issue 13, "Data loss").

Every malformed file of the issue is refused through the real command: exit 1, the problem named
with its JSON path, no traceback, no terminal control echoed, the store's export byte-identical
before and after, and `stats` still working. A file that is valid but from this machine's future
(a newer export version) or about an exam the loaded bank cannot resume is refused the same way.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from quizapp.cli import main
from quizapp.content import default_sources, load_catalog
from quizapp.paths import CACHE_DIR_ENV
from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock
from tests.factory import START
from tests.store.histories import study_history

Mutation = Callable[[dict[str, Any]], Any]


@pytest.fixture(scope="module")
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One bank cache for the module: each case loads the bundled bank warm (ms, not 300 ms)."""
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(autouse=True)
def _warm_cache(_sealed_data_dir: Path, shared_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(CACHE_DIR_ENV, str(shared_cache))


def _history(data_dir: Path, clock: ManualClock) -> Coach:
    """On the bundled bank, so the unfinished exam's questions are in the bank the command loads."""
    return study_history(data_dir, load_catalog(default_sources([])).primary, clock)


@pytest.fixture(scope="module")
def valid_export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    coach = _history(tmp_path_factory.mktemp("source"), ManualClock(START))
    data = coach.store.export_data()
    coach.store.close()
    assert [e["status"] for e in data["exams"]] == ["submitted", "in_progress"]
    return data


@pytest.fixture(scope="module")
def target_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A learner's own progress, which a refused import must leave exactly as it was."""
    folder = tmp_path_factory.mktemp("target")
    coach = _history(folder, ManualClock(START.replace(year=2027)))
    coach.store.close()
    return folder


@pytest.fixture
def target(tmp_path: Path, target_template: Path) -> Path:
    folder = tmp_path / "target"
    folder.mkdir()
    for file in target_template.iterdir():
        (folder / file.name).write_bytes(file.read_bytes())
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def export_hash(capsys: pytest.CaptureFixture[str], folder: Path) -> str:
    code, out, err = run(capsys, "--data-dir", str(folder), "export", "-")
    assert code == 0, err
    return hashlib.sha256(out.encode()).hexdigest()


def _set(*path: str | int, value: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        node: Any = data
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return mutate


def _unfinished_exam(**changes: Any) -> Mutation:
    def mutate(data: dict[str, Any]) -> None:
        data["exams"][1].update(changes)

    return mutate


def _deep_response(data: dict[str, Any]) -> None:
    value: Any = 1
    for _ in range(60):
        value = [value]
    data["answers"][0]["response"] = value


def _duplicate_item(data: dict[str, Any]) -> None:
    data["items"].append(copy.deepcopy(data["items"][0]))


def _drop_rating(data: dict[str, Any]) -> None:
    del data["reviews"][0]["rating"]


def _time_on_question_review(data: dict[str, Any]) -> None:
    """A question's time belongs on its answer; the history's fourth review is its first question's."""
    assert [r["kind"] for r in data["reviews"][:4]] == ["card", "card", "card", "question"]
    data["reviews"][3]["duration_ms"] = 30_000


# (case id, mutation of the parsed export, or text replacements on the JSON, the path expected)
CASES: list[tuple[str, Mutation | None, tuple[str, str] | None, str]] = [
    ("card-not-an-fsrs-card", _set("items", 0, "card", value={"interval": 3}), None, "$.items[0].card"),
    (
        "card-difficulty-off-scale",
        _set("items", 0, "card", "difficulty", value=42.0),
        None,
        "$.items[0].card",
    ),
    ("card-state-a-list", _set("items", 0, "card", value=[1, 2]), None, "$.items[0].card"),
    (
        "unfinished-exam-unknown-question",
        _unfinished_exam(questions=["no-such-question", "nor-this", "nor-that"]),
        None,
        "$.exams[1].questions[0]",
    ),
    ("unfinished-exam-position-out-of-range", _unfinished_exam(position=3), None, "$.exams[1].position"),
    (
        "unfinished-exam-no-questions",
        _unfinished_exam(questions=[], position=0),
        None,
        "$.exams[1].questions",
    ),
    (
        "exam-answer-position-out-of-range",
        _set("exams", 0, "answers", 0, "position", value=99),
        None,
        "$.exams[0].answers[0].position",
    ),
    (
        "unfinished-exam-response-not-for-its-question",
        _set("exams", 1, "answers", 0, "response", value={"pick": "all"}),
        None,
        "$.exams[1].answers[0].response",
    ),
    ("exam-status-unknown", _set("exams", 0, "status", value="paused"), None, "$.exams[0].status"),
    ("two-exams-in-progress", _set("exams", 0, "status", value="in_progress"), None, "$.exams[0].status"),
    (
        "setting-bad-value",
        _set("settings", "new_cards_per_day", value=-5),
        None,
        "$.settings.new_cards_per_day",
    ),
    (
        "setting-wrong-type",
        _set("settings", "desired_retention", value="high"),
        None,
        "$.settings.desired_retention",
    ),
    ("settings-a-list", _set("settings", value=["dark"]), None, "$.settings"),
    ("negative-elapsed", _set("exams", 0, "elapsed_s", value=-1), None, "$.exams[0].elapsed_s"),
    ("negative-time-limit", _set("exams", 0, "time_limit_s", value=-60), None, "$.exams[0].time_limit_s"),
    ("negative-due", _set("items", 0, "due", value=-5), None, "$.items[0].due"),
    ("negative-lapses", _set("items", 0, "lapses", value=-1), None, "$.items[0].lapses"),
    (
        "finished-before-started",
        _set("exams", 0, "finished_at", value="2001-01-01T00:00:00+00:00"),
        None,
        "$.exams[0].finished_at",
    ),
    ("due-infinity", _set("items", 0, "due", value="@INF@"), ('"@INF@"', "Infinity"), "$.items[0].due"),
    ("elapsed-nan", _set("exams", 0, "elapsed_s", value="@NAN@"), ('"@NAN@"', "NaN"), "$.exams[0].elapsed_s"),
    (
        "response-nan",
        _set("answers", 0, "response", value="@NAN@"),
        ('"@NAN@"', "NaN"),
        "$.answers[0].response",
    ),
    ("version-negative", _set("version", value=-7), None, "$.version"),
    ("version-true", _set("version", value=True), None, "$.version"),
    ("version-string", _set("version", value="1"), None, "$.version"),
    ("version-float", _set("version", value=1.0), None, "$.version"),
    ("version-newer", _set("version", value=2), None, "$.version"),
    ("format-other", _set("format", value="anki"), None, "$.format"),
    ("top-level-array", lambda data: [data], None, "$:"),
    ("top-level-string", lambda data: "quizapp-progress", None, "$:"),
    ("top-level-null", lambda data: "@NULL@", ('"@NULL@"', "null"), "$:"),
    ("deep-nesting", lambda data: "@DEEP@", ('"@DEEP@"', "[" * 100_000 + "]" * 100_000), "$:"),
    ("deep-response", _deep_response, None, "$.answers[0].response"),
    ("rating-zero", _set("reviews", 0, "rating", value=0), None, "$.reviews[0].rating"),
    ("rating-nine", _set("reviews", 0, "rating", value=9), None, "$.reviews[0].rating"),
    ("rating-word", _set("reviews", 0, "rating", value="four"), None, "$.reviews[0].rating"),
    ("rating-missing", _drop_rating, None, "$.reviews[0].rating"),
    (
        "year-9999",
        _set("reviews", 0, "reviewed_at", value="9999-12-31T00:00:00+00:00"),
        None,
        "$.reviews[0].reviewed_at",
    ),
    (
        "time-without-zone",
        _set("answers", 0, "answered_at", value="2026-11-23T09:00:00"),
        None,
        "$.answers[0].answered_at",
    ),
    ("day-not-a-date", _set("answers", 0, "day", value="2026-02-31"), None, "$.answers[0].day"),
    ("huge-integer", _set("items", 0, "lapses", value=10**30), None, "$.items[0].lapses"),
    ("huge-card-id", _set("items", 0, "card", "card_id", value=2**64), None, "$.items[0].card.card_id"),
    ("integer-of-5000-digits", _set("items", 0, "lapses", value="@BIG@"), ('"@BIG@"', "9" * 5000), "$:"),
    ("kind-unknown", _set("reviews", 0, "kind", value="flash"), None, "$.reviews[0].kind"),
    (
        "id-with-escape",
        _set("reviews", 0, "item_id", value="x\x1b]52;c;aGk=\x07"),
        None,
        "$.reviews[0].item_id",
    ),
    ("duplicate-item", _duplicate_item, None, "$.items["),
    ("time-negative", _set("reviews", 0, "duration_ms", value=-1), None, "$.reviews[0].duration_ms"),
    (
        "time-over-a-day",
        _set("answers", 0, "duration_ms", value=86_400_001),
        None,
        "$.answers[0].duration_ms",
    ),
    ("time-a-string", _set("answers", 0, "duration_ms", value="41000"), None, "$.answers[0].duration_ms"),
    (
        "time-fractional",
        _set("exams", 0, "answers", 0, "duration_ms", value=1.5),
        None,
        "$.exams[0].answers[0].duration_ms",
    ),
    ("time-on-a-question-review", _time_on_question_review, None, "$.reviews[3].duration_ms"),
]


@pytest.mark.parametrize(("mutate", "replace", "path"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_malformed_import_is_refused_whole(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    target: Path,
    valid_export: dict[str, Any],
    mutate: Mutation,
    replace: tuple[str, str] | None,
    path: str,
) -> None:
    data = copy.deepcopy(valid_export)
    result = mutate(data)
    text = json.dumps(data if result is None else result)
    if replace:
        assert replace[0] in text
        text = text.replace(replace[0], replace[1], 1)
    file = tmp_path / "bad.json"
    file.write_text(text, encoding="utf-8")
    before = export_hash(capsys, target)

    code, out, err = run(capsys, "--data-dir", str(target), "import", str(file))

    assert code == 1
    assert path in err
    assert "nothing was imported" in err
    assert "Traceback" not in err and "\x1b" not in err and "\x07" not in err
    assert "imported:" not in out
    assert export_hash(capsys, target) == before
    assert run(capsys, "--data-dir", str(target), "stats")[0] == 0


def test_the_valid_export_imports_and_its_unfinished_exam_resumes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, valid_export: dict[str, Any]
) -> None:
    """The base of every case above is itself importable: each refusal is the mutation's doing.
    A setting this quizapp does not know (from a newer one) is kept, not refused."""
    data = copy.deepcopy(valid_export)
    data["settings"]["from_a_newer_quizapp"] = {"any": ["value"]}
    file = tmp_path / "good.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    fresh = tmp_path / "fresh"
    code, out, err = run(capsys, "--data-dir", str(fresh), "import", str(file))
    assert code == 0, err
    assert "imported:" in out
    code, out, _ = run(capsys, "--data-dir", str(fresh), "stats")
    assert code == 0 and "in progress" in out
    bank = load_catalog(default_sources([])).primary
    with ProgressStore.open(fresh) as store:
        session = Coach(bank, store, ManualClock(START), fuzz=False).resume_exam()
        assert session is not None and session.position == 1
        assert store.settings()["from_a_newer_quizapp"] == {"any": ["value"]}


def test_a_refused_file_names_many_problems_at_once(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, valid_export: dict[str, Any]
) -> None:
    data = copy.deepcopy(valid_export)
    for review in data["reviews"]:
        review["rating"] = 9
    data["settings"]["theme"] = 7
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "d"), "import", str(file))
    assert code == 1
    assert "$.reviews[0].rating" in err and "$.reviews[1].rating" in err
    assert len(data["reviews"]) > 2


def test_at_most_twenty_problems_are_listed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, valid_export: dict[str, Any]
) -> None:
    data = copy.deepcopy(valid_export)
    data["reviews"] = [dict(data["reviews"][0], rating=9) for _ in range(50)]
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "d"), "import", str(file))
    assert code == 1
    assert err.count("$.reviews[") == 20
    assert "30 more" in err


def test_a_finished_exam_may_name_questions_the_bank_no_longer_has(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, valid_export: dict[str, Any]
) -> None:
    """History is kept: only an exam still to be resumed needs its questions in the loaded bank."""
    data = copy.deepcopy(valid_export)
    data["exams"][0]["questions"][0] = "retired-question"
    file = tmp_path / "history.json"
    file.write_text(json.dumps(data), encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(tmp_path / "d"), "import", str(file))
    assert code == 0, err
    assert "2 exams" in out
