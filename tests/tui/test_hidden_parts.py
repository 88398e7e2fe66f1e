"""Issue 18: a part laid out ahead while hidden (a card's back) composes no frame, and shows its own
text once revealed.

Counted, not timed. Textual asked for a frame whenever a widget under a hidden one took new text (it
checks only the widget's own `display`), so every flashcard and practice open composed one more frame
after the screen looked done; `SizedByLayout` drops those requests while hidden. The second test is
why that is safe: the card after the first has its back replaced while hidden, and the reveal must
draw that text, not the first card's.
"""

from __future__ import annotations

from tests.tui.helpers import build, open_flashcards, ready
from tests.tui.visible import screen_rows


async def test_new_text_for_a_hidden_back_composes_no_frame(tmp_path, monkeypatch):
    """The hidden back asks the screen for no frame, and no frame composed after has it, or anything
    in it, to draw. (Frames for other reasons may come, so they are not counted: Home, under the
    mode, composes the repaint it asked for on resuming from the picker when it next handles a
    message, as Textual counts the screen under the top one as visible even under an opaque one,
    and the mode's screen then repaints the same regions.)"""
    from textual.screen import Screen

    dirty: list[set] = []
    compose = Screen._compositor_refresh

    def recorded(screen: Screen) -> None:
        dirty.append(set(screen._dirty_widgets))
        compose(screen)

    monkeypatch.setattr(Screen, "_compositor_refresh", recorded)
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await open_flashcards(pilot)
        for _ in range(4):
            await pilot.pause()
        back = app.screen._back
        assert not back.display
        parts = {back, *back.walk_children()}
        before = len(dirty)
        await back.show("A different back.\n\nWith a second paragraph.")
        screen = app.screen
        # A layout, or a repaint of the back (a repaint of the whole screen may be Home's, above)
        asked = (screen._layout_required, screen._dirty_widgets & parts)
        assert asked == (False, set()), "the hidden back asked for a frame"
        for _ in range(4):
            await pilot.pause()
        assert back.display is False  # still hidden
        drawn = [widgets & parts for widgets in dirty[before:] if widgets & parts]
        assert drawn == [], f"frames for text nobody can see: {drawn}"


async def test_each_card_reveals_its_own_back(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await open_flashcards(pilot)
        shown: list[str] = []
        for _ in range(3):
            card = app.screen.session.current()
            assert card is not None
            await pilot.press("space")
            await pilot.pause()
            await pilot.pause()
            rows = "\n".join(screen_rows(app))
            first_words = " ".join(card.back.split()[:4])
            assert first_words in " ".join(rows.split()), (card.id, first_words, rows)
            shown.append(card.id)
            await pilot.press("3")
            await pilot.pause()
            await pilot.pause()
        assert len(set(shown)) == 3
