"""The bank index (content.index): the facts Home needs, equal to the loaded bank's, and never used
once any bank file changed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import quizapp
from quizapp.content import bundled_root, load_catalog
from quizapp.content.cache import cache_path
from quizapp.content.facts import facts_digest
from quizapp.content.index import BANK_FILE_LIMIT, CACHE_PREFIX, IndexBank, bank_digest, read_index
from quizapp.content.yamlsafe import MAX_FILE_BYTES
from quizapp.study.pass_note import bank_stamp
from tests.content import samples


@pytest.fixture
def bank(tmp_path: Path) -> Path:
    """A small user bank folder: every question type, a case study and a deck."""
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


def _assert_same(index: IndexBank, catalog) -> None:  # noqa: ANN001
    """Every figure the index gives is the one the loaded primary bank gives."""
    bank = catalog.primary
    assert list(index.questions) == list(bank.questions)
    assert len(index.questions) == len(bank.questions)
    assert list(index.questions.infos()) == list(bank.questions.infos())
    assert all(index.questions.info(q) == bank.questions.info(q) for q in bank.questions)
    assert all(q in index.questions for q in bank.questions) and "no-such-id" not in index.questions
    assert list(index.flashcards) == list(bank.flashcards)
    assert index.deck_of == bank.deck_of
    assert index.exam == bank.exam
    blueprint, real = index.blueprint, bank.blueprint
    assert (blueprint.exam, blueprint.title) == (real.exam, real.title)
    f = real.format
    assert (blueprint.format.questions, blueprint.format.scored, blueprint.format.minutes) == (
        f.questions,
        f.scored,
        f.minutes,
    )
    assert (blueprint.format.scale, blueprint.format.passing) == (tuple(f.scale), f.passing)
    assert blueprint.task_ids() == real.task_ids()
    assert [(d.id, d.name, d.weight, [(t.id, t.title) for t in d.tasks]) for d in blueprint.domains] == [
        (d.id, d.name, d.weight, [(t.id, t.title) for t in d.tasks]) for d in real.domains
    ]
    assert [index.domain_of(i) for i in index.questions.infos()] == [
        bank.domain_of(i) for i in bank.questions.infos()
    ]
    # the pass chance kept for the bank is found through its index: the same digest
    assert index.digest == bank_digest(bank) == bank_stamp(bank) == bank_stamp(index)
    assert index.digest == facts_digest(bank.questions.infos(), [(d.id, d.weight) for d in real.domains])


def test_the_bundled_banks_index_gives_the_loaded_banks_figures(cache: Path) -> None:
    sources = [bundled_root()]
    catalog = load_catalog(sources, cache_dir=cache)
    assert not catalog.problems
    index = read_index(cache, sources)
    assert index is not None
    _assert_same(index, catalog)


@pytest.mark.parametrize("with_bundled", [False, True])
def test_a_small_user_banks_index_gives_the_loaded_banks_figures(
    bank: Path, cache: Path, with_bundled: bool
) -> None:
    sources = [bundled_root(), bank] if with_bundled else [bank]
    if with_bundled:  # the sample card's id is the bundled deck's too
        (bank / "flashcards" / "deck.yaml").write_text(samples.DECK.replace("fc-nova-reel", "fc-my-reel"))
    catalog = load_catalog(sources, cache_dir=cache, save_in_background=True)
    catalog.wait_for_cache()
    assert not catalog.problems
    index = read_index(cache, sources)
    assert index is not None
    _assert_same(index, catalog)
    assert "s-001" in index.questions and len(index.flashcards) == len(catalog.primary.flashcards) > 0


def test_the_index_is_the_caches_first_field_and_a_second_load_leaves_it(bank: Path, cache: Path) -> None:
    load_catalog([bank], cache_dir=cache)
    raw = cache_path(cache, [bank]).read_bytes()
    payload = json.loads(raw)["cache"]
    assert raw[raw.index(b'"cache":') + len(b'"cache":') :].startswith(CACHE_PREFIX.encode())
    assert list(payload)[:2] == ["format", "index"] and payload["index"] is not None
    again = load_catalog([bank], cache_dir=cache)
    assert again.cache is not None and not again.cache.written
    assert cache_path(cache, [bank]).read_bytes() == raw


# ------------------------------------------------------------------ a stale index is never used


def _edit_same_size_and_time(path: Path) -> None:
    """Change a file's bytes while keeping its size and mtime: only its checksum tells."""
    status = path.stat()
    text = path.read_text()
    changed = text.replace("a photo", "an item", 1)
    assert len(changed) == len(text) and changed != text
    path.write_text(changed)
    os.utime(path, ns=(status.st_atime_ns, status.st_mtime_ns))


