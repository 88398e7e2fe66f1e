"""A warm start makes Home complete from the bank index (content.index) and the store: the same
figures as the loaded bank gives, without importing pydantic, YAML or the models; the bank itself
loads after that. A stale index (a bank file changed) is never used: that start goes as a cold one."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock
from tests.content import samples
from tests.history import NOW, real_bank, study_days

RUN = """
import json, sys
from datetime import datetime, UTC
from pathlib import Path
from textual.screen import Screen
from quizapp.study.clock import ManualClock
from quizapp.tui.app import make_app

data, cache, bank, warm_up = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4] == "1"
app = make_app(
    bank_dirs=[bank], data_dir=data, cache_dir=cache,
    clock=ManualClock(datetime.fromisoformat(sys.argv[5])), fuzz=False,
)
UNFINISHED = ("Pass chance: …", "Opening your progress…", "(loading the bank)", "loading…")
HEAVY = ("pydantic", "yaml", "quizapp.content.models", "quizapp.content.loader")
out = {}

def home(screen):
    parts = [str(screen.query_one(s).render()) for s in ("#summary", "#bank")]
    menu = screen.query_one("#menu")
    parts += [str(menu.get_option_at_index(i).prompt) for i in range(menu.option_count)]
    return parts

def complete(screen):
    if type(screen).__name__ != "HomeScreen" or app.coach is None:
        return None
    shown = home(screen)
    return None if any(mark in line for line in shown for mark in UNFINISHED) else shown

compose = Screen._compositor_refresh

def stamped(screen):
    compose(screen)
    if "complete" not in out:
        shown = complete(screen)
        if shown is not None:
            out["complete"] = shown
            out["bank_loaded"] = app.coach.bank_loaded
            out["heavy"] = [m for m in HEAVY if m in sys.modules]

Screen._compositor_refresh = stamped

def settled():
    from quizapp.store.summaries import saved_note

    if "complete" not in out or app.coach is None or not app.coach.bank_loaded:
        return
    shown = complete(app.screen)
    if shown is None:
        return
    if warm_up:  # stay until the pass chance is kept for the next start, for this very bank
        from quizapp.study.pass_note import bank_stamp

        if bank_stamp(app.coach.bank) not in (saved_note(app.store, "pass_chance") or ""):
            return
    if app.catalog is not None:
        app.catalog.wait_for_cache()
    out["loaded"] = shown
    app.exit()

app.call_later(lambda: app.set_interval(0.02, settled))
app.call_later(lambda: app.set_timer(60, app.exit))
app.run(headless=True, size=(80, 24))
print(json.dumps(out))
"""


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A data dir with three days of study, a cache dir and a small user bank folder."""
    data, cache, bank = tmp_path / "data", tmp_path / "cache", tmp_path / "bank"
    (bank / "questions").mkdir(parents=True)
    (bank / "questions" / "single.yaml").write_text(samples.SINGLE.replace("s-001", "my-001"))
    (bank / "questions" / "ordering.yaml").write_text(samples.ORDERING.replace("o-001", "my-002"))
    clock = ManualClock(NOW - timedelta(days=3))
    with ProgressStore.open(data) as store:
        coach = Coach(real_bank(), store, clock, fuzz=False)
        coach.update_settings(exam_date="2026-12-21")
        study_days(coach, clock, days=3, answers=6, ratings=5)
    return data, cache, bank


