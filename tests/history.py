"""A year of realistic learner history against the real bundled bank, built fast, for layout tests.

Layout defects hide behind small numbers: a status line that fits with "3/7" is cut with "13/47", a
chart title fits until the y axis needs four digits. So this builds what a real learner has after a
year: thousands of flashcard reviews and question answers spread over 365 days, a dozen submitted
exams, missed questions waiting, leeches, an exam date and changed settings, and every count that a
screen shows in two digits or more.

Everything goes through `quizapp.study` (the Coach and its sessions, a ManualClock moved day by day),
so the rows are exactly what the app would have written. The one shortcut is speed: the store's
connection runs with `PRAGMA synchronous = OFF` while building, since thousands of fsynced commits
would take a minute and durability means nothing for a throwaway fixture. Build once per test
session (`build_history`), then copy the folder for each test (`copy_history`).
"""

from __future__ import annotations

import random
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from fsrs import Rating, State

from quizapp.content import AnyQuestion, Bank, Catalog, bundled_root, load_catalog
from quizapp.content.models import MatchingQuestion, MultiQuestion, OrderingQuestion, SingleQuestion
from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock, Scope
from quizapp.study.fit_settings import record_fit
from quizapp.study.fit_worker import fit_store
from quizapp.study.grading import correct_response

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)
"""'Today' for the learner (the same moment as tests/factory.START)."""
DAYS = 365
EXAM_DATE = "2026-12-21"
"""Four weeks ahead of NOW: Home says "Exam in 28 days"."""
SETTINGS = {
    "new_cards_per_day": 1,
    "desired_retention": 0.92,
    "exam_date": EXAM_DATE,
    "exam_length": "full",
    "short_exam_length": 30,
}
NEW_CARDS_LATE = 15
"""New cards per day was 1 all year (questions first) and is raised the day before NOW: today offers
15 new cards, a two-digit count, with cards still unseen after a year."""
LEECH_CARDS = 14
"""Cards the learner keeps forgetting (among the first introduced): rated Again every time they are
in review, so they lapse eight times and become leeches."""
EXAMS = 12
EXAM_ANSWER_RATE = 0.96
"""Share of exam questions answered (a few left blank: the results show 'unanswered' rows too)."""


@cache
def real_bank() -> Bank:
    """The bundled bank (loaded once per process; it is immutable)."""
    catalog = load_catalog([bundled_root()])
    assert not catalog.problems, catalog.problems[:3]
    return catalog.primary


def real_catalog() -> Catalog:
    bank = real_bank()
    return Catalog(banks={bank.exam: bank}, problems=[])


def wrong_response(question: AnyQuestion, rng: random.Random):  # noqa: ANN201 - a grading.Response
    """A complete but wrong response, as a learner who misread the question gives."""
    if isinstance(question, SingleQuestion):
        return rng.choice([i for i, o in enumerate(question.options) if not o.correct])
    if isinstance(question, MultiQuestion):
        right = [i for i, o in enumerate(question.options) if o.correct]
        wrong = [i for i, o in enumerate(question.options) if not o.correct]
        return sorted(right[: question.choose - 1] + wrong[:1])
    if isinstance(question, OrderingQuestion):
        order = list(range(len(question.items)))
        order[0], order[1] = order[1], order[0]
        return order
    assert isinstance(question, MatchingQuestion)
    answers = [p.response for p in question.pairs]
    answers[0], answers[1] = answers[1], answers[0]
    return answers


@dataclass
class HistoryFacts:
    """What the build produced, for tests to assert the history is as rich as they need."""

    reviews: int = 0
    answers: int = 0
    exams: int = 0
    leeches: int = 0
    missed: int = 0
    cards_due: int = 0
    questions_due: int = 0
    new_cards: int = 0
    counts: dict[str, int] = field(default_factory=dict)


def typical_rating(rng: random.Random) -> Rating:
    """A flashcard rating as this learner gives them: 10 % Again, 12 % Hard, 10 % Easy, else Good
    (one draw of `rng`). Shared with bench/histories.py, whose learner studies at the same pace."""
    roll = rng.random()
    if roll < 0.1:
        return Rating.Again
    if roll < 0.22:
        return Rating.Hard
    return Rating.Easy if roll > 0.9 else Rating.Good


