"""The bank cache: reused only when nothing changed, rebuilt when anything did, never trusted blindly."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import quizapp
from quizapp.content import load_catalog
from quizapp.content.cache import _sealed, cache_path
from quizapp.content.questions import CacheDamaged, QuestionInfo, Questions
from tests.content import samples
from tests.content.test_loader_fuzz import VALID_DECK, VALID_FILES, mutated


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    root = tmp_path / "bank"
    (root / "questions").mkdir(parents=True)
    (root / "flashcards").mkdir()
    for name, text in (
        ("single", samples.SINGLE),
        ("multi", samples.MULTI),
        ("ordering", samples.ORDERING),
        ("matching", samples.MATCHING),
        ("case", samples.CASE),
    ):
        (root / "questions" / f"{name}.yaml").write_text(text)
    (root / "flashcards" / "deck.yaml").write_text(samples.DECK)
    return root


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _same(a, b) -> None:  # noqa: ANN001
    assert a.banks == b.banks
    assert a.problems == b.problems
    assert a.locations == b.locations
    assert a.files == b.files


def _files(bank: Path) -> int:
    return len(list(bank.rglob("*.yaml"))) + 1  # and the bundled blueprint


def test_second_load_is_served_from_the_cache(bank: Path, cache: Path) -> None:
    first = load_catalog([bank], cache_dir=cache)
    assert first.cache is not None
    assert (first.cache.hits, first.cache.misses, first.cache.written) == (0, _files(bank), True)
    second = load_catalog([bank], cache_dir=cache)
    assert second.cache is not None
    assert (second.cache.hits, second.cache.misses, second.cache.written) == (_files(bank), 0, False)
    _same(second, load_catalog([bank]))
    assert "m-001" in second.primary.questions


def test_an_edited_file_is_parsed_again_and_only_it(bank: Path, cache: Path) -> None:
    load_catalog([bank], cache_dir=cache)
    single = bank / "questions" / "single.yaml"
    single.write_text(samples.SINGLE.replace("s-001", "s-002"))
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None
    assert (again.cache.hits, again.cache.misses) == (_files(bank) - 1, 1)
    assert "s-002" in again.primary.questions and "s-001" not in again.primary.questions
    _same(again, load_catalog([bank]))


def test_an_edit_that_keeps_size_and_mtime_is_caught_by_the_hash(bank: Path, cache: Path) -> None:
    load_catalog([bank], cache_dir=cache)
    single = bank / "questions" / "single.yaml"
    before = single.stat()
    single.write_text(samples.SINGLE.replace("s-001", "s-009"))  # same length
    os.utime(single, ns=(before.st_atime_ns, before.st_mtime_ns))
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None and again.cache.misses == 1
    assert "s-009" in again.primary.questions


def test_a_touched_file_is_parsed_again(bank: Path, cache: Path) -> None:
    load_catalog([bank], cache_dir=cache)
    deck = bank / "flashcards" / "deck.yaml"
    stat = deck.stat()
    os.utime(deck, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None
    assert (again.cache.hits, again.cache.misses, again.cache.written) == (_files(bank) - 1, 1, True)
    _same(again, load_catalog([bank]))


def test_an_added_file_is_parsed_and_the_rest_reused(bank: Path, cache: Path) -> None:
    load_catalog([bank], cache_dir=cache)
    (bank / "questions" / "more.yaml").write_text(samples.SINGLE.replace("s-001", "s-100"))
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None
    assert (again.cache.hits, again.cache.misses) == (_files(bank) - 1, 1)
    assert "s-100" in again.primary.questions
    _same(again, load_catalog([bank]))


def test_a_deleted_file_leaves_the_bank_and_the_cache(bank: Path, cache: Path) -> None:
    load_catalog([bank], cache_dir=cache)
    (bank / "questions" / "multi.yaml").unlink()
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None
    assert (again.cache.hits, again.cache.misses, again.cache.written) == (_files(bank), 0, True)
    assert "m-001" not in again.primary.questions
    stored = json.loads(cache_path(cache, [bank]).read_text())["cache"]
    assert not any(key.endswith("multi.yaml") for key in stored["entries"])
    _same(again, load_catalog([bank]))


def test_a_new_app_version_rebuilds_the_cache(
    bank: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    load_catalog([bank], cache_dir=cache)
    monkeypatch.setattr(quizapp, "__version__", "99.0.0")
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None
    assert again.cache.rejected is not None and "stale" in again.cache.rejected
    assert (again.cache.hits, again.cache.misses, again.cache.written) == (0, _files(bank), True)
    third = load_catalog([bank], cache_dir=cache)
    assert third.cache is not None and third.cache.misses == 0


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda raw: raw[: len(raw) // 2], id="truncated"),
        pytest.param(lambda raw: b"\x00\xff garbage" + raw, id="garbage"),
        pytest.param(lambda raw: b"", id="empty"),
        pytest.param(lambda raw: b'{"format": "someone-else", "entries": []}', id="foreign"),
        pytest.param(lambda raw: b"[" * 100_000, id="deep"),
    ],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(bank: Path, cache: Path, damage) -> None:  # noqa: ANN001
    load_catalog([bank], cache_dir=cache)
    path = cache_path(cache, [bank])
    path.write_bytes(damage(path.read_bytes()))
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None
    assert again.cache.rejected is not None and again.cache.rejected.startswith("invalid")
    assert (again.cache.hits, again.cache.written) == (0, True)
    _same(again, load_catalog([bank]))
    assert load_catalog([bank], cache_dir=cache).cache.misses == 0  # type: ignore[union-attr]


def _forge(path: Path, change) -> None:  # noqa: ANN001
    """Rewrite a cache file's payload and seal it again, as a buggy or hostile writer could."""
    stored = json.loads(path.read_text())["cache"]
    change(stored)
    path.write_bytes(_sealed(json.dumps(stored).encode()))


