"""Home at 80x24 after a week of study (issue 15, item 14): the whole menu, the summary and the keys
are on screen, and a line too long for the width wraps under its own text, never to the left edge."""

from __future__ import annotations

import random
from datetime import timedelta
from functools import cache

import pytest
from fsrs import Rating
from textual.widgets import OptionList

from quizapp.content import Bank, Catalog, bundled_root, load_catalog
from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock, Scope
from quizapp.study.grading import correct_response
from quizapp.tui.app import make_app
from quizapp.tui.screens.home import HINT
from tests.factory import START
from tests.tui.helpers import build, ready

EXAM_DATE = "2026-12-21"  # four weeks after START


def drawn_lines(app) -> list[str]:  # noqa: ANN001
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


@cache
def real_bank() -> Bank:
    return load_catalog([bundled_root()]).primary


def a_week_of_study(data_dir, bank: Bank) -> None:  # noqa: ANN001
    """Seven days of flashcards and practice, a submitted exam, another left open, an exam date."""
    store = ProgressStore.open(data_dir)
    clock = ManualClock(START - timedelta(days=7))
    coach = Coach(bank, store, clock, fuzz=False)
    coach.update_settings(exam_date=EXAM_DATE)
    rng = random.Random(15)
    for day in range(7):
        clock.current = START - timedelta(days=7 - day)
        cards = coach.flashcards()
        for _ in range(15):
            if cards.done:
                break
            cards.rate(rng.choice([Rating.Again, Rating.Good, Rating.Good, Rating.Easy]))
        practice = coach.practice(Scope("all"))
        for _ in range(20):
            question = practice.current()
            if question is None:
                break
            practice.answer(correct_response(question) if rng.random() < 0.7 else None)
    exam = coach.start_exam(30, seed=3)
    for position in range(0, len(exam), 2):
        exam.answer(correct_response(exam.question(position)), position=position)
    exam.submit()
    coach.start_exam(20, seed=4)  # left in progress: Home offers to resume it
    store.close()


def hanging(lines: list[str], first: str) -> tuple[int, list[str]]:
    """The column where the line containing `first` starts its text, and the lines it wrapped onto."""
    at = next(i for i, line in enumerate(lines) if first in line)
    start = len(lines[at]) - len(lines[at].lstrip())
    rest = []
    for line in lines[at + 1 :]:
        if not line.strip():
            break
        rest.append(line)
    return start, rest


async def test_home_after_a_week_shows_the_menu_the_summary_and_the_keys(tmp_path):
    bank = real_bank()
    a_week_of_study(tmp_path / "data", bank)
    app = make_app(
        data_dir=tmp_path / "data",
        clock=ManualClock(START),
        catalog=Catalog(banks={bank.exam: bank}),
        fuzz=False,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()  # the pass chance is worked out after the first paint
        await pilot.pause()
        lines = drawn_lines(app)
        screen = "\n".join(lines)
        for words in ("Today", "flashcards due", "Exam in 28 days", "Pass chance ", "Last exam:", "Bank:"):
            assert words in screen, (words, screen)
        menu = app.screen.query_one("#menu", OptionList)
        assert menu.option_count == 7  # resume, then the six modes
        for index in range(menu.option_count):
            assert str(menu.get_option_at_index(index).prompt) in screen, screen
        assert menu.max_scroll_y == 0 and menu.region.bottom <= 23
        assert HINT in lines[-1]
        # Summary and bank lines: text from column 3 (margin and indent), continuation further in.
        top = next(i for i, line in enumerate(lines) if "Today" in line)
        bottom = next(i for i, line in enumerate(lines) if "╭" in line)
        for line in lines[top + 1 : bottom]:
            if line.strip():
                assert len(line) - len(line.lstrip()) >= 3, (line, screen)
        start, rest = hanging(lines, "Bank:")
        for line in rest:
            assert len(line) - len(line.lstrip()) > start, (line, screen)


@pytest.mark.parametrize("size", [(80, 24), (60, 20)])
async def test_the_bank_line_wraps_under_its_text(tmp_path, size):
    """The test bank's line ("Bank: 174 questions, 42 flashcards (42 matching, ...)") is longer than
    80 columns: its figures continue under the figures, not at the screen's left edge."""
    app = build(tmp_path)
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        lines = drawn_lines(app)
        start, rest = hanging(lines, "Bank:")
        assert rest, "\n".join(lines)  # it does wrap at this width
        figures = start + len("Bank: ")
        for line in rest:
            assert len(line) - len(line.lstrip()) == figures, "\n".join(lines)
        assert "single)" in "\n".join(rest)  # nothing lost in the wrapping
