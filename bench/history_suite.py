"""The `history` suite (issue 18): is every screen's cost independent of how long the learner studied?

For each history size (`histories`: empty, 1k, a year, 100k reviews) it times, on a private copy:
- with Textual's Pilot at 80x24, the real app (bundled bank, the histories' clock) doing what a
  learner does, each action against the same keys in `history_floor`'s bare app: the dashboard
  opening; practice from picking a scope to the first question; flashcards from picking a deck to
  the first card; Home drawn again on returning from practice (one question answered) and from
  flashcards (one card rated). An action's time runs from the key to the last frame composed once
  the target screen is up and the app is idle (`keypress.FRAMES`); opening a mode or the dashboard
  also waits for the workers it started (their figures are part of the screen), Home's refresh does
  not (its pass chance may come after, in a worker). Before each action the app is left to finish
  what the previous one started, as a learner's pause would.
- as whole processes, interleaved with the minimal Textual app: Home complete (`home_complete.py`).
- in-process: `Coach.stats()` (a fresh Coach, as `stats --json` has), `ProgressStore.open`, and
  `quizapp export` / a no-op `quizapp import` of that export through the CLI's own entry point.
Medians of the rounds; ratios are taken from medians.
"""

from __future__ import annotations

import asyncio
import compileall
import contextlib
import io
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import histories
from histories import NOW, Size
from history_floor import FloorApp
from keypress import FRAMES, _stamp_frames, right_answer_keys
from textual.app import App
from textual.pilot import Pilot
from textual.worker import WorkerState

import quizapp

DRIVER = Path(__file__).with_name("home_complete.py")
SIZE = (80, 24)
LIMIT_S = 120
"""The longest an action may take before the suite calls it stuck."""

ACTIONS = {
    "home_after_practice": "Home refresh on returning from practice",
    "home_after_flashcards": "Home refresh after flashcards",
    "dashboard_open": "dashboard open",
    "practice_open": "practice: pick scope → first question",
    "flashcards_open": "flashcards: pick deck → first card",
}


@dataclass(frozen=True)
class Plan:
    """How much to run. A shared machine's load drifts over minutes, and growth compares sizes
    measured minutes apart: so Pilot visits the sizes in order and then in reverse (`passes`), and
    whole-process pairs go round every size in turn, never one size's samples all at once."""

    sizes: tuple[Size, ...]
    passes: int
    """Pilot passes over the sizes (forward, then backward), each a new app per size."""
    rounds: int
    """Timed Pilot rounds per app (after one untimed warm-up round)."""
    floor_rounds: int
    """Timed rounds of the floor app after each app (pooled over every size: it has no history)."""
    pairs: int
    """Whole-process pairs per size (after one warm-up run each)."""
    calls: int
    """In-process calls (stats, store open) per size."""
    transfers: int
    """Export + no-op import runs per size."""

    @staticmethod
    def make(quick: bool) -> Plan:
        if quick:
            return Plan(histories.QUICK, 1, 1, 1, 1, 2, 1)
        # Pilot rounds: 8 per app, 16 per size. With 3 (6 per size), two runs of the same commit on
        # this shared 2-core machine gave one action's growth as 1.09 and 1.50: a median of 6 wall
        # times moved with whatever else ran in that minute. With 5 (10 per size), Home's refresh on
        # returning from practice, 2 ms, came out 1.02 to 1.21 times slower at 100k than empty in
        # seven runs, with the same 129,700 Python calls at either size (cProfile) and 2.17-2.22 ms
        # against 2.19-2.20 ms in one process visiting both sizes twice: 0.3 ms of noise in a median.
        return Plan(histories.FULL, 2, 8, 3, 5, 5, 3)


@dataclass
class Results:
    """Samples by figure and size label; floors by action, pooled over sizes."""

    app: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    floor: dict[str, list[float]] = field(default_factory=dict)
    facts: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, size: str, value: float) -> None:
        self.app.setdefault(name, {}).setdefault(size, []).append(value)

    def median(self, name: str, size: str) -> float | None:
        samples = self.app.get(name, {}).get(size)
        return statistics.median(samples) if samples else None

    def floor_median(self, name: str) -> float | None:
        samples = self.floor.get(name)
        return statistics.median(samples) if samples else None


