"""Flashcards: front, reveal, then Again/Hard/Good/Easy (1-4) with each next interval shown.

At 80x24 every key the learner needs is in the footer: it is compact, and it shows only the keys that
do something now (space on the front, 1-4 on the back), so `esc Back` is never pushed off the edge
(narrower, the palette's key makes room for it).
A back longer than the screen scrolls with the keyboard (↓, PgDn; the card area has the focus) and a
line under it says there is more below until the end is in view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fsrs import Rating
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quizapp.study import FlashcardSession
from quizapp.tui.dialogs.pick import PickDialog
from quizapp.tui.kept import open_kept
from quizapp.tui.saving import NotSaved, saved
from quizapp.tui.text import plain, safe, say
from quizapp.tui.timing import ItemTimer, TimesItems
from quizapp.tui.widgets.keys_footer import KeysFooter
from quizapp.tui.widgets.prose import Prose
from quizapp.tui.widgets.sized_static import SizedStatic

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

LABELS = {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good", Rating.Easy: "Easy"}
CRAM_NOTE = "cram: schedules unchanged"
MORE = "↓ more below · ↓/PgDn scroll"
PALETTE_KEY_FROM = 80
"""The narrowest screen whose footer also shows the command palette's key."""


class FlashcardScreen(TimesItems, Screen[None]):
    HELP_TITLE = "Flashcards"
    DEFAULT_CSS = """
    FlashcardScreen #card { height: 1fr; padding: 1 2; }
    FlashcardScreen .front { text-style: bold; padding: 0 2; border: round $accent; height: auto; }
    FlashcardScreen .back { padding: 0 2; border: round $success; height: auto; margin-top: 1; }
    FlashcardScreen .back > MarkdownBlock:last-child { margin-bottom: 0; }
    FlashcardScreen #buttons { height: auto; padding: 0 1; }
    FlashcardScreen #more { height: 1; padding: 0 2; color: $text-muted; display: none; }
    FlashcardScreen #more.-shown { display: block; }
    """
    BINDINGS = [
        Binding("space,enter", "reveal", "Reveal"),
        Binding("1", "rate(1)", "Again"),
        Binding("2", "rate(2)", "Hard"),
        Binding("3", "rate(3)", "Good"),
        Binding("4", "rate(4)", "Easy"),
        Binding("u", "undo", "Undo"),
        Binding("l", "leeches", "Leeches"),
        Binding("escape", "leave", "Back", key_display="esc"),
        # The card area scrolls itself when focused (it is, from the start); this names the keys in help
        # and still pages the card if the focus went elsewhere.
        Binding("pagedown", "page_card", "Scroll a long card (↓ ↑ PgUp too)", show=False, key_display="PgDn"),
    ]

    def __init__(self, session: FlashcardSession, title: str) -> None:
        super().__init__()
        self.session = session
        self.title_text = title
        self.revealed = False
        # A card's time runs from its front shown to its rating given (the back is part of it).
        self.timer = ItemTimer(session.clock)
        # Every card is shown in the same widgets, updated in place: a new set per card cost a mount and
        # CSS for each, and a long session piled up what it removed (issue 18). The back and the
        # end-of-session text are there from the start, hidden until needed: mounted by the key that
        # needs them, they cost it two more frames.
        self._deck = SizedStatic(classes="muted")
        self._front = SizedStatic(classes="front")
        first = session.current()
        self._back = Prose(first.back if first is not None else None, classes="back")
        self._back.display = False
        done = Text("No more cards for now. ", "bold")
        done.append("Esc: back · u: undo the last rating", "dim")
        self._done = SizedStatic(done)
        self._done.display = False
        self._shown: dict[Static, Text] = {}  # what `_show` last put in each widget
        # Held rather than queried on every key (see StatusBar).
        # Sized by layout (see SizedStatic): a new card's height or count must not cost a second frame.
        self._status = SizedStatic(id="status", classes="bar")
        self._area = VerticalScroll(id="card")
        self._more = SizedStatic(MORE, id="more")
        self._buttons = SizedStatic(id="buttons")

    def compose(self) -> ComposeResult:
        yield Header()
        yield self._status
        with self._area:
            yield self._deck
            yield self._front
            yield self._back
            yield self._done
        yield self._more
        yield self._buttons
        yield KeysFooter(compact=True)

    def start(self, session: FlashcardSession, title: str) -> None:
        """Begin `session` on this screen, kept from an earlier one (`open_flashcards`): its first
        card's front replaces whatever the last session left (a back, the end-of-session text), and
        its cards are timed afresh. Called before the screen is shown again."""
        self.session = session
        self.title_text = title
        self.revealed = False
        self.timer = ItemTimer(session.clock)
        self.show_card()

    def on_mount(self) -> None:
        area = self.query_one("#card", VerticalScroll)
        # The cue follows the scroll position and the content's height (a new card, a reveal); a
        # resize is `on_resize`.
        self.watch(area, "scroll_y", self._cue_more, init=False)
        self.watch(area, "virtual_size", self._cue_more, init=False)
        self.show_card()
        area.focus()

    def on_resize(self, event: events.Resize) -> None:
        self.call_after_refresh(self._cue_more)
        # Below 80 columns the palette key gives way to the card's own keys (ctrl+p is on Home's key
        # line and in help): at 60 it hid esc Back.
        footer = self.query_one(Footer)
        wide = event.size.width >= PALETTE_KEY_FROM
        if footer.show_command_palette != wide:
            footer.show_command_palette = wide
            self.refresh_bindings()  # the footer redraws its keys when the bindings are refreshed

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Space only on a front, 1-4 only on a back: the footer then has room for every key that works."""
        if action == "reveal":
            return self.session.current() is not None and not self.revealed
        if action == "rate":
            return self.session.current() is not None and self.revealed
        return True

    def _cue_more(self) -> None:
        """Show "more below" while a line of the card is below the area's bottom edge.

        The cue takes a line from the area, so while it is shown that line counts as room: otherwise
        a card one line too tall would keep the cue up even when hiding it would let the card fit.
        """
        area = self._area
        cue = self._more
        room = 1 if cue.has_class("-shown") else 0
        cue.set_class(area.max_scroll_y - room - area.scroll_y >= 1, "-shown")

    def show_card(self) -> None:
        s = self.session
        card = s.current()
        status = Text()
        status.append(f"{safe(self.title_text)} ", "bold")
        status.append(f"· {s.remaining()} left · {s.reviewed} reviewed")
        self._show(self._status, status)
        area = self._area
        area.scroll_home(animate=False, immediate=True)
        self.refresh_bindings()  # which keys work (and show in the footer) depends on the side shown
        buttons = self._buttons
        self._deck.display = self._front.display = card is not None
        self._back.display = card is not None and self.revealed
        self._done.display = card is None
        if card is None:
            self._show(buttons, Text())
            self.timer.stop()
            return
        deck = s.bank.deck_of.get(card.id, "")
        self._show(self._deck, plain(f"{deck} · task {card.task}"))
        self._show(self._front, plain(card.front))
        if self.revealed:
            self._back.show(card.back)
            self._show(buttons, self._ratings())
        else:
            hint = Text("Space: show the answer", "dim")
            if s.cram:
                hint.append(f" · {CRAM_NOTE}", "dim")
            self._show(buttons, hint)
            self.timer.start()  # a front: the next card, a requeued one, or the same card again
        self.call_after_refresh(self._cue_more)

    def _show(self, widget: Static, text: Text) -> None:
        """Put `text` in `widget` unless it is there already: a reveal leaves the status line, the deck
        and the front as they were, and each needless update is a layout and a repaint of its own."""
        if self._shown.get(widget) != text:
            self._shown[widget] = text
            widget.update(text)

    def _ratings(self) -> Text:
        """The four ratings, each with the interval it would schedule.

        Cram schedules nothing, so there the ratings come bare with a note saying so, rather than
        intervals that will not be applied; the session's intervals are not even asked for (whether it
        computes them in cram or not). A rating without an interval (an empty mapping) is shown bare.
        """
        s = self.session
        intervals = {} if s.cram else s.intervals()
        row = Text()
        for rating, label in LABELS.items():
            row.append(f" {int(rating)} {label} ", "reverse")
            when = intervals.get(rating)
            row.append(f" {when}   " if when else "  ")
        if s.cram:
            row.append(f"  {CRAM_NOTE}", "dim")
        return row

    def action_reveal(self) -> None:
        if self.session.current() is not None and not self.revealed:
            self.revealed = True
            self.show_card()

    def action_rate(self, value: int) -> None:
        if not self.revealed or self.session.current() is None:
            return
        rated = saved(
            self,
            lambda: self.session.rate(Rating(value), duration_ms=self.timer.elapsed_ms()),
            retry=lambda: self.action_rate(value),
            what="Your rating",
        )
        if isinstance(rated, NotSaved):
            return
        self.timer.stop()
        if rated.requeued:
            say(self, f"'{rated.card.front[:40]}' comes back later in this session.", timeout=2)
        self.revealed = False
        self.show_card()

    def action_undo(self) -> None:
        card = saved(
            self,
            self.session.undo,
            retry=self.action_undo,
            what="Taking the rating back",
        )
        if isinstance(card, NotSaved):
            return
        if card is None:
            self.notify("Nothing to undo.")
            return
        self.revealed = True
        self.show_card()
        self.timer.start()  # the card is back, its answer showing: a new rating is timed from here

    def action_leeches(self) -> None:
        app: QuizApp = self.app  # type: ignore[assignment]
        assert app.coach is not None
        leeches = app.coach.leeches()
        if not leeches:
            self.notify("No leeches: no card has lapsed 8 times.")
            return
        choices = [(f"{c.front}  ({c.id})", c.id) for c in leeches]
        self.app.push_screen(
            PickDialog(
                f"{len(leeches)} leech(es): cards you keep forgetting. Rewrite or split them.",
                choices,
                "Esc: back",
            )
        )

    def action_page_card(self) -> None:
        self.query_one("#card", VerticalScroll).scroll_page_down()

    def action_leave(self) -> None:
        self.dismiss(None)


KEPT = "flashcards"
"""The name the app's one flashcard screen is installed under (`open_flashcards`)."""


