"""Building the app for tests: the same factory as the CLI, a test bank, a manual clock."""

from __future__ import annotations

from pathlib import Path

from quizapp.content import Bank, Catalog
from quizapp.study import ManualClock
from quizapp.tui.app import QuizApp, make_app
from quizapp.tui.widgets.question import Choices
from tests.factory import START, make_bank


def build(
    tmp_path: Path, bank: Bank | None = None, clock: ManualClock | None = None, problems=None
) -> QuizApp:  # noqa: ANN001
    bank = bank or make_bank()
    catalog = Catalog(banks={bank.exam: bank}, problems=list(problems or []))
    return make_app(
        data_dir=tmp_path / "data", clock=clock or ManualClock(START), catalog=catalog, fuzz=False
    )


async def ready(pilot, screen_name: str = "HomeScreen") -> None:  # noqa: ANN001
    """Wait for the loading workers (store, then bank), then for the named screen."""
    for _ in range(400):
        await pilot.pause()
        at = type(pilot.app.screen).__name__
        if at == screen_name and (at != "HomeScreen" or pilot.app.coach is not None):
            await pilot.pause()  # Home fills in the bank's figures after the coach is ready
            return
    raise AssertionError(f"never reached {screen_name}; at {type(pilot.app.screen).__name__}")


def keys_for_right_answer(choices: Choices) -> list[str]:
    """The keys a learner presses to answer the shown question correctly."""
    q = choices.question
    if q.type == "single":
        right = next(i for i, o in enumerate(q.options) if o.correct)
        return [str(choices.order.index(right) + 1)]
    if q.type == "multi":
        return [str(choices.order.index(i) + 1) for i, o in enumerate(q.options) if o.correct]
    if q.type == "ordering":
        keys: list[str] = []
        order, cursor = list(choices.order), choices.cursor
        for target in range(len(order)):  # selection sort, as a learner would do it with the keys
            at = order.index(target)
            keys += ["down"] * (at - cursor) if at >= cursor else ["up"] * (cursor - at)
            cursor = at
            while cursor > target:
                keys.append("left_square_bracket")
                order[cursor - 1], order[cursor] = order[cursor], order[cursor - 1]
                cursor -= 1
        return keys
    keys = []
    for pair in q.pairs:
        keys.append(str(choices.responses.index(pair.response) + 1))
    return keys


def keys_for_wrong_answer(choices: Choices) -> list[str]:
    q = choices.question
    if q.type == "single":
        wrong = next(i for i, o in enumerate(q.options) if not o.correct)
        return [str(choices.order.index(wrong) + 1)]
    if q.type == "multi":
        wrong = [i for i, o in enumerate(q.options) if not o.correct][: q.choose]
        return [str(choices.order.index(i) + 1) for i in wrong]
    if q.type == "ordering":
        return ["space"] if choices.order != sorted(choices.order) else ["right_square_bracket", "space"]
    distractor = next(r for r in choices.responses if r not in {p.response for p in q.pairs})
    return [str(choices.responses.index(distractor) + 1)] * len(q.pairs)


async def hide_charts(pilot) -> None:  # noqa: ANN001
    """Snapshots leave the charts out: textual-plotext's figure keeps state across the sizes it is
    drawn at (upstream textual-plotext issue #5), so its frame depends on layout timing. The charts'
    data is asserted by the Pilot tests instead."""
    pilot.app.screen.query_one("#charts").display = False
    await pilot.pause()


async def open_practice(pilot) -> None:  # noqa: ANN001
    """From home: p, then the first scope (everything), as a learner does."""
    await pilot.press("p")
    await ready(pilot, "PickDialog")
    await pilot.press("enter")
    await ready(pilot, "PracticeScreen")


async def open_flashcards(pilot, reveal: bool = False) -> None:  # noqa: ANN001
    """From home: f, then the first choice (all decks), as a learner does; space shows the back."""
    await pilot.press("f")
    await ready(pilot, "PickDialog")
    await pilot.press("enter")
    await ready(pilot, "FlashcardScreen")
    if reveal:
        await pilot.press("space")
        await pilot.pause()
        await pilot.pause()


def composed_frames(monkeypatch) -> list[str]:  # noqa: ANN001
    """A list that grows by the screen's class name for every frame Textual composes from now on."""
    from textual.screen import Screen

    frames: list[str] = []
    compose = Screen._compositor_refresh

    def counted(screen: Screen) -> None:
        compose(screen)
        frames.append(type(screen).__name__)

    monkeypatch.setattr(Screen, "_compositor_refresh", counted)
    return frames


def redraws(screen, *ids: str) -> list[str]:  # noqa: ANN001
    """The ids of the widgets `ids` of `screen`, each time one of them is given new content from now
    on (`update`, or an option list's `clear_options`, `replace_prompts`, `replace_option_prompt`)."""
    redrawn: list[str] = []
    for widget in (screen.query_one(f"#{name}") for name in ids):
        for method in ("update", "clear_options", "replace_prompts", "replace_option_prompt"):
            if hasattr(widget, method):
                before = getattr(widget, method)

                def record(*args, _before=before, _id=widget.id, **kwargs):  # noqa: ANN002, ANN003, ANN202
                    redrawn.append(_id)
                    return _before(*args, **kwargs)

                setattr(widget, method, record)
    return redrawn
