"""Issue 18: a practice submit draws its feedback first and commits the answer right after that frame.

The commit (grading, scheduling, a synchronous write with fsync) was about 3 ms of the submit, practice's
slowest key, and nothing on screen waits for it. Counted, not timed: the frames composed when the store
is asked to record the answer. And the answer is never left behind: it is committed before the key has
settled, before any other key, action or dialog, and before the screen or the app goes; a refused write
takes the feedback back.
"""

from __future__ import annotations

from quizapp.store import ProgressStore
from quizapp.tui.screens.practice import PracticeScreen
from tests.tui.helpers import composed_frames, keys_for_right_answer, keys_for_wrong_answer
from tests.tui.test_faults import not_saved_dialog, refuse_writes
from tests.tui.test_review_ahead import practising


def _commits_after_frames(monkeypatch, frames: list[str]) -> list[int]:  # noqa: ANN001
    """A list that grows, on every answer recorded, by the number of frames composed until then."""
    seen: list[int] = []
    record = ProgressStore.record_answer

    def noted(store, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
        seen.append(len(frames))
        return record(store, *args, **kwargs)

    monkeypatch.setattr(ProgressStore, "record_answer", noted)
    return seen


async def test_a_submit_composes_its_feedback_before_the_answer_is_committed(tmp_path, monkeypatch):
    async with practising(tmp_path, "single") as (app, pilot):
        screen = app.screen
        frames = composed_frames(monkeypatch)
        commits = _commits_after_frames(monkeypatch, frames)
        for answer, keys in enumerate((keys_for_right_answer, keys_for_wrong_answer)):
            await pilot.press(*keys(screen.query_one("Choices")))
            await pilot.pause()
            before = len(frames)
            await pilot.press("enter")
            await pilot.pause()
            assert len(frames) == before + 1  # the submit is still one frame
            assert commits[answer] == before + 1  # committed after it (before: at `before`)
            assert len(screen.session.history) == answer + 1  # and before the key has settled
            assert screen.feedback == screen.session.history[-1]  # the feedback as the session gave it
            assert app.store.answered_count() == answer + 1
            await pilot.press("enter")
            await pilot.pause()


async def test_keys_typed_in_a_burst_commit_each_answer_before_the_next_key(tmp_path):
    async with practising(tmp_path, "single") as (app, pilot):
        screen = app.screen
        first = screen.session.current()
        await pilot.press(*keys_for_right_answer(screen.query_one("Choices")), "enter", "enter", "u")
        await pilot.pause()
        # u took back the answer the burst gave: it had been committed before u arrived
        assert screen.session.current() is first and not screen.session.history
        assert app.store.answered_count() == 0
        await pilot.press(*keys_for_right_answer(screen.query_one("Choices")), "enter", "escape")
        await pilot.pause()
        assert screen.finished and len(screen.session.history) == 1  # the summary counts it
        assert app.store.answered_count() == 1


async def test_an_answer_shown_is_committed_before_the_screen_or_the_app_goes(tmp_path, monkeypatch):
    """Without the frame's signal (as if the app stopped between the frame and the commit), leaving the
    screen, covering it and quitting each commit the answer on screen first."""
    monkeypatch.setattr(PracticeScreen, "_laid_out", lambda self, screen: None)
    async with practising(tmp_path, "single") as (app, pilot):
        screen = app.screen
        await pilot.press(*keys_for_right_answer(screen.query_one("Choices")), "enter")
        await pilot.pause()
        assert app.store.answered_count() == 0 and screen.feedback is not None  # shown, held back
        app.action_help()  # covered, not by a key (that would commit it in `on_key`)
        await pilot.pause()
        assert type(app.screen).__name__ == "HelpScreen" and app.store.answered_count() == 1
    async with practising(tmp_path / "quit", "single") as (app, pilot):
        await pilot.press(*keys_for_right_answer(app.screen.query_one("Choices")), "enter")
        await pilot.pause()
        assert app.store.answered_count() == 0
        app.exit()
        await pilot.pause()
    with ProgressStore.open(tmp_path / "quit" / "data") as store:
        assert store.answered_count() == 1


async def test_quitting_commits_the_answer_shown_before_the_sync_on_quit(tmp_path, monkeypatch):
    """Ctrl+Q asks the screen to `checkpoint` before the sync on quit exports: the answer on screen is in
    that export, not only in the next one."""
    monkeypatch.setattr(PracticeScreen, "_laid_out", lambda self, screen: None)
    async with practising(tmp_path, "single") as (app, pilot):
        await pilot.press(*keys_for_right_answer(app.screen.query_one("Choices")), "enter")
        await pilot.pause()
        assert app.store.answered_count() == 0
        at_sync: list[int] = []
        monkeypatch.setattr(app.sync, "on_quit", lambda: at_sync.append(app.store.answered_count()) or False)
        await app.action_quit()
        assert at_sync == [1]


async def test_a_refused_write_takes_the_feedback_back_and_keeps_the_answer_given(tmp_path, monkeypatch):
    async with practising(tmp_path, "multi") as (app, pilot):
        screen = app.screen
        choices = screen.query_one("Choices")
        keys = keys_for_right_answer(choices)
        with monkeypatch.context() as patch:
            refuse_writes(patch, app.store)
            await pilot.press(*keys, "enter")
            await pilot.pause()
            assert "Your answer was not saved" in not_saved_dialog(app)
            assert screen.feedback is None and not screen.session.history
            question = screen.session.current()
            right = [i for i, option in enumerate(question.options) if option.correct]
            assert not choices.review and choices.response == right  # as the learner left it
        await pilot.press("r")  # retried with the disk writable again: the same answer is saved
        await pilot.pause()
        assert type(app.screen) is PracticeScreen and screen.feedback is not None and screen.feedback.correct
        assert app.store.answered_count() == 1 and choices.review
