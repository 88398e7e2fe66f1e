"""How long one pass-probability prediction takes: the real bank, a year of synthetic history.

The bank is the bundled one, loaded the way the app loads it on a warm start (from the bank cache, so
questions arrive unvalidated and the first prediction pays for validating them to read their guessing
rates). The history is a learner who studies daily for a year: eight new questions a day until the
bank is done, every due question reviewed (at most 50 a day), memory by FSRS's default model, a sixth
of the questions known beforehand, wrong answers guessed. It is built in memory with `Srs.review`, so
the store plays no part: these are the study layer's figures.

Figures, median and best of the runs:
- predict: `pass_probability` with its inputs ready (question states, first tries, a fitted
  correction), for the default 50-item exam and for a given 65-question form;
- first predict: the first call on a freshly loaded bank (validating every question once);
- inputs: building those inputs from the records (`first_tries` over every answer, `recall_evidence`
  over every review, `fit_calibration`), as a caller without summary tables would.

Run: `.venv/bin/python bench/passchance.py [--runs N]`. Nothing outside a temp dir is touched.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fsrs import Rating

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp.content import Bank, default_sources, load_catalog  # noqa: E402
from quizapp.store import AnswerRecord, ItemState, ReviewRecord  # noqa: E402
from quizapp.study.clock import epoch, iso  # noqa: E402
from quizapp.study.exam import assemble  # noqa: E402
from quizapp.study.guessing import guess_rates  # noqa: E402
from quizapp.study.passchance import first_tries, pass_probability  # noqa: E402
from quizapp.study.recall_calibration import fit_calibration, recall_evidence  # noqa: E402
from quizapp.study.srs import Srs  # noqa: E402

START = datetime(2026, 1, 5, 18, 0, tzinfo=UTC)
DAYS = 365
NEW_PER_DAY = 8
REVIEWS_PER_DAY = 50


def load_bank(cache: Path) -> Bank:
    """The bundled bank as a warm start sees it: the second load, from the cache."""
    load_catalog(default_sources(), cache_dir=cache)
    return load_catalog(default_sources(), cache_dir=cache).primary


def synthetic_year(
    bank: Bank, seed: int = 7
) -> tuple[dict[str, ItemState], list[AnswerRecord], list[ReviewRecord], date]:
    """(states, answers, reviews, the day after the last) for a year of daily study."""
    rng = random.Random(seed)
    srs = Srs(fuzz=False)
    rates = guess_rates(bank)
    known = {qid for qid in bank.questions if rng.random() < 1 / 6}
    new = list(bank.questions)
    states: dict[str, ItemState] = {}
    answers: list[AnswerRecord] = []
    reviews: list[ReviewRecord] = []
    for day in range(DAYS):
        now = START + timedelta(days=day)
        due = sorted((s.due, qid) for qid, s in states.items() if s.due <= epoch(now + timedelta(hours=6)))
        todays = [qid for _, qid in due[:REVIEWS_PER_DAY]] + new[:NEW_PER_DAY]
        del new[:NEW_PER_DAY]
        for qid in todays:
            before = states.get(qid)
            recall = 1.0 if qid in known else (srs.retrievability(before, now) or 0.0) if before else 0.0
            right = rng.random() < recall + (1 - recall) * rates[qid]
            rating = Rating.Good if right else Rating.Again
            states[qid] = srs.review(before, qid, "question", rating, now, now.date())
            n = len(answers) + 1
            reviews.append(ReviewRecord(n, qid, "question", int(rating), iso(now), "practice", before))
            answers.append(
                AnswerRecord(n, qid, iso(now), now.date().isoformat(), right, False, "practice", None, n)
            )
            now += timedelta(seconds=70)
    return states, answers, reviews, (START + timedelta(days=DAYS)).date()


def timed(call, runs: int) -> list[float]:  # noqa: ANN001
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


def line(name: str, seconds: list[float]) -> str:
    return (
        f"  {name:<34} median {statistics.median(seconds) * 1000:7.1f} ms, best {min(seconds) * 1000:7.1f} ms"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        bank = load_bank(Path(folder) / "cache")
        srs = Srs()
        history_bank = load_bank(Path(folder) / "cache")  # the history's own copy: `bank` stays cold
        states, answers, reviews, today = synthetic_year(history_bank)
        first = first_tries(answers)
        calibration = fit_calibration(recall_evidence(reviews, guess_rates(history_bank), srs))
        exam_day = today + timedelta(days=14)

        start = time.perf_counter()
        chance = pass_probability(bank, states, first, srs, exam_day, calibration=calibration)
        cold = time.perf_counter() - start
        warm = timed(
            lambda: pass_probability(bank, states, first, srs, exam_day, calibration=calibration), args.runs
        )
        form = assemble(bank, 65, 1, {})
        formed = timed(
            lambda: pass_probability(bank, states, first, srs, exam_day, calibration=calibration, form=form),
            args.runs,
        )

        def inputs() -> None:
            first_tries(answers)
            fit_calibration(recall_evidence(reviews, guess_rates(bank), srs))

        built = timed(inputs, max(3, args.runs // 4))
    print(
        f"bank: {len(bank.questions)} questions; history: {len(answers)} answers over {DAYS} days, "
        f"{len(states)} questions seen, {calibration.reviews} later-day reviews in the recall check"
    )
    print(f"prediction for {exam_day}: {chance.short()}")
    print(f"  {chance.reason}")
    print(line("predict (50-item exam)", warm))
    print(line("predict (a given 65-question form)", formed))
    print(f"  {'first predict on a fresh bank':<34} {cold * 1000:7.1f} ms")
    print(line("inputs from the records", built))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
