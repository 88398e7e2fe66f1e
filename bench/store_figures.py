"""The progress store under a long history: per-answer commit latency and the "what is due" queries.

A learner who studies daily for a year or two reaches about 100k item states and answers; the store
must still commit each answer (one durable transaction, fsync included) and answer "what is due"
without the UI noticing. Setup bulk-inserts that history straight through the store's connection,
which is the only shortcut taken: the timed calls are the store's public API, called the way
`study.practice` calls it.
"""

from __future__ import annotations

import json
import random
import statistics
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fsrs import Rating
from timing import Figure, percentile

from quizapp.store import AnswerWrite, ProgressStore
from quizapp.study.clock import epoch, iso
from quizapp.study.srs import Srs, card_id

HISTORY = 100_000
DAY = 86400
NOW = datetime(2027, 6, 1, 9, 0, tzinfo=UTC)
"""A fixed 'now' so the share of due items (about one in seven) is the same on every run."""


def _card(item_id: str, due: datetime, last: datetime, rng: random.Random) -> str:
    """An fsrs Card.to_dict() in the Review state, as the store holds for a seen question."""
    return json.dumps(
        {
            "card_id": card_id(item_id),
            "state": 2,
            "step": None,
            "stability": round(rng.uniform(1, 200), 6),
            "difficulty": round(rng.uniform(1, 10), 6),
            "due": due.isoformat(),
            "last_review": last.isoformat(),
        },
        sort_keys=True,
        separators=(",", ":"),
    )


def build_history(data_dir: Path, items: int = HISTORY, seed: int = 7) -> tuple[ProgressStore, list[str]]:
    """A store with `items` question states, one review and one answer each; a fifth were missed.

    Due dates spread from 30 days overdue to 180 days ahead, answers over the past year.
    """
    store = ProgressStore.open(data_dir)
    rng = random.Random(seed)
    ids = [f"q-{n:06d}" for n in range(items)]
    states, reviews, answers, missed = [], [], [], []
    for n, item_id in enumerate(ids):
        due = NOW + timedelta(seconds=rng.randint(-30 * DAY, 180 * DAY))
        last = NOW - timedelta(seconds=rng.randint(DAY, 365 * DAY))
        at, day = iso(last), last.date().isoformat()
        correct = rng.random() > 0.2
        states.append((item_id, "question", _card(item_id, due, last, rng), epoch(due), 0, 1, 0, day))
        reviews.append((n + 1, item_id, "question", 3 if correct else 1, at, "practice", None))
        answers.append((n + 1, item_id, at, day, int(correct), 0, "practice", "1", n + 1))
        if not correct:
            missed.append((item_id, 1, at, 0, 1, epoch(due)))
    conn = store._conn  # setup only: 100k events one transaction each would take minutes
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO item_state VALUES (?, ?, ?, ?, ?, ?, ?, ?)", states)
    conn.executemany(
        "INSERT INTO review (id, item_id, kind, rating, reviewed_at, mode, before_json) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        reviews,
    )
    conn.executemany(
        "INSERT INTO answer (id, question_id, answered_at, day, correct, guess, mode, response_json, "
        "review_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        answers,
    )
    conn.executemany("INSERT INTO missed VALUES (?, ?, ?, ?, ?, ?)", missed)
    conn.execute("COMMIT")
    conn.execute("ANALYZE")
    # Closed and opened again, as the app finds it on its next start: the WAL folded into the file
    # and deleted, so the first commits after opening append to a new WAL, as a learner's do.
    store.close()
    return ProgressStore.open(data_dir), ids


def answer_commits(store: ProgressStore, ids: list[str], calls: int, seed: int) -> list[float]:
    """Seconds per `record_answer` for `calls` answers to already-seen questions.

    The new state comes from `Srs.review`, as `PracticeSession.answer` computes it, outside the timing:
    the figure is the store's commit, not the scheduler.
    """
    rng = random.Random(seed)
    srs = Srs(fuzz=False)
    now = NOW + timedelta(hours=seed)
    times = []
    for item_id in rng.sample(ids, calls):
        now += timedelta(seconds=7)
        correct = rng.random() > 0.25
        rating = Rating.Good if correct else Rating.Again
        today = now.date()
        state = srs.review(store.state(item_id), item_id, "question", rating, now, today)
        answer = AnswerWrite(item_id, iso(now), today.isoformat(), correct, "practice", rng.randrange(4))
        start = time.perf_counter()
        store.record_answer(answer, state, int(rating))
        times.append(time.perf_counter() - start)
    return times


def query_times(store: ProgressStore, calls: int) -> tuple[list[float], list[float]]:
    """Seconds per `due_ids(limit=50)` (practice's queue) and per `due_count` (the home screen)."""
    until = epoch(NOW)
    due_ids, due_count = [], []
    for _ in range(calls):
        start = time.perf_counter()
        store.due_ids("question", until, limit=50)
        middle = time.perf_counter()
        store.due_count("question", until)
        due_ids.append(middle - start)
        due_count.append(time.perf_counter() - middle)
    return due_ids, due_count


def store_figures(scratch: Path, runs: int, calls: int) -> tuple[list[Figure], dict[str, object]]:
    """Commit p99/median and due-query medians (µs), one sample per run, plus facts about the store."""
    commit_p99 = Figure("answer_commit_p99_us", "answer commit p99, 100k history", "µs", goal=1000)
    commit_p50 = Figure("answer_commit_p50_us", "answer commit median, 100k history", "µs")
    # Each round's p99 is one sample of the goal figure; the first round, right after opening, is
    # also shown alone: its commits append to a WAL that grows (an fsync that also updates the
    # file's size, ~170 µs more at the median here), later rounds overwrite a WAL the checkpoint
    # every 1000 commits restarted. A learner's session is mostly the first kind.
    first_p99 = Figure(
        "answer_commit_first_round_p99_us", "answer commit p99, first 1000 after opening", "µs"
    )
    due = Figure("due_query_100k_us", "due_ids(limit=50), 100k items", "µs", goal=1000)
    count = Figure("due_count_100k_us", "due_count (home screen), 100k items", "µs", goal=1000)
    start = time.perf_counter()
    store, ids = build_history(scratch / "store")
    setup_s = time.perf_counter() - start
    try:
        due_now = store.due_count("question", epoch(NOW))
        for run in range(runs):
            commits = [t * 1e6 for t in answer_commits(store, ids, calls, seed=run)]
            commit_p99.add(percentile(commits, 99))
            if run == 0:
                first_p99.add(percentile(commits, 99))
            commit_p50.add(statistics.median(commits))
            ids_t, count_t = query_times(store, 200)
            due.add(statistics.median(ids_t) * 1e6)
            count.add(statistics.median(count_t) * 1e6)
    finally:
        store.close()
    facts = {
        "store_items": len(ids),
        "store_due_items": due_now,
        "store_setup_s": round(setup_s, 2),
        "store_commits_per_run": calls,
        "store_filesystem": filesystem_of(scratch),
    }
    return [commit_p99, commit_p50, first_p99, due, count], facts


def filesystem_of(path: Path) -> str:
    """The mount's filesystem type (Linux): fsync on tmpfs is free, on ext4 it is most of a commit."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return "unknown"
    resolved, best, kind = str(path.resolve()), "", "unknown"
    for line in mounts:
        parts = line.split()
        if len(parts) >= 3 and resolved.startswith(parts[1].rstrip("/") + "/") and len(parts[1]) > len(best):
            best, kind = parts[1], parts[2]
    return kind
