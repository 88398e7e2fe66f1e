"""`quizapp sync DIR`: devices that study apart and sync through one folder converge, and a bad
file in the folder is skipped by name without losing anything local.

Each simulated device is its own data dir with its own ManualClock (one runs days ahead: a
"future" clock), studies through the Coach as the app would, and syncs through the real command.
"""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.cli import main
from quizapp.device import DEVICE_FILE
from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock
from quizapp.study.grading import correct_response
from tests.factory import START
from tests.history import real_bank

SKEW = {"a": timedelta(0), "b": timedelta(minutes=7), "c": timedelta(days=3, hours=5)}
"""Device c's clock is three days ahead: its reviews lie in the others' future."""


class Device:
    def __init__(self, root: Path, name: str) -> None:
        self.name = name
        self.data = root / name
        self.clock = ManualClock(START + SKEW[name])
        self.done = Counter[str]()

    def study(self, rng: random.Random, cards: bool = False) -> None:
        """A few flashcard ratings or practice answers, as the app would record them."""
        coach = Coach(real_bank(), ProgressStore.open(self.data), self.clock, fuzz=False)
        try:
            if cards or rng.random() < 0.5:
                session = coach.flashcards()
                for _ in range(rng.randint(1, 3)):
                    if session.current() is None:
                        break
                    session.rate(rng.choice([Rating.Again, Rating.Good, Rating.Easy]))
                    self.done["reviews"] += 1
                    self.clock.advance(minutes=1)
            else:
                practice = coach.practice()
                for _ in range(rng.randint(1, 3)):
                    question = practice.current()
                    if question is None:
                        break
                    practice.answer(correct_response(question) if rng.random() < 0.6 else None)
                    self.done["answers"] += 1
                    self.clock.advance(minutes=2)
        finally:
            coach.store.close()
        self.clock.advance(hours=rng.randint(1, 30))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def sync(capsys: pytest.CaptureFixture[str], device: Device, shared: Path) -> tuple[int, str, str]:
    return run(capsys, "--data-dir", str(device.data), "sync", str(shared))


def exported(capsys: pytest.CaptureFixture[str], device: Device) -> dict:
    code, out, err = run(capsys, "--data-dir", str(device.data), "export", "-")
    assert code == 0, err
    return json.loads(out)


def keys(export: dict) -> set[tuple[str, str]]:
    """The reviews and answers of an export, by item and time."""
    return {(r["item_id"], r["reviewed_at"]) for r in export["reviews"]} | {
        (a["question_id"], a["answered_at"]) for a in export["answers"]
    }


def three_devices(tmp_path: Path) -> tuple[list[Device], Path]:
    shared = tmp_path / "shared"
    shared.mkdir()
    return [Device(tmp_path, name) for name in "abc"], shared


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_three_devices_converge_in_any_order_and_a_third_sync_changes_nothing(capsys, tmp_path, seed):
    rng = random.Random(seed)
    devices, shared = three_devices(tmp_path)
    for device in devices:  # everyone starts with the same first card: one card on every device
        device.study(rng, cards=True)
    for _ in range(6):  # study and sync interleaved at random
        device = rng.choice(devices)
        if rng.random() < 0.6:
            device.study(rng)
        else:
            assert sync(capsys, device, shared)[0] == 0
    for _ in range(2):  # then each syncs twice, in a random order each round
        for device in rng.sample(devices, len(devices)):
            code, out, err = sync(capsys, device, shared)
            assert code == 0 and err == "", err

    exports = [exported(capsys, d) for d in devices]
    assert exports[0] == exports[1] == exports[2]
    # Nothing lost, nothing twice, whichever clock each device had.
    total = sum((d.done for d in devices), Counter[str]())
    assert len(exports[0]["answers"]) == total["answers"]
    cards = [r for r in exports[0]["reviews"] if r["kind"] == "card"]
    assert len(cards) == total["reviews"]
    times = [(r["item_id"], r["reviewed_at"]) for r in exports[0]["reviews"]]
    assert len(times) == len(set(times))
    assert any(n > 1 for n in Counter(r["item_id"] for r in cards).values()), "a card reviewed twice"

    files = {p.name: p.read_bytes() for p in shared.iterdir()}
    assert len(files) == 3  # one file a device, no temporary left behind
    for device in devices:
        code, out, err = sync(capsys, device, shared)
        assert code == 0 and err == ""
        assert "unchanged quizapp-" in out and "nothing new" in out and "+" not in out
    assert {p.name: p.read_bytes() for p in shared.iterdir()} == files
    assert [exported(capsys, d) for d in devices] == exports