def _start(data: Path, cache: Path, bank: Path, warm_up: bool) -> dict:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            RUN,
            str(data),
            str(cache),
            str(bank),
            "1" if warm_up else "0",
            NOW.isoformat(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert "complete" in out and "loaded" in out, out
    return out


def test_a_warm_start_completes_home_from_the_index_with_the_banks_own_figures(setup) -> None:  # noqa: ANN001
    data, cache, bank = setup
    cold = _start(data, cache, bank, warm_up=True)  # writes the cache (and its index), keeps the chance
    assert cold["bank_loaded"] and "pydantic" in cold["heavy"]
    warm = _start(data, cache, bank, warm_up=False)
    assert warm["bank_loaded"] is False  # Home was complete before the bank itself was loaded
    assert warm["heavy"] == []  # ... and without pydantic, YAML or the models
    assert warm["complete"] == warm["loaded"] == cold["loaded"]  # the same figures, to the character
    assert "567 questions" in warm["complete"][1] and "Pass chance" in warm["complete"][0]


def test_a_changed_bank_file_is_never_served_from_a_stale_index(setup) -> None:  # noqa: ANN001
    data, cache, bank = setup
    _start(data, cache, bank, warm_up=True)
    (bank / "questions" / "more.yaml").write_text(samples.MULTI.replace("m-001", "my-003"))
    changed = _start(data, cache, bank, warm_up=True)  # and keeps the chance for the changed bank
    assert changed["bank_loaded"] is True  # the index no longer held: Home waited for the bank
    assert "568 questions" in changed["complete"][1]
    assert changed["complete"] == changed["loaded"]
    again = _start(data, cache, bank, warm_up=False)  # that load wrote a true index again
    assert again["bank_loaded"] is False and again["complete"] == changed["loaded"]


@pytest.fixture
def held_bank(monkeypatch):  # noqa: ANN001, ANN201
    """The bank's own load waits until the test lets it go: Home is complete from the index alone."""
    import threading

    import quizapp.content

    release = threading.Event()
    real = quizapp.content.load_catalog

    def held(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        assert release.wait(30), "the test never let the bank load"
        return real(*args, **kwargs)

    monkeypatch.setattr(quizapp.content, "load_catalog", held)
    yield release
    release.set()


async def test_a_mode_chosen_before_the_bank_is_in_opens_when_it_is(setup, held_bank) -> None:  # noqa: ANN001
    from quizapp.content.loader import default_sources, load_catalog  # the real load, not the held one
    from quizapp.tui.app import make_app
    from tests.tui.helpers import ready

    data, cache, bank = setup
    load_catalog(default_sources([bank]), cache_dir=cache)  # a warm cache, with its index
    app = make_app(bank_dirs=[bank], data_dir=data, cache_dir=cache, clock=ManualClock(NOW), fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(400):
            await pilot.pause()
            if app.coach is not None:
                break
        assert app.coach is not None and not app.coach.bank_loaded and app.catalog is None
        await pilot.pause()
        assert "567 questions" in str(app.screen.query_one("#bank").render())
        await pilot.press("p")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen" and app._pending_mode == "practice"
        held_bank.set()
        await ready(pilot, "PickDialog")
        assert app.coach.bank_loaded and app.catalog is not None


async def test_with_no_chance_kept_for_this_history_the_bank_loads_at_once(setup, monkeypatch) -> None:  # noqa: ANN001
    """Home then waits for the bank (to work the chance out), so the bank load does not wait for
    Home's next frame; with a chance kept, Home is complete and the bank waits for that frame."""
    from textual.screen import Screen

    from quizapp.content.loader import default_sources, load_catalog
    from quizapp.tui.app import make_app
    from quizapp.tui.startup import StartingApp
    from tests.tui.helpers import ready

    data, cache, bank = setup
    load_catalog(default_sources([bank]), cache_dir=cache)
    frames: list[str] = []
    events: list[tuple[str, int]] = []
    compose, made, request = (
        Screen._compositor_refresh,
        StartingApp._coach_from_index,
        StartingApp._request_banks,
    )

    def counted(screen):  # noqa: ANN001, ANN202
        compose(screen)
        frames.append(type(screen).__name__)

    def coach_made(app, index):  # noqa: ANN001, ANN202
        events.append(("coach", len(frames)))
        return made(app, index)

    def banks(app):  # noqa: ANN001, ANN202
        events.append(("banks", len(frames)))
        return request(app)

    monkeypatch.setattr(Screen, "_compositor_refresh", counted)
    monkeypatch.setattr(StartingApp, "_coach_from_index", coach_made)
    monkeypatch.setattr(StartingApp, "_request_banks", banks)
    for kept in (False, True):
        events.clear()
        app = make_app(bank_dirs=[bank], data_dir=data, cache_dir=cache, clock=ManualClock(NOW), fuzz=False)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            for _ in range(400):
                await pilot.pause()
                if (
                    app.coach is not None
                    and app.coach.bank_loaded
                    and "…" not in str(app.screen.query_one("#summary").render())
                ):
                    break
            assert app.coach.bank_loaded
            app.coach.keep_for_next_start()  # what the app does after painting the chance
        (_, made_at), (_, requested_at) = events[0], events[1]
        assert [e for e, _ in events[:2]] == ["coach", "banks"]
        assert (requested_at == made_at) is (not kept)
