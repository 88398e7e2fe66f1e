"""`ProgressStore.change_mark`: what lets a figure be shown again without reading it again. It must
move with every write, on this connection or another, and with no read; a kept note does not move it."""

from __future__ import annotations

import sqlite3

from quizapp.store import ProgressStore
from quizapp.store.summaries import save_note


def test_the_change_mark_moves_with_every_write_and_no_read(tmp_path):
    with ProgressStore.open(tmp_path / "data") as store:
        mark = store.change_mark()
        store.settings()
        assert store.change_mark() == mark
        store.set_setting("new_cards_per_day", 3)
        assert store.change_mark() != mark
        mark = store.change_mark()
        other = sqlite3.connect(tmp_path / "data" / store.path.name)
        other.execute("UPDATE setting SET value_json = '4' WHERE key = 'new_cards_per_day'")
        other.commit()
        other.close()
        assert store.change_mark() != mark


def test_a_note_kept_for_the_next_start_leaves_the_mark_alone(tmp_path):
    with ProgressStore.open(tmp_path / "data") as store:
        mark = store.change_mark()
        save_note(store, "pass_chance", "{}")
        assert store.change_mark() == mark
        store.set_setting("new_cards_per_day", 3)  # and a write after it still moves it
        assert store.change_mark() != mark
