"""Issue 18: no cyclic collection during start-up (`heap.hold_collector`), and the collector always back.

- Held, then released: the garbage start-up left in cycles is collected, and the collector is on again.
- A collector someone else turned off stays off: quizapp neither holds nor releases it.
- The bank load (right after Home is complete) releases it; so does a timer if the load never begins.
- `quizapp` holds it before anything imports Textual, and it is still held when the app starts.
"""

from __future__ import annotations

import gc
import json
import subprocess
import sys
import weakref

import pytest

from quizapp.tui import heap
from tests.tui.helpers import build, ready

SIZE = (80, 24)


@pytest.fixture(autouse=True)
def collector_restored():
    was_enabled = gc.isenabled()
    heap._held = False
    yield
    heap._held = False
    if was_enabled:
        gc.enable()


class _Node:
    def __init__(self) -> None:
        self.me = self


def test_held_then_released_collects_the_cycles_start_up_left_and_turns_the_collector_on():
    assert heap.hold_collector() is True
    assert not gc.isenabled()
    assert heap.hold_collector() is False  # once
    node = _Node()
    gone = weakref.ref(node)
    del node
    assert gone() is not None  # in a cycle, with no collector to free it
    assert heap.release_collector() is True
    assert gone() is None
    assert gc.isenabled()
    assert heap.release_collector() is False  # only the first call does anything


def test_a_collector_someone_else_turned_off_is_left_off():
    gc.disable()
    assert heap.hold_collector() is False
    assert heap.release_collector() is False
    assert not gc.isenabled()


async def test_the_bank_load_turns_the_collector_back_on(tmp_path):
    app = build(tmp_path)
    heap.hold_collector()
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert gc.isenabled()
        assert not heap._held


async def test_the_collector_comes_back_even_if_the_bank_load_never_begins(tmp_path, monkeypatch):
    from quizapp.tui.startup import StartingApp

    monkeypatch.setattr(StartingApp, "load_banks", lambda self: None)
    monkeypatch.setattr(heap, "RELEASE_AFTER_S", 0.05)
    app = build(tmp_path)
    heap.hold_collector()
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(50):
            if gc.isenabled():
                break
            await pilot.pause(0.02)
        assert gc.isenabled()
        assert not heap._held


QUIZAPP_STARTS = """
import gc, json, sys, types
import quizapp.cli.app as cli_app
from quizapp.cli import build_parser
from quizapp.tui import heap

seen = {}
held = heap.hold_collector
def hold():
    seen["textual_imported_before_the_hold"] = "textual" in sys.modules
    return held()
heap.hold_collector = hold
cli_app._is_terminal = lambda stream: True

class App:
    return_code = 0
    def run(self):
        seen["collector_on_when_the_app_runs"] = gc.isenabled()

stand_in = types.ModuleType("quizapp.tui.app")  # the real one imports Textual: its start is not tested here
stand_in.make_app = lambda **kwargs: App()
sys.modules["quizapp.tui.app"] = stand_in
parser = build_parser()
code = cli_app.run_app(parser.parse_args(["--data-dir", sys.argv[1]]), parser)
print(json.dumps({**seen, "code": code}))
"""


def test_quizapp_holds_the_collector_before_textual_is_imported(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", QUIZAPP_STARTS, str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {
        "textual_imported_before_the_hold": False,
        "collector_on_when_the_app_runs": False,
        "code": 0,
    }