def build_history(data_dir: Path, seed: int = 2026) -> HistoryFacts:
    """Write a year of study into `data_dir` (a new folder) and return what it holds."""
    bank = real_bank()
    rng = random.Random(seed)
    store = ProgressStore.open(data_dir)
    store._conn.execute("PRAGMA synchronous = OFF")  # build speed only; see the module docstring
    clock = ManualClock(NOW - timedelta(days=DAYS))
    coach = Coach(bank, store, clock, fuzz=False)
    coach.update_settings(**{k: v for k, v in SETTINGS.items() if k != "exam_date"})
    leech_ids = set(list(bank.flashcards)[: LEECH_CARDS * 3 : 3])  # cards come in bank order, one a day
    exam_days = {DAYS - 8 - round(i * (DAYS - 20) / EXAMS) for i in range(EXAMS)}
    hard = {qid for qid in bank.questions if rng.random() < 0.15}  # questions this learner often misses

    for day in range(DAYS):
        clock.current = NOW - timedelta(days=DAYS - day) + timedelta(minutes=rng.randint(-90, 600))
        if day == DAYS - 60:
            coach.update_settings(exam_date=EXAM_DATE)  # set two months before the exam
        if day == DAYS - 1:
            coach.update_settings(new_cards_per_day=NEW_CARDS_LATE)  # more new cards from tomorrow on
        if rng.random() < 0.2 and day < DAYS - 1 and day not in exam_days:
            continue  # a day off; but the learner studied yesterday (today's counts are "due")
        if day < DAYS - 3:  # flashcards left for three days: today's due cards need two digits
            _flashcards(coach, rng, leech_ids)
        if rng.random() < 0.4 or day in exam_days:
            clock.advance(minutes=25)
            _practice(coach, rng, hard, count=rng.randint(12, 32))
        if day in exam_days:
            clock.advance(minutes=30)
            _exam(coach, rng, hard)
    clock.current = NOW
    # A year-long learner's parameters were fitted long ago: record a fit of this log, so the app's
    # background fit is not due in every test that opens this history (see test_background_fit).
    record_fit(store, fit_store(store, tz=UTC), NOW)
    today = coach.today()
    facts = HistoryFacts(
        reviews=store.reviewed_count("card"),
        answers=store.answered_count(),
        exams=len([e for e in store.exams() if e.result]),
        leeches=len(store.leeches("card")),
        missed=today.missed,
        cards_due=today.cards_due,
        questions_due=today.questions_due,
        new_cards=coach.new_cards_today(),
    )
    store.checkpoint()
    store.close()
    return facts


def _flashcards(coach: Coach, rng: random.Random, leech_ids: set[str]) -> None:
    session = coach.flashcards()
    limit = rng.randint(8, 30)  # a learner stops after a while; the rest stays due
    while not session.done and session.reviewed < limit:
        card = session.current()
        assert card is not None
        state = coach.store.state(card.id)
        in_review = state is not None and state.card.get("state") == State.Review.value
        leech = card.id in leech_ids
        session.rate((Rating.Again if in_review else Rating.Good) if leech else typical_rating(rng))
        coach.clock.advance(seconds=rng.randint(4, 20))  # type: ignore[attr-defined]


def _practice(coach: Coach, rng: random.Random, hard: set[str], count: int) -> None:
    scope = Scope("missed") if rng.random() < 0.2 else Scope("all")
    session = coach.practice(scope)
    for _ in range(min(count, len(session))):
        question = session.current()
        assert question is not None
        right = rng.random() < (0.45 if question.id in hard else 0.82)
        session.answer(correct_response(question) if right else wrong_response(question, rng))
        if right and rng.random() < 0.05:
            session.mark_guess()
        coach.clock.advance(seconds=rng.randint(30, 120))  # type: ignore[attr-defined]


def _exam(coach: Coach, rng: random.Random, hard: set[str]) -> None:
    session = coach.start_exam("full", seed=rng.randrange(2**31))
    for position in range(len(session)):
        question = session.question(position)
        if rng.random() > EXAM_ANSWER_RATE:
            continue
        right = rng.random() < (0.5 if question.id in hard else 0.8)
        session.answer(
            correct_response(question) if right else wrong_response(question, rng), position=position
        )
        if rng.random() < 0.08:
            session.toggle_flag(position)
    coach.clock.advance(minutes=rng.randint(50, 88))  # type: ignore[attr-defined]
    session.submit()


def study_days(coach: Coach, clock: ManualClock, days: int, answers: int, ratings: int) -> None:
    """A few days of steady study, one day a loop: `answers` right practice answers and up to
    `ratings` Good flashcard ratings, then the clock moves a day on (a short history's fixture)."""
    for _ in range(days):
        session = coach.practice()
        for _ in range(answers):
            session.answer(correct_response(session.current()))
        cards = coach.flashcards()
        while cards.current() is not None and cards.reviewed < ratings:
            cards.rate(3)
        clock.advance(days=1)


def copy_history(built: Path, target: Path) -> Path:
    """A private copy of a built data dir (the app writes to it), returned as the copy's path."""
    shutil.copytree(built, target)
    return target