# --------------------------------------------------------------------------- driving with Pilot


@dataclass(frozen=True)
class Flow:
    """The screens' class names in the app or its floor, and whether answers and ratings are real."""

    home: str
    pick: str
    practice: str
    cards: str
    dashboard: str
    real: bool


APP_FLOW = Flow("HomeScreen", "PickDialog", "PracticeScreen", "FlashcardScreen", "DashboardScreen", True)
FLOOR_FLOW = Flow("FloorHome", "FloorPick", "FloorQuestion", "FloorCard", "FloorDashboard", False)


def _at(app: App, name: str) -> bool:
    return type(app.screen).__name__ == name


async def _workers_done(app: App) -> None:
    running = [w for w in app.workers if w.state in (WorkerState.PENDING, WorkerState.RUNNING)]
    if running:
        with contextlib.suppress(Exception):  # a failed worker is the app's to report, not the timer's
            await asyncio.wait_for(app.workers.wait_for_complete(running), LIMIT_S)


async def _until(pilot: Pilot, ready: Callable[[], bool], what: str) -> None:
    deadline = time.perf_counter() + LIMIT_S
    while not ready():
        if time.perf_counter() > deadline:
            raise RuntimeError(f"never reached {what}; at {type(pilot.app.screen).__name__}")
        await asyncio.sleep(0.002)
        await pilot.pause()


async def _quiet(pilot: Pilot) -> None:
    """Let the previous action's workers and redraws finish: the learner is reading."""
    await _workers_done(pilot.app)
    await pilot.pause()
    await asyncio.sleep(0.05)
    await pilot.pause()


async def _timed(pilot: Pilot, key: str, ready: Callable[[], bool], what: str, complete: bool) -> float:
    """Milliseconds from pressing `key` to the last frame composed once `ready()` and idle."""
    first = len(FRAMES.times)
    start = time.perf_counter()
    await pilot.press(key)
    await pilot.pause()
    await _until(pilot, ready, what)
    if complete:
        await _workers_done(pilot.app)
    await pilot.pause()
    settled = FRAMES.settled_after(start, first)
    return (settled if settled is not None else time.perf_counter() - start) * 1000


async def _round(pilot: Pilot, flow: Flow, record: Callable[[str, float], None]) -> None:
    app = pilot.app
    await _quiet(pilot)
    record("dashboard_open", await _timed(pilot, "d", lambda: _at(app, flow.dashboard), "dashboard", True))
    record("home_after_dashboard", await _timed(pilot, "escape", lambda: _at(app, flow.home), "home", False))

    await _quiet(pilot)
    await pilot.press("p")
    await _until(pilot, lambda: _at(app, flow.pick), "the scope picker")
    shown = lambda: _at(app, flow.practice) and (not flow.real or bool(app.screen.query("Choices")))  # noqa: E731
    record("practice_open", await _timed(pilot, "enter", shown, "the first question", True))
    if flow.real:  # answer it (Enter submits), then Esc: the session's summary; Enter goes home
        choices = app.screen.query("Choices").last()
        for key in [*right_answer_keys(choices), "enter"]:  # type: ignore[arg-type]
            await pilot.press(key)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        if _at(app, flow.home):
            raise RuntimeError("the practice answer was not taken: Esc went straight home")
    await _quiet(pilot)
    leave = "enter" if flow.real else "escape"
    record("home_after_practice", await _timed(pilot, leave, lambda: _at(app, flow.home), "home", False))

    await _quiet(pilot)
    await pilot.press("f")
    await _until(pilot, lambda: _at(app, flow.pick), "the deck picker")
    record(
        "flashcards_open", await _timed(pilot, "enter", lambda: _at(app, flow.cards), "the first card", True)
    )
    if flow.real:  # show the back and rate it Good
        await pilot.press("space")
        await pilot.pause()
        await pilot.press("3")
        await pilot.pause()
    await _quiet(pilot)
    record("home_after_flashcards", await _timed(pilot, "escape", lambda: _at(app, flow.home), "home", False))


