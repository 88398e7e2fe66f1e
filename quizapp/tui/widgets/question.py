"""One question on screen, any type, keyboard-first; and, once answered, its full feedback.

The widget owns only what is on screen (cursor, display order); the response it reports is in
`study.grading` terms (original indices / response texts), so shuffling never touches the key.
"""

from __future__ import annotations

import random
import zlib
from asyncio import gather
from collections.abc import Callable
from contextlib import ExitStack

from rich.text import Text
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.geometry import Size
from textual.widget import AwaitMount
from textual.widgets import Static

from quizapp.content import AnyQuestion
from quizapp.content.models import MatchingQuestion, MultiQuestion, OrderingQuestion, SingleQuestion, ref_text
from quizapp.study.grading import Response, grade, is_complete
from quizapp.tui.text import plain
from quizapp.tui.widgets.prose import Prose
from quizapp.tui.widgets.sizing import SizedByLayout

LETTERS = "abcdefghi"


class Choices(SizedByLayout, Static, can_focus=True):
    """The interactive part: options, items to order, or prompts to match."""

    DEFAULT_CSS = """
    Choices { height: auto; padding: 0 1; }
    Choices:focus { background: $boost; }
    """

    BINDINGS = [
        Binding("up,k", "cursor(-1)", "Up", show=False),
        Binding("down,j", "cursor(1)", "Down", show=False),
        Binding("space", "pick", "Select", show=False),
        Binding("shift+up,left_square_bracket", "move(-1)", "Move up", show=False),
        Binding("shift+down,right_square_bracket", "move(1)", "Move down", show=False),
        Binding("backspace,delete", "clear", "Clear", show=False),
        *[Binding(str(n), f"number({n})", show=False) for n in range(1, 10)],
        *[Binding(letter, f"number({i + 1})", show=False) for i, letter in enumerate(LETTERS[:6])],
    ]

    def __init__(
        self,
        question: AnyQuestion,
        response: Response,
        seed: int,
        review: bool,
        on_change: Callable[[Response], None] | None = None,
    ) -> None:
        super().__init__()
        self.on_change = on_change
        self.load(question, response, seed, review)

    def load(self, question: AnyQuestion, response: Response, seed: int, review: bool) -> None:
        """Show another question in this same widget.

        Moving between questions reuses the widget rather than mounting a new one: a mount re-applies
        CSS, and moving focus to the new widget makes the Footer rebuild itself, which together cost a
        question change several frames. The state is rebuilt exactly as a fresh widget would build it.
        """
        self.question = question
        self.review = review
        self.cursor = 0
        self.note = ""  # a change the last key made to an answer already given, shown under the prompts
        rng = random.Random(seed ^ zlib.crc32(question.id.encode()))
        q = question
        if isinstance(q, SingleQuestion | MultiQuestion):
            self.order = list(range(len(q.options)))
            rng.shuffle(self.order)
            if isinstance(q, SingleQuestion):
                self.selected: set[int] = {response} if isinstance(response, int) else set()
            else:
                self.selected = set(response or [])
        elif isinstance(q, OrderingQuestion):
            if isinstance(response, list) and sorted(response) == list(range(len(q.items))):
                self.order = list(response)
                self.touched = True
            else:
                self.order = list(range(len(q.items)))
                while self.order == sorted(self.order):
                    rng.shuffle(self.order)
                self.touched = False
        elif isinstance(q, MatchingQuestion):
            self.responses = [p.response for p in q.pairs] + list(q.distractors)
            rng.shuffle(self.responses)
            self.matched: list[str | None] = (
                list(response)
                if isinstance(response, list) and len(response) == len(q.pairs)
                else [None] * len(q.pairs)
            )
            self.cursor = self._next_blank(0)
        self.refresh_view(layout=True)

    # ------------------------------------------------------------------ response

    @property
    def response(self) -> Response:
        q = self.question
        if isinstance(q, SingleQuestion):
            return next(iter(self.selected), None)
        if isinstance(q, MultiQuestion):
            return sorted(self.selected)
        if isinstance(q, OrderingQuestion):
            return list(self.order) if self.touched else None
        return list(self.matched)

    def _changed(self) -> None:
        """Redraw and tell the owner at once, in this key's handler.

        A message would reach the screen a hop at a time, after the screen had already painted the
        choices; whatever the owner redraws in reply (the exam's answered count) then cost a second frame.
        """
        self.refresh_view()
        if self.on_change is not None:
            self.on_change(self.response)

    def accept_order(self) -> None:
        """Take an untouched ordering item's order as shown as its answer, as space does: the order on
        screen is complete, so Enter must not say "answer every part" (issue 15, item 7)."""
        if isinstance(self.question, OrderingQuestion) and not self.review and not self.touched:
            self.action_pick()

    def _next_blank(self, start: int) -> int:
        """The first blank prompt from `start` on (wrapping), else `start`: the cursor goes there when a
        matching item is shown and after each answer, so a number never replaces an answer unasked."""
        count = len(self.matched)
        return next(
            (i % count for i in range(start, start + count) if self.matched[i % count] is None), start
        )

    def _rows(self) -> int:
        q = self.question
        if isinstance(q, SingleQuestion | MultiQuestion):
            return len(q.options)
        if isinstance(q, OrderingQuestion):
            return len(q.items)
        return len(q.pairs)

    # ------------------------------------------------------------------ actions

    def action_cursor(self, step: int) -> None:
        self.note = ""
        self.cursor = (self.cursor + step) % self._rows()
        self.refresh_view()

    def action_pick(self) -> None:
        if self.review:
            return
        q = self.question
        if isinstance(q, SingleQuestion | MultiQuestion):
            self._toggle(self.order[self.cursor])
        elif isinstance(q, OrderingQuestion):
            self.touched = True
            self._changed()

    def _toggle(self, original: int) -> None:
        if isinstance(self.question, SingleQuestion):
            self.selected = {original}
        elif original in self.selected:
            self.selected.discard(original)
        else:
            self.selected.add(original)
        self._changed()

    def action_number(self, n: int) -> None:
        if self.review:
            return
        q = self.question
        if isinstance(q, SingleQuestion | MultiQuestion) and n <= len(q.options):
            self.cursor = n - 1
            self._toggle(self.order[n - 1])
        elif isinstance(q, MatchingQuestion) and n <= len(self.responses):
            before, after = self.matched[self.cursor], self.responses[n - 1]
            self.matched[self.cursor] = after
            changed = before is not None and before != after
            self.note = f"Prompt {self.cursor + 1} changed: {before} → {after}" if changed else ""
            self.cursor = self._next_blank(self.cursor)
            self._changed()
        elif isinstance(q, OrderingQuestion) and n <= len(q.items):
            self.cursor = n - 1
            self.refresh_view()

    def action_move(self, step: int) -> None:
        if self.review or not isinstance(self.question, OrderingQuestion):
            return
        target = self.cursor + step
        if 0 <= target < len(self.order):
            self.order[self.cursor], self.order[target] = self.order[target], self.order[self.cursor]
            self.cursor = target
            self.touched = True
            self._changed()

    def action_clear(self) -> None:
        if self.review:
            return
        self.note = ""
        if isinstance(self.question, MatchingQuestion):
            self.matched[self.cursor] = None
        elif isinstance(self.question, SingleQuestion | MultiQuestion):
            self.selected.clear()
        self._changed()

    # ------------------------------------------------------------------ drawing

    def refresh_view(self, *, layout: bool = False) -> None:
        """Redraw; lay the screen out again only if this widget's height changes (or `layout`).

        Most keys (a pick, the cursor, focus) change marks and styles but not the height of the text,
        and repainting this widget alone is far cheaper than laying out the whole screen again.
        """
        self.update(self.render_text(), layout=layout)
        width, height = self.size
        if not layout and (not width or self.get_content_height(Size(0, 0), Size(0, 0), width) != height):
            self.refresh(layout=True)

    def render_text(self) -> Text:
        q = self.question
        if isinstance(q, SingleQuestion | MultiQuestion):
            return self._render_options(q)
        if isinstance(q, OrderingQuestion):
            return self._render_ordering(q)
        return self._render_matching(q)

    def _line(self, out: Text, row: int, body: Text) -> None:
        if row == self.cursor and self.has_focus and not self.review:
            body.stylize("reverse")
        out.append_text(body)
        out.append("\n")

    def _render_options(self, q: SingleQuestion | MultiQuestion) -> Text:
        out = Text()
        single = isinstance(q, SingleQuestion)
        if not single:
            out.append(f"Choose {q.choose}.  ", style="bold")
            out.append(f"{len(self.selected)} selected\n", style="dim")
        for row, original in enumerate(self.order):
            option = q.options[original]
            chosen = original in self.selected
            mark = ("(•)" if chosen else "( )") if single else ("[x]" if chosen else "[ ]")
            body = Text(f"{mark} {LETTERS[row].upper()}. ")
            if self.review:
                style = "bold green" if option.correct else ("bold red" if chosen else "")
                verdict = "✓ " if option.correct else ("✗ " if chosen else "  ")
                body = Text(verdict, style=style) + body
                body.append_text(plain(option.text, style))
                self._line(out, row, body)
                out.append_text(plain(f"      {option.why}", "dim italic"))
                out.append("\n")
            else:
                body.append_text(plain(option.text))
                self._line(out, row, body)
        return out

    def _render_ordering(self, q: OrderingQuestion) -> Text:
        out = Text()
        if not self.review:
            out.append("Order: ↑/↓ choose, shift+↑/↓ or [ ] move; Enter keeps the order shown\n", "dim")
        for row, original in enumerate(self.order):
            body = Text(f"{row + 1}. ")
            if self.review:
                right = original == row
                body = Text("✓ " if right else "✗ ", "bold green" if right else "bold red") + body
            body.append_text(plain(q.items[original]))
            self._line(out, row, body)
        if self.review:
            out.append("\nCorrect order:\n", "bold")
            for i, item in enumerate(q.items):
                out.append_text(plain(f"{i + 1}. {item}\n", "green"))
        return out

    def _render_matching(self, q: MatchingQuestion) -> Text:
        out = Text()
        for row, pair in enumerate(q.pairs):
            chosen = self.matched[row]
            body = plain(pair.prompt)
            body.append("  →  ")
            if self.review:
                right = chosen == pair.response
                body = Text("✓ " if right else "✗ ", "bold green" if right else "bold red") + body
                body.append_text(plain(chosen or "—", "green" if right else "red"))
                if not right:
                    body.append_text(plain(f"  (answer: {pair.response})", "green"))
            else:
                body.append_text(plain(chosen or "___", "bold" if chosen else "dim"))
            self._line(out, row, body)
        if self.note and not self.review:
            out.append_text(plain(f"{self.note} (backspace clears)\n", "bold yellow"))
        if not self.review:
            out.append("\nResponses (press the number for the highlighted prompt):\n", "dim")
            for i, response in enumerate(self.responses):
                out.append_text(plain(f"  {i + 1}) {response}\n"))
        return out

    def on_focus(self) -> None:
        self.refresh_view()

    def on_blur(self) -> None:
        self.refresh_view()


