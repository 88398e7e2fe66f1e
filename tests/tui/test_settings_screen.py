"""The settings screen at 80x24, driven by keys (issue 15, items 3, 5 and 6): field messages in plain
words beside the field, seen without scrolling by hand; nothing saved while a field is invalid; a
past exam date refused; the short-exam count labelled, shown only for a short exam, and remembered."""

from __future__ import annotations

from textual.widgets import Input, Select

from tests.tui.helpers import build, ready

SIZE = (80, 24)


async def _open_settings(pilot) -> None:  # noqa: ANN001
    await ready(pilot)
    await pilot.press("s")
    await ready(pilot, "SettingsScreen")


async def _retype(pilot, field_id: str, text: str) -> None:  # noqa: ANN001
    """Click into the field, clear it and type `text`, as a learner does."""
    field = pilot.app.screen.query_one(f"#{field_id}", Input)
    field.focus()
    await pilot.pause()
    await pilot.press("end", *["backspace"] * len(field.value), *text)
    await pilot.pause()


def _visible(app, widget) -> bool:  # noqa: ANN001
    """The widget is displayed and at least partly inside the 80x24 screen."""
    region = widget.region
    return widget.display and region.height > 0 and app.screen.region.overlaps(region)


def _text(widget) -> str:  # noqa: ANN001
    return str(widget.render())


async def test_a_bad_date_is_explained_beside_the_field_and_on_screen_and_not_saved(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_settings(pilot)
        await _retype(pilot, "exam_date", "next-friday")
        note = app.screen.query_one("#exam_date-problem")
        assert "Use YYYY-MM-DD, e.g. 2027-01-31" in _text(note)
        app.screen.query_one("#theme").focus()  # somewhere else in the form, as after tabbing on
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.pause()
        message = app.screen.query_one("#message")
        assert "Not saved" in _text(message) and "exam date" in _text(message)
        assert _visible(app, message) and _visible(app, note)
        assert "isoformat" not in _text(message) + _text(note)
        assert "exam_date" not in app.coach.store.settings()
        await _retype(pilot, "exam_date", "2027-01-31")
        assert not note.display and _text(note) == ""
        assert "Not saved" not in _text(message)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.coach.store.settings()["exam_date"] == "2027-01-31"
        assert "Saved" in _text(message)


async def test_a_past_exam_date_is_refused(tmp_path):
    app = build(tmp_path)  # the clock says 2026-11-23
    async with app.run_test(size=SIZE) as pilot:
        await _open_settings(pilot)
        await _retype(pilot, "exam_date", "2026-10-24")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "has passed" in _text(app.screen.query_one("#exam_date-problem"))
        assert app.coach.settings.exam_date is None
        assert "exam_date" not in app.coach.store.settings()


async def test_nothing_is_saved_while_any_field_is_invalid(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_settings(pilot)
        await _retype(pilot, "new_cards_per_day", "7")
        await _retype(pilot, "desired_retention", "5")
        assert "from 0.70 to 0.99" in _text(app.screen.query_one("#desired_retention-problem"))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.coach.store.settings() == {}  # not even the valid new-cards value
        assert app.focused is app.screen.query_one("#desired_retention")


async def test_the_short_exam_count_is_labelled_and_shown_only_for_a_short_exam(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_settings(pilot)
        row = app.screen.query_one("#short_row")
        assert app.screen.query_one(Select).value == "full" and not row.display
        app.screen.query_one("#exam_kind", Select).value = "short"
        await pilot.pause()
        assert row.display
        label = str(row.query_one("Label").render())
        assert "Questions in a short exam" in label


async def test_the_short_exam_count_is_remembered_after_choosing_full_and_back(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_settings(pilot)
        kind = app.screen.query_one("#exam_kind", Select)
        kind.value = "short"
        await pilot.pause()
        await _retype(pilot, "short_exam_length", "5")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.coach.settings.exam_length == "5"
        kind.value = "full"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.coach.settings.exam_length == "full"
        await pilot.press("escape")
        await _open_settings(pilot)
        app.screen.query_one("#exam_kind", Select).value = "short"
        await pilot.pause()
        assert app.screen.query_one("#short_exam_length", Input).value == "5"
