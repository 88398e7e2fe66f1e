"""Lines whose text wraps under itself, not under the mark or number in front of it (issue 15, item 14).

`( ) A. ` and the option's text are one line to the eye: when the text wraps, a continuation that starts
under the `(` reads as a new option. Textual wraps a text at the widget's left edge, so the rows are
wrapped here, at whatever width the widget is drawn, each continuation indented by its prefix's width.
It is a Textual Visual built on Content, so it is drawn the way a Static's own text is.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.content import Content, _FormattedLine
from textual.css.styles import RulesMap
from textual.strip import Strip
from textual.style import Style
from textual.visual import RenderOptions, Visual

Row = tuple[Text, Text]
"""A prefix (a mark, a letter, an indent) and the text that hangs from it."""

NARROWEST_HANG = 12
"""Below this many cells for the text, indenting costs more than it helps: wrap at the full width."""


_WRAPS: dict[tuple[object, ...], list[Content]] = {}
_MOST_WRAPS = 64
"""Wraps remembered, the oldest let go first: what a key redraws is the question on screen (a few
options, each unmarked and marked, at one or two widths). At 1,024 the cache held the wrapped lines of
a hundred questions no screen would show again (about 0.3 MiB over a long practice session)."""


def _wrap(body: Content, width: int) -> list[Content]:
    """`body` wrapped to `width`, remembered: a key that moves the cursor or picks an option redraws
    every option with a new mark, but each option's text wraps as before, and wrapping was most of
    the cost of that key (about 0.5 ms of a 5 ms keypress at 80x24). Keyed on the text and its spans:
    Content's own equality ignores the spans, and an option's text is styled differently once it is
    marked right or wrong. The list returned must not be changed."""
    key = (body.plain, tuple(body.spans), width)
    try:
        found = _WRAPS.get(key)
    except TypeError:  # a span whose style cannot be hashed: wrap it each time
        return body.wrap(width)
    if found is None:
        if len(_WRAPS) >= _MOST_WRAPS:
            del _WRAPS[next(iter(_WRAPS))]
        found = _WRAPS[key] = body.wrap(width)
    return found


class Hanging(Visual):
    """Rows of prefix and text, the text wrapped to the width left beside the prefix."""

    def __init__(self, rows: Sequence[Row]) -> None:
        self.rows = list(rows)
        self._parts = [
            (Content.from_rich_text(prefix), Content.from_rich_text(body)) for prefix, body in rows
        ]
        self._wrapped: tuple[int, Content] | None = None
        self._lines: tuple[int, list[Content]] | None = None

    def plain_text(self) -> Text:
        """The rows unwrapped, one per line: what the widget says, whatever its width."""
        out = Text()
        for prefix, body in self.rows:
            out.append_text(prefix)
            out.append_text(body)
            out.append("\n")
        return out

    @property
    def plain(self) -> str:
        """The text without styles, as `Text.plain` and `Content.plain` give it."""
        return self.plain_text().plain

    def __str__(self) -> str:
        return self.plain

    def at(self, width: int) -> Content:
        """Every row wrapped to `width`, continuations under the text: one line of Content per line."""
        lines = self.lines(width)
        if self._wrapped is None or self._wrapped[0] != width:
            self._wrapped = (width, Content("\n").join(lines))
        return self._wrapped[1]

    def lines(self, width: int) -> list[Content]:
        """Every row wrapped to `width`, one Content per screen line, each no wider than `width`."""
        if self._lines is not None and self._lines[0] == width:
            return self._lines[1]
        lines: list[Content] = []
        for prefix, body in self._parts:
            indent = prefix.cell_length
            if width - indent < NARROWEST_HANG:
                lines += _wrap(prefix + body, max(width, 1))
                continue
            wrapped = _wrap(body, width - indent) if body else [Content()]
            lines.append(prefix + wrapped[0])
            lines += [Content(" " * indent) + line for line in wrapped[1:]]
        self._lines = (width, lines)
        return lines

    def render_strips(
        self, width: int, height: int | None, style: Style, options: RenderOptions
    ) -> list[Strip]:
        """Each wrapped line drawn as it is. Content's own `render_strips` would split the joined lines
        apart and wrap every one of them again, at no new width: about a third of drawing the choices,
        which every key of a question does (a selection, or text styles that act on wrapping, take
        that general path instead)."""
        rules = options.rules.get
        plain_lines = (
            options.selection is None
            and options.post_style is None
            and rules("text_align", "left") in ("left", "start")
            and rules("text_wrap", "wrap") == "wrap"
            and not rules("line_pad", 0)
        )
        if not plain_lines or width <= 0:
            return self.at(width).render_strips(width, height, style, options)
        lines = self.lines(width)
        if height is not None:
            lines = lines[:height]
        get_style = options.get_style
        return [
            Strip(*_FormattedLine(get_style, line, width, y=y, line_end=True).to_strip(style))
            for y, line in enumerate(lines)
        ]

    def get_optimal_width(self, rules: RulesMap, container_width: int) -> int:
        return max((prefix.cell_length + body.cell_length for prefix, body in self._parts), default=0)

    def get_minimal_width(self, rules: RulesMap) -> int:
        return max((prefix.cell_length for prefix, _ in self._parts), default=0) + 1

    def get_height(self, rules: RulesMap, width: int) -> int:
        return len(self.lines(width)) if self._parts else 0
