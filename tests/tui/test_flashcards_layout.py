"""Flashcards at the sizes learners use (issue 15, item 14): every key in the footer, a long back that
says it goes on and scrolls with the keyboard, and cram that shows no intervals it will not apply."""

from __future__ import annotations

from functools import cache

import pytest

from quizapp.content import Bank, bundled_root, load_catalog
from quizapp.content.models import Flashcard
from quizapp.study import FlashcardSession
from quizapp.tui.screens.flashcards import FlashcardScreen
from tests.factory import make_bank
from tests.tui.helpers import build, open_flashcards, ready

SIZE = (80, 24)


def drawn_lines(app) -> list[str]:  # noqa: ANN001
    """The rows the current screen sends to the terminal, as plain text."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


def footer(app) -> str:  # noqa: ANN001
    return drawn_lines(app)[-1]


@cache
def longest_card() -> tuple[Flashcard, str]:
    """The bundled flashcard with the longest back, and its deck."""
    bank = load_catalog([bundled_root()]).primary
    card = max(bank.flashcards.values(), key=lambda c: len(c.back))
    return card, bank.deck_of[card.id]


def bank_with_longest_card() -> Bank:
    """The test bank's questions and one flashcard: the bundled one with the longest back."""
    bank = make_bank(cards_per_task=0)
    card, deck = longest_card()
    bank.flashcards[card.id] = card
    bank.deck_of[card.id] = deck
    return bank


FRONT_KEYS = ("space Reveal", "u Undo", "l Leeches", "esc Back", "? Help", "q Quit")
BACK_KEYS = ("1 Again", "2 Hard", "3 Good", "4 Easy", "u Undo", "esc Back", "? Help", "q Quit")


async def test_the_footer_shows_every_key_on_the_front_and_on_the_back(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_flashcards(pilot)
        await pilot.pause()
        shown = footer(app)
        for key in FRONT_KEYS:
            assert key in shown, (key, shown)
        assert "1 Again" not in shown  # ratings do nothing before the back is shown
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        shown = footer(app)
        for key in BACK_KEYS:
            assert key in shown, (key, shown)
        assert "space Reveal" not in shown
        # Whatever the footer leaves out is in the help screen.
        await pilot.press("question_mark")
        await ready(pilot, "HelpScreen")
        help_text = "\n".join(drawn_lines(app))
        for key in FRONT_KEYS + BACK_KEYS:
            assert key.split(" ", 1)[1] in help_text, key
        assert "PgDn" in help_text and "Scroll a long card" in help_text  # the cue's keys too


async def test_at_60_columns_the_footer_keeps_the_cards_own_keys(tmp_path):
    """Narrower than 80, the palette key gives way (ctrl+p is on Home and in help): the front keeps every
    key, the back its ratings, Undo and esc Back."""
    app = build(tmp_path)
    async with app.run_test(size=(60, 20)) as pilot:
        await ready(pilot)
        await open_flashcards(pilot)
        await pilot.pause()
        shown = footer(app)
        for key in FRONT_KEYS:
            assert key in shown, (key, shown)
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()
        shown = footer(app)
        for key in ("1 Again", "2 Hard", "3 Good", "4 Easy", "u Undo", "esc Back"):
            assert key in shown, (key, shown)


async def test_rating_keys_work_only_on_the_back(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_flashcards(pilot)
        await pilot.press("3")
        await pilot.pause()
        assert app.coach.store.reviewed_count() == 0
        await pilot.press("space", "3")
        await pilot.pause()
        assert app.coach.store.reviewed_count() == 1
        assert not app.screen.revealed


@pytest.mark.parametrize("size", [(60, 20), (80, 24)])
async def test_a_long_back_is_never_cut_silently(tmp_path, size):
    """Either the whole back is in view, or a line says there is more and ↓/PgDn/End reach the end.

    The bundled card with the longest back is cut at 60x20 (it was at 80x24 too, before the card's
    boxes lost their blank padding rows)."""
    app = build(tmp_path, bank=bank_with_longest_card())
    card, _ = longest_card()
    last_word = card.back.split()[-1]
    async with app.run_test(size=size) as pilot:
        await ready(pilot)
        await open_flashcards(pilot, reveal=True)
        await pilot.pause()
        area = app.screen.query_one("#card")
        back = app.screen.query_one(".back")
        screen = "\n".join(drawn_lines(app))
        if size == (60, 20):
            assert area.max_scroll_y > 0  # the case the learner met: it does not fit
        if area.max_scroll_y == 0:
            assert area.region.contains_region(back.region), (area.region, back.region)
            assert last_word in screen and "more below" not in screen, screen
            return
        assert "more below" in screen, screen
        assert app.focused is area  # the keys scroll it without a click first
        await pilot.press("down")
        await pilot.wait_for_scheduled_animations()
        assert area.scroll_y >= 1
        await pilot.press("pagedown", "end")
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        await pilot.pause()
        screen = "\n".join(drawn_lines(app))
        assert area.scroll_y == area.max_scroll_y
        assert "more below" not in screen, screen
        assert last_word in screen, screen
        await pilot.press("home")
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        await pilot.pause()
        assert "more below" in "\n".join(drawn_lines(app))
        app.screen.set_focus(None)  # focus elsewhere (a click, say): PgDn still pages the card
        await pilot.press("pagedown")
        await pilot.wait_for_scheduled_animations()
        assert area.scroll_y > 0


@pytest.mark.parametrize("empty_intervals", [False, True])
async def test_cram_shows_the_ratings_without_intervals(tmp_path, monkeypatch, empty_intervals):
    """Cram does not reschedule: no interval is offered, and a note says schedules are unchanged. The
    same whether the session still computes intervals in cram or returns an empty mapping."""
    if empty_intervals:
        monkeypatch.setattr(FlashcardSession, "intervals", lambda self: {})
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(FlashcardScreen(app.coach.flashcards(cram=True), "Cram"))
        await ready(pilot, "FlashcardScreen")
        assert "cram: schedules unchanged" in footer_and_above(app)
        await pilot.press("space")
        await pilot.pause()
        buttons = str(app.screen.query_one("#buttons").render())
        for label in ("1 Again", "2 Hard", "3 Good", "4 Easy", "cram: schedules unchanged"):
            assert label in buttons, buttons
        for interval in ("1m", "6m", "10m", "8d"):
            assert interval not in buttons, buttons
        assert "cram: schedules unchanged" in footer_and_above(app)
        await pilot.press("4")
        await pilot.pause()
        assert app.coach.store.reviewed_count() == 0


async def test_an_empty_interval_mapping_shows_the_ratings_bare(tmp_path, monkeypatch):
    monkeypatch.setattr(FlashcardSession, "intervals", lambda self: {})
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_flashcards(pilot, reveal=True)
        buttons = str(app.screen.query_one("#buttons").render())
        assert all(label in buttons for label in ("1 Again", "2 Hard", "3 Good", "4 Easy")), buttons
        assert "None" not in buttons and "cram" not in buttons


def footer_and_above(app) -> str:  # noqa: ANN001
    """The footer and the line above it (where the ratings are)."""
    return "\n".join(drawn_lines(app)[-2:])
