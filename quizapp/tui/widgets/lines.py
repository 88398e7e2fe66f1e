"""Lines of text that wrap under themselves (a hanging indent), never back to the left edge.

A Textual Visual rather than a Rich renderable, so a Static showing it still has plain text for `str()`
and takes its colours through the app's theme as a Text would.
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text
from textual.content import Content
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual


class HangingLines(Visual):
    """What a Static shows: each line keeps its leading spaces as its indent, and the rows it wraps onto
    are indented `hang` columns more, so a wrapped line still reads as one item.

    Textual wraps a long line to column 0, under the margin the line was indented by: on Home at 80
    columns the bank's figures ran on below the "Today" heading as if they were a line of their own.
    `str()` is the plain text, as it is for the Text this replaces (tests read the screen that way).
    """

    def __init__(self, lines: Iterable[Text], hang: int = 2) -> None:
        self.lines = [Content.from_rich_text(_spanned(line)) for line in lines]
        self.hang = hang
        self._rows: tuple[int, list[Content]] | None = None

    def __str__(self) -> str:
        return "\n".join(line.plain for line in self.lines)

    def rows(self, width: int) -> list[Content]:
        """The lines as they are drawn `width` cells wide (the last width's rows are kept)."""
        if self._rows is None or self._rows[0] != width:
            self._rows = (width, [row for line in self.lines for row in hang(line, width, self.hang)])
        return self._rows[1]

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        if not width:
            return []
        return Content("\n").join(self.rows(width)).render_strips(width, height, style, options)

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((line.cell_length for line in self.lines), default=0)

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.rows(width))


def hang(line: Content, width: int, extra: int) -> list[Content]:
    """`line` wrapped to `width`: its first row where it starts, the others `extra` columns further in."""
    plain = line.plain
    indent = len(plain) - len(plain.lstrip(" "))
    body = line[indent:]
    rows = body.wrap(max(1, width - indent))
    if len(rows) <= 1:
        return [line]
    first = rows[0]
    rest = body[len(first.plain) :]
    rest = rest[len(rest.plain) - len(rest.plain.lstrip(" ")) :]
    wrapped = rest.wrap(max(1, width - indent - extra))
    return [first.pad_left(indent), *(row.pad_left(indent + extra) for row in wrapped)]


def _spanned(line: Text) -> Text:
    """`line` with its base style as a span: Textual converts a span's colour through the app's ANSI
    theme (as it does for any Text a Static shows), but reads a base style's "yellow" as #ffff00."""
    if not line.style:
        return line
    spanned = line.copy()
    spanned.style = ""
    spanned.stylize_before(line.style)
    return spanned
