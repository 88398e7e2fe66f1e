"""A long study session's memory, garbage-collection pauses and key latency (issue 18).

`python bench/session_memory.py [--answers N] [--ratings M] [--json] [--diag] [--tracemalloc N]`

The real app (bundled bank, real loader and store in a temp data and cache dir) is driven with Pilot at
80x24 through a practice session of `answers` answers (each: the keys of the right answer, Enter to
submit, Enter for the next question; a finished session goes home and practice is opened again) and
then `ratings` flashcard ratings (space to reveal, a rating key 1-4 in turn). A bare Textual app then
replays exactly the same keys: that is the floor. It draws what a question screen draws (header, a
status line, a scrolling text, a footer) and puts new text in the status line and the body on every
key, so its growth is what Textual's own caches take over as many frames of changing text.

Each run is a child process of its own, so that one's heap does not inflate the other's RSS. Both
first warm up (a few answers and ratings, or a few keys): what is loaded once when a screen is first
opened is not growth, a leak is. RSS is read from /proc (Linux) after a full collection at the start
and at the end of the measured part; the ratio of the two growths is the figure, and an RSS sample
every 50 answers shows whether it levels off (caches filling) or keeps climbing (a leak). Every
collection's pause is timed with `gc.callbacks` over the whole measured part of each run: wall time
(the goal's figure) and the thread's CPU time, which a busy machine inflates far less.

Diagnostics (issue 18), off by default because they cost time and memory of their own: `--diag` adds
the app's count of tracked objects the collector still walks (not frozen) before each full collection
and every 50 answers, and the frozen count; `--tracemalloc N` also lists the N source files whose
Python allocations grew most over the measured part (tracemalloc inflates RSS and pauses: read its
list, not the run's other figures).

Key latency is `bench/keypress.py`'s: from the press to the last frame the key caused, with the count
of frames it composed. `measure()` returns the figures bench/run.py reports.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from array import array
from dataclasses import dataclass, field
from pathlib import Path

from keypress import FRAMES, SIZE, KeyTimes, _ready, _stamp_frames, _timed_press, right_answer_keys
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.pilot import Pilot
from textual.widgets import Footer, Header, Static
from timing import percentile

WARM_ANSWERS = 5
WARM_RATINGS = 8
FLOOR_WARM_KEYS = 40
SAMPLE_EVERY = 50
RATING_KEYS = ("3", "2", "3", "1", "4", "3")
"""The ratings given in turn: mostly Good, with Again (the card comes back) and Hard/Easy among them."""


def rss_mib() -> float:
    """This process's resident set now (Linux /proc); the peak where /proc is missing."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak / 2**20 if sys.platform == "darwin" else peak / 2**10


@dataclass
class GcPauses:
    """Every garbage collection's duration while installed, by generation.

    Recorded into flat arrays, not a tuple per collection: a session runs some 3,000 collections, and
    their records would otherwise count in the app's RSS growth as if the app had kept them."""

    generation: array = field(default_factory=lambda: array("b"))
    wall: array = field(default_factory=lambda: array("d"))
    """Seconds; on a busy machine the wall time also counts the time other processes had the CPU."""
    cpu: array = field(default_factory=lambda: array("d"))
    """This thread's CPU seconds, which the machine's load does not inflate."""
    collected: array = field(default_factory=lambda: array("q"))
    count_heap: bool = False
    """Diagnostics: count the tracked objects (not frozen) before each full collection, untimed."""
    heaps: list[int] = field(default_factory=list)
    _start: tuple[float, float] = (0.0, 0.0)

    @property
    def pauses(self) -> list[tuple[int, float, float, int]]:
        """(generation, wall seconds, CPU seconds, objects freed) per collection, built once read."""
        return list(zip(self.generation, self.wall, self.cpu, self.collected, strict=True))

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            if self.count_heap and info["generation"] == 2:
                self.heaps.append(len(gc.get_objects()))
            self._start = (time.perf_counter(), time.thread_time())
        else:
            wall, cpu = self._start
            self.wall.append(time.perf_counter() - wall)
            self.cpu.append(time.thread_time() - cpu)
            self.generation.append(info["generation"])
            self.collected.append(info["collected"])

    def __enter__(self) -> GcPauses:
        gc.callbacks.append(self)
        return self

    def __exit__(self, *exc: object) -> None:
        gc.callbacks.remove(self)


@dataclass
class Keys(KeyTimes):
    """Key times with the number of frames each key composed."""

    frames: list[int] = field(default_factory=list)


async def _press(pilot: Pilot, key: str, times: Keys, replay: list[str]) -> None:
    first = len(FRAMES.times)
    await _timed_press(pilot, key, times)
    times.frames.append(len(FRAMES.times) - first)
    replay.append(key)


