"""Issue 18: a long practice or flashcard session neither keeps what it removed nor rebuilds what it
could reuse.

Counted, not timed: every widget that leaves the screen during a session must be garbage (a weakref to
it dies at `gc.collect()`), and a question's submit and "next" reuse the question view and the footer's
keys instead of building new ones.
"""

from __future__ import annotations

import gc
import weakref

from textual.widget import Widget
from textual.widgets._footer import FooterKey

from quizapp.tui.widgets.question import QuestionView
from tests.factory import make_bank
from tests.tui.helpers import (
    build,
    keys_for_right_answer,
    keys_for_wrong_answer,
    open_flashcards,
    open_practice,
    ready,
)

SIZE = (80, 24)
ANSWERS = 8


def _watch(screen, seen: dict[int, weakref.ref[Widget]]) -> None:  # noqa: ANN001
    """Remember (weakly) every widget now on the screen."""
    for widget in screen.walk_children(with_self=False):
        seen.setdefault(id(widget), weakref.ref(widget))


def _kept(screen, seen: dict[int, weakref.ref[Widget]]) -> list[str]:  # noqa: ANN001
    """Widgets seen during the session, no longer on the screen, yet still alive after a collection."""
    gc.collect()
    on_screen = {id(w) for w in screen.walk_children(with_self=False)}
    alive = [ref() for key, ref in seen.items() if key not in on_screen]
    return sorted(type(widget).__name__ for widget in alive if widget is not None)


async def test_a_practice_session_leaves_nothing_it_removed_alive(tmp_path):
    app = build(tmp_path, bank=make_bank(per_task=13))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        screen = app.screen
        seen: dict[int, weakref.ref[Widget]] = {}
        _watch(screen, seen)
        for n in range(ANSWERS):
            choices = screen.query_one(QuestionView).choices
            keys = keys_for_right_answer(choices) if n % 2 else keys_for_wrong_answer(choices)
            await pilot.press(*keys, "enter")
            await pilot.pause()
            _watch(screen, seen)
            await pilot.press("enter")
            await pilot.pause()
            _watch(screen, seen)
        assert screen.session.index == ANSWERS
        assert _kept(screen, seen) == []


async def _practising(pilot):  # noqa: ANN001, ANN202
    """Home, then practice opened as a learner opens it: the screen and its one question view."""
    await ready(pilot)
    await open_practice(pilot)
    return pilot.app.screen, pilot.app.screen.query_one(QuestionView)


async def test_practice_reuses_its_question_view_and_footer_keys(tmp_path):
    app = build(tmp_path, bank=make_bank(per_task=13))
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await _practising(pilot)
        created: set[int] = set()
        for _ in range(ANSWERS):
            await pilot.press(*keys_for_right_answer(view.choices), "enter")
            await pilot.pause()
            assert screen.query_one(QuestionView) is view and view.choices.review
            created |= {id(k) for k in screen.query(FooterKey)}
            await pilot.press("enter")
            await pilot.pause()
            assert screen.query_one(QuestionView) is view and not view.choices.review
            assert app.focused is view.choices  # kept: a focus change costs a frame of its own
            created |= {id(k) for k in screen.query(FooterKey)}
        # Every key the footer ever showed is one it still has: none was thrown away and rebuilt.
        assert created <= {id(k) for k in screen.query(FooterKey)}, len(created)


