"""Export and import of a year of history: is validating a whole file before writing affordable?

A learner who studies daily for a year leaves about 23k reviews (flashcards and questions), 8k
answers and 30 practice exams. The history is built through `study`'s scheduler (so every card
state is one py-fsrs really produced) as an export file, then timed the way the CLI does it:
import = read, parse, validate, merge into an empty store; export = read the store, dump, write
atomically. Figures are CPU seconds (process time), the median and the best of the runs: four
people share this machine's two cores, and wall time measured the neighbours. Run:
`.venv/bin/python bench/transfer.py [--runs N]`; `PYTHONPATH=<an older tree>` measures that code.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Rating

from quizapp.store import ProgressStore
from quizapp.store.rows import state_to_json
from quizapp.study.clock import iso
from quizapp.study.srs import Srs

START = datetime(2026, 1, 5, 8, 0, tzinfo=UTC)
DAYS = 365
CARDS, QUESTIONS = 1200, 800
CARD_REVIEWS_PER_DAY, ANSWERS_PER_DAY = 41, 22  # 15k card reviews + 8k answers (each a review) a year
EXAMS, EXAM_LENGTH = 30, 65


def year_of_history(seed: int = 7) -> dict:
    """An export as quizapp writes it: states, every review with its before-state, answers, exams."""
    rng = random.Random(seed)
    srs = Srs(fuzz=False)
    states: dict = {}
    reviews, answers, exams = [], [], []
    cards = [f"fc-{n:05d}" for n in range(CARDS)]
    questions = [f"q-{n:05d}" for n in range(QUESTIONS)]
    exam_days = set(rng.sample(range(30, DAYS), EXAMS))

    def review(item_id: str, kind: str, rating: Rating, at: datetime, mode: str) -> str:
        before = states.get(item_id)
        states[item_id] = srs.review(before, item_id, kind, rating, at, at.date())
        stamp = iso(at)
        reviews.append(
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

    for day in range(DAYS):
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
        "reviews": reviews,
        "answers": answers,
        "exams": exams,
    }


def _import(path: Path, data_dir: Path) -> float:
    """The CLI's import path when available (read, parse, validate, merge), else the old one."""
    srs = Srs(fuzz=False)
    t0 = time.process_time()
    try:
        from quizapp.cli.progress import import_checks, read_export
        from quizapp.store.import_check import load_export
    except ImportError:  # before validation existed: parse and merge
        data = json.loads(path.read_text(encoding="utf-8"))
    else:
        data = load_export(read_export(str(path)), import_checks(None))
    with ProgressStore.open(data_dir) as store:
        store.import_data(data, srs.replay)
    return time.process_time() - t0


def _export(data_dir: Path, target: Path) -> float:
    """The CLI's export: the store's data, dumped, written atomically (before: written in place)."""
    import quizapp.cli.progress as cli

    t0 = time.process_time()
    with ProgressStore.open(data_dir) as store:
        text = json.dumps(store.export_data(), indent=1, sort_keys=True) + "\n"
    if hasattr(cli, "read_export"):
        from quizapp.atomic import write_atomic

        write_atomic(target, text)
    else:
        target.write_text(text, encoding="utf-8")
    return time.process_time() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        data = year_of_history()
        source = root / "year.json"
        source.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        counts = {k: len(data[k]) for k in ("items", "reviews", "answers", "exams")}
        print(f"history: {counts}, export {source.stat().st_size / 1e6:.1f} MB", file=sys.stderr)
        imports, exports = [], []
        for run in range(args.runs):
            imports.append(_import(source, root / f"d{run}"))
            exports.append(_export(root / f"d{run}", root / f"out{run}.json"))
        print(
            json.dumps(
                {
                    "import_s": round(statistics.median(imports), 3),
                    "export_s": round(statistics.median(exports), 3),
                    "import_best_s": round(min(imports), 3),
                    "export_best_s": round(min(exports), 3),
                    "import_runs": [round(t, 3) for t in imports],
                    "export_runs": [round(t, 3) for t in exports],
                }
            )
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
