"""Export, import and sync merges at scale: a year of history, and a heavy user's 100k reviews.

A learner who studies daily for a year leaves about 23k reviews (flashcards and questions), 8k
answers and 30 practice exams; a heavy user reaches 100k reviews (35k of them answers). Histories
are built through the project's API: `study`'s scheduler gives every review its real FSRS state (so
every card state is one py-fsrs produced), the result is an export file, and `quizapp import` puts
it into an empty store. Then the commands are timed as the learner runs them, in-process
(`quizapp.cli.main`, output discarded):

- `export_100k_s`: `quizapp export FILE` of the 100k store (read, encode, write atomically);
- `noop_import_100k_s`: `quizapp import FILE` of that very export into the same store again, a
  file merged before (since 2026-12 the store remembers it and does not read it again while all
  it brought is still here);
- `noop_import_unseen_100k_s`: the same content in bytes never merged here (a space added): read,
  parsed, validated, everything found already there, nothing added;
- `merge_100k_s`: the same file imported into another device's history (a fresh copy for each
  run: 20k reviews of its own over the same items), which adds every review and replays the log
  of every item both devices studied: what the first sync between two devices does.

Figures are CPU seconds (process time), the median of the runs, best beside it: several people
share this machine's two cores, and wall time measured the neighbours. Run from the repository
root: `.venv/bin/python bench/transfer.py [--runs N] [--reviews N]`; `PYTHONPATH=<an older tree>`
measures that code.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import math
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Rating

from quizapp.cli import main as quizapp
from quizapp.store.rows import state_to_json
from quizapp.study.clock import iso
from quizapp.study.srs import Srs

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
CARDS, QUESTIONS = 1200, 800
CARD_REVIEWS_PER_DAY, ANSWERS_PER_DAY = 41, 22  # 15k card reviews + 8k answers (each a review) a year
EXAMS_PER_YEAR, EXAM_LENGTH = 30, 65


def history(reviews: int, seed: int = 7) -> dict:
    """An export as quizapp writes it, about `reviews` reviews long (a year is 23k): states, every
    review with its before-state, answers and exams, day after day at a year's pace."""
    rng = random.Random(seed)
    srs = Srs(fuzz=False)
    states: dict = {}
    log, answers, exams = [], [], []
    cards = [f"fc-{n:05d}" for n in range(CARDS)]
    questions = [f"q-{n:05d}" for n in range(QUESTIONS)]
    days = math.ceil(reviews / (CARD_REVIEWS_PER_DAY + ANSWERS_PER_DAY))
    exam_days = set(rng.sample(range(30, days), min(days - 30, EXAMS_PER_YEAR * days // 365)))

    def review(item_id: str, kind: str, rating: Rating, at: datetime, mode: str) -> str:
        before = states.get(item_id)
        states[item_id] = srs.review(before, item_id, kind, rating, at, at.date())
        stamp = iso(at)
        log.append(
            {
                "item_id": item_id,
                "kind": kind,
                "rating": int(rating),
                "reviewed_at": stamp,
                "mode": mode,
                "before": json.loads(state_to_json(before)) if before else None,
            }
        )
        return stamp

    for day in range(days):
        at = START + timedelta(days=day)
        for _ in range(CARD_REVIEWS_PER_DAY):
            at += timedelta(seconds=rng.randint(5, 40))
            review(rng.choice(cards), "card", rng.choice((1, 3, 3, 3, 4)), at, "flashcard")
        for _ in range(ANSWERS_PER_DAY):
            at += timedelta(seconds=rng.randint(20, 90))
            qid, correct = rng.choice(questions), rng.random() > 0.3
            stamp = review(qid, "question", Rating.Good if correct else Rating.Again, at, "practice")
            answers.append(
                {
                    "question_id": qid,
                    "answered_at": stamp,
                    "day": at.date().isoformat(),
                    "correct": correct,
                    "guess": rng.random() < 0.05,
                    "mode": "practice",
                    "response": rng.sample(range(5), 2) if rng.random() < 0.3 else rng.randrange(4),
                    "review_at": stamp,
                }
            )
        if day in exam_days:
            started = at + timedelta(minutes=5)
            ids = rng.sample(questions, EXAM_LENGTH)
            correct = rng.randint(30, 60)
            exams.append(
                {
                    "seed": rng.randrange(2**31),
                    "started_at": iso(started),
                    "time_limit_s": 5400,
                    "questions": ids,
                    "status": "submitted",
                    "position": EXAM_LENGTH - 1,
                    "elapsed_s": 4000.5,
                    "finished_at": iso(started + timedelta(seconds=4000)),
                    "result": {
                        "scaled": 100 + 900 * correct // EXAM_LENGTH,
                        "passed": correct >= 45,
                        "correct": correct,
                        "total": EXAM_LENGTH,
                        "time_used_s": 4000.5,
                    },
                    "predicted": 700,
                    "answers": [
                        {"position": p, "response": rng.randrange(4), "flagged": p % 9 == 0}
                        for p in range(EXAM_LENGTH)
                    ],
                }
            )
    items = [
        {"item_id": s.item_id, **json.loads(state_to_json(s))}
        for s in sorted(states.values(), key=lambda s: s.item_id)
    ]
    return {
        "format": "quizapp-progress",
        "version": 1,
        "schema": 2,
        "settings": {"new_cards_per_day": 15},
        "items": items,
        "reviews": log,
        "answers": answers,
        "exams": exams,
    }


def run_cli(*argv: str) -> str:
    """`quizapp ARGV` in this process, its output kept from the figures; a failure stops the bench."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = quizapp(list(argv))
    if code != 0:
        raise SystemExit(f"quizapp {' '.join(argv)} failed ({code}): {err.getvalue()}")
    return out.getvalue()


def cpu(*argv: str) -> float:
    """CPU seconds of `quizapp ARGV`."""
    t0 = time.process_time()
    run_cli(*argv)
    return time.process_time() - t0


def store_of(data: dict, folder: Path, name: str) -> Path:
    """A data dir holding `data`, put there by `quizapp import` (the project's own merge)."""
    source = folder / f"{name}-source.json"
    source.write_text(json.dumps(data) + "\n", encoding="utf-8")
    target = folder / name
    run_cli("--data-dir", str(target), "import", str(source))
    source.unlink()
    return target


def figures(name: str, times: list[float]) -> dict[str, float]:
    return {f"{name}_s": round(statistics.median(times), 3), f"{name}_best_s": round(min(times), 3)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--reviews", type=int, default=100_000, help="the heavy history's length")
    args = parser.parse_args()
    out: dict[str, object] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        os.environ["QUIZAPP_CACHE_DIR"] = str(root / "cache")
        for label, reviews in (("year", 23_000), ("100k", args.reviews)):
            started = time.perf_counter()
            here = store_of(history(reviews), root, f"a-{label}")
            other = store_of(history(reviews // 5, seed=11), root, f"b-{label}")
            exported = root / f"{label}.json"
            run_cli("--data-dir", str(here), "export", str(exported))
            counts = {k: len(v) for k, v in json.loads(exported.read_bytes()).items() if isinstance(v, list)}
            print(
                f"{label}: {counts}, export {exported.stat().st_size / 2**20:.1f} MiB "
                f"(built in {time.perf_counter() - started:.0f} s)",
                file=sys.stderr,
            )
            run_cli("--data-dir", str(here), "import", str(exported))  # merged once: `noop_import`
            exports, noops, unseen, merges = [], [], [], []
            for run in range(args.runs):
                target = root / f"{label}-{run}.json"
                exports.append(cpu("--data-dir", str(here), "export", str(target)))
                if target.read_bytes() != exported.read_bytes():
                    raise SystemExit("export of unchanged data is not byte-stable")
                noops.append(cpu("--data-dir", str(here), "import", str(exported)))
                target.write_bytes(exported.read_bytes() + b" " * (run + 1))
                unseen.append(cpu("--data-dir", str(here), "import", str(target)))
                copy = root / f"b-{label}-{run}"
                shutil.copytree(other, copy)
                merges.append(cpu("--data-dir", str(copy), "import", str(exported)))
                shutil.rmtree(copy)
            out |= figures(f"export_{label}", exports)
            out |= figures(f"noop_import_{label}", noops)
            out |= figures(f"noop_import_unseen_{label}", unseen)
            out |= figures(f"merge_{label}", merges)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