def open_flashcards(app: QuizApp, session: FlashcardSession, title: str) -> None:
    """Show `session` on the app's one flashcard screen (`tui.kept`): made the first time, then
    started again for every later session, as practice's is."""
    open_kept(
        app,
        KEPT,
        FlashcardScreen,
        lambda: FlashcardScreen(session, title),
        lambda screen: screen.start(session, title),
    )


def choose_flashcards(app: QuizApp) -> None:
    """Pick all due cards, a deck or a task; cram any of them without touching schedules."""
    coach = app.coach
    assert coach is not None
    bank = coach.bank
    decks = sorted(set(bank.deck_of.values()))
    tasks = sorted({c.task for c in bank.flashcards.values()})
    choices: list[tuple[str, str | None]] = [("All decks: due cards, then new ones", "all::")]
    choices += [("— a deck —", None)] + [(deck, f"deck:{deck}:") for deck in decks]
    choices += [("— a task statement —", None)] + [
        (f"{t} {bank.blueprint.task_title(t)}", f"task:{t}:") for t in tasks
    ]
    choices += [("— cram (study ahead; no schedule changes) —", None)]
    choices += [(f"Cram deck: {deck}", f"deck:{deck}:cram") for deck in decks]
    choices += [(f"Cram task {t}", f"task:{t}:cram") for t in tasks]

    def picked(value: str | None) -> None:
        if not value:
            return
        kind, rest = value.split(":", 1)
        name, cram = rest.rsplit(":", 1)  # deck names may contain ':'
        arg = name or None
        session = coach.flashcards(
            deck=arg if kind == "deck" else None, task=arg if kind == "task" else None, cram=cram == "cram"
        )
        if session.done:
            app.notify("No cards due and no new cards left for today. Try cram to study ahead.")
            return
        title = "Cram" if cram else "Flashcards"
        open_flashcards(app, session, f"{title}{' · ' + arg if arg else ''}")

    app.push_screen(PickDialog("Which flashcards?", choices), picked)
