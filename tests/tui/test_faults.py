"""Faults end in a dialog that says what is wrong and what to do, never in a hang or a traceback:
an unusable data dir, a bank that fails to load, a refused write while studying, a repaired file."""

from __future__ import annotations

import errno
from contextlib import contextmanager
from pathlib import Path

import pytest

from quizapp.store import ProgressStore, StoreError
from quizapp.study import ManualClock
from quizapp.tui.app import make_app
from tests.factory import START
from tests.tui.helpers import build, keys_for_right_answer, open_flashcards, open_practice, ready

SIZE = (80, 24)
REAL_OPEN = ProgressStore.open


def dialog_text(app) -> str:  # noqa: ANN001
    return "\n".join(str(w.render()) for w in app.screen.query("Static"))


async def wait_for(pilot, screen_name: str) -> None:  # noqa: ANN001
    for _ in range(400):
        await pilot.pause()
        if type(pilot.app.screen).__name__ == screen_name:
            return
    raise AssertionError(f"never reached {screen_name}; at {type(pilot.app.screen).__name__}")


# ---------------------------------------------------------------------- opening the data dir


@pytest.mark.parametrize(
    ("make_dir", "said"),
    [
        (
            lambda tmp: (tmp / "a-file").write_text("not a folder") and tmp / "a-file",
            "is a file, not a folder",
        ),
        (lambda tmp: tmp / ("x" * 300), "too long"),
    ],
    ids=["data-dir-is-a-file", "data-dir-name-too-long"],
)
async def test_an_unusable_data_dir_says_what_to_do_and_quits_cleanly(tmp_path, make_dir, said):
    data_dir = make_dir(tmp_path)
    app = make_app(data_dir=data_dir, clock=ManualClock(START), cache_dir=tmp_path / "cache")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "StoreErrorDialog")
        text = dialog_text(app)
        assert said in text and "--data-dir" in text and "Move aside" not in text
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 1 and app._exception is None
    if data_dir.name == "a-file":
        assert data_dir.read_text() == "not a folder"  # untouched


async def test_a_read_only_disk_at_open_gets_a_dialog(tmp_path, monkeypatch):
    def read_only(cls, data_dir):  # noqa: ANN001, ANN202
        raise OSError(errno.EROFS, "Read-only file system", str(data_dir))

    monkeypatch.setattr(ProgressStore, "open", classmethod(read_only))
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "StoreErrorDialog")
        assert "the file system is read-only" in dialog_text(app)
        await pilot.press("escape")
        await pilot.pause()
    assert app._exception is None


async def test_what_the_store_repaired_at_open_is_said_once(tmp_path, monkeypatch):
    def with_warning(cls, data_dir):  # noqa: ANN001, ANN202
        store = REAL_OPEN(data_dir)
        store.warnings = ["The journal (progress.db-wal) was damaged; 3 later changes were discarded."]
        return store

    monkeypatch.setattr(ProgressStore, "open", classmethod(with_warning))
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, "MessageDialog")
        assert "3 later changes were discarded" in dialog_text(app)
        await pilot.press("enter")
        await ready(pilot)
        await pilot.press("d")
        await ready(pilot, "DashboardScreen")
        await pilot.press("escape")
        await ready(pilot)  # back home: not said again


# ---------------------------------------------------------------------- loading the bank