async def _drive(app: App, flow: Flow, rounds: int, record: Callable[[str, float], None]) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await _until(
            pilot,
            lambda: _at(app, flow.home) and getattr(app, "coach", True) is not None,
            "a loaded Home",
        )
        await _round(pilot, flow, lambda *_: None)  # warm-up: imports, first-use caches
        for _ in range(rounds):
            await _round(pilot, flow, record)


def pilot_figures(data_dir: Path, size: Size, plan: Plan, results: Results) -> None:
    """The app's rounds on `data_dir`, then the floor's, so both see the machine as it is now.
    Each app starts afresh (its first round, untimed, pays the first use of every screen)."""
    from quizapp.study import ManualClock
    from quizapp.tui.app import make_app

    _stamp_frames()
    app = make_app(data_dir=data_dir, clock=ManualClock(NOW), fuzz=False)
    asyncio.run(_drive(app, APP_FLOW, plan.rounds, lambda name, ms: results.add(name, size.label, ms)))
    asyncio.run(
        _drive(
            FloorApp(),
            FLOOR_FLOW,
            plan.floor_rounds,
            lambda name, ms: results.floor.setdefault(name, []).append(ms),
        )
    )


# --------------------------------------------------------------------------- whole processes


def _process(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(DRIVER), *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(
            f"home_complete.py {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}"
        )
    return json.loads(done.stdout.strip().splitlines()[-1])["complete"] - start


def home_complete(dirs: dict[str, Path], plan: Plan, env: dict[str, str], results: Results) -> None:
    """Home complete ÷ the minimal app's first screen: pairs (minimal, then the app) on every size
    in turn, `plan.pairs` times round, so a pair's two processes see the same machine."""
    compileall.compile_dir(Path(quizapp.__file__).parent, quiet=1)  # as an installed copy has it
    for data_dir in dirs.values():
        # warm-up: the bank cache, the store's first open, and what the app keeps after its
        # first paint for the next start (the recall evidence), as a learner's second start finds
        _process([str(data_dir), "--settle"], env)
    for _ in range(plan.pairs):
        for label, data_dir in dirs.items():
            floor = _process(["minimal"], env)
            complete = _process([str(data_dir)], env)
            results.add("home_complete_ms", label, complete * 1000)
            results.add("home_complete_minimal_ms", label, floor * 1000)
            results.add("home_complete_ratio", label, complete / floor)


# --------------------------------------------------------------------------- in-process calls


def calls(data_dir: Path, size: Size, plan: Plan, scratch: Path, results: Results) -> None:
    """ProgressStore.open, Coach.stats() with a fresh Coach, and export + no-op import by the CLI."""
    from quizapp.cli import main as cli
    from quizapp.store import ProgressStore
    from quizapp.study import Coach, ManualClock
    from tests.history import real_bank

    bank = real_bank()
    for _ in range(plan.calls):
        start = time.perf_counter()
        store = ProgressStore.open(data_dir)
        results.add("store_open_ms", size.label, (time.perf_counter() - start) * 1000)
        try:
            coach = Coach(bank, store, ManualClock(NOW), fuzz=False)
            start = time.perf_counter()
            coach.stats()
            results.add("stats_ms", size.label, (time.perf_counter() - start) * 1000)
        finally:
            store.close()
    target = scratch / f"export-{size.label}.json"
    quiet = io.StringIO()
    for _ in range(plan.transfers):
        with contextlib.redirect_stdout(quiet):
            start = time.perf_counter()
            if cli(["--data-dir", str(data_dir), "export", str(target)]) != 0:
                raise RuntimeError("quizapp export failed")
            results.add("export_s", size.label, time.perf_counter() - start)
            start = time.perf_counter()
            if cli(["--data-dir", str(data_dir), "import", str(target)]) != 0:
                raise RuntimeError("quizapp import failed")
            results.add("noop_import_s", size.label, time.perf_counter() - start)
    results.facts[f"history_export_bytes_{size.label}"] = target.stat().st_size
    target.unlink()
    for line in quiet.getvalue().splitlines():  # "imported: 0 reviews, 0 answers, ...": nothing new
        if line.startswith("imported") and any(n != "0" for n in re.findall(r"(\d+) ", line)):
            raise RuntimeError(f"the re-import was not a no-op: {line}")


# --------------------------------------------------------------------------- the suite


def run_sizes(
    plan: Plan, scratch: Path, env: dict[str, str], log: Callable[[str], None], errors: list[str]
) -> Results:
    """Every figure of the suite; a section that fails is listed in `errors`, the others still run."""
    results = Results()

    def guarded(name: str, section: Callable[[], None]) -> None:
        start = time.perf_counter()
        try:
            section()
        except Exception as exc:  # one broken section must not hide the others
            errors.append(f"history {name}: {type(exc).__name__}: {exc}")
            log(traceback.format_exc())
        log(f"    {name}: {time.perf_counter() - start:.1f} s")

    dirs: dict[str, dict[str, Path]] = {}
    for size in plan.sizes:  # a private copy per kind of use: Pilot's answers stay out of export's
        dirs[size.label] = {
            use: histories.copy(size, scratch / f"history-{size.label}-{use}", log)
            for use in ("process", "calls")
        }
        results.facts[f"history_counts_{size.label}"] = histories.facts_of(size)
    orders = [plan.sizes, plan.sizes[::-1]][: plan.passes]
    for n, order in enumerate(orders, 1):
        for size in order:
            # Each pass on a fresh copy: the same history every time, and a day's new flashcards
            # (15 in the histories' settings) are not used up by the rounds of the pass before.
            dirs[size.label][f"pilot-{n}"] = histories.copy(
                size, scratch / f"history-{size.label}-pilot-{n}", log
            )
            guarded(
                f"Pilot, {size.label}, pass {n}",
                lambda size=size, n=n: pilot_figures(dirs[size.label][f"pilot-{n}"], size, plan, results),
            )
    guarded(
        "Home complete, whole processes",
        lambda: home_complete({label: d["process"] for label, d in dirs.items()}, plan, env, results),
    )
    for size in plan.sizes:
        guarded(
            f"stats, store open, export, import: {size.label}",
            lambda size=size: calls(dirs[size.label]["calls"], size, plan, scratch, results),
        )
    for uses in dirs.values():
        for data_dir in uses.values():
            shutil.rmtree(data_dir, ignore_errors=True)
    results.facts["history_sizes"] = [s.label for s in plan.sizes]
    return results


SCREENS = (*ACTIONS, "home_complete_ms")
"""What `history_growth_max` is taken over: what the learner waits for on screen."""
CALLS = {
    "stats_ms": ("Coach.stats() (dashboard, stats --json)", "ms"),
    "store_open_ms": ("ProgressStore.open", "ms"),
    "export_s": ("quizapp export (CLI, in-process)", "s"),
    "noop_import_s": ("no-op quizapp import of that export", "s"),
}


PER_SIZE = {
    "home_complete_ms": ("history_home_complete_{}_ms", "Home complete, whole process", "ms"),
    "home_complete_ratio": (
        "history_home_complete_ratio_{}",
        "Home complete ÷ minimal app's first screen",
        "x",
    ),
    "stats_ms": ("history_stats_{}_ms", CALLS["stats_ms"][0], "ms"),
    "store_open_ms": ("history_store_open_{}_ms", CALLS["store_open_ms"][0], "ms"),
    "export_s": ("history_export_{}_s", CALLS["export_s"][0], "s"),
    "noop_import_s": ("history_noop_import_{}_s", CALLS["noop_import_s"][0], "s"),
}


def figures(results: Results, plan: Plan, figure: Callable[..., Any]) -> list[Any]:
    """Figures for run.py's table and JSON, made by `figure(key, label, unit, samples)`: every
    action at every size and its floor, the whole-process and in-process figures per size."""
    out = []
    for name, label in {**ACTIONS, "home_after_dashboard": "Home refresh after the dashboard"}.items():
        for size in plan.sizes:
            samples = results.app.get(name, {}).get(size.label, [])
            out.append(figure(f"history_{name}_{size.label}_ms", f"{label}, {size.label}", "ms", samples))
        floor = results.floor.get(name, [])
        out.append(figure(f"history_{name}_floor_ms", f"{label}, floor (bare Textual)", "ms", floor))
    for name, (key, label, unit) in PER_SIZE.items():
        for size in plan.sizes:
            samples = results.app.get(name, {}).get(size.label, [])
            out.append(figure(key.format(size.label), f"{label}, {size.label}", unit, samples))
    return out


def goals(results: Results, plan: Plan) -> dict[str, tuple[float | None, float | None, str, str]]:
    """The suite's headline figures: key -> (value, goal, unit, how it was taken)."""
    empty, largest = plan.sizes[0], plan.sizes[-1]
    year = next((s for s in plan.sizes if s.label == "year"), largest)
    growth = {}
    for name in (*SCREENS, *CALLS):
        low, high = results.median(name, empty.label), results.median(name, largest.label)
        if low and high is not None:
            growth[name] = high / low
    ratios = {}
    for name in ACTIONS:
        value, floor = results.median(name, year.label), results.floor_median(name)
        if value is not None and floor:
            ratios[name] = value / floor
    results.facts["history_growth"] = {k: round(v, 2) for k, v in growth.items()}
    # Largest ÷ the second size (1k): how a figure scales with history once there is some, apart
    # from what a first answer or review costs once (an empty store skips work no history does).
    second = plan.sizes[1] if len(plan.sizes) > 2 else None
    if second is not None:
        results.facts[f"history_growth_from_{second.label}"] = {
            name: round(high / low, 2)
            for name in (*SCREENS, *CALLS)
            if (low := results.median(name, second.label)) and (high := results.median(name, largest.label))
        }
    results.facts["history_floor_ratio_year"] = {k: round(v, 2) for k, v in ratios.items()}
    screens = [growth[n] for n in SCREENS if n in growth]
    worst_screen = max((n for n in SCREENS if n in growth), key=growth.__getitem__, default="")
    worst_open = max(ratios, key=ratios.__getitem__, default="")
    calls = [growth[n] for n in ("stats_ms", "store_open_ms") if n in growth]
    return {
        "history_growth_max": (
            max(screens) if screens else None,
            1.2,
            "x",
            f"{largest.label} ÷ {empty.label}, largest over the screens ({worst_screen})",
        ),
        "history_growth_max_calls": (
            max(calls) if calls else None,
            None,
            "x",
            f"{largest.label} ÷ {empty.label}, Coach.stats and ProgressStore.open (informative)",
        ),
        "screen_open_ratio_max": (
            max(ratios.values()) if ratios else None,
            1.5,
            "x",
            f"action ÷ its floor at {year.label}, largest ({worst_open})",
        ),
        "home_complete_ratio_year": (
            results.median("home_complete_ratio", year.label),
            1.5,
            "x",
            f"Home complete ÷ minimal first screen, whole processes, {year.label}",
        ),
        "export_100k_s": (
            results.median("export_s", largest.label),
            None,
            "s",
            f"quizapp export, {largest.label}",
        ),
        "noop_import_100k_s": (
            results.median("noop_import_s", largest.label),
            None,
            "s",
            f"no-op quizapp import, {largest.label}",
        ),
    }


def table(results: Results, plan: Plan) -> str:
    """Medians per action and history size, its floor, growth and ratio: the README's table."""
    labels = [s.label for s in plan.sizes]
    year = "year" if "year" in labels else labels[-1]
    header = ["action", *labels, "floor", "growth", f"÷ floor ({year})"]
    rows = [header]
    names = {**ACTIONS, "home_complete_ratio": "Home complete ÷ minimal app's first screen (process)"}
    names.update({k: v[0] for k, v in CALLS.items()})
    for name, label in names.items():
        unit = "x" if name.endswith("ratio") else "s" if name.endswith("_s") else "ms"
        cells = [label]
        for size in labels:
            value = results.median(name, size)
            cells.append("-" if value is None else _fmt(value, unit))
        floor = results.floor_median(name)
        cells.append("-" if floor is None else _fmt(floor, "ms"))
        low, high = results.median(name, labels[0]), results.median(name, labels[-1])
        cells.append(f"{high / low:.2f}x" if low and high is not None and unit != "x" else "-")
        at_year = results.median(name, year)
        cells.append(f"{at_year / floor:.2f}x" if floor and at_year is not None else "-")
        rows.append(cells)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    lines = [
        "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def _fmt(value: float, unit: str) -> str:
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "s":
        return f"{value:.2f} s"
    return f"{value:,.0f} ms" if value >= 10 else f"{value:.1f} ms"