def test_reviews_from_a_device_whose_clock_is_ahead_merge_once(capsys, tmp_path):
    rng = random.Random(7)
    (a, _, c), shared = three_devices(tmp_path)
    for device in (a, c, a, c):
        device.study(rng)
    for device in (c, a, c, a, c, a):
        assert sync(capsys, device, shared)[0] == 0
    mine, theirs = exported(capsys, a), exported(capsys, c)
    assert mine == theirs
    future = [r for r in mine["reviews"] if r["reviewed_at"] > (START + timedelta(days=3)).isoformat()]
    assert future, "c's reviews lie days ahead of a's clock"
    assert len(mine["reviews"]) == len({(r["item_id"], r["reviewed_at"]) for r in mine["reviews"]})
    assert len([r for r in mine["reviews"] if r["kind"] == "card"]) == a.done["reviews"] + c.done["reviews"]
    assert len(mine["answers"]) == a.done["answers"] + c.done["answers"]


def test_the_device_id_is_made_once_and_names_the_file(capsys, tmp_path):
    (a, _, _), shared = three_devices(tmp_path)
    a.study(random.Random(1))
    code, out, _ = sync(capsys, a, shared)
    device = (a.data / DEVICE_FILE).read_text().strip()
    assert code == 0 and f"this device: {device}" in out
    assert [p.name for p in shared.iterdir()] == [f"quizapp-{device}.json"]
    a.study(random.Random(2))
    code, out, _ = sync(capsys, a, shared)
    assert (a.data / DEVICE_FILE).read_text().strip() == device
    assert f"wrote quizapp-{device}.json" in out
    assert [p.name for p in shared.iterdir()] == [f"quizapp-{device}.json"]


