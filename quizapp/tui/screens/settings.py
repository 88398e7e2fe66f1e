"""Settings, saved in the store: new cards per day, retention, exam date, exam length, theme."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Select, Static

from quizapp.tui.saving import NotSaved, saved
from quizapp.tui.text import plain

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


class SettingsScreen(Screen[None]):
    HELP_TITLE = "Settings"
    DEFAULT_CSS = """
    SettingsScreen Vertical { height: auto; padding: 0 1; }
    SettingsScreen Label { margin-top: 1; }
    SettingsScreen Input, SettingsScreen Select { width: 40; }
    SettingsScreen Button { margin-top: 1; }
    """
    BINDINGS = [Binding("ctrl+s", "save", "Save"), Binding("escape", "back", "Back")]

    def compose(self) -> ComposeResult:
        app: QuizApp = self.app  # type: ignore[assignment]
        assert app.coach is not None
        s = app.coach.settings
        length = s.exam_length if s.exam_length in ("full", "scored") else "short"
        yield Header()
        with VerticalScroll(), Vertical():
            yield Label("New flashcards per day (0-1000)")
            yield Input(str(s.new_cards_per_day), id="new_cards_per_day", type="integer")
            yield Label("Desired retention (0.70-0.99): higher means more reviews")
            yield Input(f"{s.desired_retention:.2f}", id="desired_retention", type="number")
            yield Label("Exam date (YYYY-MM-DD, empty for none): no review is scheduled past it")
            yield Input(s.exam_date or "", id="exam_date", placeholder="2027-01-31")
            yield Label("Practice exam length")
            yield Select(
                [
                    ("Full: 65 questions, 90 minutes", "full"),
                    ("Scored only: 50 questions, 90 minutes", "scored"),
                    ("Short: N questions, 83 s each", "short"),
                ],
                value=length,
                allow_blank=False,
                id="exam_kind",
            )
            yield Input(s.exam_length if length == "short" else "20", id="short_length", type="integer")
            yield Label("Theme")
            yield Select(
                [(name, name) for name in sorted(self.app.available_themes)],
                value=s.theme,
                allow_blank=False,
                id="theme",
            )
            yield Button("Save (ctrl+s)", id="save", variant="primary")
            yield Static(id="message")
        yield Footer()

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        app: QuizApp = self.app  # type: ignore[assignment]
        assert app.coach is not None
        kind = self.query_one("#exam_kind", Select).value
        length = self.query_one("#short_length", Input).value.strip() if kind == "short" else kind
        changes = {
            "new_cards_per_day": self.query_one("#new_cards_per_day", Input).value.strip() or "0",
            "desired_retention": self.query_one("#desired_retention", Input).value.strip() or "0",
            "exam_date": self.query_one("#exam_date", Input).value.strip() or None,
            "exam_length": length,
            "theme": str(self.query_one("#theme", Select).value),
        }
        try:
            changes["new_cards_per_day"] = int(changes["new_cards_per_day"])
            changes["desired_retention"] = float(changes["desired_retention"])
            coach = app.coach
            result = saved(
                self, lambda: coach.update_settings(**changes), retry=self.action_save, what="Your settings"
            )
        except (TypeError, ValueError) as exc:
            self.query_one("#message", Static).update(plain(f"Not saved: {exc}", "bold red"))
            return
        if isinstance(result, NotSaved):
            self.query_one("#message", Static).update(plain("Not saved.", "bold red"))
            return
        self.app.theme = app.coach.settings.theme
        self.query_one("#message", Static).update(plain("Saved.", "green"))
        self.notify("Settings saved.")

    def action_back(self) -> None:
        self.dismiss(None)