@pytest.mark.parametrize(
    "change",
    [
        "edited",
        "same size and time",
        "touched",
        "added",
        "removed",
        "blueprint added",
        "version",
        "damaged",
    ],
)
def test_a_stale_index_is_never_used(bank: Path, cache: Path, change: str, monkeypatch) -> None:  # noqa: ANN001
    load_catalog([bank], cache_dir=cache)
    assert read_index(cache, [bank]) is not None
    single = bank / "questions" / "single.yaml"
    if change == "edited":
        single.write_text(samples.SINGLE.replace("s-001", "s-009"))
    elif change == "same size and time":
        _edit_same_size_and_time(single)
    elif change == "touched":
        os.utime(single, ns=(single.stat().st_atime_ns, single.stat().st_mtime_ns + 10**9))
    elif change == "added":
        (bank / "questions" / "more.yaml").write_text(samples.SINGLE.replace("s-001", "s-100"))
    elif change == "removed":
        (bank / "questions" / "multi.yaml").unlink()
    elif change == "blueprint added":
        (bank / "questions" / "blueprint.yaml").write_bytes(
            (bundled_root() / "questions" / "blueprint.yaml").read_bytes()
        )
    elif change == "version":
        monkeypatch.setattr(quizapp, "__version__", "99.0.0")
    elif change == "damaged":
        path = cache_path(cache, [bank])
        raw = bytearray(path.read_bytes())
        at = raw.index(b'\\"digest\\":\\"') + 16  # in the index: the checksum no longer matches
        raw[at] = ord("0") if raw[at] != ord("0") else ord("1")
        path.write_bytes(bytes(raw))
    assert read_index(cache, [bank]) is None
    if change != "damaged":  # the load that follows writes an index true to the files again
        catalog = load_catalog([bank], cache_dir=cache)
        index = read_index(cache, [bank])
        assert index is not None
        _assert_same(index, catalog)


def test_a_bank_with_problems_has_no_index(bank: Path, cache: Path) -> None:
    """A start then loads the bank as before, for the problems dialog."""
    (bank / "questions" / "bad.yaml").write_text("questions:\n  - id: x\n")
    catalog = load_catalog([bank], cache_dir=cache)
    assert catalog.problems
    payload = json.loads(cache_path(cache, [bank]).read_bytes())["cache"]
    assert payload["index"] is None
    assert read_index(cache, [bank]) is None
    (bank / "questions" / "bad.yaml").unlink()  # fixed: the next load writes an index again
    assert not load_catalog([bank], cache_dir=cache).problems
    assert read_index(cache, [bank]) is not None


def test_an_unreadable_folder_means_no_index(bank: Path, cache: Path) -> None:
    load_catalog([bank], cache_dir=cache)
    (bank / "flashcards" / "loop").symlink_to(bank / "flashcards")  # a folder that links back: a problem
    assert read_index(cache, [bank]) is None


def test_no_cache_no_index(bank: Path, cache: Path) -> None:
    assert read_index(cache, [bank]) is None
    load_catalog([bank])  # no cache dir: nothing written
    assert read_index(cache, [bank]) is None


def test_the_index_refuses_what_the_loader_refuses() -> None:
    assert BANK_FILE_LIMIT == MAX_FILE_BYTES


# ------------------------------------------------------------------ light to import

LIGHT = """
import sys
from pathlib import Path
from quizapp.content.index import read_index
index = read_index(Path(sys.argv[1]), [Path(p) for p in sys.argv[2:]])
import quizapp.study.coach, quizapp.study.pass_note, quizapp.study.today
names = ("pydantic", "yaml", "quizapp.content.models", "quizapp.content.loader", "fsrs")
heavy = [m for m in names if m in sys.modules]
print(index is not None, heavy)
"""


def test_reading_the_index_imports_neither_pydantic_nor_yaml_nor_the_models(bank: Path, cache: Path) -> None:
    load_catalog([bank], cache_dir=cache)
    done = subprocess.run(
        [sys.executable, "-c", LIGHT, str(cache), str(bank)], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split() == ["True", "[]"]


def test_a_warm_load_keeps_the_index_it_read_rather_than_making_it_again(
    bank: Path, cache: Path, monkeypatch
) -> None:  # noqa: ANN001
    import quizapp.content.cache as cache_module

    made: list[int] = []
    real = cache_module.index_of

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(cache_module, "index_of", counted)
    load_catalog([bank], cache_dir=cache)
    assert len(made) == 1
    again = load_catalog([bank], cache_dir=cache)
    assert len(made) == 1 and again.cache is not None and not again.cache.written
    (bank / "questions" / "single.yaml").write_text(samples.SINGLE.replace("s-001", "s-009"))
    changed = load_catalog([bank], cache_dir=cache)
    assert len(made) == 2
    index = read_index(cache, [bank])
    assert index is not None and "s-009" in index.questions
    _assert_same(index, changed)
