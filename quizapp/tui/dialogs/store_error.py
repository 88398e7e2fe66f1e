"""The progress file cannot be used: say why, and let the learner choose to move it aside."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from quizapp.store import StoreError
from quizapp.tui.text import plain


class StoreErrorDialog(ModalScreen[bool]):
    """Returns True to move the file aside and start fresh, False to quit untouched."""

    DEFAULT_CSS = """
    StoreErrorDialog { align: center middle; }
    StoreErrorDialog > Vertical { width: 76; max-width: 98%; height: auto; border: thick $error; background: $panel; padding: 1 2; }
    StoreErrorDialog Horizontal { height: auto; margin-top: 1; align-horizontal: right; }
    StoreErrorDialog Button { margin-left: 2; }
    """
    BINDINGS = [Binding("escape,q", "quit_untouched", "Quit")]

    def __init__(self, error: StoreError) -> None:
        super().__init__()
        self.error = error

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(
                plain(
                    f"Your progress file cannot be used:\n\n{self.error.path}\n{self.error.reason}\n\n"
                    "Nothing has been changed. You can quit and keep it as it is, or move it "
                    "aside (renamed with a timestamp, never deleted) and start fresh."
                )
            )
            with Horizontal():
                yield Button("Quit, change nothing", id="quit")
                yield Button("Move aside and start fresh", id="move", variant="warning")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "move")

    def action_quit_untouched(self) -> None:
        self.dismiss(False)
