"""Bank problems found at start: listed as file:line:column, dismissable; the app still opens."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from quizapp.content import Problem
from quizapp.tui.text import plain


class ProblemsDialog(ModalScreen[None]):
    DEFAULT_CSS = """
    ProblemsDialog { align: center middle; }
    ProblemsDialog > Vertical { width: 90%; height: 80%; border: thick $error; background: $panel; padding: 0 1; }
    ProblemsDialog .title { text-style: bold; color: $error; margin-bottom: 1; }
    ProblemsDialog VerticalScroll { height: 1fr; }
    ProblemsDialog .hint { color: $text-muted; }
    """
    BINDINGS = [Binding("escape,enter,q", "close", "Close")]

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__()
        self.problems = problems

    def compose(self) -> ComposeResult:
        n = len(self.problems)
        with Vertical():
            yield Static(
                plain(f"{n} problem{'s' if n != 1 else ''} in your banks; the valid items are loaded"),
                classes="title",
            )
            with VerticalScroll():
                yield Static(plain("\n".join(str(p) for p in self.problems)))
            yield Static(
                plain("Fix them and check with `quizapp validate`.   Enter/Esc: close"), classes="hint"
            )

    def action_close(self) -> None:
        self.dismiss(None)
