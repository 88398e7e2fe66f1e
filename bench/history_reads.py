"""Home refresh, `Coach.stats()`, dashboard open and `ProgressStore.open` after a year of history and
after 100k reviews (issue 18: the cost of these must not grow with the history).

The year is tests/history.py's learner (the app's own API: ~9k reviews, 3.7k answers, 12 exams). The
100k history is that year followed by ten earlier years replayed in SQL (the year's reviews and
answers copied with their times moved back a year at a time: ~100k reviews, 40k answers), so it is
built in seconds; it is history at rest, which is what these reads see. Histories are built at the
schema of the code that runs, so a before/after comparison runs this file under each tree:

    PYTHONPATH=. .venv/bin/python bench/history_reads.py [runs]           # this tree
    PYTHONPATH=<old tree> .venv/bin/python bench/history_reads.py [runs]  # e.g. git archive HEAD~n

Medians in ms. "Home refresh" is `HomeScreen.refresh_home()` as returning from a mode calls it;
"dashboard open" is pressing d until the dashboard is painted; `stats` is timed the first time on
the file, then on a new Coach each run (as `quizapp stats` runs it) and again on the same Coach.
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock
from quizapp.tui.app import make_app
from tests.history import NOW, build_history, real_bank, real_catalog

YEARS_BACK = 10


def build(out: Path) -> dict[str, Path]:
    year, big = out / "year", out / "big"
    build_history(year)
    shutil.copytree(year, big)
    conn = sqlite3.connect(big / "progress.db", isolation_level=None)
    conn.execute("BEGIN")
    top_r = conn.execute("SELECT max(id) FROM review").fetchone()[0]
    top_a = conn.execute("SELECT max(id) FROM answer").fetchone()[0]
    shift = "printf('%04d', CAST(substr({c}, 1, 4) AS INTEGER) - {k}) || substr({c}, 5)"
    for k in range(1, YEARS_BACK + 1):
        conn.execute(
            "INSERT INTO review (item_id, kind, rating, reviewed_at, mode, before_json, duration_ms) "
            f"SELECT item_id, kind, rating, {shift.format(c='reviewed_at', k=k)}, mode, before_json, "
            "duration_ms FROM review WHERE id <= ?",
            (top_r,),
        )
        conn.execute(
            "INSERT INTO answer (question_id, answered_at, day, correct, guess, mode, response_json, "
            f"duration_ms) SELECT question_id, {shift.format(c='answered_at', k=k)}, "
            f"{shift.format(c='day', k=k)}, correct, guess, mode, response_json, duration_ms "
            "FROM answer WHERE id <= ?",
            (top_a,),
        )
    conn.execute("COMMIT")
    conn.close()
    return {"year": year, "100k": big}


def ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def open_time(data: Path) -> float:
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        ProgressStore.open(data).close()
        samples.append(time.perf_counter() - start)
    return ms(samples)


def stats_time(data: Path, runs: int) -> tuple[float, float, float]:
    """(The first `stats()` on this file, on a new Coach each run, a second on the same Coach): the
    first reads every question review once; later new Coaches start from what it kept, if kept."""
    cold, warm = [], []
    for _ in range(runs + 1):
        with ProgressStore.open(data) as store:
            coach = Coach(real_bank(), store, ManualClock(NOW), fuzz=False)
            start = time.perf_counter()
            coach.stats()
            cold.append(time.perf_counter() - start)
            start = time.perf_counter()
            coach.stats()
            warm.append(time.perf_counter() - start)
    return round(cold[0] * 1000, 1), ms(cold[1:]), ms(warm)


async def app_times(data: Path, runs: int) -> tuple[float, float]:
    app = make_app(data_dir=data, clock=ManualClock(NOW), catalog=real_catalog(), fuzz=False)
    home, dash = [], []
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(400):
            await pilot.pause()
            if type(app.screen).__name__ == "HomeScreen" and app.coach is not None:
                break
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        for _ in range(runs):
            start = time.perf_counter()
            app.screen.refresh_home()  # type: ignore[attr-defined]
            home.append(time.perf_counter() - start)
            await pilot.pause()
        for _ in range(max(3, runs // 2)):
            start = time.perf_counter()
            await pilot.press("d")
            while type(app.screen).__name__ != "DashboardScreen":
                await pilot.pause()
            await pilot.pause()
            dash.append(time.perf_counter() - start)
            await pilot.press("escape")
            await pilot.pause()
            await app.workers.wait_for_complete()
            await pilot.pause()
    return ms(home), ms(dash)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 9
    with tempfile.TemporaryDirectory() as tmp:
        for name, built in build(Path(tmp) / "built").items():
            data = Path(tmp) / name
            shutil.copytree(built, data)
            ProgressStore.open(data).close()  # a migration, if any, outside the timings
            opened = open_time(data)
            first, cold, warm = stats_time(data, runs)
            home, dash = asyncio.run(app_times(data, runs))
            print(
                f"{name:5} Home refresh {home} ms | Coach.stats() first {first} ms, new coach {cold} ms, "
                f"again {warm} ms | "
                f"dashboard open {dash} ms | ProgressStore.open {opened} ms"
            )


if __name__ == "__main__":
    main()
