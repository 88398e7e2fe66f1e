"""Something went wrong (or needs saying once): what happened, what to do, and a few choices.

Used for faults that must never end in a traceback or an endless wait: a bank that failed to load,
a write the disk refused, a progress file that SQLite had to repair. Returns the chosen value.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from quizapp.tui.text import plain


class MessageDialog(ModalScreen[str]):
    """`choices` are (label, value, key); the last is the default (focused, and what Escape picks)."""

    DEFAULT_CSS = """
    MessageDialog { align: center middle; }
    MessageDialog > Vertical { width: 76; max-width: 98%; height: auto; max-height: 90%; border: thick $error; background: $panel; padding: 1 2; }
    MessageDialog .title { text-style: bold; color: $error; margin-bottom: 1; }
    MessageDialog VerticalScroll { height: auto; max-height: 16; }
    MessageDialog Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    MessageDialog Button { margin-left: 2; }
    """

    def __init__(self, title: str, message: str, choices: Sequence[tuple[str, str, str]]) -> None:
        super().__init__()
        self.title_text = title
        self.message = message
        self.choices = list(choices)
        self._keys = {key: value for _, value, key in self.choices} | {"escape": self.choices[-1][1]}

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(plain(self.title_text), classes="title")
            with VerticalScroll():
                yield Static(plain(self.message))
            with Horizontal():
                for label, value, key in self.choices:
                    yield Button(f"{label} ({key})", id=f"choice-{value}")

    def on_mount(self) -> None:
        self.query(Button).last().focus()

    def on_key(self, event: events.Key) -> None:
        if event.key in self._keys:
            event.stop()
            self.dismiss(self._keys[event.key])

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss((event.button.id or "").removeprefix("choice-"))