def test_a_cached_question_that_breaks_a_bank_rule_is_not_trusted(bank: Path, cache: Path) -> None:
    """A correctly sealed cache whose question text breaks a rule: it is validated before use and
    refused, the question comes from its file instead, and the cache is dropped for a rebuild."""

    def every_option_correct(stored: dict) -> None:
        for entry in stored["entries"].values():
            columns = entry["result"]["questions"]
            for i, body in enumerate(columns["bodies"]):
                question = json.loads(body)
                for option in question.get("options", []):
                    option["correct"] = True
                columns["bodies"][i] = json.dumps(question)

    load_catalog([bank], cache_dir=cache)
    path = cache_path(cache, [bank])
    _forge(path, every_option_correct)
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None and (again.cache.rejected, again.cache.misses) == (None, 0)
    fresh = load_catalog([bank])
    single = next(q for q in fresh.primary.questions.values() if q.type == "single")
    assert again.primary.questions[single.id] == single
    assert not path.exists()
    _same(again, fresh)


def test_cached_facts_that_break_a_bank_rule_are_not_trusted(bank: Path, cache: Path) -> None:
    """Facts are validated on every read: an id no bank may have rejects the whole cache."""

    def bad_id(stored: dict) -> None:
        for entry in stored["entries"].values():
            columns = entry["result"]["questions"]
            columns["ids"] = ["Not An Id" for _ in columns["ids"]]

    load_catalog([bank], cache_dir=cache)
    _forge(cache_path(cache, [bank]), bad_id)
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None and again.cache.rejected is not None
    assert again.cache.rejected.startswith("invalid")
    _same(again, load_catalog([bank]))


def test_a_cache_with_a_wrong_checksum_is_ignored(bank: Path, cache: Path) -> None:
    load_catalog([bank], cache_dir=cache)
    path = cache_path(cache, [bank])
    raw = path.read_bytes()
    path.write_bytes(raw.replace(b"single", b"singlE", 1))
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None and again.cache.rejected is not None
    assert "checksum" in again.cache.rejected
    _same(again, load_catalog([bank]))


