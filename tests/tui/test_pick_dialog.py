"""The scope picker at 80x24 and 60x20 (issue 15, item 14): a long list scrolls inside the dialog and
the hint under it (how to choose, how to leave) stays on screen."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList

from tests.tui.helpers import build, ready


def drawn(app) -> str:  # noqa: ANN001
    return "\n".join("".join(s.text for s in strip) for strip in app.screen._compositor.render_strips())


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
@pytest.mark.parametrize(("key", "title"), [("f", "Which flashcards?"), ("p", "Practise what?")])
async def test_the_hint_stays_visible_and_the_list_scrolls(tmp_path, size, key, title):
    app = build(tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await pilot.press(key)
        await ready(pilot, "PickDialog")
        await pilot.pause()
        screen = drawn(app)
        assert title in screen and "Esc: back" in screen, screen
        options = app.screen.query_one(OptionList)
        hint = app.screen.query_one(".hint")
        assert options.region.bottom <= hint.region.y  # the list ends above the hint, not under it
        assert options.max_scroll_y > 0  # longer than the room it has: it scrolls
        await pilot.press("end")
        await pilot.pause()
        await pilot.wait_for_scheduled_animations()
        assert options.highlighted == options.option_count - 1
        assert options.scroll_y > 0
        last = str(options.get_option_at_index(options.option_count - 1).prompt)
        screen = drawn(app)
        assert last.split()[-1] in screen and "Esc: back" in screen, screen


async def test_a_short_list_keeps_the_dialog_small(tmp_path):
    """The list is as tall as its choices when they fit: no empty box for two links."""
    from quizapp.tui.dialogs.pick import PickDialog

    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        app.push_screen(PickDialog("Open which page?", [("one", "1"), ("two", "2")], "Esc: back"))
        await ready(pilot, "PickDialog")
        await pilot.pause()
        options = app.screen.query_one(OptionList)
        assert options.max_scroll_y == 0
        assert options.region.height <= 4  # two lines and the focus border
        assert "Esc: back" in drawn(app)
