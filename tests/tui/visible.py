"""What a learner can see at 80x24: the screen's rows, and whether a widget is wholly on screen."""

from __future__ import annotations

from textual.errors import NoWidget
from textual.geometry import Region
from textual.widget import Widget


def screen_rows(app) -> list[str]:  # noqa: ANN001
    """The current screen as the terminal would show it, one string per row."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def shown_region(widget: Widget) -> Region | None:
    """Where `widget` is on screen if every cell of it is visible without scrolling, else None.

    Clipped by a scrolling container (scrolled away, or past the bottom of the view), cut off at the
    screen's edge, or not laid out at all: None.
    """
    try:
        geometry = widget.screen.find_widget(widget)
    except NoWidget:
        return None
    region = geometry.region
    screen = Region(0, 0, *widget.app.size)
    if not region.area or not geometry.clip.contains_region(region) or not screen.contains_region(region):
        return None
    return region


def widget_rows(widget: Widget) -> list[str]:
    """The widget's own rendered lines (all of them, on screen or scrolled away), as text."""
    return [widget.render_line(y).text for y in range(widget.content_size.height)]
