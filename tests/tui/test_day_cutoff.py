"""Days and daily loads as the learner meets them at 80x24 (issue 15, items 9 and 10): the evening's
cards are waiting in the morning after the cut-off, Home's practice count keeps to the daily review
limit, and cram shows no intervals it will not apply."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from fsrs import Rating

from quizapp.study import ManualClock, Scope
from tests.factory import make_bank, make_coach
from tests.tui.helpers import build, ready

SIZE = (80, 24)
BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args: int) -> datetime:
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


def _menu(app) -> str:  # noqa: ANN001
    menu = app.screen.query_one("#menu")
    return "\n".join(str(option.prompt) for option in menu.options)


async def test_a_card_learnt_at_2040_waits_on_home_the_next_morning(tmp_path):
    bank = make_bank()
    clock = ManualClock(berlin(2026, 11, 23, 20, 29), BERLIN)
    coach = make_coach(tmp_path, bank, clock)  # the same data dir the app opens
    coach.update_settings(new_cards_per_day=1)
    session = coach.flashcards()
    card = session.current()
    for rating, minutes in ((Rating.Again, 1), (Rating.Good, 10), (Rating.Good, 0)):
        session.rate(rating)
        clock.advance(minutes=minutes)
    coach.update_settings(new_cards_per_day=0)
    coach.store.close()
    clock.current = berlin(2026, 11, 24, 4, 0)  # the next morning's cut-off; due at 20:40
    app = build(tmp_path, bank, clock)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "[f] Flashcards        1 due, 0 new" in _menu(app)
        await pilot.press("f")
        await ready(pilot, "PickDialog")
        await pilot.press("enter")
        await ready(pilot, "FlashcardScreen")
        assert app.screen.session.current().id == card.id


async def test_home_counts_due_questions_within_the_daily_limit(tmp_path):
    bank = make_bank()
    clock = ManualClock(berlin(2026, 11, 23, 9, 0), BERLIN)
    coach = make_coach(tmp_path, bank, clock)
    session = coach.practice(Scope("type", "single"))
    ids = session.queue[:5]
    for _ in ids:
        session.answer(1)  # the factory's key
    clock.advance(minutes=11)
    session = coach.practice(Scope("due"))
    while not session.done:
        session.answer(1)
    coach.update_settings(question_reviews_per_day=3)
    coach.store.close()
    clock.advance(days=30)
    app = build(tmp_path, bank, clock)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert "[p] Practice          3 due" in _menu(app)
        assert app.coach.today().questions_held == 2
        summary = " ".join(str(app.screen.query_one("#summary").render()).split())
        assert "3 questions due (2 more held back by your daily limit)" in summary


async def test_cram_shows_no_intervals_under_the_buttons(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f")
        await ready(pilot, "PickDialog")
        options = app.screen.query_one("OptionList")
        cram = next(i for i, o in enumerate(options.options) if o.id and o.id.endswith(":cram"))
        options.highlighted = cram
        await pilot.press("enter")
        await ready(pilot, "FlashcardScreen")
        await pilot.press("space")
        await pilot.pause()
        buttons = str(app.screen.query_one("#buttons").render())
        assert all(label in buttons for label in ("Again", "Hard", "Good", "Easy"))
        for interval in ("1m", "6m", "10m", "8d"):
            assert interval not in buttons, f"cram shows {interval!r}, which it will not apply"
        shown = buttons + str(app.screen.query_one("#status").render())
        assert "cram: schedules unchanged" in shown
