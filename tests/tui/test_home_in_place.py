"""Back from a mode, a count that changed is redrawn where it is: no layout of Home (issue 18).

A Static's update and an option list rebuilt both ask Textual for a layout, which it does in a tick
of its own after the repaint that returning to a screen asks for: so a learner whose counts moved
(a due question answered, a miss to win back) got a frame more than one whose counts did not.
Counted: layout requests by Home's summary and menu.
"""

from __future__ import annotations

import random

from textual.screen import Screen
from textual.widget import Widget

from quizapp.study.practice import PracticeSession
from quizapp.tui.app import QuizApp
from tests.history import wrong_response
from tests.tui.helpers import build, ready, redraws


def _layouts(app: QuizApp, ids: tuple[str, ...]) -> list[str]:
    """The ids of Home's widgets that ask for a layout from now on."""
    asked: list[str] = []
    for widget in app.screen.query(",".join(f"#{i}" for i in ids)).results(Widget):
        original = widget.refresh

        def refresh(*regions, _original=original, _id=widget.id, **kwargs):  # noqa: ANN002, ANN003, ANN202
            if kwargs.get("layout"):
                asked.append(_id)
            return _original(*regions, **kwargs)

        widget.refresh = refresh  # type: ignore[method-assign]
    return asked


def _miss_one(app: QuizApp, which: int) -> None:
    """A wrong answer, recorded as practice records it: one more miss to win back."""
    coach = app.coach
    assert coach is not None
    question = list(coach.bank.questions.values())[which]
    session = PracticeSession(coach.bank, coach.store, coach.days, coach.srs, [question.id])
    session.answer(wrong_response(question, random.Random(1)), duration_ms=8000)


def _pass_chances_counted(monkeypatch) -> list[int]:  # noqa: ANN001
    """A list that grows by one each time a pass chance is worked out (`Coach.pass_chance`)."""
    from quizapp.study.coach import Coach

    worked: list[int] = []
    original = Coach.pass_chance

    def counted(self, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        worked.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Coach, "pass_chance", counted)
    return worked


async def _refreshed(app: QuizApp, pilot) -> None:  # noqa: ANN001
    """Home refreshed as a return from a mode refreshes it, and its workers and frames done."""
    app._refresh_home()
    await app.workers.wait_for_complete()
    await pilot.pause()


def _text(app: QuizApp) -> str:
    menu = app.screen.query_one("#menu")
    return (
        str(app.screen.query_one("#summary").render())
        + "\n"
        + "\n".join(
            str(option.prompt)
            for option in menu.options  # type: ignore[attr-defined]
        )
    )