async def test_a_flashcard_session_leaves_nothing_it_removed_alive(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_flashcards(pilot)
        screen = app.screen
        seen: dict[int, weakref.ref[Widget]] = {}
        _watch(screen, seen)
        rated = 0
        while screen.session.current() is not None and rated < ANSWERS:
            await pilot.press("space")
            await pilot.pause()
            _watch(screen, seen)
            await pilot.press("3")
            await pilot.pause()
            _watch(screen, seen)
            rated += 1
        assert rated >= 3
        assert _kept(screen, seen) == []


async def test_walking_exam_results_reuses_one_question_view(tmp_path):
    from quizapp.study.grading import correct_response
    from quizapp.tui.screens.results import ResultsScreen

    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        session = app.coach.start_exam("full", seed=8)
        for position in range(0, len(session), 2):
            session.answer(correct_response(session.question(position)), position=position)
        session.submit()
        app.push_screen(ResultsScreen.of(session))
        await ready(pilot, "ResultsScreen")
        screen = app.screen
        seen: dict[int, weakref.ref[Widget]] = {}
        await pilot.press("a")
        await pilot.pause()
        view = screen.query_one(QuestionView)
        for _ in range(ANSWERS):
            await pilot.press("right")
            await pilot.pause()
            _watch(screen, seen)
        assert screen.cursor == ANSWERS
        assert list(screen.query(QuestionView)) == [view]
        await pilot.press("escape")  # the summary, then the walk again
        await pilot.pause()
        await pilot.press("w")
        await pilot.pause()
        assert list(screen.query(QuestionView)) == [view] and view.display
        assert _kept(screen, seen) == []


async def test_arrows_scroll_a_long_feedback(tmp_path):
    """The choices keep the focus through feedback, yet ↓ and ↑ scroll it, as they did when the body had
    the focus."""
    app = build(tmp_path, bank=make_bank(per_task=13))
    async with app.run_test(size=(80, 12)) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        screen = app.screen
        body = screen.query_one("#body")
        await pilot.press(*keys_for_wrong_answer(screen.query_one(QuestionView).choices), "enter")
        await pilot.pause()
        assert body.max_scroll_y > 0, "the feedback fits: nothing to scroll"
        start = body.scroll_y
        await pilot.press("down", "down")
        await pilot.pause()
        assert body.scroll_y == min(start + 2, body.max_scroll_y)
        await pilot.press("up")
        await pilot.pause()
        assert body.scroll_y == min(start + 2, body.max_scroll_y) - 1


async def test_an_exam_leaves_nothing_it_removed_alive(tmp_path):
    """The exam reuses its question view and its footer's keys do not change as it moves, so it
    keeps Textual's Footer (whose replaced keys stay alive through `data_bind`); this guards both."""
    from quizapp.tui.screens.exam import ExamScreen

    app = build(tmp_path, bank=make_bank(per_task=13))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(ExamScreen(app.coach.start_exam("full", seed=4)))
        await ready(pilot, "ExamScreen")
        screen = app.screen
        seen: dict[int, weakref.ref[Widget]] = {}
        _watch(screen, seen)
        for n in range(ANSWERS):
            choices = screen.query_one(QuestionView).choices
            keys = keys_for_right_answer(choices) if n % 2 else keys_for_wrong_answer(choices)
            await pilot.press(*keys)
            if n % 3 == 0:
                await pilot.press("f")  # flagged: the footer's keys change
            await pilot.pause()
            _watch(screen, seen)
            await pilot.press("right")
            await pilot.pause()
            _watch(screen, seen)
        assert screen.session.position == ANSWERS
        assert _kept(screen, seen) == []


async def _home(pilot) -> None:  # noqa: ANN001
    while type(pilot.app.screen).__name__ != "HomeScreen":
        await pilot.press("escape")
        await pilot.pause()
    await ready(pilot)


async def test_later_sessions_start_afresh_on_the_one_kept_practice_screen(tmp_path):
    """Practice, then practice again, then review missed: one screen, each session from its own first
    question with nothing of the last one on it (feedback, summary, counts, timer); every answer of
    the first session is stored, the one left on screen included."""
    app = build(tmp_path, bank=make_bank(per_task=13))
    async with app.run_test(size=SIZE) as pilot:
        first, view = await _practising(pilot)
        await pilot.press(*keys_for_right_answer(view.choices), "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*keys_for_wrong_answer(view.choices), "enter")  # feedback left on screen
        await pilot.pause()
        assert first.feedback is not None
        old_session, old_timer = first.session, first.timer
        await _home(pilot)
        assert len(list(app.store.answers())) == 2

        await open_practice(pilot)
        assert app.screen is first
        assert first.session is not old_session and first.timer is not old_timer
        assert first.feedback is None and not first.finished and first.session.history == []
        assert first.query_one(QuestionView) is view and not view.choices.review and view.display
        assert first._summary is not None and not first._summary.display  # the last one's summary
        assert view.question.id == first.session.current().id
        assert str(first.query_one("#status")._shown[1]).endswith("0/0 right")
        assert app.focused is view.choices
        await pilot.press(*keys_for_right_answer(view.choices), "enter")
        await pilot.pause()
        assert first.feedback is not None and first.feedback.correct
        await _home(pilot)
        assert len(list(app.store.answers())) == 3

        await pilot.press("m")  # review missed: the one wrong answer
        await ready(pilot, "PracticeScreen")
        assert app.screen is first and first.title_text == "Review missed"
        assert [view.question.id] == [q for q in first.session.queue]


async def test_later_flashcard_sessions_start_afresh_on_the_one_kept_screen(tmp_path):
    """Flashcards, then flashcards again: one screen, the second session from its own first card's
    front (not the last one's back or its end-of-session text), counted and timed afresh; every
    rating of the first session is stored."""
    from tests.tui.helpers import open_flashcards

    app = build(tmp_path, bank=make_bank(per_task=13))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_flashcards(pilot, reveal=True)
        first = app.screen
        area, back = first._area, first._back
        await pilot.press("3")  # Good: the next card's front
        await pilot.pause()
        await pilot.press("space")  # its back left on screen
        await pilot.pause()
        assert first.revealed and back.display
        old_session, old_timer = first.session, first.timer
        await _home(pilot)
        assert len([r for r in app.store.reviews() if r.kind == "card"]) == 1

        await open_flashcards(pilot)
        assert app.screen is first
        assert first.session is not old_session and first.timer is not old_timer
        assert not first.revealed and not back.display and not first._done.display
        card = first.session.current()
        assert card is not None and str(first._front.render()) == card.front
        assert "0 reviewed" in str(first._status.render())
        assert first._area is area and app.focused is area
        await pilot.press("space", "3")
        await pilot.pause()
        assert first.session.reviewed == 1
        await _home(pilot)
        assert len([r for r in app.store.reviews() if r.kind == "card"]) == 2