class QuestionView(SizedByLayout, Vertical):
    """Scenario (for case studies), stem, choices and, in review, the verdict and explanation.

    `show` puts another question into the widgets already mounted instead of building new ones: mounts
    re-apply CSS, and moving focus to a new Choices makes the Footer rebuild itself, which together made a
    question change cost several frames. A part the question does not need is hidden, and a part the view
    has never needed (a case study's scenario, a review's verdict) is only mounted when first needed.
    """

    DEFAULT_CSS = """
    QuestionView { height: auto; }
    QuestionView .scenario { border-left: thick $accent; padding: 0 1; margin-bottom: 1; background: $surface; }
    QuestionView .stem { margin: 0 0 1 0; }
    QuestionView .verdict { padding: 0 1; margin-top: 1; text-style: bold; }
    QuestionView .verdict.right { background: $success 30%; }
    QuestionView .verdict.wrong { background: $error 30%; }
    QuestionView .explanation { margin-top: 1; }
    QuestionView .refs { color: $text-muted; padding: 0 1; }
    """

    def __init__(
        self,
        question: AnyQuestion,
        *,
        response: Response = None,
        seed: int = 0,
        review: bool = False,
        scenario: str | None = None,
        guess: bool = False,
        on_change: Callable[[Response], None] | None = None,
    ) -> None:
        super().__init__()
        self.question = question
        self._response = response
        self._review = review
        self._scenario = scenario
        self._guess = guess
        self._stem = Prose(question.stem, classes="stem")
        self._choices = Choices(question, response, seed, review, on_change)
        self._scenario_part: Prose | None = None
        self._review_parts: tuple[Static, Prose, Static] | None = None

    def compose(self) -> ComposeResult:
        if self._scenario:
            self._scenario_part = Prose(self._scenario, classes="scenario")
            yield self._scenario_part
        yield self._stem
        yield self._choices
        if self._review:
            self._review_parts = _review_parts(self.question)
            self._show_review()
            yield from self._review_parts

    def show(
        self,
        question: AnyQuestion,
        *,
        response: Response = None,
        seed: int = 0,
        review: bool = False,
        scenario: str | None = None,
        guess: bool = False,
    ) -> AwaitComplete:
        """Show another question in the mounted view (the arguments are those of the constructor;
        `on_change` stays as it was given).

        The choices change at once, so the very next key answers the question now on screen. Whatever
        has to be mounted or parsed in the background holds back screen updates until it is done, so no
        frame pairs the new choices with the old stem. Awaiting the result waits for that. Only for a
        mounted view: before that, the constructor's question is the one that will show.
        """
        self.question = question
        self._response, self._review, self._scenario, self._guess = response, review, scenario, guess
        self._choices.load(question, response, seed, review)
        pending = [self._stem.show(question.stem)]
        if scenario and self._scenario_part is None:
            self._scenario_part = Prose(scenario, classes="scenario")
            pending.append(self.mount(self._scenario_part, before=self._stem))
        elif self._scenario_part is not None:
            self._scenario_part.display = bool(scenario)
            if scenario:
                pending.append(self._scenario_part.show(scenario))
        if review and self._review_parts is None:
            self._review_parts = _review_parts(question)
            pending.append(self.mount_all(self._review_parts, after=self._choices))
        if self._review_parts is not None:
            pending.append(self._show_review())
        pending = [awaitable for awaitable in pending if not _done(awaitable)]
        if not pending:
            return AwaitComplete.nothing()
        batch = ExitStack()
        batch.enter_context(self.app.batch_update())

        async def settle() -> None:
            with batch:
                await gather(*pending)

        return AwaitComplete(settle())

    def _show_review(self) -> AwaitComplete:
        """The verdict, explanation and references of a review, or hide them when not reviewing."""
        assert self._review_parts is not None
        verdict_part, explanation, refs = self._review_parts
        q = self.question
        for part in self._review_parts:
            part.display = self._review
        refs.display = self._review and bool(q.refs)
        if not self._review:
            return AwaitComplete.nothing()
        right = grade(q, self._response)
        if right:
            verdict = "✓ Correct" + ("  (marked as a guess: it comes back sooner)" if self._guess else "")
        elif self._response is None or not is_complete(q, self._response):
            verdict = "✗ Not answered"
        else:
            verdict = "✗ Incorrect"
        verdict_part.update(plain(verdict))
        verdict_part.set_class(right, "right")
        verdict_part.set_class(not right, "wrong")
        refs.update(plain("Read more: " + "; ".join(map(ref_text, q.refs))))
        return explanation.show(q.explanation) if explanation.is_mounted else AwaitComplete.nothing()

    @property
    def choices(self) -> Choices:
        return self._choices

    @property
    def response(self) -> Response:
        return self.choices.response

    def focus_choices(self) -> None:
        """Focus the choices unless they already are: a focus change makes the Footer rebuild."""
        if not self._choices.has_focus:
            self._choices.focus()