async def test_changed_counts_are_redrawn_without_a_layout(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        _miss_one(app, 0)  # studied: the pass chance's line no longer explains a figure of nothing
        await _refreshed(app, pilot)
        assert "1 missed to win back" in _text(app)
        asked = _layouts(app, ("summary", "menu"))
        _miss_one(app, 1)
        app._refresh_home()  # what returning from a mode does
        await app.workers.wait_for_complete()  # and the pass chance for it, redrawn when it moved
        await pilot.pause()
        assert "2 missed to win back" in str(app.screen.query_one("#summary").render())
        assert any("2 to win back" in str(o.prompt) for o in app.screen.query_one("#menu").options)
        assert asked == []


async def test_a_summary_that_grows_is_laid_out(tmp_path):
    """A new line (an exam date set) makes the summary taller: then Home is laid out again."""
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        rows = app.screen.query_one("#summary").size.height
        asked = _layouts(app, ("summary", "menu"))
        app.coach.update_settings(exam_date="2026-12-28")
        app._refresh_home()
        await pilot.pause()
        assert "Exam in" in str(app.screen.query_one("#summary").render())
        assert "summary" in asked and "menu" not in asked
        assert app.screen.query_one("#summary").size.height == rows + 1


async def test_a_changed_count_draws_that_option_alone_again(tmp_path):
    """Textual's prompt replacement drops every option's rendered lines; Home's menu drops the
    changed option's only. Counted: options rendered (render-cache misses) after the refresh."""
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        _miss_one(app, 0)
        await _refreshed(app, pilot)
        menu = app.screen.query_one("#menu")
        cache = menu._option_render_cache  # type: ignore[attr-defined]
        misses = cache.misses
        _miss_one(app, 1)
        await _refreshed(app, pilot)
        assert any("2 to win back" in str(o.prompt) for o in menu.options)  # type: ignore[attr-defined]
        assert cache.misses - misses == 1  # the changed option, drawn again; the others as they were


async def test_home_prepared_under_a_summary_does_nothing_on_the_way_back(tmp_path, monkeypatch):
    """`prepare_home` (a mode's summary is up) brings Home's counts and pass chance up to date
    under it: going home then redraws nothing and works nothing out. Counted: Home's widget
    updates and pass chances worked out on the way back."""
    from quizapp.tui.screens.home import prepare_home

    worked = _pass_chances_counted(monkeypatch)
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        _miss_one(app, 0)
        await _refreshed(app, pilot)
        home = app.screen
        await app.push_screen(Screen())  # a mode over Home
        _miss_one(app, 1)
        prepare_home(app)  # its summary is up
        await app.workers.wait_for_complete()
        await pilot.pause()
        redrawn = redraws(home, "summary", "menu")
        worked.clear()
        await app.pop_screen()  # back home
        await pilot.pause()
        await app.workers.wait_for_complete()
        assert app.screen is home
        assert "2 missed to win back" in str(home.query_one("#summary").render())
        assert (redrawn, worked) == ([], [])


async def test_practice_summary_prepares_home(tmp_path, monkeypatch):
    """Practice's summary brings Home up to date under it (`prepare_home`): going home after a session
    works out no pass chance and redraws none of Home's figures. Counted, through the real screens."""
    from tests.tui.helpers import keys_for_wrong_answer, open_practice

    worked = _pass_chances_counted(monkeypatch)
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()
        home = app.screen
        await open_practice(pilot)
        for key in [*keys_for_wrong_answer(app.screen.query("Choices").last()), "enter"]:  # type: ignore[arg-type]
            await pilot.press(key)
        await pilot.pause()
        await pilot.press("escape")  # the session's summary
        await pilot.pause()
        assert app.screen is not home
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert worked  # worked out under the summary
        summary = home.query_one("#summary")
        redrawn = redraws(home, "summary", "menu")
        worked.clear()
        await pilot.press("enter")  # home
        await ready(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.screen is home
        assert "1 missed to win back" in str(summary.render())
        assert (redrawn, worked) == ([], [])


async def test_the_way_back_from_practice_reads_no_figure_and_draws_no_changed_line(tmp_path):
    """Under the summary Home is brought up to date and its changed lines drawn (`draw_ahead`): the
    way back asks the store whether anything changed (nothing did) and composes its frame from
    lines already drawn. Counted: statements on the app's connection, and lines Home's summary and
    menu render, from Enter on the summary until Home is up."""
    from tests.tui.helpers import keys_for_wrong_answer, open_practice

    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await open_practice(pilot)  # which question practice starts with (left unanswered)
        first = app.screen.query("Choices").last().question.id  # type: ignore[attr-defined]
        await pilot.press("escape")
        await ready(pilot)
        ids = list(app.coach.bank.questions)
        _miss_one(app, 1 if ids[0] == first else 0)  # studied: the pass chance's line is as it stays
        await _refreshed(app, pilot)
        home = app.screen
        before = _text(app)
        await open_practice(pilot)
        for key in [*keys_for_wrong_answer(app.screen.query("Choices").last()), "enter"]:  # type: ignore[arg-type]
            await pilot.press(key)
        await pilot.pause()
        await pilot.press("enter")  # the next question, missed too: one of the two is a new miss
        await pilot.pause()
        for key in [*keys_for_wrong_answer(app.screen.query("Choices").last()), "enter"]:  # type: ignore[arg-type]
            await pilot.press(key)
        await pilot.pause()
        await pilot.press("escape")  # the session's summary: the misses changed Home's counts
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        drawn: list[str] = []
        for widget in home.query("#summary, #menu").results(Widget):
            render_line = widget.render_line

            def counted(y: int, _render=render_line, _id=widget.id):  # noqa: ANN202
                drawn.append(_id)
                return _render(y)

            widget.render_line = counted  # type: ignore[method-assign]
        statements: list[str] = []
        app.store._conn.set_trace_callback(statements.append)
        await pilot.press("enter")  # home
        await ready(pilot)
        await pilot.pause()
        app.store._conn.set_trace_callback(None)
        assert app.screen is home
        assert _text(app) != before  # the counts changed: under the summary, not on the way back
        assert [s for s in statements if not s.startswith("PRAGMA")] == []
        assert drawn == []
