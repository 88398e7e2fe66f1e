"""`quizapp export` and `quizapp import` against faults: a full disk, a kill, odd paths and inputs.

An export replaces its file atomically, so the learner's previous backup survives anything that
stops the new one; import reads files and standard input with bounds and never hangs. Every
failure is a message and exit 1, never a traceback.
"""

from __future__ import annotations

import errno
import io
import json
import os
import select
import signal
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from fsrs import Rating

import quizapp.atomic
from quizapp.cli import main
from quizapp.paths import CACHE_DIR_ENV, DATA_DIR_ENV
from quizapp.store import ProgressStore
from quizapp.study import ManualClock
from quizapp.study.grading import correct_response
from tests.factory import START, make_coach

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def data(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data dir with some progress, used by every command here (via $QUIZAPP_DATA_DIR)."""
    clock = ManualClock(START)
    coach = make_coach(tmp_path, clock=clock)
    coach.flashcards().rate(Rating.Good)
    practice = coach.practice()
    for i in range(3):
        practice.answer(correct_response(practice.current()) if i % 2 else None)
        clock.advance(minutes=2)
    coach.store.close()
    folder = tmp_path / "data"
    monkeypatch.setenv(DATA_DIR_ENV, str(folder))
    return folder


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def old_backup(folder: Path) -> tuple[Path, bytes]:
    folder.mkdir(parents=True, exist_ok=True)
    backup = folder / "progress.json"
    content = b'{"format": "quizapp-progress", "a backup": "from last week"}\n'
    backup.write_bytes(content)
    return backup, content


# ------------------------------------------------------------------------------------ export


def test_export_replaces_the_file_and_leaves_no_temporary(capsys, data, tmp_path):
    backup, _ = old_backup(tmp_path / "backups")
    code, out, err = run(capsys, "export", str(backup))
    assert code == 0, err
    assert "exported" in out
    assert json.loads(backup.read_text())["format"] == "quizapp-progress"
    assert [p.name for p in backup.parent.iterdir()] == ["progress.json"]


def test_an_indented_export_from_an_older_quizapp_still_imports(capsys, data, tmp_path):
    """Export is compact JSON now; files older quizapps wrote (indent=1) import as before."""
    compact = tmp_path / "compact.json"
    assert run(capsys, "export", str(compact))[0] == 0
    data_of_it = json.loads(compact.read_bytes())
    assert compact.read_bytes().count(b"\n") == 1
    indented = tmp_path / "indented.json"
    indented.write_text(json.dumps(data_of_it, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    for name, source in (("a", compact), ("b", indented)):
        code, out, err = run(capsys, "--data-dir", str(tmp_path / name), "import", str(source))
        assert code == 0, err
    for name in ("a", "b"):
        with ProgressStore.open(tmp_path / name) as store:
            assert store.export_data() == data_of_it


def test_importing_a_file_again_does_not_read_it(capsys, data, tmp_path, monkeypatch):
    """A backup or a sync peer merged before: the store remembers it (store.import_memo)."""
    backup = tmp_path / "backup.json"
    assert run(capsys, "export", str(backup))[0] == 0
    other = tmp_path / "other"
    code, out, err = run(capsys, "--data-dir", str(other), "import", str(backup))
    assert code == 0 and "imported: 4 reviews" in out, err

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the file was read again")

    monkeypatch.setattr("quizapp.store.import_check.load_export", refuse)
    code, out, err = run(capsys, "--data-dir", str(other), "import", str(backup))
    assert (code, out) == (0, "imported: 0 reviews, 0 answers, 0 exams, 0 items, 0 settings\n"), err


def test_a_refused_file_creates_no_data_dir(capsys, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "quizapp-progress", "version": 1, "reviews": [{}]}', encoding="utf-8")
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "new"), "import", str(bad))
    assert code == 1 and "nothing was imported" in err
    assert not (tmp_path / "new").exists()


def test_export_to_stdout_still_works(capsys, data):
    code, out, _ = run(capsys, "export", "-")
    assert code == 0
    assert json.loads(out)["answers"]


@pytest.mark.parametrize(
    "where",
    [
        pytest.param(lambda tmp: tmp / "no-such-folder" / "progress.json", id="missing-folder"),
        pytest.param(lambda tmp: tmp, id="a-folder"),
        pytest.param(lambda tmp: tmp / "name\x1b[2J.json" / "x.json", id="control-characters-in-name"),
    ],
)
def test_export_to_an_unusable_path_says_why(capsys, data, tmp_path, where):
    target = where(tmp_path)
    code, out, err = run(capsys, "export", str(target))
    assert code == 1
    assert "cannot write" in err
    assert "Traceback" not in err and "\x1b" not in err
    assert "exported" not in out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="needs /sys, where even root cannot write")
def test_export_to_a_read_only_place_says_why(capsys, data):
    code, _, err = run(capsys, "export", "/sys/progress.json")
    assert code == 1
    assert "cannot write /sys/progress.json" in err and "Traceback" not in err


def test_a_full_disk_during_export_keeps_the_old_backup(capsys, data, tmp_path, monkeypatch):
    backup, content = old_backup(tmp_path / "backups")
    real_fdopen = os.fdopen

    class FullDisk:
        """The file object of a disk that fills up partway through the export."""

        def __init__(self, out: Any) -> None:
            self.out = out

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self.out.close()

        def write(self, payload: bytes) -> int:
            self.out.write(payload[:100])
            self.out.flush()
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name: str) -> Any:
            return getattr(self.out, name)

    monkeypatch.setattr(quizapp.atomic.os, "fdopen", lambda fd, *a, **k: FullDisk(real_fdopen(fd, *a, **k)))
    code, out, err = run(capsys, "export", str(backup))
    assert code == 1
    assert f"cannot write {backup}" in err and "full" in err
    assert "Traceback" not in err and "exported" not in out
    assert backup.read_bytes() == content
    assert [p.name for p in backup.parent.iterdir()] == ["progress.json"]


PAUSE_AT_WRITE = """
import os, sys, time

target, data = sys.argv[1], sys.argv[2]
folder = os.path.dirname(os.path.abspath(target))


def pause_at_the_export_write(frame, event, arg):
    # Any file write into the export's folder (the file itself, or a temporary beside it): say
    # so, and wait there to be killed, as a crash or a power cut would catch it.
    if event != "c_call" or getattr(arg, "__name__", "") != "write":
        return
    name = getattr(getattr(arg, "__self__", None), "name", None)
    if isinstance(name, int) and name > 2:
        name = os.readlink(f"/proc/self/fd/{name}")
    if isinstance(name, str) and os.path.dirname(os.path.abspath(name)) == folder:
        sys.stderr.write("writing\\n")
        sys.stderr.flush()
        time.sleep(120)


from quizapp.cli import main

sys.setprofile(pause_at_the_export_write)
sys.exit(main(["--data-dir", data, "export", target]))
"""


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="finds the written file through /proc")
def test_a_kill_during_export_keeps_the_old_backup(data, tmp_path):
    backup, content = old_backup(tmp_path / "backups")
    env = dict(os.environ, PYTHONPATH=str(ROOT), **{CACHE_DIR_ENV: str(tmp_path / "cache")})
    proc = subprocess.Popen(
        [sys.executable, "-c", PAUSE_AT_WRITE, str(backup), str(data)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    try:
        ready, _, _ = select.select([proc.stderr], [], [], 60)
        assert ready, "the export never reached its write"
        assert proc.stderr.readline() == b"writing\n"
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert backup.read_bytes() == content
    assert main(["export", str(backup)]) == 0  # and the next export replaces it whole
    assert json.loads(backup.read_text())["format"] == "quizapp-progress"


# ------------------------------------------------------------------------------------ import


class _Stdin(io.TextIOWrapper):
    def isatty(self) -> bool:
        return False


def _export_text(capsys: pytest.CaptureFixture[str]) -> str:
    code, out, _ = run(capsys, "export", "-")
    assert code == 0
    return out


def test_import_dash_reads_standard_input(capsys, data, tmp_path, monkeypatch):
    text = _export_text(capsys)
    monkeypatch.setattr(sys, "stdin", _Stdin(io.BytesIO(text.encode())))
    fresh = tmp_path / "fresh"
    code, out, err = run(capsys, "--data-dir", str(fresh), "import", "-")
    assert code == 0, err
    assert "imported: " in out and "0 answers" not in out
    assert run(capsys, "--data-dir", str(fresh), "export", "-")[1] == text


def test_import_dash_refuses_bad_input_by_name(capsys, data, monkeypatch):
    monkeypatch.setattr(sys, "stdin", _Stdin(io.BytesIO(b'{"format": "quizapp-progress", "version": -7}')))
    code, _, err = run(capsys, "import", "-")
    assert code == 1
    assert "standard input" in err and "$.version" in err and "Traceback" not in err


def test_import_dash_from_a_terminal_says_to_pipe_instead_of_waiting(capsys, data, monkeypatch):
    class Terminal(_Stdin):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stdin", Terminal(io.BytesIO(b"")))
    code, _, err = run(capsys, "import", "-")
    assert code == 1
    assert "terminal" in err and "Traceback" not in err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
def test_import_of_a_fifo_is_refused_without_waiting(data, tmp_path):
    fifo = tmp_path / "export.json"
    os.mkfifo(fifo)
    env = dict(os.environ, **{CACHE_DIR_ENV: str(tmp_path / "cache")})
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "import", str(fifo)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=ROOT,
    )
    assert proc.returncode == 1
    assert "not a regular file" in proc.stderr and "Traceback" not in proc.stderr


def test_import_of_a_folder_is_refused(capsys, data, tmp_path):
    code, _, err = run(capsys, "import", str(tmp_path))
    assert code == 1
    assert "not a regular file" in err and "Traceback" not in err


def test_import_of_a_file_over_the_size_bound_is_refused_unread(capsys, data, tmp_path, monkeypatch):
    file = tmp_path / "big.json"
    file.write_text(_export_text(capsys))
    monkeypatch.setattr("quizapp.store.export_format.MAX_EXPORT_BYTES", 1000)
    code, _, err = run(capsys, "import", str(file))
    assert code == 1
    assert "exports are limited to" in err and "Traceback" not in err


def test_import_of_text_that_is_not_utf8_says_so(capsys, data, tmp_path):
    file = tmp_path / "latin1.json"
    file.write_bytes('{"format": "quizapp-progress", "note": "café"}'.encode("latin-1"))
    code, _, err = run(capsys, "import", str(file))
    assert code == 1
    assert "UTF-8" in err and "Traceback" not in err


def test_an_echoed_file_name_is_escaped(capsys, data, tmp_path):
    file = tmp_path / "evil\x1b]0;owned\x07.json"
    file.write_text("[]")
    code, _, err = run(capsys, "import", str(file))
    assert code == 1
    assert "\x1b" not in err and "\x07" not in err
    assert "\\x1b" in err


def test_import_into_a_read_only_database_says_why_and_writes_nothing(capsys, data, tmp_path, monkeypatch):
    """Tests run as root, whom file modes do not stop: SQLite's query_only refuses writes the way
    a read-only file does (SQLITE_READONLY)."""
    text = _export_text(capsys)
    file = tmp_path / "other.json"
    file.write_text(text.replace("2026-11-23T09", "2026-11-24T09"))
    before = _export_text(capsys)
    real_open = ProgressStore.open

    def read_only(folder: Path) -> ProgressStore:
        store = real_open(folder)
        store._conn.execute("PRAGMA query_only = ON")
        return store

    with monkeypatch.context() as patched:
        patched.setattr(ProgressStore, "open", staticmethod(read_only))
        code, out, err = run(capsys, "import", str(file))
    assert code == 1
    assert "cannot import into" in err and "Nothing was imported" in err
    assert "Traceback" not in err and "imported:" not in out
    assert _export_text(capsys) == before


def test_a_store_write_error_during_import_is_a_message(capsys, data, tmp_path, monkeypatch):
    file = tmp_path / "other.json"
    file.write_text(_export_text(capsys))

    def fails(*args: object, **kwargs: object) -> None:
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(ProgressStore, "import_data", fails)
    code, _, err = run(capsys, "import", str(file))
    assert code == 1
    assert "cannot import into" in err and "Traceback" not in err
