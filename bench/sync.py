"""A no-op `quizapp sync`: two devices holding the same year of history, nothing new on either side.

The issue's goal: a year of heavy study (about 20k reviews and 10k answers) syncs in well under a
second when nothing changed. The history is built by `bench/histories.py` through the project's
own API (real bank items, real responses and exams); `--reviews/--answers` change its size. Device
b is a copy of device a's data dir with its own device id; both sync once, then a's sync is timed
as the learner runs it (`main(["sync", DIR])` in-process: bank load, export and compare with its own
file, then read, validate and merge b's file, which adds nothing). Figures are the median and best
of the runs, wall and CPU seconds. Run from the repository root:
`.venv/bin/python bench/sync.py [--runs N]`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # for tests.history

from quizapp.cli import main  # noqa: E402
from quizapp.device import DEVICE_FILE  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from histories import Size, build  # noqa: E402


def sync(data: Path, shared: Path) -> str:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", str(data), "sync", str(shared)])
    if code != 0 or err.getvalue():
        raise SystemExit(f"sync failed ({code}): {err.getvalue()}")
    return out.getvalue()


def run(runs: int, reviews: int, answers: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["QUIZAPP_CACHE_DIR"] = str(root / "cache")
        started = time.perf_counter()
        facts = build(root / "a", Size("heavy year", reviews, answers, 30))
        print(
            f"history: {facts['reviews']} reviews, {facts['answers']} answers, {facts['exams']} exams "
            f"(built in {time.perf_counter() - started:.1f} s)"
        )
        (root / "a" / DEVICE_FILE).unlink(missing_ok=True)
        shutil.copytree(root / "a", root / "b")
        shared = root / "shared"
        shared.mkdir()
        sync(root / "a", shared)
        sync(root / "b", shared)
        sync(root / "a", shared)
        sizes = ", ".join(f"{p.name} {p.stat().st_size / 2**20:.1f} MiB" for p in sorted(shared.iterdir()))
        print(f"sync folder: {sizes}")
        walls, cpus = [], []
        for _ in range(runs):
            wall, cpu = time.perf_counter(), time.process_time()
            out = sync(root / "a", shared)
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            if "nothing new" not in out or "unchanged" not in out:
                raise SystemExit(f"not a no-op sync:\n{out}")
        print(
            f"no-op sync ({runs} runs): wall median {statistics.median(walls):.3f} s, "
            f"best {min(walls):.3f} s; CPU median {statistics.median(cpus):.3f} s, best {min(cpus):.3f} s"
        )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--reviews", type=int, default=20_000, help="all reviews, answers included")
    parser.add_argument("--answers", type=int, default=10_000)
    args = parser.parse_args()
    run(args.runs, args.reviews, args.answers)