# ---------------------------------------------------------------------------------------- the app


async def _practice(
    pilot: Pilot, answers: int, times: Keys, replay: list[str], out: dict | None = None
) -> int:
    """Answer `answers` questions, reopening practice whenever a session ends; returns sessions.

    With `out`, RSS is sampled every `SAMPLE_EVERY` answers into out["rss_curve_mib"]: a cache filling
    up levels off, a leak keeps climbing."""
    from quizapp.tui.widgets.choices import Choices

    sessions = 0
    done = 0
    while done < answers:
        await pilot.press("p")
        await _ready(pilot, "PickDialog")
        await pilot.press("enter")
        await _ready(pilot, "PracticeScreen")
        sessions += 1
        screen = pilot.app.screen
        while done < answers and screen.session.current() is not None:  # type: ignore[attr-defined]
            view = getattr(screen, "_view", None) or getattr(screen, "_asking", None)  # after, before
            choices = view.choices if view is not None else screen.query_one(Choices)
            for key in right_answer_keys(choices):
                await _press(pilot, key, times, replay)
            await _press(pilot, "enter", times, replay)  # submit
            if screen.feedback is None:  # type: ignore[attr-defined]
                raise RuntimeError(f"answer {done + 1} was not submitted")
            done += 1
            await _press(pilot, "enter", times, replay)  # next (or the summary)
            if out is not None and done % SAMPLE_EVERY == 0:
                out.setdefault("rss_curve_mib", []).append(round(rss_mib(), 1))
                if out.get("diag"):
                    out.setdefault("tracked_curve", []).append(len(gc.get_objects()))
        while type(pilot.app.screen).__name__ == "PracticeScreen":
            await pilot.press("escape")  # the summary, then home
            await pilot.pause()
        await _ready(pilot, "HomeScreen")
    return sessions


async def _flashcards(pilot: Pilot, ratings: int, times: Keys, replay: list[str]) -> int:
    """Give `ratings` ratings, reopening all decks whenever a session ends; returns sessions."""
    sessions = 0
    done = 0
    while done < ratings:
        await pilot.press("f")
        await _ready(pilot, "PickDialog")
        await pilot.press("enter")
        await _ready(pilot, "FlashcardScreen")
        sessions += 1
        screen = pilot.app.screen
        while done < ratings and screen.session.current() is not None:  # type: ignore[attr-defined]
            await _press(pilot, "space", times, replay)
            await _press(pilot, RATING_KEYS[done % len(RATING_KEYS)], times, replay)
            done += 1
        await pilot.press("escape")
        await _ready(pilot, "HomeScreen")
    return sessions


async def _drive_app(answers: int, ratings: int, scratch: Path, diag: bool = False, top: int = 0) -> dict:
    from quizapp.tui.app import make_app

    _stamp_frames()
    app = make_app(data_dir=scratch / "data", cache_dir=scratch / "cache", fuzz=False)
    out: dict = {"diag": diag or bool(top)}
    async with app.run_test(size=SIZE) as pilot:
        await _ready(pilot, "HomeScreen")
        for _ in range(400):
            if app.coach is not None:
                break
            await pilot.pause()
        assert app.coach is not None
        # Enough new cards and due questions that a few sessions make up the whole run.
        app.coach.update_settings(new_cards_per_day=1000)
        scratch_keys: list[str] = []
        await _practice(pilot, WARM_ANSWERS, Keys(), scratch_keys)
        await _flashcards(pilot, WARM_RATINGS, Keys(), scratch_keys)
        gc.collect()
        before = rss_mib()
        if out["diag"]:
            out["tracked_before"], out["frozen_before"] = len(gc.get_objects()), gc.get_freeze_count()
        if top:
            import tracemalloc

            tracemalloc.start(1)
            first = tracemalloc.take_snapshot()
        practice, flashcards = Keys(), Keys()
        replay: list[str] = []
        with GcPauses(count_heap=out["diag"]) as pauses:
            out["practice_sessions"] = await _practice(pilot, answers, practice, replay, out)
            practice_done = rss_mib()
            out["practice_collections"] = len(pauses.wall)
            out["flashcard_sessions"] = await _flashcards(pilot, ratings, flashcards, replay)
        gc.collect()
        after = rss_mib()
        if out["diag"]:
            out["tracked_after"], out["frozen_after"] = len(gc.get_objects()), gc.get_freeze_count()
            out["full_collection_heaps"] = pauses.heaps
        if top:
            growth = tracemalloc.take_snapshot().compare_to(first, "filename")[:top]
            tracemalloc.stop()
            out["tracemalloc_top_kib"] = [
                (stat.traceback[0].filename, round(stat.size_diff / 1024, 1), stat.count_diff)
                for stat in growth
            ]
    out.update(
        rss_before_mib=before,
        rss_after_practice_mib=practice_done,
        rss_after_mib=after,
        gc_pauses=pauses.pauses,
        replay=replay,
        practice=_keys(practice),
        flashcards=_keys(flashcards),
    )
    return out


