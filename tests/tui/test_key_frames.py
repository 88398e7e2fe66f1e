"""Issue 18: a practice or flashcard key is drawn in one composed frame, as the exam's moves are.

Counted, not timed: every frame a screen composes (`Screen._compositor_refresh`, where Textual renders
a frame and a terminal driver writes it) is counted from the key press until the app has settled. A
second frame for the same key was a second layout that found nothing new to place (a status part or a
footer key newly sized, a footer scrollbar shown or hidden, the footer's keys relabelled after the key
had already been drawn, a verdict, a footer key or a flashcard's back mounted on first use), and each
cost the key another 16 ms tick of the screen's update timer.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from textual.pilot import Pilot
from textual.screen import Screen

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
ANSWERS = 10
RATINGS = 8
FRAMES_PER_KEY = 1
SETTLE_S = 0.1
"""After a key, long enough for any frame it still causes: frames come at most 1/60 s apart."""


class Frames:
    """The frames composed for the screen on top, counted."""

    def __init__(self) -> None:
        self.count = 0
        self._settled = False
        """`of` has just waited out its own key: the app is settled for the next one. Only `of`
        drives the app inside a `counting()` block here, so nothing can have happened since."""

    @contextmanager
    def counting(self) -> Iterator[Frames]:
        compose = Screen._compositor_refresh

        def counted(screen: Screen) -> None:
            if screen.is_current:
                self.count += 1
            compose(screen)

        Screen._compositor_refresh = counted  # type: ignore[method-assign]
        try:
            yield self
        finally:
            Screen._compositor_refresh = compose  # type: ignore[method-assign]

    async def of(self, pilot: Pilot, key: str) -> int:
        """How many frames pressing `key` composes.

        Keys in a row share one settling pause: the one after a key is the one before the next (a
        second pause between them only left a window whose frames counted for neither key; now such
        a frame counts for the next key)."""
        if not self._settled:
            await pilot.pause(SETTLE_S)  # whatever came before has settled
        before = self.count
        await pilot.press(key)
        await pilot.pause(SETTLE_S)
        self._settled = True
        return self.count - before


async def test_practice_picks_submits_and_nexts_compose_one_frame_each(tmp_path):
    app = build(tmp_path, bank=make_bank(per_task=13, case_studies=0))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        screen = app.screen
        view = screen.query_one(QuestionView)
        frames: dict[str, list[int]] = {"pick": [], "submit": [], "next": []}
        types: set[str] = set()
        with Frames().counting() as counter:
            for n in range(ANSWERS):
                types.add(view.choices.question.type)
                keys = keys_for_right_answer(view.choices) if n % 2 else keys_for_wrong_answer(view.choices)
                for key in keys:
                    frames["pick"].append(await counter.of(pilot, key))
                frames["submit"].append(await counter.of(pilot, "enter"))  # the first one of the session too
                assert view.choices.review
                frames["next"].append(await counter.of(pilot, "enter"))
                assert not view.choices.review
        assert screen.session.index == ANSWERS
        assert types == {"single", "multi", "ordering", "matching"}
        for kind, counts in frames.items():
            assert counts and max(counts) <= FRAMES_PER_KEY, (kind, counts)


async def test_flashcard_reveals_and_ratings_compose_one_frame_each(tmp_path):
    app = build(tmp_path, bank=make_bank(cards_per_task=4))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_flashcards(pilot)
        screen = app.screen
        frames: dict[str, list[int]] = {"reveal": [], "rate": []}
        with Frames().counting() as counter:
            for n in range(RATINGS):
                assert screen.session.current() is not None
                frames["reveal"].append(await counter.of(pilot, "space"))  # the first one mounted the back
                assert screen.revealed
                frames["rate"].append(await counter.of(pilot, "3" if n % 3 else "2"))
                assert not screen.revealed
        for kind, counts in frames.items():
            assert counts and max(counts) <= FRAMES_PER_KEY, (kind, counts)


def _count_updates(widget, counts: dict[str, int], name: str) -> None:  # noqa: ANN001
    """Count `widget.update` calls under `name` (a repaint and a measure each, even for the same text)."""
    update = widget.update

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        counts[name] = counts.get(name, 0) + 1
        return update(*args, **kwargs)

    widget.update = counted


async def test_practice_redraws_only_the_footer_keys_and_status_parts_that_change(tmp_path):
    """Enter's label changes and Guess and Open docs come and go; Undo, End session and Help are drawn
    by the same widgets throughout, and the status line's title is not set again."""
    from textual.widgets._footer import FooterKey

    app = build(tmp_path, bank=make_bank(per_task=13, case_studies=0))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        screen = app.screen
        view = screen.query_one(QuestionView)
        drawn_by: dict[str, set[int]] = {}
        updates: dict[str, int] = {}

        def note_keys() -> None:
            for key in screen.query(FooterKey):
                if key.display:
                    drawn_by.setdefault(key.key, set()).add(id(key))

        for n in range(4):
            await pilot.press(*keys_for_wrong_answer(view.choices), "enter")
            await pilot.pause()
            note_keys()
            if n == 0:  # the footer now has every key it will need
                _count_updates(screen._status_bar._main, updates, "title")
            await pilot.press("enter")
            await pilot.pause()
            note_keys()
        assert {"u", "escape"} <= drawn_by.keys()
        assert all(len(widgets) == 1 for widgets in drawn_by.values()), drawn_by
        assert updates == {}, updates


