"""One question on screen, any type, keyboard-first; and, once answered, its full feedback.

The widget owns only what is on screen (cursor, display order); the response it reports is in
`study.grading` terms (original indices / response texts), so shuffling never touches the key.
"""

from __future__ import annotations

import random
import zlib

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Markdown, Static

from quizapp.content import AnyQuestion
from quizapp.content.models import MatchingQuestion, MultiQuestion, OrderingQuestion, SingleQuestion
from quizapp.study.grading import Response, grade, is_complete
from quizapp.tui.text import plain

LETTERS = "abcdefghi"


class Choices(Static, can_focus=True):
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

    class Changed(Message):
        def __init__(self, response: Response) -> None:
            self.response = response
            super().__init__()

    def __init__(self, question: AnyQuestion, response: Response, seed: int, review: bool) -> None:
        super().__init__()
        self.question = question
        self.review = review
        self.cursor = 0
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
        self.refresh_view()
        self.post_message(self.Changed(self.response))

    def _rows(self) -> int:
        q = self.question
        if isinstance(q, SingleQuestion | MultiQuestion):
            return len(q.options)
        if isinstance(q, OrderingQuestion):
            return len(q.items)
        return len(q.pairs)

    # ------------------------------------------------------------------ actions

    def action_cursor(self, step: int) -> None:
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
            self.matched[self.cursor] = self.responses[n - 1]
            self.cursor = min(self.cursor + 1, len(q.pairs) - 1)
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
        if isinstance(self.question, MatchingQuestion):
            self.matched[self.cursor] = None
        elif isinstance(self.question, SingleQuestion | MultiQuestion):
            self.selected.clear()
        self._changed()

    # ------------------------------------------------------------------ drawing

    def on_mount(self) -> None:
        self.refresh_view()

    def refresh_view(self) -> None:
        self.update(self.render_text())

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
            out.append("Put in order: ↑/↓ choose, shift+↑/↓ or [ ] move, space to accept as is\n", "dim")
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
        if not self.review:
            out.append("\nResponses (press the number for the highlighted prompt):\n", "dim")
            for i, response in enumerate(self.responses):
                out.append_text(plain(f"  {i + 1}) {response}\n"))
        return out

    def on_focus(self) -> None:
        self.refresh_view()

    def on_blur(self) -> None:
        self.refresh_view()


class QuestionView(Vertical):
    """Scenario (for case studies), stem, choices and, in review, the verdict and explanation."""

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
    ) -> None:
        super().__init__()
        self.question = question
        self._response = response
        self._seed = seed
        self._review = review
        self._scenario = scenario
        self._guess = guess

    def compose(self) -> ComposeResult:
        q = self.question
        if self._scenario:
            yield Markdown(self._scenario, classes="scenario")
        yield Markdown(q.stem, classes="stem")
        yield Choices(q, self._response, self._seed, self._review)
        if self._review:
            right = grade(q, self._response)
            if right:
                verdict = "✓ Correct" + ("  (marked as a guess: it comes back sooner)" if self._guess else "")
            elif self._response is None or not is_complete(q, self._response):
                verdict = "✗ Not answered"
            else:
                verdict = "✗ Incorrect"
            yield Static(plain(verdict), classes="verdict " + ("right" if right else "wrong"))
            yield Markdown(q.explanation, classes="explanation")
            if q.refs:
                yield Static(plain("Read more: " + "; ".join(q.refs)), classes="refs")

    @property
    def choices(self) -> Choices:
        return self.query_one(Choices)

    @property
    def response(self) -> Response:
        return self.choices.response

    def focus_choices(self) -> None:
        self.choices.focus()


def question_screen_layout() -> ComposeResult:
    """Header, a status bar, a scrolling body for questions, footer: practice and results share it."""
    from textual.containers import VerticalScroll
    from textual.widgets import Footer, Header

    yield Header()
    yield Static(id="status", classes="bar")
    yield VerticalScroll(id="body", classes="question-scroll")
    yield Footer()
