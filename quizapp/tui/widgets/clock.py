"""The exam's countdown, in three looks that differ in every theme: normal, warning, danger.

Under 10 minutes the clock turns into a chip of the theme's warning colour, under 5 minutes a chip of its
error colour. Some themes' warning and error are near the same hue (solarized's orange and red; ANSI
light's bright red and red), and danger then read as the warning colour reversed (issue 15, item 15):
where the two are too alike, warning takes a yellow instead, the hue farthest from both the error colour
and the text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from rich.style import Style
from rich.text import Text
from textual.color import Color, rgb_to_lab
from textual.widgets import Static

from quizapp.tui.text import clock_face

WARNING_S = 600
DANGER_S = 300
ALIKE_BELOW = 35.0
"""CIE76 distance under which two colours read as shades of one another at a glance."""
YELLOWS = ("#F2C200", "#FFD75F", "#B58900", "#E0A800")
"""Stand-in warning colours, for a theme whose warning is too close to its error colour."""


def clock_level(remaining: float) -> str:
    """'normal', 'warning' (10 minutes or less) or 'danger' (5 minutes or less)."""
    if remaining <= DANGER_S:
        return "danger"
    return "warning" if remaining <= WARNING_S else "normal"


def distance(a: Color, b: Color) -> float:
    return math.dist(rgb_to_lab(a), rgb_to_lab(b))


def clock_styles(variables: Mapping[str, str]) -> dict[str, Style]:
    """The clock's style at each level, from a theme's CSS variables (`App.get_css_variables`)."""
    foreground, warning, error = (Color.parse(variables[name]) for name in ("foreground", "warning", "error"))
    if any(colour.ansi is not None for colour in (foreground, warning, error)):
        # A terminal's own palette: the 8 base hues are the only ones sure to differ.
        return {
            "normal": Style(bold=True),
            "warning": Style(color="black", bgcolor="yellow", bold=True),
            "danger": Style(color="bright_white", bgcolor="red", bold=True),
        }
    if distance(warning, error) < ALIKE_BELOW or distance(warning, foreground) < ALIKE_BELOW:
        warning = max(
            (Color.parse(y) for y in YELLOWS), key=lambda y: min(distance(y, error), distance(y, foreground))
        )

    def chip(fill: Color) -> Style:
        return Style(color=fill.get_contrast_text(1.0).rich_color, bgcolor=fill.rich_color, bold=True)

    return {
        "normal": Style(color=foreground.rich_color, bold=True),
        "warning": chip(warning),
        "danger": chip(error),
    }


class ExamClock(Static):
    """` ⏱ 42:10 `: repainted every second, laid out again only when its width changes (at the hour)."""

    DEFAULT_CSS = "ExamClock { width: auto; }"

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id)
        self._width = 0
        self._styles: tuple[str, dict[str, Style]] | None = None

    def show(self, remaining: float) -> None:
        level = clock_level(remaining)
        face = f" ⏱ {clock_face(remaining)} "
        # A layout in the middle of a key press costs that key a frame: only when the width changes.
        self.update(Text(face, style=self._style(level)), layout=len(face) != self._width)
        self._width = len(face)
        self.set_class(level == "warning", "warn")
        self.set_class(level == "danger", "danger")

    def _style(self, level: str) -> Style:
        theme = self.app.theme
        if self._styles is None or self._styles[0] != theme:
            self._styles = (theme, clock_styles(self.app.get_css_variables()))
        return self._styles[1][level]
