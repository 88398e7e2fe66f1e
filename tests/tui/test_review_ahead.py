"""Issue 18: practice fills in each question's review while the question is read, so that a submit only
adds the verdict and the marks; and the choices draw their wrapped lines without wrapping them again.

Counted, not timed: text wrapped (`Content.wrap`, what the choices' rows go through) and Markdown
parsed during a submit, and `Content._wrap_and_format` calls while the choices draw. The submit was
practice's slowest key; wrapping every option's reason and parsing the explanation were part of it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager

from markdown_it import MarkdownIt
from rich.text import Text
from textual.content import Content
from textual.geometry import Region
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual
from textual.widget import Widget

from quizapp.content import Bank
from quizapp.content.models import MultiQuestion, SingleQuestion
from quizapp.study import Scope
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.widgets.hanging import Hanging
from quizapp.tui.widgets.question import QuestionView
from tests.factory import make_bank
from tests.tui.helpers import build, composed_frames, keys_for_right_answer, keys_for_wrong_answer, ready
from tests.tui.visible import screen_rows

SIZE = (80, 24)
WHY = "the reason option {n} of {qid} is right or wrong, long enough to wrap at eighty columns wide"


def _bank() -> Bank:
    """The test bank with every question's explanation, references and options' reasons its own, as a
    real bank has them (the factory gives every question the same ones)."""
    bank = make_bank(per_task=4, case_studies=0)
    for qid in list(bank.questions):
        q = bank.questions[qid]
        update: dict[str, object] = {
            "explanation": f"Explanation of {qid}.",
            "refs": [q.refs[0].model_copy(update={"title": f"Guide for {qid}"})],
        }
        if isinstance(q, SingleQuestion | MultiQuestion):
            update["options"] = [
                o.model_copy(update={"why": WHY.format(n=n, qid=qid)}) for n, o in enumerate(q.options)
            ]
        bank.questions[qid] = q.model_copy(update=update)
    return bank


@asynccontextmanager
async def practising(tmp_path, kind: str, bank: Bank | None = None) -> AsyncIterator[tuple]:  # noqa: ANN001
    """The app at 80x24 with practice of one question type open on `bank` (the test bank by default)."""
    app = build(tmp_path, bank=bank if bank is not None else _bank())
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(PracticeScreen(app.coach.practice(Scope("type", kind)), "Practice"))
        await ready(pilot, "PracticeScreen")
        yield app, pilot


@contextmanager
def counting(monkeypatch, owner: type, name: str) -> Iterator[list[int]]:  # noqa: ANN001
    """A one-item list counting the calls of `owner.name` from here to the end of the block."""
    calls = [0]
    original = getattr(owner, name)

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(owner, name, counted)
    try:
        yield calls
    finally:
        monkeypatch.setattr(owner, name, original)


async def test_a_submit_wraps_no_reason_and_parses_no_explanation(tmp_path, monkeypatch):
    app = build(tmp_path, bank=_bank())
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        for kind in ("single", "multi"):
            app.push_screen(PracticeScreen(app.coach.practice(Scope("type", kind)), "Practice"))
            await ready(pilot, "PracticeScreen")
            screen = app.screen
            for n in range(3):
                choices = screen._view.choices
                keys = keys_for_right_answer(choices) if n % 2 else keys_for_wrong_answer(choices)
                await pilot.press(*keys)
                await pilot.pause()
                with (
                    counting(monkeypatch, Content, "wrap") as wraps,
                    counting(monkeypatch, MarkdownIt, "parse") as parses,
                ):
                    await pilot.press("enter")
                    await pilot.pause()
                assert screen.feedback is not None
                assert (wraps[0], parses[0]) == (0, 0), (kind, n, choices.question.id)
                await pilot.press("enter")
                await pilot.pause()
            screen.dismiss(None)
            await ready(pilot)


async def test_each_review_shows_its_own_explanation_reasons_and_references(tmp_path):
    """What is filled in ahead is the question's own, also when the keys come in one burst (submitted
    before the review could be prepared) and after an answer is taken back."""
    async with practising(tmp_path, "single") as (app, pilot):
        screen = app.screen
        for n in range(5):
            view = screen._view
            q = view.question
            keys = keys_for_right_answer(view.choices)
            if n == 2:
                await pilot.press(*keys, "enter", "u")  # submitted, then taken back: asked again
                await pilot.pause()
                assert screen.feedback is None and view.question is q
            if n % 2:
                await pilot.press(*keys, "enter")  # one burst: before the review is prepared
            else:
                await pilot.pause()
                await pilot.press(*keys)
                await pilot.press("enter")
            await pilot.pause()
            await pilot.pause()
            text = " ".join(" ".join(screen_rows(app)).split())
            assert f"Explanation of {q.id}." in text, (n, text)
            assert f"Guide for {q.id}" in text, (n, text)
            assert "the reason option" in text and f"of {q.id}" in text, (n, text)
            await pilot.press("enter")
            await pilot.pause()


def _rows() -> list[tuple[Text, Text]]:
    rows = []
    for n in range(4):
        prefix = Text("✓ " if n == 1 else "✗ ", "bold green" if n == 1 else "bold red") + Text(f"( ) {n}. ")
        rows.append((prefix, Text(f"option {n} " + "text " * (n * 7), "bold")))
        rows.append((Text(" " * prefix.cell_len), Text(WHY.format(n=n, qid="q"), "dim italic")))
    rows.append((Text(), Text()))
    return rows


def test_the_choices_draw_their_wrapped_lines_without_wrapping_them_again(monkeypatch):
    options = RenderOptions(Style.parse, {})
    for width in (14, 30, 76):
        drawn_before = Hanging(_rows()).at(width).render_strips(width, None, Style(), options)
        visual = Hanging(_rows())
        visual.get_height({}, width)  # the layout measured it
        with counting(monkeypatch, Content, "_wrap_and_format") as wraps:
            drawn = visual.render_strips(width, None, Style(), options)
        assert wraps[0] == 0
        assert drawn == drawn_before and len(drawn) == visual.get_height({}, width)


async def test_a_pick_and_a_submit_restyle_no_line_for_links_that_are_not_there(tmp_path, monkeypatch):
    """Textual's auto links restyle every line a widget draws, looking for links: the choices, the
    verdict, the references, the status line and the footer's keys have none (the explanation,
    Markdown, keeps them)."""
    async with practising(tmp_path, "single") as (app, pilot):
        screen = app.screen
        drawn: list[str] = []
        to_strips = Visual.to_strips.__func__

        def noted(cls, widget, visual, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
            with counting(monkeypatch, Strip, "_apply_link_style") as restyled:
                strips = to_strips(cls, widget, visual, *args, **kwargs)
            drawn.extend([type(widget).__name__] * restyled[0])
            return strips

        monkeypatch.setattr(Visual, "to_strips", classmethod(noted))
        await pilot.pause()
        drawn.clear()
        await pilot.press(*keys_for_wrong_answer(screen._view.choices))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.feedback is not None
        assert not {"Choices", "SizedStatic", "Key"} & set(drawn), drawn


async def test_the_question_body_draws_a_scrollbar_state_once(tmp_path, monkeypatch):
    """The body's scrollbar repeats the lines it drew for a state it was in before (the same answer
    submitted again after an undo), and they are the lines Textual would draw for it afresh."""
    async with practising(tmp_path, "multi") as (app, pilot):
        screen = app.screen
        bar = screen._body.vertical_scrollbar
        keys = keys_for_wrong_answer(screen._view.choices)
        await pilot.press(*keys, "enter")
        await pilot.pause()
        await pilot.press("u")
        await pilot.pause()
        with counting(monkeypatch, ScrollBar, "render") as drawn:
            await pilot.press(*keys, "enter")
            await pilot.pause()
        assert screen.feedback is not None
        assert drawn[0] == 0
        crop = bar.size.region
        remembered = bar.render_lines(crop)
        bar._set_dirty()
        assert remembered == ScrollBar.render_lines(bar, crop)


async def test_the_question_view_draws_its_own_blank_lines_as_textual_would(tmp_path, monkeypatch):
    """Its height changes on every submit: its own lines (the margins between its parts) are one blank
    line repeated, not each drawn through Textual's line styling, and equal what Textual draws."""
    async with practising(tmp_path, "multi") as (app, pilot):
        screen = app.screen
        view = screen._view
        for _ in range(2):
            with counting(monkeypatch, QuestionView, "_render_content") as drawn:
                await pilot.press(*keys_for_wrong_answer(view.choices), "enter")
                await pilot.pause()
            assert screen.feedback is not None and drawn[0] == 0
            for crop in (view.size.region, Region(0, 3, view.size.width, 4)):
                own = view.render_lines(crop)
                view._set_dirty()
                assert own == Widget.render_lines(view, crop)
            await pilot.press("enter")
            await pilot.pause()