def test_an_unwritable_cache_dir_only_costs_speed(bank: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache dir should be")
    catalog = load_catalog([bank], cache_dir=blocker / "cache")
    assert catalog.cache is not None and not catalog.cache.written
    _same(catalog, load_catalog([bank]))


def test_cache_files_for_different_sources_do_not_evict_each_other(bank: Path, cache: Path) -> None:
    load_catalog([bank], cache_dir=cache)
    load_catalog([], cache_dir=cache)
    assert load_catalog([bank], cache_dir=cache).cache.misses == 0  # type: ignore[union-attr]
    assert len(list(cache.glob("banks-*.json"))) == 2


def test_problems_are_cached_with_the_file_and_shown_relative_to_where_you_are(
    tmp_path: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = tmp_path / "bad"
    (root / "questions").mkdir(parents=True)
    (root / "questions" / "bad.yaml").write_text(samples.SINGLE.replace("correct: true", "correct: false"))
    monkeypatch.chdir(tmp_path)
    cold = load_catalog([root], cache_dir=cache)
    warm = load_catalog([root], cache_dir=cache)
    assert warm.cache is not None and warm.cache.misses == 0
    assert cold.problems and cold.problems == warm.problems
    assert warm.problems[0].path == str(Path("bad/questions/bad.yaml"))
    monkeypatch.chdir(root)
    assert load_catalog([root], cache_dir=cache).problems[0].path == str(Path("questions/bad.yaml"))


# ------------------------------------------------------------------------------ property


files = st.lists(
    st.one_of(
        st.sampled_from(VALID_FILES).map(lambda d: ("questions", d)),
        mutated(VALID_FILES).map(lambda d: ("questions", d)),
        mutated([VALID_DECK]).map(lambda d: ("flashcards", d)),
        st.just(("flashcards", VALID_DECK)),
    ),
    min_size=1,
    max_size=5,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(files)
def test_banks_are_identical_with_and_without_the_cache(generated) -> None:  # noqa: ANN001
    with tempfile.TemporaryDirectory() as tmp:
        root, cache = Path(tmp) / "bank", Path(tmp) / "cache"
        for index, (sub, data) in enumerate(generated):
            path = root / sub / f"f{index}.yaml"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
        plain = load_catalog([root])
        cold = load_catalog([root], cache_dir=cache)
        warm = load_catalog([root], cache_dir=cache)
        assert warm.cache is not None and warm.cache.misses == 0
        _same(plain, cold)
        _same(plain, warm)


def test_cached_questions_are_validated_only_when_used(bank: Path, cache: Path) -> None:
    """A warm load gives each question's facts at once and builds the question on first use."""
    fresh = load_catalog([bank])
    load_catalog([bank], cache_dir=cache)
    warm = load_catalog([bank], cache_dir=cache).primary.questions
    assert "not yet validated" in repr(warm) and "0 not yet" not in repr(warm)
    assert list(warm.infos()) == [QuestionInfo.of(q) for q in fresh.primary.questions.values()]
    some = next(iter(warm))
    assert warm[some] == fresh.primary.questions[some]
    assert warm[some] is warm[some]  # built once


def test_a_bad_cached_question_without_a_file_to_fall_back_on_is_an_error() -> None:
    questions = Questions()
    questions.add_deferred(QuestionInfo("q-1", "single", "1.1", []), '{"id": "q-1"}', Path("gone.yaml"))
    with pytest.raises(CacheDamaged, match="q-1"):
        questions["q-1"]


def test_the_cache_can_be_written_after_the_banks_are_returned(bank: Path, cache: Path) -> None:
    first = load_catalog([bank], cache_dir=cache, save_in_background=True)
    assert first.cache_writer is not None
    first.wait_for_cache()
    assert first.cache is not None and first.cache.written
    again = load_catalog([bank], cache_dir=cache, save_in_background=True)
    assert again.cache_writer is None  # nothing changed, nothing to write
    assert again.cache is not None and (again.cache.hits, again.cache.misses) == (_files(bank), 0)
    _same(again, load_catalog([bank]))


def _single_key(catalog) -> str:  # noqa: ANN001
    question = catalog.primary.questions["s-001"]
    return next(option.text for option in question.options if option.correct)


def test_a_tampered_cache_cannot_change_a_key(bank: Path, cache: Path) -> None:
    """Bytes changed to mark another option correct, checksum left as it was: the whole cache is
    refused and the key comes from the bank file. (The CRC is a damage check, not a seal: a writer
    who recomputes it is as trusted as one who edits the bank, see the next test for what still holds.)"""
    load_catalog([bank], cache_dir=cache)
    path = cache_path(cache, [bank])
    raw = path.read_bytes()
    head = raw[: raw.index(b'"cache":') + len(b'"cache":')]  # `{"crc32":"<old crc>","cache":`
    stored = json.loads(raw[len(head) : -1])
    for entry in stored["entries"].values():
        columns = entry["result"]["questions"]
        for i, body in enumerate(columns["bodies"]):
            question = json.loads(body)
            if question["id"] == "s-001":
                for option in question["options"]:
                    option["correct"] = option["text"] == "A text-only model"
                columns["bodies"][i] = json.dumps(question)
    tampered = head + json.dumps(stored).encode() + b"}"
    assert b"A text-only model" in tampered and tampered != raw
    path.write_bytes(tampered)
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None and again.cache.rejected and "checksum" in again.cache.rejected
    assert _single_key(again) == "A multimodal-input model"


def test_unsafe_text_forced_into_the_cache_never_comes_back(bank: Path, cache: Path) -> None:
    """A correctly sealed cache whose question text carries ESC and a bidi override: the Question model
    refuses it on first use, and the question comes from its file instead."""

    def inject(stored: dict) -> None:
        for entry in stored["entries"].values():
            columns = entry["result"]["questions"]
            for i, body in enumerate(columns["bodies"]):
                question = json.loads(body)
                question["stem"] = "\x1b]52;c;aGk=\x07\u202e" + question["stem"]
                columns["bodies"][i] = json.dumps(question)

    load_catalog([bank], cache_dir=cache)
    _forge(cache_path(cache, [bank]), inject)
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None and again.cache.hits > 0
    stems = [q.stem for q in again.primary.questions.values()]
    assert stems and not any("\x1b" in s or "\u202e" in s for s in stems)


def test_the_cache_keeps_only_what_passed_the_checks(tmp_path: Path, cache: Path) -> None:
    root = tmp_path / "bank"
    (root / "questions").mkdir(parents=True)
    (root / "questions" / "ok.yaml").write_text(samples.ORDERING)
    (root / "questions" / "bad.yaml").write_text(
        samples.SINGLE.replace("stem: Which", 'stem: "\\e]0;x\\a\\u202eWhich', 1).replace(
            "text?", 'text?"', 1
        )
    )
    first = load_catalog([root], cache_dir=cache)
    assert any("U+001B" in p.message for p in first.problems)
    stored = cache_path(cache, [root]).read_text()
    assert "\x1b" not in stored and "\\u001b" not in stored.lower() and "\u202e" not in stored
    assert "\\u202e" not in stored.lower()
    again = load_catalog([root], cache_dir=cache)
    assert again.cache is not None and again.cache.misses == 0
    assert again.problems == first.problems and "s-001" not in again.primary.questions


def test_a_failed_cache_write_leaves_the_old_cache_whole(bank: Path, cache: Path, monkeypatch) -> None:  # noqa: ANN001
    import errno

    load_catalog([bank], cache_dir=cache)
    path = cache_path(cache, [bank])
    before = path.read_bytes()
    (bank / "questions" / "ordering.yaml").write_text(
        samples.ORDERING.replace("Order the stages.", "Order them.")
    )

    def full_disk(*_args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    catalog = load_catalog([bank], cache_dir=cache)
    assert catalog.cache is not None and not catalog.cache.written
    assert catalog.primary.questions["o-001"].stem == "Order them."
    assert path.read_bytes() == before
    assert sorted(p.name for p in cache.iterdir()) == [path.name]  # no temporary file left behind