def _keys(times: Keys) -> dict:
    return {
        "keys": times.keys,
        "settled": list(times.settled),
        "frames": times.frames,
        "wall": list(times.wall),
    }


# --------------------------------------------------------------------------------------- the floor


def _bank_texts() -> list[str]:
    """The texts the session shows, from the same bundled bank: every question's stem and explanation,
    every card's front and back. The floor shows them too, so that what Textual caches for text it has
    not drawn before (wrapped lines, cell widths) counts in both runs, not only in the app's."""
    from quizapp.content import default_sources, load_catalog

    texts: list[str] = []
    for bank in load_catalog(default_sources(())).banks.values():
        for info in bank.questions.infos():
            question = bank.questions.get(info.id)
            if question is not None:
                texts += [question.stem, question.explanation]
        for card in bank.flashcards.values():
            texts += [card.front, card.back]
    return texts


class _Bare(App[None]):
    """What a question screen draws, without quizapp's screens: a header, a status line, a scrolling
    text and a footer; every key puts the bank's next text in the body and a new status line, in place,
    as a screen would."""

    BINDINGS = [
        Binding("enter", "nothing", "Submit"),
        Binding("space", "nothing", "Reveal"),
        Binding("u", "nothing", "Undo"),
        Binding("escape", "nothing", "Back"),
    ]

    def __init__(self, texts: list[str]) -> None:
        super().__init__()
        self.texts = texts
        self.keys = 0

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status")
        with VerticalScroll():
            yield Static(self.texts[0], id="body", markup=False)
        yield Footer()

    def on_key(self) -> None:
        self.keys += 1
        self.query_one("#status", Static).update(f"{self.keys} keys")
        self.query_one("#body", Static).update(self.texts[self.keys % len(self.texts)])

    def action_nothing(self) -> None:
        pass


async def _drive_floor(replay: list[str]) -> dict:
    _stamp_frames()
    app = _Bare(_bank_texts())
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        warm = Keys()
        for key in replay[:FLOOR_WARM_KEYS]:
            await _press(pilot, key, warm, [])
        gc.collect()
        before = rss_mib()
        times = Keys()
        with GcPauses() as pauses:
            for key in replay:
                await _press(pilot, key, times, [])
        gc.collect()
        after = rss_mib()
    return {
        "rss_before_mib": before,
        "rss_after_mib": after,
        "gc_pauses": pauses.pauses,
        "floor": _keys(times),
    }


# ------------------------------------------------------------------------------------- the figures


def _child(*args: str) -> dict:
    """Run this file as a child process with `args`; its last stdout line is its JSON result."""
    done = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"session_memory child {args[:2]} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _ms(values: list[float], share: float) -> float:
    return percentile(values, share) * 1000 if values else 0.0


def _key_figures(prefix: str, keys: dict) -> dict:
    settled, frames = keys["settled"], keys["frames"]
    return {
        f"{prefix}_keypress_p50_ms": _ms(settled, 50),
        f"{prefix}_keypress_p95_ms": _ms(settled, 95),
        f"{prefix}_keypress_max_ms": _ms(settled, 100),
        f"{prefix}_frames_per_key_max": max(frames, default=0),
        f"{prefix}_frames_per_key_p95": percentile([float(f) for f in frames], 95) if frames else 0.0,
        f"{prefix}_keys": len(settled),
    }


