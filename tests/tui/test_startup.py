"""Start-up order: Home is the first frame, drawn before the store opens; counts, then the bank,
fill it in; a key pressed meanwhile is kept; the learner's theme is there from the first frame."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import pytest
from textual.widgets import OptionList

from quizapp.store import ProgressStore
from quizapp.tui.app import LoadProgress
from tests.tui.helpers import build, ready

SIZE = (80, 24)
REAL_OPEN = ProgressStore.open


@pytest.fixture
def held_store(monkeypatch):
    """The store's open waits until the test lets it go: the moment before the counts arrive."""
    release = threading.Event()

    def slow_open(cls, data_dir):  # noqa: ANN001, ANN202
        assert release.wait(10), "the test never let the store open"
        return REAL_OPEN(data_dir)

    monkeypatch.setattr(ProgressStore, "open", classmethod(slow_open))
    yield release
    release.set()


async def test_home_is_drawn_before_the_store_opens_and_keeps_a_key_pressed_meanwhile(tmp_path, held_store):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(5):
            await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen" and app.store is None
        assert "Opening your progress…" in str(app.screen.query_one("#summary").render())
        menu = app.screen.query_one("#menu", OptionList)
        lines = [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
        assert lines[0] == "[f] Flashcards        … due, … new" and len(lines) == 6
        app.post_message(LoadProgress(3, 10))  # as the loading worker reports a big bank's files
        await pilot.pause()
        bank = app.screen.query_one("#bank").render()
        assert str(bank) == "  Bank: loading… " + "━" * 20 + "  30% (3/10 files)"
        bold = [str(bank)[span.start : span.end] for span in bank.spans if "bold" in str(span.style)]
        assert bold == ["━" * 6]  # the loaded share of the bar stands out
        await pilot.press("d")  # before the store and the bank: opens once they are ready
        held_store.set()
        await ready(pilot, "DashboardScreen")
        await pilot.press("escape")
        await ready(pilot)
        assert "0 flashcards due" in str(app.screen.query_one("#summary").render())


async def test_the_first_frame_is_in_the_learners_theme(tmp_path, held_store):
    data = tmp_path / "data"
    data.mkdir()
    with REAL_OPEN(data) as store:
        store.set_setting("theme", "nord")
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert app.store is None and app.theme == "nord"
        held_store.set()
        await ready(pilot)
        assert app.theme == "nord"


FIRST_SCREEN = """
import json, sys
from pathlib import Path
from quizapp.tui.app import make_app
from quizapp.tui.screens.home import HomeScreen

app = make_app(data_dir=Path(sys.argv[1]), cache_dir=Path(sys.argv[2]))
mount = HomeScreen.on_mount
seen = {}

def on_mount(screen):
    mount(screen)
    seen.update({name: name in sys.modules for name in sys.argv[3:]})
    app.exit()

HomeScreen.on_mount = on_mount
app.run(headless=True, size=(80, 24))
print(json.dumps(seen))
"""


def test_the_first_screen_is_built_before_the_store_and_the_bank_are_imported(tmp_path):
    heavy = ["quizapp.store.progress", "quizapp.content", "pydantic", "yaml", "fsrs", "textual_plotext"]
    done = subprocess.run(
        [sys.executable, "-c", FIRST_SCREEN, str(tmp_path / "data"), str(tmp_path / "cache"), *heavy],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == dict.fromkeys(heavy, False)
