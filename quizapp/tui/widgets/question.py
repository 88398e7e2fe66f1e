"""One question on screen, any type; and, once answered, its verdict and full feedback.

The choices themselves (cursor, display order, each row's marks) are `Choices`, in their own module.
"""

from __future__ import annotations

from asyncio import gather
from collections.abc import Callable
from contextlib import ExitStack

from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.binding import Binding
from textual.color import Color
from textual.containers import Vertical, VerticalScroll
from textual.errors import NoWidget
from textual.geometry import Region, Size
from textual.scrollbar import ScrollBar
from textual.strip import Strip
from textual.style import Style
from textual.widget import AwaitMount, Widget
from textual.widgets import Static

from quizapp.content import AnyQuestion
from quizapp.content.models import ref_text
from quizapp.study.grading import Response, grade, is_complete
from quizapp.tui.text import plain
from quizapp.tui.widgets.arranged import ArrangedByWidth
from quizapp.tui.widgets.choices import LETTERS, Choices
from quizapp.tui.widgets.prose import Prose
from quizapp.tui.widgets.sized_static import SizedStatic
from quizapp.tui.widgets.sizing import SizedByLayout
from quizapp.tui.widgets.statusbar import StatusBar

VERDICT_AND_LINES = 5
"""In review, this many lines of the choices must be in view under the verdict, or it is scrolled up."""

VERDICT_BACKGROUNDS = {True: ("success", 0.3), False: ("error", 0.3)}
"""The verdict's background, right or wrong: the theme's colour and its alpha (CSS `$success 30%`)."""
_VERDICT_COLOURS: dict[tuple[str, bool], Color] = {}

__all__ = ["LETTERS", "Choices", "QuestionScroll", "QuestionView", "question_screen_layout"]


