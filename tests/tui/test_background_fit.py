"""Personal FSRS parameters are fitted in the background when Home shows and enough reviews are
new (issue 16, item 2): never on a key, in a child process, and the result is stored and used."""

from __future__ import annotations

from pathlib import Path

from quizapp.store import ProgressStore
from quizapp.study import ManualClock
from quizapp.study.fit_settings import KEY, read_fsrs
from quizapp.tui.app import make_app
from tests.history import NOW, copy_history, real_catalog
from tests.tui.helpers import ready


def _forget_fits(data: Path) -> None:
    """As if no fit had ever run: the setting as a fresh install has it (none)."""
    with ProgressStore.open(data) as store:
        store._conn.execute("DELETE FROM setting WHERE key = ?", (KEY,))
        store._conn.commit()


async def test_home_fits_a_years_history_in_the_background(tmp_path, built_history):
    data = copy_history(built_history, tmp_path / "data")
    _forget_fits(data)
    app = make_app(data_dir=data, clock=ManualClock(NOW), catalog=real_catalog(), fuzz=False)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()
        await pilot.pause()
        choice = app.coach.fsrs
        assert choice.checked_reviews > 0, "no fit ran although a year of reviews was never fitted"
        assert choice.fitted and choice.log_loss < choice.default_log_loss
        assert app.coach.srs.parameters == choice.parameters
        shown = [n.message for n in app._notifications]
        assert any("personal FSRS parameters" in m for m in shown), shown
    with ProgressStore.open(data) as store:
        assert read_fsrs(store).fitted


async def test_no_fit_runs_when_nothing_is_new(tmp_path, built_history, monkeypatch):
    data = copy_history(built_history, tmp_path / "data")  # the builder recorded a fit of this very log
    calls: list[object] = []
    monkeypatch.setattr("quizapp.study.fit_worker.run_fit_isolated", lambda *a, **k: calls.append(a))
    app = make_app(data_dir=data, clock=ManualClock(NOW), catalog=real_catalog(), fuzz=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await app.workers.wait_for_complete()
        assert calls == []
