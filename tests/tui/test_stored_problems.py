"""Stored progress that cannot be used (a card state FSRS cannot load, an invalid setting, an exam
whose questions left the bank) never stops the app: it opens, says what it left out once, points to
`quizapp doctor`, and offers a new exam instead of one that cannot be resumed."""

from __future__ import annotations

import sqlite3

from quizapp.store import ProgressStore
from tests.factory import make_coach
from tests.tui.helpers import build, open_flashcards, ready


def spoil_progress(tmp_path) -> None:  # noqa: ANN001
    coach = make_coach(tmp_path)
    session = coach.flashcards()
    session.rate(3)
    coach.start_exam(5, seed=1)
    coach.store.close()
    conn = sqlite3.connect(tmp_path / "data" / "progress.db")
    with conn:
        conn.execute("UPDATE item_state SET card_json = '{\"x\": 1}'")
        conn.execute("UPDATE exam SET questions_json = '[\"gone-from-the-bank\"]'")
        conn.execute("INSERT INTO setting (key, value_json) VALUES ('new_cards_per_day', '\"lots\"')")
    conn.close()


async def test_the_app_opens_over_unusable_progress_and_says_what_it_left_out(tmp_path):
    spoil_progress(tmp_path)
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        for _ in range(20):
            await pilot.pause()
        menu = app.screen.query_one("#menu")
        assert menu.get_option_at_index(0).id != "resume"  # nothing offered that cannot resume
        said = [n.message for n in app._notifications]
        warnings = [m for m in said if "quizapp doctor" in m]
        assert len(warnings) == 1
        assert "new_cards_per_day" in warnings[0] and "cannot be resumed" in warnings[0]
        await open_flashcards(pilot)  # the spoiled card is studied afresh, not a crash
        await pilot.press("escape")
        await ready(pilot)
        assert len([n for n in app._notifications if "quizapp doctor" in n.message]) == 1  # said once
    assert app._exception is None
    store = ProgressStore.open(tmp_path / "data")
    assert store.settings()["new_cards_per_day"] == "lots"  # reported, not deleted: the doctor's job
    store.close()