class QuestionView(ArrangedByWidth, SizedByLayout, Vertical):
    """Scenario (for case studies), stem, choices and, in review, the verdict and explanation.

    In review the verdict, with which answer is right, sits between the stem and the choices, and the
    view scrolls to it if a long scenario and stem push it out of sight: after Enter the eye is on the
    options, and under every option's why it came below the screen's last line (issue 15, item 11).

    `show` puts another question into the widgets already mounted instead of building new ones: mounts
    re-apply CSS, and moving focus to a new Choices makes the Footer rebuild itself, which together made a
    question change cost several frames. A part the question does not need is hidden. The review's parts
    (verdict, explanation, references) are always there, hidden while asking, so that a submit only fills
    them in; a case study's scenario, rarer, is mounted when first needed.
    """

    DEFAULT_CSS = """
    QuestionView { height: auto; }
    QuestionView .scenario { border-left: thick $accent; padding: 0 1; margin-bottom: 1; background: $surface; }
    QuestionView .stem { margin: 0; }  /* its last paragraph keeps a blank line under it */
    QuestionView .verdict { padding: 0 1; margin-bottom: 1; text-style: bold; }
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
        review_ahead: bool = False,
    ) -> None:
        """`review_ahead`: fill in each question's review while it is being read (`prepare_review`),
        for a screen that shows the review after every answer; the exam never does."""
        super().__init__()
        self._review_ahead = review_ahead
        self.question = question
        self._response = response
        self._review = review
        self._scenario = scenario
        self._guess = guess
        self._stem = Prose(question.stem, classes="stem")
        self._choices = Choices(question, response, seed, review, on_change)
        self._scenario_part: Prose | None = None
        # Built with the view, hidden while asking: mounting them on the first submit cost that key a
        # second frame (the mount's own layout came after the first), once per practice session.
        self._review_parts = _review_parts(question)
        # The question whose review is filled in ahead, hidden (`prepare_review`), and whose references
        # the refs line holds.
        self._prepared: AnyQuestion | None = None
        self._refs_of: AnyQuestion | None = None
        self._blank: tuple[tuple[object, ...], Strip] | None = None  # a line of `render_lines`
        self._verdict_right: bool | None = None  # what the verdict says, once there is one

    def compose(self) -> ComposeResult:
        if self._scenario:
            self._scenario_part = Prose(self._scenario, classes="scenario")
            yield self._scenario_part
        yield self._stem
        verdict, explanation, refs = self._review_parts
        self._show_review()
        yield verdict
        yield self._choices
        yield explanation
        yield refs

    def on_mount(self) -> None:
        self.app.theme_changed_signal.subscribe(self, self._theme_changed)
        self._paint_verdict()  # a view built in review filled its verdict in before it was attached
        if self._review:
            self.call_after_refresh(self.bring_verdict_into_view)
        elif self._review_ahead:
            self.call_after_refresh(self.prepare_review)

    def on_unmount(self) -> None:
        # The app's signal would otherwise keep this view, and the closed screen around it, alive
        # until the next change of theme.
        self.app.theme_changed_signal.unsubscribe(self)

    def prepare_review(self) -> None:
        """Fill in, hidden, what the review of the question on screen shows whatever the answer: the
        explanation, the references, the options' reasons wrapped at their width. Run once the
        question has been drawn, while it is being read, so that a submit only adds the verdict and the
        marks: the submit was the slowest key of a practice session (issue 18), and this was a third of
        its own work and part of its layout. Hidden parts take new text without a frame
        (`SizedByLayout`), so this draws nothing; a submit before it has run fills them in itself."""
        q = self.question
        if self._review or self._prepared is q or not self.is_attached:
            return
        self._prepared = q
        _verdict, explanation, refs = self._review_parts
        if explanation.is_mounted:
            explanation.show(q.explanation, in_place_only=True)  # else the submit updates it, as before
            _size_ahead(explanation, self._stem)
        self._fill_refs()
        self._choices.prepare_review()

    def render_lines(self, crop: Region) -> list[Strip]:
        """The view's own lines, under its parts: blank, in its background, as Textual draws a plain
        container's, without drawing every one of them through the line styling. The view's height
        changes on every submit and "next", and Textual then drew all its visible lines anew (about
        0.6 ms a key) for the margins between the parts. Anything that is not plain (padding, a
        border, tint, opacity, keylines) is drawn by Textual."""
        styles = self.styles
        if (
            any(styles.gutter)
            or any(edge for edge, _color in styles.outline)
            or styles.tint.a
            or self.opacity != 1.0
            or styles.text_opacity != 1.0
            or styles.keyline[0] != "none"
            or (styles.has_rule("hatch") and styles.hatch != "none")
        ):
            return super().render_lines(crop)
        base_background, background = self.background_colors
        filters = tuple(self.get_line_filters())
        drawn_from = (crop.width, base_background, background, filters)
        if self._blank is None or self._blank[0] != drawn_from:
            line = Strip.blank(crop.width, Style(background=base_background + background).rich_style)
            for line_filter in filters:
                line = line.apply_filter(line_filter, background)
            self._blank = (drawn_from, line)
        return [self._blank[1]] * crop.height

    def bring_verdict_into_view(self) -> None:
        """Scroll the verdict to the top of the view unless it is in sight already with the start of the
        choices under it (the stem then stays in sight too). Called once the review is laid out."""
        if not self._review or not self.is_attached:
            return
        verdict = self._review_parts[0]
        scroll = self.parent
        if not isinstance(scroll, VerticalScroll):
            return
        try:
            where = self.screen.find_widget(verdict)
            choices = self.screen.find_widget(self._choices).region
        except NoWidget:
            return
        seen = min(choices.height, VERDICT_AND_LINES)
        wanted = where.region.union(Region(choices.x, choices.y, choices.width, seen))
        if not where.clip.contains_region(wanted):
            top = where.region.y - scroll.scrollable_content_region.y + scroll.scroll_offset.y
            scroll.scroll_to(y=top, animate=False, immediate=True)

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
        if self._review_ahead and not review:
            self.call_after_refresh(self.prepare_review)
        self._choices.load(question, response, seed, review)
        pending = [self._stem.show(question.stem)]
        if scenario and self._scenario_part is None:
            self._scenario_part = Prose(scenario, classes="scenario")
            pending.append(self.mount(self._scenario_part, before=self._stem))
        elif self._scenario_part is not None:
            self._scenario_part.display = bool(scenario)
            if scenario:
                pending.append(self._scenario_part.show(scenario))
        pending.append(self._show_review())
        pending = [awaitable for awaitable in pending if not _done(awaitable)]
        if not pending:
            if review:
                self.call_after_refresh(self.bring_verdict_into_view)
            return AwaitComplete.nothing()
        batch = ExitStack()
        batch.enter_context(self.app.batch_update())

        async def settle() -> None:
            with batch:
                await gather(*pending)
            if review:
                self.call_after_refresh(self.bring_verdict_into_view)

        return AwaitComplete(settle())

    def _show_review(self) -> AwaitComplete:
        """The verdict, explanation and references of a review, or hide them when not reviewing."""
        verdict_part, explanation, refs = self._review_parts
        q = self.question
        for part in self._review_parts:
            part.display = self._review
        refs.display = self._review and bool(q.refs)
        if not self._review:
            return AwaitComplete.nothing()
        right = grade(q, self._response)
        if right:
            verdict = "✓ Correct"
        elif self._response is None or not is_complete(q, self._response):
            verdict = "✗ Not answered"
        else:
            verdict = "✗ Incorrect"
        answer = self._choices.right_answer(right)
        verdict += f": {answer}" if answer else ""
        if right and self._guess:
            verdict += "  (marked as a guess: it comes back sooner)"
        verdict_part.update(plain(verdict))
        self._verdict_right = right
        self._paint_verdict()
        self._fill_refs()
        return explanation.show(q.explanation) if explanation.is_mounted else AwaitComplete.nothing()

    def _paint_verdict(self) -> None:
        """Give the verdict the background of a right or a wrong answer, set on the widget itself.

        Not a `right`/`wrong` class: a class change makes Textual match the whole stylesheet against
        the widget again, about 0.7 ms of each submit whose verdict differs from the last one (issue
        18). The colour is the theme's, as the CSS rule had it, and follows a change of theme."""
        right = self._verdict_right
        if right is None or not self.is_attached:
            return
        theme = self.app.theme
        colour = _VERDICT_COLOURS.get((theme, right))
        if colour is None:
            name, alpha = VERDICT_BACKGROUNDS[right]
            colour = Color.parse(self.app.get_css_variables()[name]).multiply_alpha(alpha)
            _VERDICT_COLOURS[theme, right] = colour
        self._review_parts[0].styles.background = colour

    def _theme_changed(self, _theme: object) -> None:
        _VERDICT_COLOURS.clear()  # a theme registered again under its name may have other colours
        self._paint_verdict()

    def _fill_refs(self) -> None:
        """The references line of the question on screen, unless it already holds them."""
        q = self.question
        if self._refs_of is not q:
            self._refs_of = q
            self._review_parts[2].update(plain("Read more: " + "; ".join(map(ref_text, q.refs))))

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
    """The verdict, the explanation and the references (`QuestionView._show_review` fills in the rest).

    Sized by layout, as the rest of the view is: a verdict or a reference list of another height must
    not cost the submit a second frame."""
    verdict, refs = SizedStatic(classes="verdict"), SizedStatic(classes="refs")
    for line in (verdict, refs):  # plain text: no links to style on every draw (see `Choices`)
        line.set_reactive(Widget.auto_links, False)
    return verdict, Prose(question.explanation, classes="explanation"), refs