async def test_a_bank_that_fails_to_load_gets_a_dialog_not_an_endless_loading(tmp_path, monkeypatch):
    import quizapp.content

    def broken(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise RuntimeError("the bank folder vanished")

    monkeypatch.setattr(quizapp.content, "load_catalog", broken)
    app = make_app(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache", clock=ManualClock(START))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("p")  # chosen while "loading": must not wait forever either
        await wait_for(pilot, "MessageDialog")
        assert "the bank folder vanished" in dialog_text(app) and "quizapp validate" in dialog_text(app)
        await pilot.press("enter")  # close, look at Home
        await wait_for(pilot, "HomeScreen")
        assert "could not be loaded" in str(app.screen.query_one("#bank").render())
        await pilot.press("p")
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        await pilot.press("q")
    assert app._exception is None


# ---------------------------------------------------------------------- a write refused while studying


@contextmanager
def _refused():  # noqa: ANN202
    raise StoreError(Path("progress.db"), "the disk is full", can_move_aside=False)
    yield  # pragma: no cover


def refuse_writes(monkeypatch, store) -> None:  # noqa: ANN001
    """Every committed event fails as a full disk makes it fail; reads still work."""
    monkeypatch.setattr(store, "_write", _refused)


def not_saved_dialog(app) -> str:  # noqa: ANN001
    assert type(app.screen).__name__ == "MessageDialog", type(app.screen).__name__
    text = dialog_text(app)
    assert "was not saved: the disk is full." in text and "Everything before it is kept." in text
    return text


async def test_practice_answer_on_a_full_disk_keeps_what_was_saved_and_retries(tmp_path, monkeypatch):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        store = app.store
        first = app.screen.query_one("QuestionView").question
        await pilot.press(*keys_for_right_answer(app.screen.query_one("Choices")), "enter")
        await pilot.pause()
        assert store.answered_count() == 1
        await pilot.press("enter")  # next question
        await pilot.pause()
        second = app.screen.query_one("QuestionView").question
        assert second.id != first.id
        with monkeypatch.context() as patch:
            refuse_writes(patch, store)
            await pilot.press(*keys_for_right_answer(app.screen.query_one("Choices")), "enter")
            await wait_for(pilot, "MessageDialog")
            assert "Your answer was not saved" in not_saved_dialog(app)
            assert store.answered_count() == 1  # the first answer is still there
            await pilot.press("r")  # retry while the disk is still full: told again
            await wait_for(pilot, "MessageDialog")
        await pilot.press("r")  # space freed: the retry saves this same answer
        await wait_for(pilot, "PracticeScreen")
        assert store.answered_count() == 2
        assert list(store.answers())[-1].question_id == second.id
        assert app.screen.query_one("QuestionView").choices.review  # feedback is shown
    assert app._exception is None


async def test_a_refused_flashcard_rating_is_retried_for_the_same_card_or_quits_cleanly(
    tmp_path, monkeypatch
):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_flashcards(pilot)
        screen = app.screen
        card = screen.session.current()
        left = screen.session.remaining()
        await pilot.press("space")
        with monkeypatch.context() as patch:
            refuse_writes(patch, app.store)
            await pilot.press("3")
            await wait_for(pilot, "MessageDialog")
            assert "Your rating was not saved" in not_saved_dialog(app)
        assert screen.session.current() is card and screen.session.remaining() == left
        assert app.store.reviewed_count() == 0
        await pilot.press("r")
        await wait_for(pilot, "FlashcardScreen")
        assert app.store.reviewed_count() == 1
        assert app.store.reviews()[-1].item_id == card.id
        await pilot.press("space")
        refuse_writes(monkeypatch, app.store)
        await pilot.press("3")
        await wait_for(pilot, "MessageDialog")
        await pilot.press("q")  # quit from the dialog: a clean exit, the first rating kept
        await pilot.pause()
    assert app._exception is None and app.return_code == 1
    with REAL_OPEN(tmp_path / "data") as store:
        assert store.reviewed_count() == 1


async def test_an_exam_step_on_a_full_disk_keeps_the_exam_and_quits_cleanly(tmp_path, monkeypatch):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("e")
        await ready(pilot, "ConfirmDialog")
        await pilot.press("y")
        await ready(pilot, "ExamScreen")
        screen = app.screen
        await pilot.press(*keys_for_right_answer(screen.query_one("Choices")))
        await pilot.pause()
        saved_exam = app.store.in_progress_exam()
        assert saved_exam is not None and len(saved_exam.responses) == 1
        with monkeypatch.context() as patch:
            refuse_writes(patch, app.store)
            await pilot.press("m")  # flag: refused
            await wait_for(pilot, "MessageDialog")
            assert "The flag was not saved" in not_saved_dialog(app)
            assert screen.session.flagged == set()  # the screen says what the store has
            await pilot.press("escape")  # Escape is Retry: still full, told again
            await wait_for(pilot, "MessageDialog")
        await pilot.press("r")
        await wait_for(pilot, "ExamScreen")
        assert app.store.in_progress_exam().flagged == {0}
        refuse_writes(monkeypatch, app.store)
        await pilot.press("right")  # moving on: refused, and the exam stays on question 1
        await wait_for(pilot, "MessageDialog")
        assert screen.session.position == 0
        await pilot.press("q")
        await pilot.pause()
    assert app._exception is None and app.return_code == 1
    with REAL_OPEN(tmp_path / "data") as store:
        kept = store.in_progress_exam()
        assert kept is not None and len(kept.responses) == 1 and kept.flagged == {0}