def test_bad_peer_files_are_skipped_by_name_and_nothing_local_is_lost(capsys, tmp_path):
    rng = random.Random(5)
    (a, b, _), shared = three_devices(tmp_path)
    a.study(rng)
    b.study(rng)
    assert sync(capsys, b, shared)[0] == 0
    (peer,) = shared.iterdir()
    good = peer.read_text()
    newer = json.loads(good)
    newer["version"] += 1
    bad = {
        "quizapp-00000000000000aa.json": good[: len(good) // 2],  # half-written
        "quizapp-00000000000000bb.json": json.dumps(newer),  # from a newer quizapp
        "quizapp-00000000000000cc.json": good.replace('"rating"', '"ratings"', 1),  # fails validation
        peer.stem + ".sync-conflict-20261201-101010-ABCDEFG.json": good,  # Syncthing's
        peer.stem + " (Ann's conflicted copy 2026-12-01).json": good,  # Dropbox's
    }
    for name, text in bad.items():
        (shared / name).write_text(text)
    before = exported(capsys, a)

    code, out, err = sync(capsys, a, shared)

    assert code == 0
    assert f"merged device {peer.stem.removeprefix('quizapp-')}: +" in out
    assert " with what was merged: " in out  # peers get b's progress from a's file too
    lines = err.splitlines()
    for name in bad:
        assert any(line.startswith(f"quizapp: skipped {name}: ") for line in lines), (name, err)
    assert "newer quizapp" in next(line for line in lines if "00bb" in line)
    assert "damaged or still being written" in next(line for line in lines if "00aa" in line)
    assert "conflict copy" in next(line for line in lines if "sync-conflict" in line)
    after = exported(capsys, a)
    for key in ("reviews", "answers"):
        assert all(record in after[key] for record in before[key])
    assert len(after["reviews"]) + len(after["answers"]) > len(before["reviews"]) + len(before["answers"])
    for name, text in bad.items():  # another device's file is never touched
        assert (shared / name).read_text() == text


def test_a_missing_folder_is_a_message(capsys, tmp_path):
    (a, _, _), _ = three_devices(tmp_path)
    code, out, err = sync(capsys, a, tmp_path / "nowhere")
    assert code == 1 and "is not a folder" in err and "Traceback" not in err


def test_a_peer_file_merged_before_is_merged_again_into_a_fresh_progress_db(capsys, tmp_path):
    """The memo of merged files (which spares a no-op sync from parsing them) is trusted only while
    this device's export is what it was after that merge."""
    rng = random.Random(3)
    (a, b, _), shared = three_devices(tmp_path)
    a.study(rng, cards=True)
    b.study(rng)
    for device in (b, a, b, a):
        assert sync(capsys, device, shared)[0] == 0
    code, out, _ = sync(capsys, a, shared)
    assert code == 0 and "nothing new" in out
    everything = exported(capsys, a)
    for path in a.data.glob("progress.db*"):  # as after `quizapp move-aside`: a fresh, empty store
        path.unlink()

    code, out, err = sync(capsys, a, shared)

    assert code == 0 and "+" in out, out
    assert exported(capsys, a) == everything


def test_a_merge_that_fails_midway_leaves_nothing_half_merged(capsys, tmp_path, monkeypatch):
    import sqlite3

    from quizapp.store.transfer import Transfer

    rng = random.Random(4)
    (a, b, _), shared = three_devices(tmp_path)
    a.study(rng, cards=True)
    b.study(rng, cards=True)
    b.study(rng)
    assert sync(capsys, b, shared)[0] == 0
    before = exported(capsys, a)

    def fails(*args: object) -> None:  # after the reviews were inserted, before the answers
        raise sqlite3.OperationalError("disk I/O error")

    with monkeypatch.context() as patch:
        patch.setattr(Transfer, "_merge_answers", staticmethod(fails))
        code, out, err = sync(capsys, a, shared)

    assert code == 1 and "cannot merge quizapp-" in err and "Traceback" not in err
    assert exported(capsys, a) == before  # not one of b's reviews stayed without its answers
    code, out, err = sync(capsys, a, shared)  # the next sync completes
    assert code == 0 and "+" in out
    assert len(exported(capsys, a)["reviews"]) > len(before["reviews"])


def test_a_copied_data_dir_sharing_the_device_id_is_merged_and_named(capsys, tmp_path):
    import shutil

    rng = random.Random(6)
    (a, _, _), shared = three_devices(tmp_path)
    a.study(rng, cards=True)
    assert sync(capsys, a, shared)[0] == 0
    twin = Device(tmp_path, "b")
    shutil.copytree(a.data, twin.data)  # device-id and all
    twin.clock = ManualClock(a.clock.now())
    twin.study(rng, cards=True)
    assert sync(capsys, twin, shared)[0] == 0
    theirs = exported(capsys, twin)

    code, out, err = sync(capsys, a, shared)

    assert code == 0 and "written by another machine" in out and "delete device-id" in err
    mine = exported(capsys, a)
    assert all(review in mine["reviews"] for review in theirs["reviews"])


def test_a_sync_killed_at_any_moment_loses_nothing_and_the_next_one_completes(capsys, tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    from quizapp.store.import_check import load_export

    rng = random.Random(8)
    (a, b, _), shared = three_devices(tmp_path)
    for device in (a, b, a, b):
        device.study(rng)
    assert sync(capsys, b, shared)[0] == 0
    mine = exported(capsys, a)
    merged = keys(mine) | keys(exported(capsys, b))
    command = [sys.executable, "-m", "quizapp", "--data-dir", str(a.data), "sync", str(shared)]
    for delay in (0.02, 0.06, 0.1, 0.14, 0.18, 0.22, 0.3):  # a whole sync takes about 0.25 s
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        for path in shared.glob("quizapp-*.json"):  # every file in the folder is whole
            load_export(path.read_bytes())
        assert keys(exported(capsys, a)) in (keys(mine), merged)  # all of b's file, or none of it

    for device in (a, b):
        code, out, err = sync(capsys, device, shared)
        assert code == 0 and err == ""
    assert exported(capsys, a) == exported(capsys, b)


def test_devices_studying_with_fuzz_converge(capsys, tmp_path):
    random.seed(17)  # FSRS draws its fuzz from the global generator: the same draws every run
    (a, b, _), shared = three_devices(tmp_path)

    def rate(device: Device) -> None:
        coach = Coach(real_bank(), ProgressStore.open(device.data), device.clock, fuzz=True)
        session = coach.flashcards()
        for _ in range(3):
            session.rate(Rating.Good)
            device.clock.advance(minutes=15)
        coach.store.close()

    rate(a)
    for device in (a, b):
        assert sync(capsys, device, shared)[0] == 0
    b.clock.advance(days=8)
    rate(b)  # the same cards, due again on b
    for device in (b, a, b, a):
        assert sync(capsys, device, shared)[0] == 0
    assert exported(capsys, a) == exported(capsys, b)


def test_after_study_here_an_unchanged_peer_file_is_not_parsed_again(capsys, tmp_path, monkeypatch):
    """The sync memo only holds while this device's export is unchanged; the store's own record of
    merged files (`import_memo`) still knows the peer's file added everything it holds."""
    import quizapp.store.import_check as import_check

    rng = random.Random(5)
    (a, b, _), shared = three_devices(tmp_path)
    b.study(rng, cards=True)
    assert sync(capsys, b, shared)[0] == 0
    assert sync(capsys, a, shared)[0] == 0  # a merges b's file
    a.study(rng, cards=True)  # a's export changes: its sync memo no longer vouches for b's file
    parsed: list[int] = []
    real = import_check.load_export

    def counting(raw, checks=None):  # noqa: ANN001
        parsed.append(len(raw))
        return real(raw, checks)

    monkeypatch.setattr(import_check, "load_export", counting)
    code, out, err = sync(capsys, a, shared)
    assert code == 0, err
    assert parsed == [] and "nothing new" in out


def test_a_setting_changed_on_one_machine_reaches_the_others_newest_first(capsys, tmp_path):
    """Settings merge by last change (schema 7): the exam date set on the laptop reaches the
    desktop, a later change on the desktop comes back, and syncing again changes nothing."""
    (a, b, c), shared = three_devices(tmp_path)
    for device in (a, b, c):
        assert sync(capsys, device, shared)[0] == 0

    def change(device: Device, **settings: object) -> None:
        coach = Coach(real_bank(), ProgressStore.open(device.data), device.clock, fuzz=False)
        try:
            coach.update_settings(**settings)
        finally:
            coach.store.close()

    def settings_of(device: Device) -> dict:
        return exported(capsys, device)["settings"]

    change(a, exam_date="2027-03-01", desired_retention=0.93)
    for device in (a, b, c, a, b, c):
        assert sync(capsys, device, shared)[0] == 0
    assert all(settings_of(d)["exam_date"] == "2027-03-01" for d in (a, b, c))
    assert all(settings_of(d)["desired_retention"] == 0.93 for d in (a, b, c))

    b.clock.advance(days=1)
    change(b, desired_retention=0.88)  # later than a's change
    for device in (c, a, b, c, a):
        assert sync(capsys, device, shared)[0] == 0
    assert [settings_of(d)["desired_retention"] for d in (a, b, c)] == [0.88] * 3
    assert settings_of(a)["exam_date"] == "2027-03-01"  # untouched by b's change
    exports = [exported(capsys, d) for d in (a, b, c)]
    assert exports[0]["settings_changed"] == exports[1]["settings_changed"] == exports[2]["settings_changed"]
    assert sync(capsys, a, shared)[1].count("nothing new") == 2


def test_an_older_file_without_setting_times_never_overrides_a_setting_here(capsys, tmp_path):
    (a, b, _), shared = three_devices(tmp_path)
    Coach(real_bank(), store := ProgressStore.open(a.data), a.clock, fuzz=False).update_settings(
        new_cards_per_day=7
    )
    store.close()
    old = exported(capsys, a)
    old["settings"]["new_cards_per_day"] = 30
    del old["settings_changed"]  # as quizapp before schema 7 wrote it
    file = tmp_path / "old.json"
    file.write_text(json.dumps(old))
    code, _, err = run(capsys, "--data-dir", str(a.data), "import", str(file))
    assert code == 0, err
    assert exported(capsys, a)["settings"]["new_cards_per_day"] == 7
    code, _, err = run(capsys, "--data-dir", str(b.data), "import", str(file))  # nothing there: added
    assert code == 0, err
    assert exported(capsys, b)["settings"]["new_cards_per_day"] == 30
