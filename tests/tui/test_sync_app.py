"""Issue 17: the app syncs through the folder chosen in Settings, on start and on quit, in the
background; the palette offers Sync now, the Anki export and how to study in a browser."""

from __future__ import annotations

import json
from pathlib import Path

from fsrs import Rating
from textual.command import CommandList, CommandPalette
from textual.widgets import Button, Checkbox, Input, Static

from quizapp.store import ProgressStore
from quizapp.store.sync import sync_file_name
from quizapp.study import Coach, ManualClock
from quizapp.study.sync import choose_folder, sync_settings, sync_store
from quizapp.tui.app import ACTIONS, MODES
from tests.factory import START, make_bank
from tests.tui.helpers import build, ready

BANK = make_bank()


def peer_studies(root: Path, shared: Path, ratings: int = 3) -> str:
    """Another machine rates a few cards and syncs; returns its device file's name."""
    data = root / "peer"
    clock = ManualClock(START)
    with ProgressStore.open(data) as store:
        coach = Coach(BANK, store, clock, fuzz=False)
        session = coach.flashcards()
        for _ in range(ratings):
            session.rate(Rating.Good)
            clock.advance(minutes=1)
        report = sync_store(store, data, shared, BANK, clock.now())
    return sync_file_name(report.device)


def reviews_in(path: Path) -> int:
    return len(json.loads(path.read_text())["reviews"])


async def settle(pilot, until, tries: int = 300) -> None:  # noqa: ANN001
    for _ in range(tries):
        await pilot.pause(0.02)
        if until():
            return
    raise AssertionError("the sync never finished")


async def test_on_start_the_app_merges_the_peers_and_writes_its_own_file(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    peer_studies(tmp_path, shared)
    app = build(tmp_path, BANK)
    choose_folder(app.data_dir, str(shared), automatic=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        await settle(pilot, lambda: sync_settings(app.data_dir).last is not None and not app.sync.running)
        last = sync_settings(app.data_dir).last
        assert last is not None and last.ok and "+3 reviews" in last.summary
        own = [p for p in shared.iterdir() if p.name.startswith("quizapp-")]
        assert len(own) == 2  # the peer's and this machine's
        assert app.store is not None and len(app.store.export_data()["reviews"]) == 3


async def test_a_mode_asked_for_while_syncing_opens_when_the_sync_is_done(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    app = build(tmp_path, BANK)
    choose_folder(app.data_dir, str(shared), automatic=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        app.sync.running = True  # as if a sync were under way
        app.open_mode("flashcards")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        assert app.sync.waiting_mode == "flashcards"
        app.sync.now()  # "already running": nothing started
        app.sync.running = False
        app.sync.now()
        await ready(pilot, "PickDialog")  # the waiting mode opened when the sync ended


async def test_quitting_syncs_first_so_the_session_reaches_the_folder(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    app = build(tmp_path, BANK)
    choose_folder(app.data_dir, str(shared), automatic=True)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        await settle(pilot, lambda: sync_settings(app.data_dir).last is not None and not app.sync.running)
        assert app.coach is not None
        session = app.coach.flashcards()
        session.rate(Rating.Good)  # studied here after the start's sync
        await pilot.press("q")
        await settle(pilot, lambda: app.return_code is not None)  # exits once the sync is done
    own = next(p for p in shared.iterdir() if p.name.startswith("quizapp-"))
    assert reviews_in(own) == 1


async def test_settings_keeps_the_folder_checks_it_and_syncs_now(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    peer_studies(tmp_path, shared, ratings=2)
    app = build(tmp_path, BANK)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await ready(pilot, "SettingsScreen")
        screen = app.screen
        assert "no folder chosen" in str(screen.query_one("#sync_last", Static).render())
        screen.query_one("#sync_folder", Input).value = str(tmp_path / "missing")
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "sync folder" in str(screen.query_one("#message", Static).render())
        assert sync_settings(app.data_dir).folder is None  # nothing saved while a field is wrong
        screen.query_one("#sync_folder", Input).value = str(shared)
        screen.query_one("#sync_auto", Checkbox).value = False
        await pilot.pause()
        screen.query_one("#sync_now", Button).press()
        await settle(pilot, lambda: sync_settings(app.data_dir).last is not None and not app.sync.running)
        state = sync_settings(app.data_dir)
        assert state.folder == str(shared) and state.automatic is False
        assert state.last is not None and state.last.ok
        assert "+2 reviews" in str(screen.query_one("#sync_last", Static).render())
        assert app.store is not None and len(app.store.export_data()["reviews"]) == 2


async def test_the_palette_offers_sync_anki_and_the_browser(tmp_path):
    app = build(tmp_path, BANK)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        for _ in range(50):
            await pilot.pause(0.02)
            if isinstance(app.screen, CommandPalette):
                listed = app.screen.query_one(CommandList)
                if listed.option_count >= len(MODES) + len(ACTIONS):
                    break
        listed = app.screen.query_one(CommandList)
        names = [listed.get_option_at_index(i).hit.text for i in range(listed.option_count)]
        assert names[len(MODES) : len(MODES) + len(ACTIONS)] == [name for name, _, _ in ACTIONS]
        await pilot.press("escape")
        await pilot.pause()

        app.run_action_named("sync_now")  # no folder yet: Settings opens on the folder's field
        await ready(pilot, "SettingsScreen")
        await pilot.pause()
        assert app.focused is app.screen.query_one("#sync_folder", Input)
        await pilot.press("escape")
        await ready(pilot)

        app.run_action_named("serve")
        await ready(pilot, "MessageDialog")
        assert "quizapp serve" in str(app.screen.query_one("VerticalScroll Static", Static).render())
        await pilot.press("enter")
        await ready(pilot)

        target = tmp_path / "phone.apkg"
        app.run_action_named("anki")
        await ready(pilot, "AnkiExportDialog")
        app.screen.query_one("#path", Input).value = str(tmp_path / "phone.txt")
        await pilot.press("enter")
        await pilot.pause()
        assert ".apkg" in str(app.screen.query_one("#problem", Static).render())
        app.screen.query_one("#path", Input).value = str(target)
        await pilot.press("enter")
        await settle(pilot, target.exists)
        assert target.stat().st_size > 0
