"""`?`: the keys of the screen underneath, taken from its bindings so they never drift."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from quizapp.tui.text import plain

EXTRA = {
    "QuestionKeys": "1-9 / a-f: choose an option (multi: toggle) · ↑/↓: move · space: select · "
    "shift+↑/↓ or [ ]: move an item (ordering) · number: pick a response (matching) · backspace: clear",
}


class HelpScreen(ModalScreen[None]):
    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > Vertical { width: 80; max-width: 98%; height: auto; max-height: 90%; border: thick $accent; background: $panel; padding: 0 1; }
    HelpScreen .title { text-style: bold; margin-bottom: 1; }
    """
    BINDINGS = [Binding("escape,question_mark,q,enter", "close", "Close")]

    def __init__(self, screen: Screen, title: str) -> None:
        super().__init__()
        self.target = screen
        self.title_text = title

    def compose(self) -> ComposeResult:
        lines = []
        seen = set()
        for node in (self.target, self.app):
            for binding in node.BINDINGS:
                if isinstance(binding, Binding) and binding.description and binding.description not in seen:
                    seen.add(binding.description)
                    keys = binding.key_display or binding.key.replace("question_mark", "?")
                    lines.append(f"{keys:<18} {binding.description}")
        if getattr(self.target, "HAS_QUESTIONS", False):
            lines.append("")
            lines.append(EXTRA["QuestionKeys"])
        with Vertical():
            yield Static(plain(f"Keys: {self.title_text}"), classes="title")
            with VerticalScroll():
                yield Static(plain("\n".join(lines)))
            yield Static(plain("ctrl+p: command palette (every mode) · esc: close"), classes="title")

    def action_close(self) -> None:
        self.dismiss(None)