def _size_ahead(prose: Prose, like: Prose) -> None:
    """Measure a hidden Prose's paragraphs at the width the shown one's are drawn at, so that the
    layout that shows it finds their heights known (each paragraph keeps its height for one width)."""
    widths = [block.content_size.width for block in like.children if isinstance(block, Widget)]
    if not widths or not widths[0]:
        return
    for block in prose.children:
        if isinstance(block, Widget) and not block.is_container:
            block.get_content_height(Size(0, 0), Size(0, 0), widths[0])


def _done(awaitable: AwaitComplete | AwaitMount) -> bool:
    return isinstance(awaitable, AwaitComplete) and awaitable.is_done


class QuestionScroll(VerticalScroll, inherit_bindings=False):
    """The scrolling body a question is shown in, laid out once per question instead of twice.

    It scrolls only up and down, so it keeps none of the scroll containers' (hidden) ←/→ bindings: they
    came first in the footer's lookup and hid the screens' own ← Previous (issue 15, item 14).

    Textual's scroll containers store a new virtual size as a layout-triggering reactive from inside the
    layout that computed it, so every question of another height cost a second layout and a second frame,
    although the first had already placed everything. Here the virtual size is stored without asking for
    one. A second pass is only needed when the scrollbar appears or goes, since the text then wraps to
    another width; the scrollbar is always shown so that it does not (and the text does not jump sideways
    between a short question and a long one), and Textual would lay out again by itself if it did.
    """

    DEFAULT_CSS = "QuestionScroll { overflow-y: scroll; }"
    BINDINGS = [
        Binding("up", "scroll_up", "Scroll Up", show=False),
        Binding("down", "scroll_down", "Scroll Down", show=False),
        Binding("home", "scroll_home", "Scroll Home", show=False),
        Binding("end", "scroll_end", "Scroll End", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
    ]

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """Textual's vertical scrollbar, but one that remembers how it drew each state (see
        `RememberedScrollBar`); made, hidden and started as Textual makes its own."""
        if self._vertical_scrollbar is None:
            self._vertical_scrollbar = bar = RememberedScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical
            )
            bar.display = False
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar

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


