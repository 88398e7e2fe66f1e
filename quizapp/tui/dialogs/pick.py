"""Choose one of several things (a practice scope, a deck): returns the value, or None.

The title and the hint are docked to the dialog's edges and the list takes what is left (up to the
dialog's 90% of the screen), so a long list scrolls inside the dialog and the hint (how to choose,
how to leave) stays on screen at any size: at 80x24 the flashcard chooser used to push it off.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from quizapp.tui.text import plain


class PickDialog(ModalScreen[str | None]):
    DEFAULT_CSS = """
    PickDialog { align: center middle; }
    PickDialog > Vertical { width: 76; max-width: 98%; height: auto; max-height: 90%; border: thick $accent; background: $panel; padding: 0 1; }
    PickDialog .title { dock: top; text-style: bold; margin-bottom: 1; }
    PickDialog OptionList { height: auto; max-height: 100%; border: none; }
    PickDialog .hint { dock: bottom; color: $text-muted; }
    """
    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, title: str, choices: list[tuple[str, str | None]], hint: str = "") -> None:
        """`choices` are (label, value); a None value is a heading that cannot be picked."""
        super().__init__()
        self.title_text = title
        self.choices = choices
        self.hint = hint

    def compose(self) -> ComposeResult:
        options = [Option(plain(label), id=value, disabled=value is None) for label, value in self.choices]
        with Vertical():
            yield Static(plain(self.title_text), classes="title")
            yield OptionList(*options)
            yield Static(plain(self.hint or "↑/↓ and Enter to choose · Esc: back"), classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
