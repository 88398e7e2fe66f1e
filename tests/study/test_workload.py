"""Workload to the exam date (issue 16, item 6): expected reviews a day from each item's FSRS
schedule followed forward, at the desired retention and two others.

The model's updates are checked against py-fsrs's Scheduler, the merged forecast against following
every branch apart, and the forecast's behaviour: more reviews at a higher target, nothing from
nothing, the same answer every time, the exam date's cap, new cards at the daily limit."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State
from fsrs.scheduler import DEFAULT_PARAMETERS

from quizapp.store import ItemState
from quizapp.study import ManualClock
from quizapp.study.clock import epoch
from quizapp.study.days import StudyClock
from quizapp.study.workload import (
    DEFAULT_DAYS,
    Forecast,
    Workload,
    _Item,
    _Model,
    alternatives,
    describe,
    forecast,
    workload,
)
from tests.factory import START, make_coach

FITTED = (
    0.3,
    1.1,
    2.9,
    9.5,
    6.9,
    0.6,
    2.4,
    0.01,
    1.6,
    0.2,
    0.9,
    1.7,
    0.08,
    0.3,
    1.4,
    0.5,
    2.0,
    0.4,
    0.2,
    0.1,
    0.25,
)  # a plausible personal fit (within py-fsrs's bounds)


@pytest.mark.parametrize("params", [DEFAULT_PARAMETERS, FITTED], ids=["default", "fitted"])
@pytest.mark.parametrize("retention", [0.8, 0.9, 0.97])
def test_the_model_updates_as_py_fsrs_does(params, retention):
    model = _Model(params, retention)
    scheduler = Scheduler(parameters=params, desired_retention=retention, enable_fuzzing=False)
    t0 = datetime(2026, 1, 1, 12, tzinfo=UTC)
    for stability, difficulty, elapsed in [(0.5, 8.0, 1), (3.0, 5.0, 4), (20.0, 3.0, 30), (150.0, 9.5, 90)]:
        card = Card(
            card_id=1,
            state=State.Review,
            step=None,
            stability=stability,
            difficulty=difficulty,
            due=t0,
            last_review=t0 - timedelta(days=elapsed),
        )
        r = model.retrievability(elapsed, stability)
        assert r == pytest.approx(scheduler.get_card_retrievability(card, t0))
        good, _ = scheduler.review_card(card, Rating.Good, review_datetime=t0)
        assert model.recall(difficulty, stability, r) == pytest.approx(good.stability)
        assert model.difficulty(difficulty, Rating.Good) == pytest.approx(good.difficulty)
        assert model.interval(good.stability) == (good.due - t0).days
        # Again, then Good ten minutes later (the relearning step), back in review.
        lapsed, _ = scheduler.review_card(card, Rating.Again, review_datetime=t0)
        assert lapsed.state == State.Relearning
        assert model.forget(difficulty, stability, r) == pytest.approx(lapsed.stability)
        later = t0 + timedelta(minutes=10)
        back, _ = scheduler.review_card(lapsed, Rating.Good, review_datetime=later)
        assert back.state == State.Review
        assert model.same_day_good(lapsed.stability) == pytest.approx(back.stability)
        assert model.difficulty(model.difficulty(difficulty, Rating.Again), Rating.Good) == pytest.approx(
            back.difficulty
        )


def _brute(model: _Model, item: _Item, days: int, cap: int | None) -> list[float]:
    """Every branch followed apart (exponential: small cases only)."""
    counts = [0.0] * days

    def follow(weight: float, s: float, d: float, last: int, due: int) -> None:
        if due >= days or weight < 1e-7:
            return
        r = model.retrievability(due - last, s)
        counts[due] += weight * (2 - r)
        for p, s2, d2 in (
            (r, model.recall(d, s, r), model.difficulty(d, Rating.Good)),
            (
                1 - r,
                model.same_day_good(model.forget(d, s, r)),
                model.difficulty(model.difficulty(d, Rating.Again), Rating.Good),
            ),
        ):
            nxt = due + model.interval(s2)
            if cap is not None and due < cap:
                nxt = min(nxt, cap)
            follow(weight * p, s2, d2, due, nxt)

    follow(1.0, item.stability, item.difficulty, item.last, item.due)
    return counts


def _items(n: int, seed: int = 7) -> list[_Item]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        s = rng.choice([0.4, 1.5, 4.0, 9.0, 25.0, 80.0]) * rng.uniform(0.8, 1.2)
        due = rng.randrange(0, 12)
        out.append(_Item(s, rng.uniform(2, 9), due - max(1, round(s)), due))
    return out


@pytest.mark.parametrize("cap", [None, 16])
def test_merging_states_keeps_the_expected_counts(cap):
    items, days = _items(40), 18
    model = _Model(DEFAULT_PARAMETERS, 0.9)
    exact = [0.0] * days
    for item in items:
        for i, v in enumerate(_brute(model, item, days, cap)):
            exact[i] += v
    merged = forecast(items, [0] * days, None, 0.9, days, cap)
    assert sum(merged.per_day) == pytest.approx(sum(exact), rel=0.005)
    # Merged states may fall due a day earlier or later (a mean stability rounds to another
    # interval), so the days are compared as running totals: nothing appears or vanishes.
    got = want = 0.0
    for merged_day, exact_day in zip(merged.per_day, exact, strict=True):
        got, want = got + merged_day, want + exact_day
        assert got == pytest.approx(want, abs=max(1.5, 0.03 * want))


def test_a_higher_target_costs_more_reviews():
    items = _items(200)
    totals = [forecast(items, [3] * 30, None, r, 30, None).total for r in (0.75, 0.85, 0.9, 0.95, 0.99)]
    assert totals == sorted(totals) and totals[-1] > 1.5 * totals[0], totals


def test_nothing_to_review_gives_zero():
    clock = StudyClock(ManualClock(START))
    result = workload(
        [],
        unseen_cards=0,
        new_cards_per_day=20,
        new_cards_today=20,
        days=clock,
        exam_date=None,
        desired_retention=0.9,
        parameters=None,
    )
    assert result.days == DEFAULT_DAYS and [f.retention for f in result.forecasts] == [0.85, 0.9, 0.95]
    assert all(f.total == 0 for f in result.forecasts)
    no_new = workload(
        [],
        unseen_cards=300,
        new_cards_per_day=0,
        new_cards_today=0,
        days=clock,
        exam_date=None,
        desired_retention=0.9,
        parameters=None,
    )
    assert all(f.total == 0 for f in no_new.forecasts)


def test_new_cards_come_at_the_daily_limit_until_none_is_left():
    clock = StudyClock(ManualClock(START))
    result = workload(
        [],
        unseen_cards=25,
        new_cards_per_day=10,
        new_cards_today=4,
        days=clock,
        exam_date=None,
        desired_retention=0.9,
        parameters=None,
    )
    day = result.at(0.9).per_day
    # Two learning steps each on the first day: 4 today, 10 tomorrow, 10, then the last 1.
    assert day[0] == 8 and day[3] >= 2
    assert result.at(0.9).total > 2 * 25  # their reviews after learning come on top


def _state(item: str, kind: str, last: datetime, stability: float, interval_days: float) -> ItemState:
    due = last + timedelta(days=interval_days)
    card = {
        "card_id": abs(hash(item)) % 2**40,
        "state": 2,
        "step": None,
        "stability": stability,
        "difficulty": 5.0,
        "due": due.isoformat(),
        "last_review": last.isoformat(),
    }
    return ItemState(item, kind, card, epoch(due), introduced_day="2026-01-01")


def _states(n: int) -> list[ItemState]:
    rng = random.Random(3)
    out = []
    for i in range(n):
        s = rng.choice([2.0, 6.0, 15.0, 40.0, 120.0])
        last = START - timedelta(days=rng.uniform(0, s))
        out.append(_state(f"q{i}", "question" if i % 2 else "card", last, s, s))
    return out


def test_the_same_history_gives_the_same_answer_in_any_order():
    clock = StudyClock(ManualClock(START))
    states = _states(300)
    kwargs = dict(
        unseen_cards=40,
        new_cards_per_day=5,
        new_cards_today=5,
        days=clock,
        exam_date=date(2027, 1, 20),
        desired_retention=0.9,
        parameters=FITTED,
    )
    first = workload(states, **kwargs)
    assert workload(states, **kwargs) == first
    shuffled = workload(random.Random(1).sample(states, len(states)), **kwargs)
    for a, b in zip(first.forecasts, shuffled.forecasts, strict=True):
        assert a.per_day == pytest.approx(b.per_day)


def test_the_exam_date_caps_the_span_and_brings_everything_back_the_day_before():
    clock = StudyClock(ManualClock(START))  # study day 2026-11-23
    states = _states(200)
    result = workload(
        states,
        unseen_cards=0,
        new_cards_per_day=0,
        new_cards_today=0,
        days=clock,
        exam_date=date(2026, 12, 21),
        desired_retention=0.9,
        parameters=None,
    )
    assert result.days == 28 and result.eve
    eve = result.at(0.9).per_day[-1]
    # Every item reviewed before the exam comes back the day before it (its interval is capped);
    # one scheduled past the exam when it was last reviewed is not brought forward.
    in_span = sum(1 for st in states if st.due < epoch(clock.ends(28)[-1]))
    assert 0 < in_span < len(states) and eve >= in_span
    assert eve > 3 * max(result.at(0.9).per_day[1:-1])
    lines = describe(result)
    assert lines[0].startswith("At 0.90: about ")
    assert "reviews a day to the exam on 21 Dec; at 0.85: " in lines[0]
    assert lines[1].startswith("The day before it, when everything comes back: about ")
    tomorrow = workload(
        states,
        unseen_cards=0,
        new_cards_per_day=0,
        new_cards_today=0,
        days=clock,
        exam_date=date(2026, 11, 24),
        desired_retention=0.9,
        parameters=None,
    )
    assert tomorrow.days == 1
    assert describe(tomorrow)[0].startswith("At 0.90: about ")
    assert "reviews today, the day before the exam" in describe(tomorrow)[0]
    past = workload(
        states,
        unseen_cards=0,
        new_cards_per_day=0,
        new_cards_today=0,
        days=clock,
        exam_date=date(2026, 11, 1),
        desired_retention=0.9,
        parameters=None,
    )
    assert past.days == DEFAULT_DAYS and not past.eve and len(describe(past)) == 1
    assert "over the next 30 days" in describe(past)[0]


@pytest.mark.parametrize(
    ("current", "shown"),
    [
        (0.9, (0.85, 0.9, 0.95)),
        (0.97, (0.92, 0.97, 0.99)),
        (0.99, (0.89, 0.94, 0.99)),
        (0.7, (0.7, 0.75, 0.8)),
        (0.72, (0.7, 0.72, 0.77)),
    ],
)
def test_alternatives_stay_in_the_settings_range(current, shown):
    assert alternatives(current) == pytest.approx(shown)


def test_describe_words():
    w = Workload(
        date(2026, 11, 23),
        None,
        0.9,
        tuple(Forecast(r, tuple([n] * 30)) for r, n in ((0.85, 40.4), (0.9, 52.0), (0.95, 0.2))),
    )
    assert describe(w) == [
        "At 0.90: about 52 reviews a day over the next 30 days; at 0.85: 40, at 0.95: under 1"
    ]


def test_coach_forecasts_its_own_bank_and_history(tmp_path):
    coach = make_coach(tmp_path)
    empty = coach.workload()
    cards = len(coach.bank.flashcards)
    # Nothing studied: only new cards, at 20 a day, two steps on their first day.
    assert empty.at(0.9).per_day[0] == 2 * min(20, cards)
    session = coach.flashcards()
    while not session.done:
        session.rate(Rating.Good)
    practice = coach.practice()
    for _ in range(20):
        question = practice.current()
        if question is None:
            break
        practice.answer(None)  # wrong: Again
    coach.clock.advance(days=1)
    coach.update_settings(exam_date="2026-12-14")
    result = coach.workload()
    assert result.days == 20 and result.exam_date == date(2026, 12, 14)
    low, mid, high = result.forecasts
    assert low.total < mid.total < high.total
    assert coach.workload(0.8).current == 0.8
