"""A write the store refuses (a full disk) leaves every study session as the store has it: the
session changes only after its write commits, so the learner can simply press the same key again."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.store import StoreWriteError
from tests.factory import make_coach


class Refusing:
    """Turns the store's writes into a full disk while it is on."""

    def __init__(self, store, monkeypatch: pytest.MonkeyPatch) -> None:  # noqa: ANN001
        self.on = False
        for name in ("record_review", "undo_review", "record_answer", "undo_answer", "save_exam_step"):
            real = getattr(store, name)
            monkeypatch.setattr(store, name, self._guard(real))

    def _guard(self, real):  # noqa: ANN001, ANN202
        def write(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            if self.on:
                raise StoreWriteError(Path("progress.db"), "the disk is full", kind="full")
            return real(*args, **kwargs)

        return write


def snapshot(session, names: tuple[str, ...]) -> dict:  # noqa: ANN001
    return {name: copy.deepcopy(getattr(session, name)) for name in names}


def test_flashcard_rating_and_undo(tmp_path, monkeypatch):
    coach = make_coach(tmp_path)
    disk = Refusing(coach.store, monkeypatch)
    session = coach.flashcards()
    session.rate(Rating.Good)
    names = ("queue", "reviewed", "history")
    before = snapshot(session, names)
    disk.on = True
    for action in (lambda: session.rate(Rating.Again), session.undo):
        with pytest.raises(StoreWriteError):
            action()
        assert snapshot(session, names) == before
    disk.on = False
    assert session.undo() is not None  # the same key again, once there is room


def test_practice_undo(tmp_path, monkeypatch):
    coach = make_coach(tmp_path)
    disk = Refusing(coach.store, monkeypatch)
    session = coach.practice()
    session.answer(0 if session.current().type == "single" else None)
    before = snapshot(session, ("history", "index"))
    disk.on = True
    with pytest.raises(StoreWriteError):
        session.undo()
    assert snapshot(session, ("history", "index")) == before
    with pytest.raises(StoreWriteError):
        session.answer(None)
    assert snapshot(session, ("history", "index")) == before


def test_exam_answer_flag_and_move(tmp_path, monkeypatch):
    coach = make_coach(tmp_path)
    disk = Refusing(coach.store, monkeypatch)
    session = coach.start_exam(5, seed=3)
    names = ("responses", "flagged", "position")
    before = snapshot(session, names)
    disk.on = True
    for action in (lambda: session.answer(0), session.toggle_flag, lambda: session.go(2)):
        with pytest.raises(StoreWriteError):
            action()
        assert snapshot(session, names) == before
    disk.on = False
    resumed = coach.store.exam(session.id)
    assert resumed is not None and resumed.responses == {} and resumed.flagged == set()