def measure(answers: int = 300, ratings: int = 500, diag: bool = False, top: int = 0) -> dict:
    """The session's figures: RSS growth of the app and of the bare app replaying its keys, their
    ratio, the longest garbage-collection pause, and practice and flashcard key latency; with `diag`
    or `top` the diagnostics too (see the module's docstring)."""
    scratch = Path(tempfile.mkdtemp(prefix="quizapp-session-"))
    extra = [*(["--diag"] if diag else []), *(["--tracemalloc", str(top)] if top else [])]
    try:
        app = _child(
            "--child",
            "app",
            "--answers",
            str(answers),
            "--ratings",
            str(ratings),
            "--scratch",
            str(scratch),
            *extra,
        )
        keys_file = scratch / "replay.json"
        keys_file.write_text(json.dumps(app["replay"]))
        floor = _child("--child", "floor", "--replay", str(keys_file))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    app_growth = app["rss_after_mib"] - app["rss_before_mib"]
    floor_growth = floor["rss_after_mib"] - floor["rss_before_mib"]
    gen2 = [wall for generation, wall, *_ in app["gc_pauses"] if generation == 2]
    split = app["practice_collections"]
    figures = {
        "practice_rss_growth_ratio": app_growth / max(floor_growth, 1.0),
        "max_gc_pause_ms": max((wall for _, wall, *_ in app["gc_pauses"]), default=0.0) * 1000,
        "max_gc_pause_cpu_ms": max((cpu for _, _, cpu, _ in app["gc_pauses"]), default=0.0) * 1000,
        "practice_keypress_p95_ms": _ms(app["practice"]["settled"], 95),
        "flashcard_keypress_p95_ms": _ms(app["flashcards"]["settled"], 95),
        "app_rss_growth_mib": app_growth,
        "app_rss_growth_practice_mib": app["rss_after_practice_mib"] - app["rss_before_mib"],
        "floor_rss_growth_mib": floor_growth,
        "app_rss_before_mib": app["rss_before_mib"],
        "app_rss_after_mib": app["rss_after_mib"],
        "gc_collections": len(app["gc_pauses"]),
        "gc_full_collections": len(gen2),
        "max_full_gc_pause_ms": max(gen2, default=0.0) * 1000,
        "practice_max_gc_pause_ms": max((p[1] for p in app["gc_pauses"][:split]), default=0.0) * 1000,
        "flashcard_max_gc_pause_ms": max((p[1] for p in app["gc_pauses"][split:]), default=0.0) * 1000,
        "practice_rss_curve_mib": app.get("rss_curve_mib", []),
        "floor_max_gc_pause_ms": max((wall for _, wall, *_ in floor["gc_pauses"]), default=0.0) * 1000,
        "floor_max_gc_pause_cpu_ms": max((cpu for _, _, cpu, _ in floor["gc_pauses"]), default=0.0) * 1000,
        "answers": answers,
        "ratings": ratings,
        "practice_sessions": app["practice_sessions"],
        "flashcard_sessions": app["flashcard_sessions"],
    }
    figures |= _key_figures("practice", app["practice"])
    figures |= _key_figures("flashcard", app["flashcards"])
    figures |= _key_figures("floor", floor["floor"])
    # Practice's two Enter kinds apart: submit (first Enter after the answer keys) and next.
    enters = [i for i, k in enumerate(app["practice"]["keys"]) if k == "enter"]
    submit, nxt = enters[0::2], enters[1::2]
    for name, picks in (("practice_submit", submit), ("practice_next", nxt)):
        figures[f"{name}_p95_ms"] = _ms([app["practice"]["settled"][i] for i in picks], 95)
        figures[f"{name}_frames_max"] = max((app["practice"]["frames"][i] for i in picks), default=0)
    if app["diag"]:
        full = [
            (cpu, heap)
            for (generation, _, cpu, _), heap in zip(
                [p for p in app["gc_pauses"] if p[0] == 2], app["full_collection_heaps"], strict=False
            )
        ]
        figures["diag"] = {
            "tracked_before": app["tracked_before"],
            "tracked_after": app["tracked_after"],
            "frozen_before": app["frozen_before"],
            "frozen_after": app["frozen_after"],
            "practice_tracked_curve": app.get("tracked_curve", []),
            "full_collections_cpu_ms_and_heap": [(round(cpu * 1000, 1), heap) for cpu, heap in full],
            "full_collection_heap_max": max(app["full_collection_heaps"], default=0),
        }
        if "tracemalloc_top_kib" in app:
            figures["diag"]["tracemalloc_top_kib"] = app["tracemalloc_top_kib"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=300)
    parser.add_argument("--ratings", type=int, default=500)
    parser.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    parser.add_argument("--diag", action="store_true", help="add the app's tracked-object counts (see above)")
    parser.add_argument(
        "--tracemalloc", type=int, default=0, metavar="N", help="add the N files whose allocations grew most"
    )
    parser.add_argument("--child", choices=("app", "floor"), help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--replay", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "app":
        os.environ["QUIZAPP_DATA_DIR"] = str(args.scratch / "data")
        os.environ["QUIZAPP_CACHE_DIR"] = str(args.scratch / "cache")
        print(
            json.dumps(
                asyncio.run(_drive_app(args.answers, args.ratings, args.scratch, args.diag, args.tracemalloc))
            )
        )
        return
    if args.child == "floor":
        print(json.dumps(asyncio.run(_drive_floor(json.loads(args.replay.read_text())))))
        return
    figures = measure(args.answers, args.ratings, args.diag, args.tracemalloc)
    if args.json:
        print(json.dumps(figures, indent=1))
        return
    for name, value in figures.items():
        if name == "diag":
            for key, found in value.items():
                print(f"diag {key:31} {found}")
            continue
        print(f"{name:36} {value:10.2f}" if isinstance(value, float) else f"{name:36} {value!s:>10}")


if __name__ == "__main__":
    main()
