"""Spaced repetition with the `fsrs` package: one wrapper for flashcards and questions alike.

FSRS decides intervals; this module adds what a study tool needs around it: a stable integer
card id per YAML id, lapse counting and leech marking (Anki's 8 lapses), no interval past the
learner's exam date, and previews of each button's next interval.
"""

from __future__ import annotations

import hashlib
import random
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache

from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.store.records import ItemState, ReviewRecord
from quizapp.study.clock import epoch

LEECH_LAPSES = 8
RATINGS = (Rating.Again, Rating.Hard, Rating.Good, Rating.Easy)
_RATING = {int(rating): rating for rating in RATINGS}
"""A stored rating's enum member without `Rating(n)`'s enum lookup (a replay makes thousands)."""


def card_id(item_id: str) -> int:
    """A stable positive 48-bit integer for a YAML id (FSRS wants an int; Python's hash is salted)."""
    return int.from_bytes(hashlib.blake2b(item_id.encode(), digest_size=6).digest(), "big")


CARD_KEYS = frozenset({"card_id", "state", "step", "stability", "difficulty", "due", "last_review"})


def card_problem(card: object) -> str | None:
    """Why a stored or imported card state cannot be scheduled, or None when py-fsrs loads it.

    Shared by import (refuse before writing), the store's doctor and the app (set aside, never
    crash): a state that `Card.from_dict` takes but that is nonsense (a due date that is not a
    date with a time zone, negative stability, difficulty off FSRS's 1-10 scale) is refused too.
    """
    return _checked(card)[1]


def load_card(card: object) -> Card | None:
    """The FSRS card a stored state holds, or None when it cannot be used (see `card_problem`);
    one load serves both the check and the use, so reading states costs no more than before."""
    return _checked(card)[0]


def _checked(card: object) -> tuple[Card | None, str | None]:
    if not isinstance(card, dict):
        return None, "card state must be an object"
    missing = sorted(CARD_KEYS - card.keys())
    if missing:
        return None, f"card state lacks {', '.join(missing)}"
    try:
        loaded = Card.from_dict(card)  # type: ignore[arg-type]
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        return None, f"card state does not load into FSRS ({type(exc).__name__}: {exc})"
    if isinstance(card["card_id"], bool) or not isinstance(card["card_id"], int):
        return None, "card_id must be an integer"
    if card["step"] is not None and (isinstance(card["step"], bool) or not isinstance(card["step"], int)):
        return None, "step must be an integer or null"
    for when in (loaded.due, loaded.last_review):
        if when is not None and when.tzinfo is None:
            return None, "card dates must carry a time zone"
    if loaded.stability is not None and not 0 < loaded.stability < 1e6:
        return None, "stability must be a positive number of days"
    if loaded.difficulty is not None and not 1 <= loaded.difficulty <= 10:
        return None, "difficulty must lie between 1 and 10"
    return loaded, None


_FUZZ_LOCK = threading.Lock()


@contextmanager
def _fuzz_drawn_from(item_id: str, now: datetime, fuzz: bool) -> Iterator[None]:
    """FSRS's fuzz as a draw seeded by the item and the review's time, not a fresh one: a review
    replayed from the log (an import, a sync) reaches the very due date it reached when it was
    given, so two machines with the same history hold the same schedule. py-fsrs draws from the
    global generator (`from random import random`), so its state is set for the call and put back."""
    if not fuzz:
        yield
        return
    with _FUZZ_LOCK:
        saved = random.getstate()
        random.seed(_fuzz_seed(item_id, now))
        try:
            yield
        finally:
            random.setstate(saved)


def _fuzz_seed(item_id: str, now: datetime) -> str:
    return f"{item_id}@{epoch(now)}:{now.microsecond}"


@contextmanager
def _fuzz_held(fuzz: bool) -> Iterator[None]:
    """The global generator held and put back once around many seeded draws (a replay)."""
    if not fuzz:
        yield
        return
    with _FUZZ_LOCK:
        saved = random.getstate()
        try:
            yield
        finally:
            random.setstate(saved)


@lru_cache(maxsize=8)
def _scheduler(parameters: tuple[float, ...], desired_retention: float, fuzz: bool) -> Scheduler:
    """One scheduler per policy. py-fsrs's Scheduler holds only the policy's settings (reviewing a
    card returns new objects), so one serves every review; making one validates its 21 parameters,
    which the mastery of every question studied did once per question (about 2.5 ms of opening
    practice with a few hundred questions studied, issue 18)."""
    return Scheduler(parameters=parameters, desired_retention=desired_retention, enable_fuzzing=fuzz)


