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


# -- issue 15 items 6, 9 and 10: the day fields, and a dropdown that leaves the footer alone -------------


def _footer_clear_of_overlay(app) -> tuple[bool, str]:  # noqa: ANN001
    from textual.widgets import Footer
    from textual.widgets._select import SelectOverlay

    footer = app.screen.query_one(Footer).region
    overlays = [o for o in app.screen.query(SelectOverlay) if o.display and o.region.height > 0]
    assert overlays, "a dropdown is open"
    clear = all(not o.region.overlaps(footer) for o in overlays)
    return clear, f"footer {footer}, overlays {[o.region for o in overlays]}"


async def test_an_open_dropdown_never_covers_the_footer(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_settings(pilot)
        scroll = app.screen.query_one("VerticalScroll")
        for select_id in ("exam_kind", "theme"):
            for where in ("top", "bottom"):
                select = app.screen.query_one(f"#{select_id}", Select)
                select.focus()
                await pilot.pause()
                (scroll.scroll_home if where == "top" else scroll.scroll_end)(animate=False)
                await pilot.pause()
                select.focus()  # scrolled back into view, as tabbing to it does
                await pilot.pause()
                await pilot.press("enter")
                await pilot.pause()
                await pilot.pause()
                assert select.expanded
                clear, where_drawn = _footer_clear_of_overlay(app)
                assert clear, f"{select_id} ({where}): {where_drawn}"
                await pilot.press("escape")
                await pilot.pause()
                assert not select.expanded and type(app.screen).__name__ == "SettingsScreen"


async def test_every_field_is_reached_by_tab_and_shown_above_the_footer(tmp_path):
    from textual.widgets import Footer

    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_settings(pilot)
        app.screen.query_one("#exam_kind", Select).value = "short"  # every field on show
        await pilot.pause()
        footer = app.screen.query_one(Footer).region
        wanted = {
            "new_cards_per_day",
            "desired_retention",
            "exam_date",
            "exam_kind",
            "short_exam_length",
            "next_day_starts_at",
            "question_reviews_per_day",
            "theme",
            "save",
        }
        seen: list[str] = []
        for _ in range(len(wanted) + 2):
            await pilot.press("tab")
            await pilot.pause()
            focused = app.focused
            if focused is None or focused.id not in wanted or focused.id in seen:
                continue
            seen.append(focused.id)
            assert _visible(app, focused), focused.id
            assert not focused.region.overlaps(footer), f"{focused.id} is under the footer"
        assert set(seen) == wanted


async def test_the_day_fields_explain_a_bad_value_beside_the_field_and_save(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_settings(pilot)
        screen = app.screen
        assert screen.query_one("#next_day_starts_at", Input).value == "4"
        assert screen.query_one("#question_reviews_per_day", Input).value == "50"
        await _retype(pilot, "next_day_starts_at", "25")
        note = screen.query_one("#next_day_starts_at-problem")
        assert "Use an hour from 0 to 23" in _text(note) and _visible(app, note)
        await _retype(pilot, "question_reviews_per_day", "lots")
        reviews_note = screen.query_one("#question_reviews_per_day-problem")
        assert "whole number from 0 to 9999" in _text(reviews_note) and _visible(app, reviews_note)
        await pilot.press("ctrl+s")
        await pilot.pause()
        message = _text(screen.query_one("#message"))
        assert "Not saved" in message and "next day" in message and "question reviews" in message
        assert app.coach.store.settings() == {}
        await _retype(pilot, "next_day_starts_at", "0")
        await _retype(pilot, "question_reviews_per_day", "30")
        assert not note.display and not reviews_note.display
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Saved" in _text(screen.query_one("#message"))
        stored = app.coach.store.settings()
        assert stored["next_day_starts_at"] == 0 and stored["question_reviews_per_day"] == 30
        assert app.coach.settings.next_day_starts_at == 0 and app.coach.days.cutoff_hour == 0
