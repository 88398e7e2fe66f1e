"""Issue 18: returning home folds the WAL into the database only after Home's frame is drawn.

A checkpoint's disk writes grow with the session just ended (1-10 ms after a long one), so it must
not sit between the key that leaves a mode and the frame that shows Home. Counted, not timed: the
frames composed while Home is current are numbered, and the checkpoint must come after one of them.
"""

from __future__ import annotations

from tests.tui.helpers import build, composed_frames, keys_for_right_answer, open_practice, ready


async def test_back_home_checkpoints_after_home_is_drawn(tmp_path, monkeypatch):
    app = build(tmp_path)
    frames = composed_frames(monkeypatch)
    async with app.run_test(size=(80, 24)) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        screen = app.screen
        for key in keys_for_right_answer(screen.query_one("Choices")):
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        calls: list[tuple[str, list[str]]] = []
        checkpoint = app.store.checkpoint

        def recorded() -> None:
            calls.append((type(app.screen).__name__, list(frames[left:])))
            checkpoint()

        monkeypatch.setattr(app.store, "checkpoint", recorded)
        left = len(frames)
        while type(app.screen).__name__ != "HomeScreen":
            await pilot.press("escape")
            await pilot.pause()
        await pilot.pause()
        await pilot.pause()
    assert calls, "returning home no longer checkpoints"
    at, drawn = calls[0]
    assert at == "HomeScreen"
    assert "HomeScreen" in drawn, f"checkpointed before Home was drawn (frames since leaving: {drawn})"