@dataclass(frozen=True)
class Srs:
    """Scheduling policy: desired retention, optional exam date, fuzzing (off in tests)."""

    desired_retention: float = 0.90
    exam_date: date | None = None
    fuzz: bool = True
    parameters: tuple[float, ...] | None = None
    """The learner's fitted FSRS parameters (`fit_settings.read_fsrs`); None: FSRS's defaults."""
    report: Callable[[str], None] | None = field(default=None, compare=False, repr=False)
    """Told, in words for the learner, about a stored state that could not be used."""

    def scheduler(self) -> Scheduler:
        """FSRS's scheduler for this policy, made once per policy (`_scheduler`)."""
        return _scheduler(tuple(self.parameters or DEFAULT_PARAMETERS), self.desired_retention, self.fuzz)

    def new_card(self, item_id: str, now: datetime) -> Card:
        return Card(card_id=card_id(item_id), due=now)

    def card_of(self, state: ItemState | None, item_id: str, now: datetime) -> Card:
        """The item's FSRS card; a stored state FSRS cannot use is reported and the item starts
        afresh (its old state stays in the review log's `before`, and the doctor keeps it)."""
        if state is None:
            return self.new_card(item_id, now)
        card = self._usable(state)
        return card if card is not None else self.new_card(item_id, now)

    def _usable(self, state: ItemState) -> Card | None:
        card, problem = _checked(state.card)
        if problem is not None and self.report is not None:
            self.report(
                f"{state.kind} {state.item_id}: its stored schedule cannot be used ({problem}); "
                "it is treated as new (quizapp doctor --repair recomputes it from its reviews)"
            )
        return card

    def _cap(self, card: Card, now: datetime) -> Card:
        """No interval past the exam: everything comes back at the latest the day before it."""
        if self.exam_date is None:
            return card
        cap = datetime.combine(self.exam_date - timedelta(days=1), time(12), tzinfo=UTC)
        if card.due > cap and now < cap:
            card.due = cap
        return card

    def review(
        self, state: ItemState | None, item_id: str, kind: str, rating: Rating, now: datetime, today: date
    ) -> ItemState:
        """The state after one rating; lapses and leech status carried along."""
        card = self.card_of(state, item_id, now)
        was_review = card.state == State.Review
        with _fuzz_drawn_from(item_id, now, self.fuzz):
            new_card, _ = self.scheduler().review_card(card, rating, review_datetime=now)
        new_card = self._cap(new_card, now)
        lapses = (state.lapses if state else 0) + (1 if was_review and rating == Rating.Again else 0)
        return ItemState(
            item_id=item_id,
            kind=kind,
            card=new_card.to_dict(),
            due=epoch(new_card.due),
            lapses=lapses,
            reps=(state.reps if state else 0) + 1,
            leech=(state.leech if state else False) or lapses >= LEECH_LAPSES,
            introduced_day=state.introduced_day if state else today.isoformat(),
        )

    def preview(self, state: ItemState | None, item_id: str, now: datetime) -> dict[Rating, timedelta]:
        """What each button would schedule, for display under it."""
        card = self.card_of(state, item_id, now)
        scheduler = _scheduler(tuple(self.parameters or DEFAULT_PARAMETERS), self.desired_retention, False)
        out = {}
        for rating in RATINGS:
            new_card, _ = scheduler.review_card(card, rating, review_datetime=now)
            out[rating] = self._cap(new_card, now).due - now
        return out

    def retrievability(self, state: ItemState, at: datetime) -> float | None:
        """FSRS's recall probability at `at`; None for a stored state that cannot be used (the
        item counts as unseen rather than stopping every statistic)."""
        card = self._usable(state)
        return None if card is None else float(self.scheduler().get_card_retrievability(card, at))

    def replay(self, item_id: str, kind: str, logs: list[ReviewRecord]) -> ItemState | None:
        """Recompute a state from its full log, oldest first (used when merging imports).

        The state `review` would reach one review at a time, with the work a merge's tens of
        thousands of reviews made slow done once: one scheduler for every replay (py-fsrs's holds
        only this policy's settings), the card carried from review to review as FSRS's object
        rather than stored and loaded again, the global generator saved and put back once around
        the fuzz draws (each still seeded by the item and the review's time). Only the first log's
        before-state matters: the day the item was introduced."""
        ordered = sorted(logs, key=lambda r: r.reviewed_at)
        if not ordered:
            return None
        scheduler = self._replay_scheduler()
        start = datetime.fromisoformat(ordered[0].reviewed_at)
        before = ordered[0].before
        introduced = date.fromisoformat(before.introduced_day if before else start.date().isoformat())
        card = self.new_card(item_id, start)
        lapses, leech = 0, False
        with _fuzz_held(self.fuzz):
            for log in ordered:
                at = datetime.fromisoformat(log.reviewed_at)
                rating = _RATING[log.rating]
                if card.state == State.Review and rating == Rating.Again:
                    lapses += 1
                if self.fuzz:
                    random.seed(_fuzz_seed(item_id, at))
                card, _ = scheduler.review_card(card, rating, review_datetime=at)
                card = self._cap(card, at)
                leech = leech or lapses >= LEECH_LAPSES
        return ItemState(
            item_id,
            kind,
            card.to_dict(),
            epoch(card.due),
            lapses,
            len(ordered),
            leech,
            introduced.isoformat(),
        )

    def _replay_scheduler(self) -> Scheduler:
        scheduler = self.__dict__.get("_scheduler")
        if scheduler is None:
            scheduler = self.scheduler()
            object.__setattr__(self, "_scheduler", scheduler)  # a cache on a frozen policy
        return scheduler


def describe_interval(delta: timedelta) -> str:
    """'<1m', '10m', '3h', '4d', '2mo', '1.2y': short enough to sit under a button."""
    seconds = delta.total_seconds()
    if seconds < 60:
        return "<1m"
    if seconds < 3600:
        return f"{round(seconds / 60)}m"
    if seconds < 86400:
        return f"{round(seconds / 3600)}h"
    days = seconds / 86400
    if days < 30:
        return f"{round(days)}d"
    if days < 365:
        return f"{round(days / 30)}mo"
    return f"{days / 365:.1f}y"
