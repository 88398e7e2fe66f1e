"""`?`: the keys of the screen underneath, taken from its bindings so they never drift."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from quizapp.tui.text import plain
from quizapp.tui.widgets.hanging import Hanging

KEYS_WIDTH = 15

EXTRA = {
    "QuestionKeys": "1-9 / a-f: choose an option (multi: toggle) · ↑/↓: move · space: select · "
    "shift+↑/↓ or [ ]: move an item (ordering) · number: pick a response (matching) · backspace: clear",
    "QuestionScroll": "pageup/pagedown, home/end, and ↑/↓ outside the options: scroll the question",
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

    def keys(self) -> list[tuple[str, str]]:
        """Every key of the screen underneath and of the app, those the footer leaves out included (it
        has no room for all of them at 80 columns), each with its tooltip where it has one. Keys that do
        the same (Enter and → : Next) share a row, and so do the actions of one key (Enter: Submit, then
        Next)."""
        by_words: dict[str, list[str]] = {}
        for node in (self.target, self.app):
            for binding in node.BINDINGS:
                if isinstance(binding, Binding) and binding.description:
                    keys = binding.key_display or binding.key.replace("question_mark", "?")
                    words = binding.description + (f" ({binding.tooltip})" if binding.tooltip else "")
                    listed = by_words.setdefault(words, [])
                    listed += [key for key in keys.split(",") if key not in listed]
        by_keys: dict[str, list[str]] = {}
        for words, keys in by_words.items():
            by_keys.setdefault(", ".join(keys), []).append(words)
        by_keys.setdefault("ctrl+p", []).append("Command palette: every mode, from anywhere")
        return [(keys, " · ".join(words)) for keys, words in by_keys.items()]

    def extra(self) -> list[str]:
        """Keys that belong to the question on screen rather than to the screen's bindings."""
        lines = []
        if getattr(self.target, "HAS_QUESTIONS", False):
            lines.append(EXTRA["QuestionKeys"])
        if self.target.query("QuestionScroll"):
            lines.append(EXTRA["QuestionScroll"])
        return lines

    def lines(self) -> list[str]:
        """The keys as plain lines, then the keys of the question on screen."""
        lines = [f"{keys:<{KEYS_WIDTH}} {words}" for keys, words in self.keys()]
        extra = self.extra()
        return lines + ([""] + extra if extra else [])

    def compose(self) -> ComposeResult:
        rows = [(Text(f"{keys:<{KEYS_WIDTH}} "), plain(words)) for keys, words in self.keys()]
        extra = self.extra()
        if extra:
            rows += [(Text(), Text())] + [(Text(), plain(line)) for line in extra]
        with Vertical():
            yield Static(plain(f"Keys: {self.title_text}"), classes="title")
            with VerticalScroll():
                yield Static(Hanging(rows))
            yield Static(plain("esc: close"), classes="title")

    def action_close(self) -> None:
        self.dismiss(None)
