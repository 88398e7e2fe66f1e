"""Issue 17: the sync folder is this machine's own choice (never exported), `quizapp sync` without
DIR uses it, and every sync's outcome is kept for `stats --json`, Home and Settings."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from quizapp.store.sync_state import STATE_FILE, read_sync_state
from quizapp.study.sync import SyncFailed, choose_folder, folder_problem, sync_data_dir, sync_settings
from tests.factory import START
from tests.history import real_bank
from tests.test_sync import Device, exported, run


def test_sync_without_a_folder_chosen_or_given_is_a_usage_error(capsys, tmp_path):
    with pytest.raises(SystemExit) as stop:
        run(capsys, "--data-dir", str(tmp_path / "a"), "sync")
    assert stop.value.code == 2
    assert "choose one in the app's Settings" in capsys.readouterr().err


def test_sync_without_dir_uses_the_chosen_folder_and_keeps_the_outcome(capsys, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    a, b = Device(tmp_path, "a"), Device(tmp_path, "b")
    rng = random.Random(7)
    a.study(rng, cards=True)
    b.study(rng, cards=True)
    choose_folder(a.data, str(shared), automatic=True)
    assert run(capsys, "--data-dir", str(b.data), "sync", str(shared))[0] == 0

    code, out, err = run(capsys, "--data-dir", str(a.data), "sync")
    assert code == 0, err
    assert "merged device" in out
    last = sync_settings(a.data).last
    assert last is not None and last.ok and last.summary.startswith("merged +")
    assert "folder" not in json.dumps(exported(capsys, a).get("settings", {}))  # never travels


def test_a_failed_sync_is_kept_as_failed_with_its_reason(capsys, tmp_path):
    a = Device(tmp_path, "a")
    shared = tmp_path / "shared"
    shared.mkdir()
    choose_folder(a.data, str(shared), automatic=False)
    (a.data / "progress.db").parent.mkdir(parents=True, exist_ok=True)
    (a.data / "progress.db").write_bytes(b"not a database at all" * 100)
    code, _, err = run(capsys, "--data-dir", str(a.data), "sync")
    assert code == 1 and "Traceback" not in err  # the command refuses before it syncs
    with pytest.raises(SyncFailed) as failed:  # the app's background sync keeps the outcome
        sync_data_dir(a.data, shared, real_bank(), START)
    last = sync_settings(a.data).last
    assert last is not None and not last.ok and last.summary == failed.value.message.splitlines()[0]
    assert last.at == START.isoformat(timespec="seconds")


def test_a_damaged_state_file_reads_as_no_folder(tmp_path):
    (tmp_path / STATE_FILE).write_text("{not json", encoding="utf-8")
    assert read_sync_state(tmp_path).folder is None
    (tmp_path / STATE_FILE).write_text(json.dumps({"folder": 3, "automatic": "yes"}), encoding="utf-8")
    state = read_sync_state(tmp_path)
    assert state.folder is None and state.automatic is True and state.last is None


def test_changing_the_folder_forgets_the_last_outcome(tmp_path):
    from quizapp.store.sync_state import LastSync
    from quizapp.study.sync import remember

    choose_folder(tmp_path, "/somewhere", automatic=True)
    remember(tmp_path, LastSync("2026-12-01T10:00:00+00:00", True, "nothing new"))
    assert choose_folder(tmp_path, "/somewhere", automatic=False).last is not None
    assert choose_folder(tmp_path, "/elsewhere", automatic=False).last is None
    assert choose_folder(tmp_path, "  ", automatic=False).folder is None


def test_folder_problems_are_said_in_words(tmp_path: Path):
    assert folder_problem(str(tmp_path)) is None
    assert folder_problem("") is None  # no folder: not syncing
    assert "full path" in (folder_problem("relative/dir") or "")
    assert "not a folder" in (folder_problem(str(tmp_path / "missing")) or "")


def test_stats_json_reports_the_folder_and_the_last_sync(capsys, tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    a = Device(tmp_path, "a")
    a.study(random.Random(3), cards=True)
    code, out, _ = run(capsys, "--data-dir", str(a.data), "stats", "--json")
    assert code == 0
    assert json.loads(out)["sync"] == {
        "folder": None,
        "automatic": True,
        "last_sync_at": None,
        "last_sync_ok": None,
        "last_sync": None,
    }
    choose_folder(a.data, str(shared), automatic=False)
    assert run(capsys, "--data-dir", str(a.data), "sync")[0] == 0
    code, out, _ = run(capsys, "--data-dir", str(a.data), "stats", "--json")
    sync = json.loads(out)["sync"]
    assert sync["folder"] == str(shared) and sync["automatic"] is False
    assert sync["last_sync_ok"] is True and sync["last_sync"] == "nothing new"
    assert sync["last_sync_at"] == sync_settings(a.data).last.at
    code, out, _ = run(capsys, "--data-dir", str(a.data), "stats")
    assert f"sync folder: {shared}; last sync: " in out and "(nothing new)" in out
