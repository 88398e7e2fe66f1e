"""Settings shows the FSRS parameters in use and offers the defaults back (issue 16, item 2's display),
and under desired retention what it means in practice (items 3 and 6): the true retention of the last
30 days and the reviews a day to the exam at the retention in the field and two others, worked out
in a worker ("…" until ready). At 80x24, driven by keys."""

from __future__ import annotations

from pathlib import Path

from fsrs.scheduler import DEFAULT_PARAMETERS
from textual.containers import VerticalScroll
from textual.widgets import Button, Footer, Input

from quizapp.store import ProgressStore
from quizapp.study.fit import FitResult
from quizapp.study.fit_settings import KEY, read_fsrs, record_fit
from tests.factory import START
from tests.tui.helpers import build, ready

SIZE = (80, 24)
FITTED = tuple(round(p * 0.9, 4) if i < 4 else p for i, p in enumerate(DEFAULT_PARAMETERS))


def _store_a_fit(data: Path, reason: str = "the fit predicts the most recent 400 reviews better") -> None:
    result = FitResult(
        adopted=True,
        reason=reason,
        parameters=FITTED,
        fitted=FITTED,
        reviews=3000,
        used=2000,
        train=1600,
        test=400,
        items=300,
        log_loss=0.45,
        current_log_loss=0.5,
        default_log_loss=0.5,
    )
    with ProgressStore.open(data) as store:
        record_fit(store, result, START)


async def _open_settings(pilot) -> None:  # noqa: ANN001
    await ready(pilot)
    await pilot.press("s")
    await ready(pilot, "SettingsScreen")
    await _figures_ready(pilot)


async def _figures_ready(pilot) -> None:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


def _text(app, selector: str) -> str:  # noqa: ANN001
    return str(app.screen.query_one(selector).render())


def _on_screen(app, widget) -> bool:  # noqa: ANN001
    region = widget.region
    return widget.display and region.height > 0 and app.screen.region.contains_region(region)


async def _scroll_to(pilot, widget) -> None:  # noqa: ANN001
    pilot.app.screen.query_one(VerticalScroll).scroll_to_widget(widget, animate=False)
    await pilot.pause()
    await pilot.pause()


async def test_the_parameters_in_use_are_described_and_the_defaults_come_back(tmp_path):
    _store_a_fit(tmp_path / "data")
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_settings(pilot)
        lines = _text(app, "#fsrs")
        assert "FSRS parameters: fitted to your 3000 reviews on 2026-11-23" in lines
        assert "Log loss on the latest 400 reviews: fitted 0.450, defaults 0.500" in lines
        button = app.screen.query_one("#fsrs_defaults", Button)
        await _scroll_to(pilot, button)
        assert _on_screen(app, app.screen.query_one("#fsrs")) and _on_screen(app, button)
        assert _on_screen(app, app.screen.query_one(Footer))

        # Asked first, Cancel focused: Enter out of habit changes nothing.
        button.focus()
        await pilot.press("enter")
        await ready(pilot, "ConfirmDialog")
        assert app.focused is not None and app.focused.id == "no"
        await pilot.press("enter")
        await ready(pilot, "SettingsScreen")
        assert read_fsrs(app.coach.store).fitted and app.coach.fsrs.fitted
        assert "unchanged" in _text(app, "#message")

        # Confirmed: the stored setting says default, the coach schedules with the defaults, and the
        # screen says what happened.
        button.focus()
        await pilot.press("enter")
        await ready(pilot, "ConfirmDialog")
        await pilot.press("y")
        await ready(pilot, "SettingsScreen")
        await _figures_ready(pilot)
        stored = app.coach.store.settings()[KEY]
        assert stored["source"] == "default" and stored["parameters"] is None and stored["auto"] is False
        assert not app.coach.fsrs.fitted and app.coach.srs.parameters is None
        assert "Now using FSRS's default parameters" in _text(app, "#message")
        assert _on_screen(app, app.screen.query_one("#message"))
        assert "FSRS parameters: the defaults" in _text(app, "#fsrs")


async def test_stored_words_are_shown_as_text_not_markup(tmp_path):
    _store_a_fit(tmp_path / "data", reason="[bold red]loud[/] \x1b[2Jcleared")
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_settings(pilot)
        lines = _text(app, "#fsrs")
        assert "[bold red]loud[/]" in lines and "\x1b" not in lines


async def test_retention_lines_wait_for_the_worker_then_follow_the_typed_value(tmp_path):
    app = build(tmp_path)  # the factory bank, nothing studied: new cards only, no true retention yet
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await ready(pilot, "SettingsScreen")
        await _figures_ready(pilot)
        retained, workload = _text(app, "#true_retention"), _text(app, "#workload")
        assert retained == (
            "Desired 90 % · true retention last 30 days: cards: no mature reviews yet, "
            "questions: no mature reviews yet"
        )
        assert workload.startswith("At 0.90: about ") and "over the next 30 days; at 0.85: " in workload
        assert _on_screen(app, app.screen.query_one("#workload"))

        field = app.screen.query_one("#desired_retention", Input)
        field.focus()
        await pilot.press("end", *["backspace"] * len(field.value), *"0.97")
        await pilot.pause()
        assert "…" in _text(app, "#workload")  # while typing: no stale figures
        await pilot.pause(0.6)
        await _figures_ready(pilot)
        assert _text(app, "#workload").startswith("At 0.97: about ")
        assert "at 0.92: " in _text(app, "#workload") and "at 0.99: " in _text(app, "#workload")
        assert _text(app, "#true_retention").startswith("Desired 97 % · ")
        assert app.coach.settings.desired_retention == 0.9  # nothing saved by typing


async def test_every_field_stays_reachable_with_the_new_lines(tmp_path):
    _store_a_fit(tmp_path / "data")
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_settings(pilot)
        footer = app.screen.query_one(Footer)
        for selector in (
            "#new_cards_per_day",
            "#desired_retention",
            "#true_retention",
            "#workload",
            "#exam_date",
            "#exam_kind",
            "#next_day_starts_at",
            "#question_reviews_per_day",
            "#theme",
            "#save",
            "#fsrs",
            "#fsrs_defaults",
        ):
            widget = app.screen.query_one(selector)
            await _scroll_to(pilot, widget)
            assert _on_screen(app, widget), selector
            assert not widget.region.overlaps(footer.region), selector
            assert _on_screen(app, footer)
