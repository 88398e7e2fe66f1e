"""How long true retention and the workload forecast take on a year of history with the real bank.

The learner studies every day for a year through the Coach (a ManualClock moved day by day): every
due flashcard and 10 new ones a day, every due question, 6 new ones and 25 of the weakest a day, right
about 85 % of the time, so the log holds about 25,000 reviews over the whole bundled bank (its
questions and all flashcard decks). Then,
median and best of the runs, wall milliseconds:

- true retention: `Coach.true_retention()` (one SQL count over the year's reviews by period, kind
  and maturity, then the table), as the dashboard and Settings ask for it;
- workload: `Coach.workload()` (every item's FSRS schedule followed forward at three retentions),
  with the exam four weeks ahead, with no exam date (30 days) and with the exam half a year ahead.

Settings runs both in a worker thread; the goal is under 300 ms for the workload to the exam date.
Run: `.venv/bin/python bench/workload.py [--runs N] [--keep DIR]`. Nothing outside a temp dir (or
DIR) is touched; with --keep an existing DIR is reused instead of built again.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fsrs import Rating  # noqa: E402

from quizapp.content import bundled_root, load_catalog  # noqa: E402
from quizapp.store import ProgressStore  # noqa: E402
from quizapp.study import Coach, ManualClock, Scope  # noqa: E402
from quizapp.study.grading import correct_response  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
DAYS = 365
GOAL_MS = 300
NEW_QUESTIONS = 6
"""New questions a day, after every due one."""
WEAK = 25
"""Then the weakest questions again, not yet due: a learner drilling before the exam."""


def build(data: Path) -> int:
    """A year of daily study into `data`; returns the number of reviews logged."""
    bank = load_catalog([bundled_root()]).primary
    rng = random.Random(16)
    store = ProgressStore.open(data)
    store._conn.execute("PRAGMA synchronous = OFF")  # build speed only: a throwaway history
    clock = ManualClock(NOW - timedelta(days=DAYS))
    coach = Coach(bank, store, clock, fuzz=False)
    coach.update_settings(new_cards_per_day=10, question_reviews_per_day=9999)
    for day in range(DAYS):
        clock.current = NOW - timedelta(days=DAYS - day) + timedelta(minutes=rng.randint(0, 600))
        cards = coach.flashcards()
        while not cards.done:
            roll = rng.random()
            cards.rate(Rating.Again if roll < 0.1 else Rating.Hard if roll < 0.2 else Rating.Good)
            clock.advance(seconds=8)
        for scope, most in ((Scope("due"), 10_000), (Scope("new"), NEW_QUESTIONS), (Scope("weak"), WEAK)):
            practice = coach.practice(scope)
            for _ in range(min(most, len(practice))):
                question = practice.current()
                if question is None:
                    break
                practice.answer(correct_response(question) if rng.random() < 0.85 else None)
                clock.advance(seconds=40)
    reviews = store.reviewed_count("card") + store.reviewed_count("question")
    store.checkpoint()
    store.close()
    return reviews


def timed(label: str, runs: int, call: Callable[[], object]) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    median = statistics.median(samples)
    print(f"  {label:<44} median {median:7.1f} ms, best {min(samples):7.1f} ms")
    return median


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="build the history here once and reuse it")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        data = args.keep or Path(folder) / "data"
        if not (data / "progress.db").exists():
            start = time.perf_counter()
            reviews = build(data)
            print(f"built a year of history: {reviews} reviews in {time.perf_counter() - start:.1f} s")
        bank = load_catalog([bundled_root()]).primary
        with ProgressStore.open(data) as store:
            coach = Coach(bank, store, ManualClock(NOW), fuzz=False)
            reviews = store.reviewed_count("card") + store.reviewed_count("question")
            seen = len(store.states())
            print(f"{reviews} reviews, {seen} items seen; bank: {len(bank.questions)} questions, ", end="")
            print(f"{len(bank.flashcards)} flashcards")
            timed("true retention (SQL count + table)", args.runs, coach.true_retention)
            month = coach.true_retention().row("month")
            print(
                f"    last 30 days, mature: cards {month.tally('card')}, questions {month.tally('question')}"
            )
            worst = 0.0
            for label, exam in (
                ("workload, exam in 4 weeks (28 days)", date(2026, 12, 21)),
                ("workload, no exam date (30 days)", None),
                ("workload, exam in 6 months (182 days)", date(2027, 5, 24)),
            ):
                coach.update_settings(exam_date=exam.isoformat() if exam else None)
                median = timed(label, args.runs, coach.workload)
                if exam is None or (exam - NOW.date()).days <= 31:
                    worst = max(worst, median)
                result = coach.workload()
                shown = ", ".join(f"{f.retention:.2f}: {f.mean:.0f}/day" for f in result.forecasts)
                print(f"    {shown}")
            verdict = "met" if worst < GOAL_MS else "NOT met"
            print(f"goal: workload to a month ahead under {GOAL_MS} ms: {verdict} ({worst:.0f} ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
