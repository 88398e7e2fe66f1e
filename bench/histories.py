"""Learner histories of a given size for the `history` suite, built once and cached.

A history is what a learner leaves after studying the bundled bank for a while: flashcard reviews,
answered questions (each answer is also a review of the question), submitted practice exams, the
settings of someone with an exam date, and a recorded FSRS fit. Sizes follow issue 18: 0, 1k, a year
(23k reviews, 8k answers, 30 exams, at the pace of tests/history.py's learner) and 100k reviews (the
same pace over about four years: 35k answers, 130 exams).

Everything goes through the project's own API, so the rows are what the app writes:
- card and question states come from `study.srs.Srs.review` applied to each rating in time order;
  each day the learner takes what is due first (most overdue first), then new or extra items;
- answers carry real responses (`grading.correct_response`, tests/history's `wrong_response`);
- exams are real: a few are sat through `Coach.start_exam` / `ExamSession.submit` in a scratch store,
  and their records (form, answers, flags, result, prediction) are reused at each exam's date;
- the whole history goes in through `ProgressStore.import_data` (validated, one transaction), which
  is also how any summary table the store keeps gets filled; then a fit is recorded (declined, as a
  fit of a random learner is) so the app does not start one in the background while being timed.

Building 100k takes a minute or two, so each history is kept under the system temp dir, keyed by
its size, this file and the store's source (a changed schema builds again); reruns copy it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import random
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from fsrs import Rating

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.append(str(ROOT))  # tests.history: the bundled bank and its wrong answers

from quizapp.store import ProgressStore  # noqa: E402
from quizapp.store.records import ItemState  # noqa: E402
from quizapp.store.rows import state_to_json  # noqa: E402
from quizapp.study import Coach, ManualClock  # noqa: E402
from quizapp.study.clock import iso  # noqa: E402
from quizapp.study.grading import correct_response  # noqa: E402
from quizapp.study.srs import Srs  # noqa: E402
from tests.history import real_bank, typical_rating, wrong_response  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
"""The end of every history, and the clock the timed apps run at (tests/history's NOW)."""
REVIEWS_PER_DAY = 63
"""A year's 23k reviews over 365 days: longer histories are the same learner studying for longer."""
EXAM_TEMPLATES = 4
SETTINGS = {
    "new_cards_per_day": 15,
    "desired_retention": 0.92,
    "exam_date": "2026-12-21",
    "exam_length": "full",
}
CACHE_ROOT = Path(tempfile.gettempdir()) / "quizapp-bench-histories"


@dataclass(frozen=True)
class Size:
    """One history: its label in figure keys and tables, and what it holds."""

    label: str
    reviews: int
    """All reviews: flashcard ratings plus one per answered question."""
    answers: int
    exams: int

    @property
    def days(self) -> int:
        return max(1, round(self.reviews / REVIEWS_PER_DAY))


EMPTY = Size("empty", 0, 0, 0)
ONE_K = Size("1k", 1_000, 350, 1)
YEAR = Size("year", 23_000, 8_000, 30)
HUNDRED_K = Size("100k", 100_000, 35_000, 130)
TINY = Size("tiny", 300, 100, 1)
"""For the smoke test (`--quick`): the suite's machinery on a history that builds in a second."""
FULL = (EMPTY, ONE_K, YEAR, HUNDRED_K)
QUICK = (EMPTY, TINY)


def _fingerprint() -> str:
    """Which code built a cached history: this file and the schema the store makes today (tables,
    indexes, triggers, user_version, read from a new empty store), so a history is built again when
    the schema changes but not for every edit of the store's code by someone else meanwhile."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-schema-") as tmp:
        store = ProgressStore.open(Path(tmp))
        store.close()
        with contextlib.closing(sqlite3.connect(next(Path(tmp).glob("*.db")))) as db:
            rows = db.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
            version = db.execute("PRAGMA user_version").fetchone()
    digest.update(repr((rows, version)).encode())
    return digest.hexdigest()[:12]


def built(size: Size, log: Callable[[str], None]) -> Path:
    """The cached data dir of `size` (built now if missing); callers copy it, never write to it."""
    folder = CACHE_ROOT / f"{size.label}-{_fingerprint()}"
    if (folder / "facts.json").exists():
        _FACTS[size.label] = json.loads((folder / "facts.json").read_text(encoding="utf-8"))
        return folder / "data"
    start = time.perf_counter()
    staging = Path(tempfile.mkdtemp(prefix=f"{size.label}-", dir=_mkdir(CACHE_ROOT)))
    facts = build(staging / "data", size)
    (staging / "facts.json").write_text(json.dumps(facts), encoding="utf-8")
    try:
        staging.rename(folder)
    except OSError:  # another run built it meanwhile
        shutil.rmtree(staging, ignore_errors=True)
    _FACTS[size.label] = facts
    log(f"  built history {size.label}: {facts} in {time.perf_counter() - start:.1f} s")
    return folder / "data"


_FACTS: dict[str, dict[str, int]] = {}


def facts_of(size: Size) -> dict[str, int]:
    """The counts of the history of `size` last built or found (the store's code may change
    between a run's sections while others edit it: the last one copied is the one measured)."""
    if size.label not in _FACTS:
        built(size, lambda _: None)
    return _FACTS[size.label]


def copy(size: Size, target: Path, log: Callable[[str], None]) -> Path:
    """A private copy of the history of `size` at `target` (the app writes to its data dir)."""
    shutil.copytree(built(size, log), target)
    return target


def _mkdir(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def build(data_dir: Path, size: Size, seed: int = 18) -> dict[str, int]:
    """Write a history of `size` into the new folder `data_dir`; returns its counts."""
    data_dir.mkdir(parents=True)
    store = ProgressStore.open(data_dir)
    try:
        if size.reviews:
            export = _export(size, seed)
            store.import_data(export, Srs(fuzz=False).replay)
        coach = Coach(real_bank(), store, ManualClock(NOW), fuzz=False)
        coach.update_settings(**SETTINGS)
        _record_fit(store)
        facts = {
            "reviews": len(store.reviews()),
            "answers": store.answered_count(),
            "exams": len(store.exams()),
            "items": len(store.states()),
        }
        store.checkpoint()
    finally:
        store.close()
    return facts


def _record_fit(store: ProgressStore) -> None:
    """A fit already run over this log and declined: `maybe_fit` then has nothing to do, as for a
    learner whose log has not grown since the last fit (the timed apps must not fit meanwhile)."""
    from quizapp.study.fit import FitResult
    from quizapp.study.fit_settings import record_fit, review_count

    record_fit(store, FitResult(adopted=False, reason="bench history", reviews=review_count(store)), NOW)


def _export(size: Size, seed: int) -> dict[str, Any]:
    """The history as an export file's data, in time order."""
    bank = real_bank()
    rng = random.Random(seed)
    srs = Srs(fuzz=False)
    cards, questions = list(bank.flashcards), list(bank.questions)
    hard = {qid for qid in questions if rng.random() < 0.15}
    states: dict[str, ItemState] = {}
    reviews: list[dict[str, Any]] = []
    answers: list[dict[str, Any]] = []
    start = NOW - timedelta(days=size.days)
    card_reviews = size.reviews - size.answers
    exam_days = (
        {round((i + 0.5) * size.days / size.exams) for i in range(size.exams)} if size.exams else set()
    )

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
                "duration_ms": rng.randint(3_000, 20_000) if kind == "card" else None,
            }
        )
        return stamp

    def pick(pool: list[str], unseen: list[str], end: int, count: int) -> list[str]:
        """Due items first (most overdue first), then new ones, then extra practice of any."""
        due = sorted((states[i].due, i) for i in pool if i in states and states[i].due <= end)
        chosen = [i for _, i in due[:count]]
        while len(chosen) < count and unseen:
            chosen.append(unseen.pop())
        while len(chosen) < count:
            chosen.append(rng.choice(pool))
        return chosen

    unseen_cards, unseen_questions = cards[::-1], questions[::-1]
    for day in range(size.days):
        at = start + timedelta(days=day, minutes=rng.randint(0, 600))
        end = int((at + timedelta(hours=12)).timestamp())
        n_cards = _share(card_reviews, size.days, day)
        n_answers = _share(size.answers, size.days, day)
        for card in pick(cards, unseen_cards, end, n_cards):
            at += timedelta(seconds=rng.randint(4, 20))
            rating = typical_rating(rng)
            review(card, "card", rating, at, "flashcard")
        for qid in pick(questions, unseen_questions, end, n_answers):
            at += timedelta(seconds=rng.randint(30, 120))
            question = bank.questions[qid]
            right = rng.random() < (0.45 if qid in hard else 0.82)
            stamp = review(qid, "question", Rating.Good if right else Rating.Again, at, "practice")
            answers.append(
                {
                    "question_id": qid,
                    "answered_at": stamp,
                    "day": at.date().isoformat(),
                    "correct": right,
                    "guess": right and rng.random() < 0.05,
                    "mode": "practice",
                    "response": correct_response(question) if right else wrong_response(question, rng),
                    "review_at": stamp,
                    "duration_ms": rng.randint(20_000, 110_000),
                }
            )
    exams = _exams(size, start, sorted(exam_days), rng)
    items = [
        {"item_id": s.item_id, **json.loads(state_to_json(s))}
        for s in sorted(states.values(), key=lambda s: s.item_id)
    ]
    return {
        "format": "quizapp-progress",
        "version": 1,
        "schema": _schema_version(),
        "settings": {},
        "items": items,
        "reviews": reviews,
        "answers": answers,
        "exams": exams,
    }


def _share(total: int, days: int, day: int) -> int:
    """Day `day`'s part of `total` spread evenly over `days` (the parts add up to `total`)."""
    return total * (day + 1) // days - total * day // days


def _schema_version() -> int:
    from quizapp.store.schema import SCHEMA_VERSION

    return SCHEMA_VERSION


def _exams(size: Size, start: datetime, days: list[int], rng: random.Random) -> list[dict[str, Any]]:
    """`size.exams` submitted exams, at 14:00 on each exam day, from real exams sat once."""
    if not days:
        return []
    templates = _exam_templates()
    exams = []
    for n, day in enumerate(days):
        exam = json.loads(json.dumps(templates[n % len(templates)]))
        begun = start + timedelta(days=day, hours=14 - start.hour)
        exam["seed"] = rng.randrange(2**31)
        exam["started_at"] = iso(begun)
        exam["finished_at"] = iso(begun + timedelta(seconds=exam["elapsed_s"] or 3600))
        exams.append(exam)
    return exams


_TEMPLATES: list[dict[str, Any]] = []


def _exam_templates() -> list[dict[str, Any]]:
    """A few full-length exams sat through the study API in a scratch store, as export records."""
    if _TEMPLATES:
        return _TEMPLATES
    bank = real_bank()
    rng = random.Random(2026)
    with tempfile.TemporaryDirectory(prefix="quizapp-bench-exams-") as tmp:
        store = ProgressStore.open(Path(tmp))
        try:
            clock = ManualClock(NOW - timedelta(days=30))
            coach = Coach(bank, store, clock, fuzz=False)
            for _ in range(EXAM_TEMPLATES):
                session = coach.start_exam("full", seed=rng.randrange(2**31))
                rate = rng.uniform(0.6, 0.85)
                for position in range(len(session)):
                    question = session.question(position)
                    response = (
                        correct_response(question) if rng.random() < rate else wrong_response(question, rng)
                    )
                    session.answer(response, position=position)
                    if rng.random() < 0.08:
                        session.toggle_flag(position)
                clock.advance(minutes=rng.randint(50, 85))
                session.submit()
                clock.advance(days=1)
            _TEMPLATES.extend(store.export_data()["exams"])
        finally:
            store.close()
    return _TEMPLATES


if __name__ == "__main__":  # build (or find) every history: `python bench/histories.py [LABEL...]`
    wanted = set(sys.argv[1:])
    for each in (*FULL, TINY):
        if not wanted or each.label in wanted:
            path = built(each, lambda m: print(m, file=sys.stderr))
            print(each.label, path, facts_of(each))
