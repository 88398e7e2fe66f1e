"""Where to write the Anki package, and whether the questions go in too (the palette's "Export
flashcards for Anki"). Returns (path, with questions) or None; the path is checked as it is typed,
in words, and nothing is written until it is right."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Static

from quizapp.tui.text import plain

DEFAULT_PATH = "~/quizapp-flashcards.apkg"


def path_problem(text: str) -> str | None:
    """Why `text` cannot be written as a package, or None."""
    text = text.strip()
    if not text:
        return "Type where to save it, e.g. ~/quizapp-flashcards.apkg"
    path = Path(text).expanduser()
    if not path.name.lower().endswith(".apkg"):
        return "The name must end in .apkg (Anki imports only .apkg packages)"
    if not path.is_absolute():
        return "Use a full path, e.g. ~/quizapp-flashcards.apkg"
    if path.is_dir():
        return f"{path} is a folder; add a file name ending in .apkg"
    if not path.parent.is_dir():
        return f"There is no folder {path.parent}"
    return None


class AnkiExportDialog(ModalScreen[tuple[Path, bool] | None]):
    DEFAULT_CSS = """
    AnkiExportDialog { align: center middle; }
    AnkiExportDialog > Vertical { width: 70; max-width: 98%; height: auto; border: thick $accent; background: $panel; padding: 1 2; }
    AnkiExportDialog .title { text-style: bold; margin-bottom: 1; }
    AnkiExportDialog Input { width: 1fr; }
    AnkiExportDialog #problem { color: $error; height: auto; }
    AnkiExportDialog Horizontal { height: auto; align-horizontal: right; margin-top: 1; }
    AnkiExportDialog Button { margin-left: 2; }
    """
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static("Export flashcards for Anki", classes="title")
            yield Static(
                "Import the package in Anki (File > Import) on a computer, then sync to AnkiMobile or "
                "AnkiDroid. A newer export updates the same notes instead of adding copies."
            )
            yield Input(DEFAULT_PATH, id="path")
            yield Static(id="problem")
            yield Checkbox("Also the questions, with each option's why", id="questions")
            with Horizontal():
                yield Button("Cancel (esc)", id="cancel")
                yield Button("Export", id="export", variant="primary")

    def on_mount(self) -> None:
        path = self.query_one("#path", Input)
        path.focus()
        path.cursor_position = len(path.value)  # backspace edits the name, as in a shell

    @on(Input.Changed, "#path")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#problem", Static).update(plain(path_problem(event.value) or ""))

    @on(Input.Submitted, "#path")
    @on(Button.Pressed, "#export")
    def _export(self) -> None:
        text = self.query_one("#path", Input).value
        problem = path_problem(text)
        if problem is not None:
            self.query_one("#problem", Static).update(plain(problem))
            self.query_one("#path", Input).focus()
            return
        self.dismiss((Path(text.strip()).expanduser(), self.query_one("#questions", Checkbox).value))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
