"""A layout mixin for the question's containers: arranged once per width, not once per height asked."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.css.scalar import Unit
from textual.geometry import Size

if TYPE_CHECKING:
    from textual._arrange import DockArrangeResult
    from textual.widget import Widget

OWN_HEIGHTS = (Unit.CELLS, Unit.AUTO)
"""Heights a child has whatever the height of its container."""


class ArrangedByWidth:
    """Mixin for a vertical container whose children are all as tall as their own content (or a
    number of cells): where they go depends on the container's width alone.

    Textual arranges such a container twice per layout: once for its height (at the height of the
    scroll view above it) and once to place its children (at the height that found), and each
    arrangement measures every child again. The question view and each Markdown text in it were
    arranged twice on every submit and "next" (about a millisecond of the layout). Here any height
    asks for the one arrangement of that width; a child sized by its container (`1fr`, `50%`), a
    docked or absolutely placed child, or content aligned other than at the top is arranged as
    Textual does.
    """

    def arrange(self, size: Size, optimal: bool = False) -> DockArrangeResult:
        if size.height and _placed_by_width(self):  # type: ignore[arg-type]
            size = Size(size.width, 0)
        return super().arrange(size, optimal)  # type: ignore[misc]


def _placed_by_width(widget: Widget) -> bool:
    """Whether nothing in `widget`'s arrangement depends on the height it is arranged at."""
    styles = widget.styles
    layout = styles.layout
    if layout is None or layout.name != "vertical" or styles.align_vertical != "top":
        return False
    for child in widget._nodes:
        if not child.display:
            continue
        child_styles = child.styles
        if (
            child_styles.is_docked
            or child_styles.overlay == "screen"
            or (child_styles.has_rule("position") and child_styles.position == "absolute")
        ):
            return False
        for height in (child_styles.height, child_styles.min_height, child_styles.max_height):
            if height is not None and height.unit not in OWN_HEIGHTS:
                return False
    return True
