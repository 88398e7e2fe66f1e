"""Flashcards: front, reveal, then Again/Hard/Good/Easy (1-4) with each next interval shown."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fsrs import Rating
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Header, Static

from quizapp.study import FlashcardSession
from quizapp.tui.dialogs.pick import PickDialog
from quizapp.tui.saving import NotSaved, saved
from quizapp.tui.text import plain, safe, say
from quizapp.tui.widgets.prose import SafeMarkdown

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp

LABELS = {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good", Rating.Easy: "Easy"}


class FlashcardScreen(Screen[None]):
    HELP_TITLE = "Flashcards"
    DEFAULT_CSS = """
    FlashcardScreen #card { height: 1fr; padding: 1 2; }
    FlashcardScreen .front { text-style: bold; padding: 1 2; border: round $accent; height: auto; }
    FlashcardScreen .back { padding: 1 2; border: round $success; height: auto; margin-top: 1; }
    FlashcardScreen #buttons { height: auto; padding: 0 1; }
    """
    BINDINGS = [
        Binding("space,enter", "reveal", "Reveal"),
        Binding("1", "rate(1)", "Again"),
        Binding("2", "rate(2)", "Hard"),
        Binding("3", "rate(3)", "Good"),
        Binding("4", "rate(4)", "Easy"),
        Binding("u", "undo", "Undo"),
        Binding("l", "leeches", "Leeches"),
        Binding("escape", "leave", "Back"),
    ]

    def __init__(self, session: FlashcardSession, title: str) -> None:
        super().__init__()
        self.session = session
        self.title_text = title
        self.revealed = False

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="status", classes="bar")
        yield VerticalScroll(id="card")
        yield Static(id="buttons")
        yield Footer()

    def on_mount(self) -> None:
        self.show_card()

    def show_card(self) -> None:
        s = self.session
        card = s.current()
        status = Text()
        status.append(f"{safe(self.title_text)} ", "bold")
        status.append(
            f"· {s.remaining()} left · {s.reviewed} reviewed"
            + (" · cram: schedules unchanged" if s.cram else "")
        )
        self.query_one("#status", Static).update(status)
        area = self.query_one("#card", VerticalScroll)
        area.remove_children()
        buttons = self.query_one("#buttons", Static)
        if card is None:
            done = Text("No more cards for now. ", "bold")
            done.append("Esc: back · u: undo the last rating", "dim")
            area.mount(Static(done))
            buttons.update("")
            return
        deck = s.bank.deck_of.get(card.id, "")
        widgets = [
            Static(plain(f"{deck} · task {card.task}"), classes="muted"),
            Static(plain(card.front), classes="front"),
        ]
        if self.revealed:
            widgets.append(SafeMarkdown(card.back, classes="back"))
            intervals = s.intervals()
            row = Text()
            for rating, label in LABELS.items():
                row.append(f" {int(rating)} {label} ", "reverse")
                row.append(f" {intervals.get(rating, '')}   ")
            buttons.update(row)
        else:
            buttons.update(Text("Space: show the answer", "dim"))
        area.mount_all(widgets)

    def action_reveal(self) -> None:
        if self.session.current() is not None and not self.revealed:
            self.revealed = True
            self.show_card()

    def action_rate(self, value: int) -> None:
        if not self.revealed or self.session.current() is None:
            return
        rated = saved(
            self,
            lambda: self.session.rate(Rating(value)),
            retry=lambda: self.action_rate(value),
            what="Your rating",
        )
        if isinstance(rated, NotSaved):
            return
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

    def action_leave(self) -> None:
        self.dismiss(None)


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
        app.push_screen(FlashcardScreen(session, f"{title}{' · ' + arg if arg else ''}"))

    app.push_screen(PickDialog("Which flashcards?", choices), picked)