def _review_parts(question: AnyQuestion) -> tuple[Static, Prose, Static]:
    """The verdict, the explanation and the references (`QuestionView._show_review` fills in the rest)."""
    return (
        Static(classes="verdict"),
        Prose(question.explanation, classes="explanation"),
        Static(classes="refs"),
    )


def _done(awaitable: AwaitComplete | AwaitMount) -> bool:
    return isinstance(awaitable, AwaitComplete) and awaitable.is_done


class QuestionScroll(VerticalScroll):
    """The scrolling body a question is shown in, laid out once per question instead of twice.

    Textual's scroll containers store a new virtual size as a layout-triggering reactive from inside the
    layout that computed it, so every question of another height cost a second layout and a second frame,
    although the first had already placed everything. Here the virtual size is stored without asking for
    one. A second pass is only needed when the scrollbar appears or goes, since the text then wraps to
    another width; the scrollbar is always shown so that it does not (and the text does not jump sideways
    between a short question and a long one), and Textual would lay out again by itself if it did.
    """

    DEFAULT_CSS = "QuestionScroll { overflow-y: scroll; }"

    def _size_updated(
        self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True
    ) -> bool:
        changed = super()._size_updated(size, virtual_size, container_size, layout=False)
        bar = self._vertical_scrollbar
        if changed and bar is not None and bar._repaint_required:
            # The thumb's new size would otherwise reach the screen as a message and cost a frame of its
            # own: paint it with the layout that is being drawn now instead.
            bar._repaint_required = False
            self.screen._compositor.update_widgets({bar})
        return changed


def question_screen_layout() -> ComposeResult:
    """Header, a status bar, a scrolling body for questions, footer: practice and results share it."""
    from textual.widgets import Footer, Header

    yield Header()
    yield Static(id="status", classes="bar")
    yield QuestionScroll(id="body", classes="question-scroll")
    yield Footer()
