"""The progress file or its folder cannot be used: say why and what to do; never wait forever.

A damaged or foreign file can be moved aside (renamed, never deleted) to start fresh. A folder that
is a file, a name too long, a read-only or full disk has nothing worth moving: the only way on is to
fix the cause or choose another folder, so the dialog says how and offers to quit.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from quizapp.paths import DATA_DIR_ENV
from quizapp.store import StoreError
from quizapp.tui.text import plain

CANNOT_MOVE = (
    "Nothing has been changed. Free some disk space or fix the folder's permissions, or start "
    f"quizapp with another folder (--data-dir DIR, or {DATA_DIR_ENV}=DIR), then start it again."
)
CAN_MOVE = (
    "Nothing has been changed. You can quit and keep it as it is, or move it "
    "aside (renamed with a timestamp, never deleted) and start fresh."
)


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
        movable = self.error.can_move_aside
        what = "Your progress file cannot be used" if movable else "Your progress cannot be opened"
        with Vertical():
            yield Static(
                plain(
                    f"{what}:\n\n{self.error.path}\n{self.error.reason}\n\n"
                    + (CAN_MOVE if movable else getattr(self.error, "advice", "") or CANNOT_MOVE)
                )
            )
            with Horizontal():
                yield Button("Quit, change nothing" if movable else "Quit (q)", id="quit")
                if movable:
                    yield Button("Move aside and start fresh", id="move", variant="warning")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "move")

    def action_quit_untouched(self) -> None:
        self.dismiss(False)
