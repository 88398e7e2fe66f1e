"""Flashcard reviews: due cards first, then new ones up to the daily limit; Again/Hard/Good/Easy.

Cards fall due by the study day (see `study.days`): one due at 20:40 tomorrow is in tomorrow's
reviews from the cut-off on. Cards still in their learning steps (due again within the session's
horizon) come back later in the same session, as in Anki. Cram mode walks a filter without touching
any schedule, so it shows no intervals: `schedules` is False and `intervals()` is empty.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from fsrs import Rating

from quizapp.content import Bank, Flashcard
from quizapp.store import ProgressStore
from quizapp.study.clock import Clock, epoch, iso
from quizapp.study.days import StudyClock
from quizapp.study.load import due_today
from quizapp.study.srs import describe_interval
from quizapp.study.timing import clean_duration

if TYPE_CHECKING:
    from quizapp.study.srs import Srs

LEARNING_HORIZON = timedelta(minutes=20)
"""A card due again within this is shown again in the same session."""


@dataclass(frozen=True)
class Rated:
    card: Flashcard
    rating: Rating
    review_id: int | None
    requeued: bool
    duration_ms: int | None = None
    """How long the card took, front shown to rating given (None: not measured)."""


class FlashcardSession:
    def __init__(
        self,
        bank: Bank,
        store: ProgressStore,
        clock: Clock,
        srs: Srs,
        *,
        new_room: int,
        deck: str | None = None,
        task: str | None = None,
        cram: bool = False,
    ) -> None:
        self.bank = bank
        self.store = store
        # The study day's clock: answers carry the study day, and "due" means due by its end.
        self.clock = clock if isinstance(clock, StudyClock) else StudyClock(clock)
        self.srs = srs
        self.cram = cram
        self.deck = deck
        self.task = task
        cards = [
            c
            for c in bank.flashcards.values()
            if (deck is None or bank.deck_of[c.id] == deck) and (task is None or c.task == task)
        ]
        self.queue = self._build_queue(cards, new_room)
        self.history: list[Rated] = []
        self.reviewed = 0

    def _build_queue(self, cards: list[Flashcard], new_room: int) -> list[str]:
        if self.cram:
            return [c.id for c in cards]
        states = self.store.states("card")
        wanted = {c.id for c in cards}
        due = [i for i in due_today(self.store, self.clock, "card") if i in wanted]  # soonest due first
        new = [c for c in cards if c.id not in states][:new_room]
        return due + [c.id for c in new]

    @property
    def done(self) -> bool:
        return not self.queue

    def current(self) -> Flashcard | None:
        return self.bank.flashcards[self.queue[0]] if self.queue else None

    def remaining(self) -> int:
        return len(self.queue)

    @property
    def schedules(self) -> bool:
        """Whether a rating changes the card's schedule: False in cram, which changes nothing."""
        return not self.cram

    def intervals(self) -> dict[Rating, str]:
        """Each button's next interval, for display under it; empty in cram, which applies none
        (a screen says "cram: schedules unchanged" instead)."""
        card = self.current()
        if card is None or not self.schedules:
            return {}
        preview = self.srs.preview(self.store.state(card.id), card.id, self.clock.now())
        return {rating: describe_interval(delta) for rating, delta in preview.items()}

    def rate(self, rating: Rating, duration_ms: float | None = None) -> Rated:
        """Rate the current card: committed first, then the queue moves on (a refused write leaves
        the session as it was, so the same rating can be given again).

        `duration_ms`: how long the card took, front shown to rating given (the screen's
        `Stopwatch.stop()`), stored with the review; None when not measured. Cram stores nothing.
        """
        card = self.current()
        if card is None:
            raise RuntimeError("no card to rate")
        ms = clean_duration(duration_ms)
        if self.cram:
            rated = Rated(card, rating, None, False, ms)
        else:
            now = self.clock.now()
            state = self.srs.review(
                self.store.state(card.id), card.id, "card", rating, now, self.clock.today()
            )
            review_id = self.store.record_review(state, int(rating), iso(now), "flashcard", ms)
            rated = Rated(card, rating, review_id, state.due <= epoch(now + LEARNING_HORIZON), ms)
        self.queue.pop(0)
        if rated.requeued:
            self.queue.append(card.id)
        self.reviewed += 1
        self.history.append(rated)
        return rated

    def undo(self) -> Flashcard | None:
        """Take back the last rating: the card's previous state returns and the log row goes."""
        if not self.history:
            return None
        last = self.history[-1]
        if last.review_id is not None:
            self.store.undo_review(last.review_id)  # first: a refused undo changes nothing
        self.history.pop()
        if last.requeued:
            # the requeued copy is the last occurrence of this card in the queue
            index = len(self.queue) - 1 - self.queue[::-1].index(last.card.id)
            self.queue.pop(index)
        self.queue.insert(0, last.card.id)
        self.reviewed -= 1
        return last.card


def leeches(bank: Bank, store: ProgressStore) -> list[Flashcard]:
    return [bank.flashcards[i] for i in store.leeches("card") if i in bank.flashcards]
