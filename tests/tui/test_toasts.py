"""Issue 15, item 12: one message at a time (a new one replaces the old), and never over the options, the
verdict or the flashcard rating line at 80x24."""

from __future__ import annotations

from textual.widgets._toast import Toast

from quizapp.study import Scope
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.text import say
from quizapp.tui.widgets.question import Choices
from tests.tui.helpers import build, keys_for_wrong_answer, open_flashcards, ready
from tests.tui.visible import screen_rows, shown_region

SIZE = (80, 24)


async def burst_of_three(pilot, last: str) -> None:  # noqa: ANN001
    """Three messages in quick succession, through each way the screens send them."""
    screen = pilot.app.screen
    screen.notify("First message, from notify.")
    say(screen, "Second message, from say.", severity="warning")
    await pilot.pause()
    say(screen, last)
    for _ in range(4):
        await pilot.pause()


def the_one_toast(app, last: str):  # noqa: ANN001
    """The only toast on screen, asserted to show the newest message on one row."""
    shown = [(toast, shown_region(toast)) for toast in app.screen.query(Toast)]
    shown = [(toast, region) for toast, region in shown if region is not None]
    rows = "\n".join(screen_rows(app))
    assert len(shown) == 1, f"{len(shown)} toasts on screen\n{rows}"
    toast, region = shown[0]
    assert last in rows, rows
    assert "First message" not in rows and "Second message" not in rows, rows
    return region


def assert_uncovered(region, *widgets) -> None:  # noqa: ANN001
    for widget in widgets:
        covered = shown_region(widget)
        assert covered is not None, f"{widget} is on screen"
        assert not region.overlaps(covered), f"the toast {region} covers {widget} {covered}"


async def test_practice_shows_one_toast_off_the_options_and_the_verdict(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.push_screen(PracticeScreen(app.coach.practice(Scope("type", "multi")), "Practice"))
        await ready(pilot, "PracticeScreen")
        await pilot.press("enter")  # a real one too: "Not yet: choose exactly 2"
        await burst_of_three(pilot, "Third message, the newest.")
        region = the_one_toast(app, "Third message, the newest.")
        assert_uncovered(region, app.screen.query_one(Choices))
        await pilot.press(*keys_for_wrong_answer(app.screen.query_one(Choices)), "enter")
        for _ in range(3):
            await pilot.pause()
        await pilot.press("g")  # "Only a right answer can be a guess; ..." (the longest practice message)
        await pilot.press("u", "enter")  # "Answer taken back."
        await pilot.press(*keys_for_wrong_answer(app.screen.query_one(Choices)), "enter")
        await pilot.press("g")
        for _ in range(4):
            await pilot.pause()
        region = the_one_toast(app, "Only a right answer can be a guess")
        assert_uncovered(region, app.screen.query_one(Choices), app.screen.query_one(".verdict"))


async def test_flashcards_show_one_toast_off_the_rating_line(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        await open_flashcards(pilot, reveal=True)
        buttons = app.screen.query_one("#buttons")
        assert "Again" in str(buttons.render())
        await pilot.press("u")  # "Nothing to undo."
        await burst_of_three(pilot, "Third message, the newest.")
        region = the_one_toast(app, "Third message, the newest.")
        assert_uncovered(region, buttons, app.screen.query_one(".front"))


async def test_an_older_long_lived_message_does_not_come_back(tmp_path):
    """`notify` replaces, like `say`: a 30 s message followed by a 0.1 s one leaves nothing when the
    short one expires, not the older message back on the title row."""
    app = build(tmp_path)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await ready(pilot)
        app.screen.notify("Old and long-lived.", timeout=30)
        app.screen.notify("New and short.", timeout=0.1)
        await pilot.pause(0.4)
        assert [n.message for n in app._notifications] == []
        assert "Old and long-lived." not in "\n".join(screen_rows(app))
