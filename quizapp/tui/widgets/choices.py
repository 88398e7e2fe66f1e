"""The interactive part of a question, any type, keyboard-first; and, once answered, each row's verdict.

The widget owns only what is on screen (cursor, display order); the response it reports is in
`study.grading` terms (original indices / response texts), so shuffling never touches the key.
Every row is a prefix (mark, letter, number) and a text that wraps under itself (`Hanging`).
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable

from rich.text import Text
from textual.binding import Binding
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Static

from quizapp.content import AnyQuestion
from quizapp.content.models import MatchingQuestion, MultiQuestion, OrderingQuestion, SingleQuestion
from quizapp.study.grading import Response
from quizapp.tui.text import plain
from quizapp.tui.widgets.hanging import Hanging, Row
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
        # No links in options, so no link styling: Textual otherwise restyles every drawn line looking
        # for links (a third of drawing the choices, on every key) and repaints on every mouse move.
        self.set_reactive(Widget.auto_links, False)
        self.on_change = on_change
        self.review = False
        self.load(question, response, seed, review)

    def load(self, question: AnyQuestion, response: Response, seed: int, review: bool) -> None:
        """Show another question in this same widget.

        Moving between questions reuses the widget rather than mounting a new one: a mount re-applies
        CSS, and moving focus to the new widget makes the Footer rebuild itself, which together cost a
        question change several frames. The state is rebuilt exactly as a fresh widget would build it.
        """
        self.question = question
        if review != self.review:
            # Practice keeps the focus here through feedback, where the focus background must not
            # show. An inline style, not a class: a class change re-applies the stylesheet to the
            # widget, half a millisecond of every submit and "next".
            if review:
                self.styles.background = "transparent"
            else:
                self.styles.clear_rule("background")
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
        self.update(Hanging(self.rows()), layout=layout)
        width, height = self.size
        if not layout and (not width or self.get_content_height(Size(0, 0), Size(0, 0), width) != height):
            self.refresh(layout=True)

    def render_text(self) -> Text:
        """What the widget says, one row a line, unwrapped."""
        return Hanging(self.rows()).plain_text()

    def rows(self) -> list[Row]:
        q = self.question
        if isinstance(q, SingleQuestion | MultiQuestion):
            return self._option_rows(q)
        if isinstance(q, OrderingQuestion):
            return self._ordering_rows(q)
        return self._matching_rows(q)

    def _row(self, row: int, prefix: Text, body: Text) -> Row:
        """A row of the list the cursor moves in, reversed where the cursor is."""
        if row == self.cursor and self.has_focus and not self.review:
            prefix.stylize("reverse")
            body.stylize("reverse")
        return prefix, body

    def right_letters(self) -> list[str]:
        """The letters, as shown, of the options that are right (single and multi)."""
        q = self.question
        assert isinstance(q, SingleQuestion | MultiQuestion)
        return [
            LETTERS[row].upper() for row, original in enumerate(self.order) if q.options[original].correct
        ]

    def right_answer(self, right: bool) -> str:
        """Which answer is right, in words that fit the verdict line: the letters as shown, or where to
        look (the right order and the right responses are the rows right under the verdict); nothing
        for a right order or matching, which the rows show as the learner's own."""
        q = self.question
        if right and not isinstance(q, SingleQuestion | MultiQuestion):
            return ""
        if isinstance(q, SingleQuestion | MultiQuestion):
            letters = self.right_letters()
            return (
                f"the answer is {letters[0]}"
                if len(letters) == 1
                else f"the answers are {', '.join(letters)}"
            )
        if isinstance(q, OrderingQuestion):
            return "the right order is below"
        right = sum(chosen == pair.response for chosen, pair in zip(self.matched, q.pairs, strict=True))
        return f"{right} of {len(q.pairs)} matched right; the answers are below"

    def _option_rows(
        self, q: SingleQuestion | MultiQuestion, review: bool | None = None, selected: set[int] | None = None
    ) -> list[Row]:
        """The options as shown, or (with `review` and `selected`) as a review of that answer would be."""
        review = self.review if review is None else review
        selected = self.selected if selected is None else selected
        rows: list[Row] = []
        single = isinstance(q, SingleQuestion)
        if not single:
            heading = Text(f"Choose {q.choose}.  ", style="bold")
            heading.append(f"{len(selected)} selected", style="dim")
            rows.append((Text(), heading))
        for row, original in enumerate(self.order):
            option = q.options[original]
            chosen = original in selected
            mark = ("(•)" if chosen else "( )") if single else ("[x]" if chosen else "[ ]")
            prefix = Text(f"{mark} {LETTERS[row].upper()}. ")
            if not review:
                rows.append(self._row(row, prefix, plain(option.text)))
                continue
            style = "bold green" if option.correct else ("bold red" if chosen else "")
            verdict = "✓ " if option.correct else ("✗ " if chosen else "  ")
            prefix = Text(verdict, style=style) + prefix
            rows.append((prefix, plain(option.text, style)))  # no cursor in a review
            rows.append((Text(" " * prefix.cell_len), plain(option.why, "dim italic")))
        return rows

    def prepare_review(self) -> None:
        """Wrap ahead, at the width the choices are drawn at, every text this question's review can
        show: each option's why, and each option's text as marked right, wrong or not chosen. Called
        while the question is being read, so that a submit finds them wrapped (`hanging._wrap` keeps
        them): the why texts are most of the lines a review adds. Which options the learner chose only
        changes the marks, so two answers cover every text: all options chosen, and none."""
        q = self.question
        width = self.content_size.width
        if self.review or not width or not isinstance(q, SingleQuestion | MultiQuestion):
            return
        for selected in (set(range(len(q.options))), set()):
            Hanging(self._option_rows(q, review=True, selected=selected)).lines(width)

    def _ordering_rows(self, q: OrderingQuestion) -> list[Row]:
        if self.review:
            return self._ordering_review_rows(q)
        rows: list[Row] = [
            (Text(), Text("Order: ↑/↓ choose, shift+↑/↓ or [ ] move; Enter keeps the order shown", "dim"))
        ]
        for row, original in enumerate(self.order):
            rows.append(self._row(row, Text(f"{row + 1}. "), plain(q.items[original])))
        return rows

    def _ordering_review_rows(self, q: OrderingQuestion) -> list[Row]:
        """The right order, each item marked with where the learner put it: the answer and the mistakes
        in one list, right under the verdict."""
        answered = self.touched
        rows: list[Row] = []
        for place, item in enumerate(q.items):
            yours = self.order.index(place)
            if not answered:
                prefix = Text(f"  {place + 1}. ")
                body = plain(item)
            elif yours == place:
                prefix = Text("✓ ", "bold green") + Text(f"{place + 1}. ")
                body = plain(item, "green")
            else:
                prefix = Text("✗ ", "bold red") + Text(f"{place + 1}. ")
                body = plain(item)
                body.append(f"  (you: {_ordinal(yours + 1)})", "red")
            rows.append((prefix, body))
        return rows

    def _matching_rows(self, q: MatchingQuestion) -> list[Row]:
        rows: list[Row] = []
        for row, pair in enumerate(q.pairs):
            chosen = self.matched[row]
            body = plain(pair.prompt)
            body.append("  →  ")
            if self.review:
                right = chosen == pair.response
                prefix = Text("✓ " if right else "✗ ", "bold green" if right else "bold red")
                body.append_text(plain(chosen or "—", "green" if right else "red"))
                if not right:
                    body.append_text(plain(f"  (answer: {pair.response})", "green"))
            else:
                prefix = Text()
                body.append_text(plain(chosen or "___", "bold" if chosen else "dim"))
            rows.append(self._row(row, prefix, body))
        if self.note and not self.review:
            rows.append((Text(), plain(f"{self.note} (backspace clears)", "bold yellow")))
        if not self.review:
            rows.append((Text(), Text()))
            rows.append((Text(), Text("Responses (press the number for the highlighted prompt):", "dim")))
            for i, response in enumerate(self.responses):
                rows.append((Text(f"  {i + 1}) "), plain(response)))
        return rows

    def on_focus(self) -> None:
        self.refresh_view()

    def on_blur(self) -> None:
        self.refresh_view()


def _ordinal(n: int) -> str:
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"
