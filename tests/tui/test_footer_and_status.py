"""Issue 15, item 14: at 80x24 the question screens' footers show every key they list, '? Help' among
them, and the status line fits the row (the long part cut with an ellipsis, the counts kept)."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from quizapp.study import Scope
from quizapp.study.grading import correct_response
from quizapp.tui.screens.exam import ExamScreen
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.screens.results import ResultsScreen
from quizapp.tui.widgets.question import Choices
from tests.tui.helpers import build, keys_for_wrong_answer, ready
from tests.tui.test_feedback_layout import app_for, full_bank
from tests.tui.visible import screen_rows, shown_region

SIZE = (80, 24)


async def footer_keys(pilot) -> list[str]:  # noqa: ANN001
    """The footer's keys, each asserted to be wholly on screen and not under the palette key."""
    for _ in range(3):
        await pilot.pause()
    footer = pilot.app.screen.query_one(Footer)
    keys = list(footer.query(FooterKey))
    palette = [k for k in keys if k.has_class("-command-palette")]
    taken = [shown_region(k) for k in palette]
    row = Region(0, SIZE[1] - 1, SIZE[0], 1)
    shown = []
    for key in keys:
        region = shown_region(key)
        label = f"{key.key_display} {key.description}".strip()
        assert region is not None and row.contains_region(region), f"{label!r} is cut off: {region}"
        if key not in palette:
            assert not any(region.overlaps(p) for p in taken if p), f"{label!r} is under the palette key"
        shown.append(label)
    return shown


def help_lines(app) -> str:  # noqa: ANN001
    from quizapp.tui.screens.help import HelpScreen

    screen = HelpScreen(app.screen, "x")
    return "\n".join(screen.lines())


async def test_practice_footer_keeps_every_key_and_help(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(PracticeScreen(app.coach.practice(Scope("type", "single")), "Practice"))
        await ready(pilot, "PracticeScreen")
        asking = await footer_keys(pilot)
        assert {"⏎ Submit", "u Undo", "? Help"} <= set(asking), asking
        await pilot.press(*keys_for_wrong_answer(app.screen.query_one(Choices)), "enter")
        feedback = await footer_keys(pilot)
        assert {"⏎ Next", "u Undo", "o Open docs", "? Help"} <= set(feedback), feedback
        assert any(k.startswith("esc ") for k in feedback)
        # Keys left out of the footer are still in the help screen.
        text = help_lines(app)
        for words in ("Quit", "Guess", "palette"):
            assert words in text, words


async def test_exam_footer_keeps_every_key_and_help(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(ExamScreen(app.coach.start_exam("full", seed=1)))
        await ready(pilot, "ExamScreen")
        keys = await footer_keys(pilot)
        for wanted in ("⏎ Next", "m Flag", "n Navigator", "r Review", "esc Pause", "? Help"):
            assert any(k.startswith(wanted) for k in keys), (wanted, keys)
        assert any(k.startswith("← ") for k in keys), keys
        top = screen_rows(app)[0]
        assert "⏱" in top and "1/65" in top and "%" in top, top


async def test_results_footer_keeps_every_key_and_help(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        session = app.coach.start_exam("full", seed=8)
        for position in range(0, len(session), 2):
            session.answer(correct_response(session.question(position)), position=position)
        session.submit()
        app.push_screen(ResultsScreen.of(session))
        await ready(pilot, "ResultsScreen")
        summary = await footer_keys(pilot)
        assert "? Help" in summary and any(k.startswith("w ") for k in summary), summary
        await pilot.press("w")
        walk = await footer_keys(pilot)
        assert "? Help" in walk and "o Open docs" in walk, walk


async def test_practice_status_fits_the_row_and_keeps_the_counts(tmp_path):
    """The real bank's longest tag scope: 'Practice · tag seed-multimodal-counterexamples · …' is wider
    than 80 columns with the counts and the question's task and type."""
    bank = full_bank()
    tag = max((t for q in bank.questions.infos() for t in q.tags), key=len)
    app = app_for(tmp_path, bank)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        session = app.coach.practice(Scope("tag", tag))
        app.push_screen(PracticeScreen(session, "Review missed"))
        await ready(pilot, "PracticeScreen")
        for stage in ("asking", "feedback"):
            await pilot.pause()
            status = app.screen.query_one("#status")
            assert shown_region(status) is not None and status.size.height == 1
            row = screen_rows(app)[status.region.y]
            total = len(session)
            assert f"1/{total}" in row and "right" in row, (stage, row)
            question = session.history[-1].question if stage == "feedback" else session.current()
            assert f"task {question.task}" in row, (stage, row)
            assert "…" in row, (stage, row)
            assert row.rstrip().endswith("right"), (stage, row)
            await pilot.press(*keys_for_wrong_answer(app.screen.query_one(Choices)), "enter")
