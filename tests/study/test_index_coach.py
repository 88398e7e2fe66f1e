"""A Coach made from the bank index (what a warm start makes Home from) gives Home's figures exactly as
a Coach with the loaded bank does: today's counts, new cards, readiness, the resumable exam and the
kept pass chance; and it hands the bank over (`use_bank`) once loaded."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from quizapp.content import bundled_root, load_catalog
from quizapp.content.index import read_index
from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock
from tests.content import samples
from tests.history import NOW, study_days


@pytest.fixture
def sources(tmp_path: Path) -> list[Path]:
    bank = tmp_path / "bank"
    (bank / "questions").mkdir(parents=True)
    (bank / "questions" / "single.yaml").write_text(samples.SINGLE.replace("s-001", "my-001"))
    return [bundled_root(), bank]


def _studied(data: Path, bank, days: int = 3) -> None:  # noqa: ANN001
    clock = ManualClock(NOW - timedelta(days=days))
    with ProgressStore.open(data) as store:
        coach = Coach(bank, store, clock, fuzz=False)
        coach.update_settings(exam_date="2026-12-21")
        study_days(coach, clock, days=days, answers=8, ratings=6)
        coach.start_exam(4, seed=3)  # left in progress: Home offers to resume it


def test_a_coach_made_from_the_index_gives_homes_figures_as_the_bank_does(tmp_path: Path, sources) -> None:  # noqa: ANN001
    cache, data = tmp_path / "cache", tmp_path / "data"
    catalog = load_catalog(sources, cache_dir=cache)
    index = read_index(cache, sources)
    assert index is not None and not catalog.problems
    _studied(data, catalog.primary)
    with ProgressStore.open(data) as store:
        full = Coach(catalog.primary, store, ManualClock(NOW), fuzz=False)
        chance = full.pass_chance()
        full.keep_for_next_start()
        light = Coach(index, store, ManualClock(NOW), fuzz=False)
        assert not light.bank_loaded and full.bank_loaded
        assert light.today() == full.today()
        assert light.new_cards_today() == full.new_cards_today() > 0
        assert light.has_exam_in_progress() is full.has_exam_in_progress() is True
        assert light.readiness() == full.readiness()
        assert light.known_pass_chance() == chance  # the one kept for this history and this bank
        with pytest.raises(RuntimeError, match="still loading"):
            light.pass_chance_inputs()  # working one out needs the questions themselves
        light.use_bank(catalog.primary)
        assert light.bank_loaded and light.known_pass_chance() == chance
        assert light.pass_chance() == chance
