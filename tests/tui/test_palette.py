"""ctrl+p lists every mode as soon as it opens, before anything is typed (issue 15, item 15): the
README and the help screen say it does."""

from __future__ import annotations

from textual.command import CommandList, CommandPalette

from quizapp.tui.app import MODES
from tests.tui.helpers import build, open_flashcards, ready


async def _open_palette(pilot) -> list[str]:  # noqa: ANN001
    await pilot.press("ctrl+p")
    for _ in range(50):
        await pilot.pause(0.02)
        if isinstance(pilot.app.screen, CommandPalette):
            listed = pilot.app.screen.query_one(CommandList)
            if listed.option_count >= len(MODES):
                break
    assert isinstance(pilot.app.screen, CommandPalette)
    assert pilot.app.screen.query_one("#--input Input").value == ""  # nothing typed
    listed = pilot.app.screen.query_one(CommandList)
    return [listed.get_option_at_index(i).hit.text for i in range(listed.option_count)]


async def test_the_palette_lists_every_mode_before_typing(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        listed = await _open_palette(pilot)
        names = [name for name, _, _ in MODES]
        assert listed[: len(names)] == names, listed  # the modes first, in the menu's order
        await pilot.press("enter")  # the first: Flashcards, as from Home's menu
        await ready(pilot, "PickDialog")


async def test_the_palette_lists_the_modes_on_other_screens_too(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await open_flashcards(pilot)
        listed = await _open_palette(pilot)
        assert all(name in listed for name, _, _ in MODES), listed