class RememberedScrollBar(ScrollBar):
    """A scrollbar that draws each state it has been in once, then repeats the lines it drew.

    The question body's bar changes on every submit and "next" (the text's height, the verdict
    scrolled to), and drawing it anew went through Rich and Textual's line styling for each of its
    rows: about 0.9 ms, as much as the choices themselves. Yet a practice session shows few different
    bars (questions of a similar height give the same thumb): 25 states over 60 answers. The lines are
    kept with everything they were drawn from, so a state that looks different in any way draws anew.

    At most 8 states: with 64, the bar's remembered lines (each Strip with the copies cached inside
    it) were several hundred lines the practice screen held, and a 300-answer + 500-rating session
    kept about 0.5 MiB more RSS afterwards, while practice keys' p95 stayed under 13 ms with 8
    (`bench/session_memory.py`, one run each, issue 18).
    """

    MOST_REMEMBERED = 8

    def __init__(self, vertical: bool = True, name: str | None = None, *, thickness: int = 1) -> None:
        super().__init__(vertical, name, thickness=thickness)
        self._drawn: dict[tuple[object, ...], list[Strip]] = {}
        self._filters: tuple[object, ...] = ()

    def _state(self, crop: Region) -> tuple[object, ...]:
        """Everything the lines are drawn from (`ScrollBar.render` and Textual's line styling)."""
        parent = self.parent
        assert isinstance(parent, Widget)
        styles = parent.styles
        return (
            crop,
            self.size,
            self.window_virtual_size,
            self.window_size,
            self.position,
            self.thickness,
            self.vertical,
            self.grabbed is not None,
            self.mouse_over,
            styles.scrollbar_background,
            styles.scrollbar_color,
            styles.scrollbar_background_hover,
            styles.scrollbar_color_hover,
            styles.scrollbar_background_active,
            styles.scrollbar_color_active,
            parent.background_colors,
            self.background_colors,
            self.screen.styles.scrollbar_color,
            self.styles.tint,
            self.opacity,
            self.app.theme,
        )

    def render_lines(self, crop: Region) -> list[Strip]:
        filters = tuple(self.get_line_filters())
        if filters != self._filters:  # another colour mode: nothing drawn before applies
            self._drawn.clear()
            self._filters = filters
        state = self._state(crop)
        lines = self._drawn.get(state)
        if lines is None:
            if len(self._drawn) >= self.MOST_REMEMBERED:
                self._drawn.clear()
            lines = self._drawn[state] = super().render_lines(crop)
        return lines


def question_screen_layout(*, palette: bool = True) -> ComposeResult:
    """Header, a status bar, a scrolling body for questions, footer: practice and results share it.

    `palette` shows ctrl+p in the footer; a screen whose own keys need the row leaves it to Help.
    """
    from textual.widgets import Header

    from quizapp.tui.widgets.keys_footer import KeysFooter

    yield Header()
    yield StatusBar(id="status", classes="bar")
    yield QuestionScroll(id="body", classes="question-scroll")
    yield KeysFooter(show_command_palette=palette)


QUIT_OFF_THE_FOOTER = Binding("q", "app.quit", "Quit", show=False)
"""q still quits, and Help lists it, but the question screens' footers need its 8 columns at 80x24 for
their own keys and '? Help' (issue 15, item 14)."""
