"""Limits before reads: a bank file's kind and size are checked before a byte is read, and a folder
that cannot be searched is reported, never skipped in silence."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quizapp.content import discovery, load_catalog, yamlsafe
from quizapp.content.cache import cache_path
from tests.content import samples


def _problems(folder: Path) -> list[tuple[str, int, int, str]]:
    return [(Path(p.path).name, p.line, p.column, p.message) for p in load_catalog([folder]).problems]


def test_a_fifo_is_refused_at_once_not_waited_on(write_bank):
    folder = write_bank(good=samples.ORDERING)
    os.mkfifo(folder / "questions" / "pipe.yaml")
    start = time.perf_counter()
    catalog = load_catalog([folder])
    assert time.perf_counter() - start < 5
    assert [(Path(p.path).name, p.line, p.column) for p in catalog.problems] == [("pipe.yaml", 1, 1)]
    assert "FIFO" in catalog.problems[0].message
    assert "o-001" in catalog.primary.questions


def test_validate_of_a_fifo_exits_1_at_once(tmp_path):
    fifo = tmp_path / "some.fifo"
    os.mkfifo(fifo)
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "validate", str(fifo)], capture_output=True, text=True, timeout=30
    )
    assert proc.returncode == 1
    assert "some.fifo:1:1:" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr


def test_a_sparse_huge_file_is_refused_without_reading_it(write_bank, monkeypatch):
    folder = write_bank(q="x")
    path = folder / "questions" / "q.yaml"
    with path.open("wb") as out:
        out.truncate(64 * 1024**3)  # 64 GiB of holes: reading it whole would exhaust memory
    read: list[int] = []
    real_read = os.read

    def counted(fd: int, n: int) -> bytes:
        data = real_read(fd, n)
        read.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counted)
    problems = _problems(folder)
    assert [(name, line, column) for name, line, column, _ in problems] == [("q.yaml", 1, 1)]
    assert "MiB per file" in problems[0][3]
    assert sum(read) < 1024 * 1024  # the bundled blueprint, not the hole


def test_a_file_that_grows_past_the_limit_while_read_is_refused(write_bank, monkeypatch):
    monkeypatch.setattr(yamlsafe, "MAX_FILE_BYTES", 1000)
    folder = write_bank(q="questions: []\n")
    real_fstat = os.fstat
    monkeypatch.setattr(
        os, "fstat", lambda fd: os.stat_result((*real_fstat(fd)[:6], 10, *real_fstat(fd)[7:]))
    )
    (folder / "questions" / "q.yaml").write_text("questions: []\n" + "# padding\n" * 200)
    assert "MiB per file" in _problems(folder)[0][3]


def test_an_unreadable_folder_is_reported_by_name(write_bank, monkeypatch):
    # Tests run as root, whom chmod 000 does not stop: the listing itself is made to fail.
    folder = write_bank(good=samples.ORDERING)
    locked = folder / "questions" / "locked"
    locked.mkdir()
    (locked / "hidden.yaml").write_text(samples.MULTI)
    real_scandir = os.scandir

    def scandir(path):  # noqa: ANN001, ANN202
        if Path(path) == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(discovery.os, "scandir", scandir)
    problems = _problems(folder)
    assert problems == [("locked", 1, 1, "cannot read folder: permission denied")]


def test_symlink_loops_are_reported_by_name(write_bank):
    folder = write_bank(good=samples.ORDERING)
    sub = folder / "questions" / "sub"
    sub.mkdir()
    (sub / "back-up").symlink_to("..")
    (folder / "questions" / "self.yaml").symlink_to("self.yaml")
    start = time.perf_counter()
    problems = _problems(folder)
    assert time.perf_counter() - start < 5
    assert {(name, line, column) for name, line, column, _ in problems} == {
        ("back-up", 1, 1),
        ("self.yaml", 1, 1),
    }
    assert any("loop" in message for *_, message in problems)
    assert any("symbolic links" in message for *_, message in problems)


def test_a_linked_folder_is_followed(write_bank, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "o.yaml").write_text(samples.ORDERING)
    folder = write_bank(m=samples.MULTI)
    (folder / "questions" / "linked").symlink_to(shared)
    catalog = load_catalog([folder])
    assert not catalog.problems
    assert {"o-001", "m-001"} <= set(catalog.primary.questions)


def test_a_cache_that_is_a_fifo_is_not_waited_on(write_bank, tmp_path):
    folder = write_bank(good=samples.ORDERING)
    cache = tmp_path / "cache"
    cache.mkdir()
    os.mkfifo(cache_path(cache, [folder]))
    start = time.perf_counter()
    catalog = load_catalog([folder], cache_dir=cache)
    assert time.perf_counter() - start < 5
    assert catalog.cache is not None and catalog.cache.rejected and "FIFO" in catalog.cache.rejected
    assert "o-001" in catalog.primary.questions


def test_an_oversized_cache_is_not_read(write_bank, tmp_path, monkeypatch):
    from quizapp.content import cache as cache_module

    folder = write_bank(good=samples.ORDERING)
    cache = tmp_path / "cache"
    load_catalog([folder], cache_dir=cache)
    monkeypatch.setattr(cache_module, "MAX_CACHE_BYTES", 100)
    catalog = load_catalog([folder], cache_dir=cache)
    assert catalog.cache is not None and catalog.cache.rejected and "limited" in catalog.cache.rejected
    assert catalog.cache.hits == 0 and "o-001" in catalog.primary.questions


@pytest.mark.parametrize("kind", ["fifo"])
def test_a_single_non_regular_path_is_a_problem(tmp_path, kind):
    path = tmp_path / "x.yaml"
    os.mkfifo(path)
    catalog = load_catalog([path])
    assert [(Path(p.path).name, p.line, p.column) for p in catalog.problems] == [("x.yaml", 1, 1)]