async def test_a_flashcard_reveal_leaves_the_status_deck_and_front_alone(tmp_path):
    app = build(tmp_path, bank=make_bank(cards_per_task=4))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_flashcards(pilot)
        screen = app.screen
        updates: dict[str, int] = {}
        for name in ("_status", "_deck", "_front"):
            _count_updates(getattr(screen, name), updates, name)
        for _ in range(3):
            await pilot.press("space")
            await pilot.pause()
            assert screen.revealed
            assert updates == {}, updates
            await pilot.press("3")
            await pilot.pause()
            updates.clear()


async def test_practice_submit_and_next_reapply_no_stylesheet(tmp_path):
    """Answered wrong every time (the verdict keeps its class), a submit and a "next" change no class:
    each class change re-applies the stylesheet to the widget in the key's handler."""
    app = build(tmp_path, bank=make_bank(per_task=13, case_studies=0))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        view = app.screen.query_one(QuestionView)
        restyled: list[object] = []
        update_styles = app.update_styles

        def counted(node, animate: bool = True):  # noqa: ANN001, ANN202
            restyled.append(node)
            return update_styles(node, animate=animate)

        for n in range(4):
            if n == 1:  # the verdict has its class now
                app.update_styles = counted
            await pilot.press(*keys_for_wrong_answer(view.choices), "enter")
            await pilot.pause()
            assert view.choices.review
            await pilot.press("enter")
            await pilot.pause()
        assert restyled == [], restyled


async def test_leaving_practice_at_once_after_the_first_submit_leaves_no_frames_held(tmp_path):
    """The first feedback mounts the footer's new keys and holds the frames until they are in; leaving
    in the same burst of keys must still let them go (the app would stop drawing otherwise)."""
    app = build(tmp_path, bank=make_bank(per_task=13, case_studies=0))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        view = app.screen.query_one(QuestionView)
        await pilot.press(*keys_for_wrong_answer(view.choices), "enter", "escape", "escape")
        await pilot.pause(SETTLE_S)
        assert type(app.screen).__name__ == "HomeScreen"
        for _ in range(10):
            if not app._batch_count:
                break
            await pilot.pause(SETTLE_S)
        assert app._batch_count == 0
        with Frames().counting() as counter:
            await pilot.press("down")
            await pilot.pause(SETTLE_S)
        assert counter.count >= 1


async def test_practice_keys_do_not_summarise_the_session(tmp_path):
    """The status line's counts are two sums; the per-domain summary is for the end of the session."""
    app = build(tmp_path, bank=make_bank(per_task=13, case_studies=0))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        screen = app.screen
        view = screen.query_one(QuestionView)
        summaries: list[int] = []
        summary = screen.session.summary
        screen.session.summary = lambda: summaries.append(1) or summary()
        for n in range(3):
            keys = keys_for_right_answer(view.choices) if n % 2 else keys_for_wrong_answer(view.choices)
            await pilot.press(*keys, "enter")
            await pilot.pause()
            await pilot.press("enter")
            await pilot.pause()
        assert summaries == []
        assert screen.session.index == 3
        assert "1/3 right" in str(screen._status_bar._side.render())


async def test_the_rating_that_ends_a_flashcard_session_composes_one_frame(tmp_path):
    app = build(tmp_path, bank=make_bank(cards_per_task=1))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.coach.update_settings(new_cards_per_day=2)
        await open_flashcards(pilot)
        screen = app.screen
        frames: list[int] = []
        with Frames().counting() as counter:
            for _ in range(10):
                if screen.session.current() is None:
                    break
                frames.append(await counter.of(pilot, "space"))
                frames.append(await counter.of(pilot, "4"))
        assert screen.session.current() is None and screen._done.display
        assert max(frames) <= FRAMES_PER_KEY, frames
