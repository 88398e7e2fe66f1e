"""How much of the exam is answered: a one-line bar that is painted in the same frame as the answer.

Textual's ProgressBar passes its percentage to its bar and label through data binding, so they repaint
one frame after the key that changed it, and it re-renders a (hidden) ETA every second. An exam needs
neither: this is a Static whose text changes only when the count does, with a fixed width, so a change
is a repaint of one line and never a layout.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.widgets import Static

BAR_CELLS = 20


def meter_text(
    done: int, total: int, filled_style: Style | str = "", left_style: Style | str = "dim"
) -> Text:
    """`━━━━━━━━━━━━━━━━━━━━  40%`: a bar in whole cells and the percentage, always the same width."""
    share = done / total if total else 0.0
    filled = round(share * BAR_CELLS)
    text = Text(no_wrap=True)
    text.append("━" * filled, filled_style)
    text.append("━" * (BAR_CELLS - filled), left_style)
    text.append(f" {round(share * 100):>3}%")
    return text


class Meter(Static):
    COMPONENT_CLASSES = {"meter--done", "meter--left"}
    DEFAULT_CSS = """
    Meter { width: auto; height: 1; }
    Meter > .meter--done { color: $accent; text-style: bold; }
    Meter > .meter--left { color: $foreground 25%; }
    """

    def __init__(self, total: int, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)  # drawn on mount, once its component styles are known
        self.total = total
        self.done = 0

    def on_mount(self) -> None:
        self._draw()

    def set_done(self, done: int) -> None:
        if done != self.done:
            self.done = done
            self._draw()

    def _draw(self) -> None:
        done, left = (self.get_component_rich_style(name) for name in ("meter--done", "meter--left"))
        self.update(meter_text(self.done, self.total, done, left), layout=False)