async def test_the_question_view_and_its_texts_are_arranged_once_per_layout(tmp_path, monkeypatch):
    """Their children are as tall as their content, so where they go depends on the width alone:
    one arrangement each per submit (Textual made two: one to find the height, one to place), and
    the same placements as Textual's own at the height laid out."""
    import textual.widget

    async with practising(tmp_path, "multi") as (app, pilot):
        screen = app.screen
        view = screen._view
        arranged: list[str] = []
        arrange = textual.widget.arrange

        def noted(widget, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
            arranged.append(type(widget).__name__)
            return arrange(widget, *args, **kwargs)

        monkeypatch.setattr(textual.widget, "arrange", noted)
        await pilot.press(*keys_for_wrong_answer(view.choices), "enter")
        await pilot.pause()
        assert screen.feedback is not None and view.size.height > screen._body.size.height
        assert arranged.count("QuestionView") == 1, arranged
        assert arranged.count("Prose") <= 2, arranged  # the stem and the explanation, once each
        for container in (view, view._stem, view._review_parts[1]):
            size = container.content_size
            ours = container.arrange(size).placements
            container._clear_arrangement_cache()
            assert ours == Widget.arrange(container, size).placements, type(container).__name__


async def test_an_explanation_that_is_not_plain_paragraphs_is_left_for_the_submit(tmp_path, monkeypatch):
    """Filling in a list ahead would mount its blocks under the hidden review, each asking for a frame
    that draws nothing while the question is read: "next" composes one frame whatever the next
    question's explanation is (three before, for a list after paragraphs), and the review shows it."""
    bank = _bank()
    for n, qid in enumerate(list(bank.questions)):
        if (n // 4) % 2:  # every other single question, in the factory's order of types
            text = f"- First point of {qid}\n- Second point\n\nAnd a paragraph."
            bank.questions[qid] = bank.questions[qid].model_copy(update={"explanation": text})
    frames = composed_frames(monkeypatch)
    async with practising(tmp_path, "single", bank) as (app, pilot):
        screen = app.screen
        lists = 0
        for _ in range(6):
            q = screen._view.question
            await pilot.press(*keys_for_right_answer(screen._view.choices), "enter")
            await pilot.pause(0.1)
            text = " ".join(" ".join(screen_rows(app)).split())
            if q.explanation.startswith("- "):
                lists += 1
                assert f"First point of {q.id}" in text, text
            await pilot.pause(0.1)
            before = len(frames)
            await pilot.press("enter")
            await pilot.pause(0.1)
            assert len(frames) - before == 1, (q.id, len(frames) - before)
        assert lists
