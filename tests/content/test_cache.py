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
from quizapp.content.cache import cache_path
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
    stored = json.loads(cache_path(cache, [bank]).read_text())
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


def test_a_cache_that_breaks_a_bank_rule_is_not_trusted(bank: Path, cache: Path) -> None:
    """Well-formed JSON whose item would fail validation: the models refuse it, the files win."""
    load_catalog([bank], cache_dir=cache)
    path = cache_path(cache, [bank])
    stored = json.loads(path.read_text())
    for entry in stored["entries"].values():
        for placed in entry["result"]["questions"]:
            if placed["item"]["type"] == "single":
                for option in placed["item"]["options"]:
                    option["correct"] = True
    path.write_text(json.dumps(stored))
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None and again.cache.rejected is not None
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
