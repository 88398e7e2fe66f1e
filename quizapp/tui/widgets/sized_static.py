"""A Static sized by layout alone: new text that changes its size costs one layout, not two."""

from __future__ import annotations

from textual.widgets import Static

from quizapp.tui.widgets.sizing import SizedByLayout


class SizedStatic(SizedByLayout, Static):
    """A Static whose new size, found by the layout its new text asked for, asks for no second one.

    A plain Static's `virtual_size` is a layout-triggering reactive that the layout itself sets: every
    key that changed a status line's width, a verdict's height or a footer key's label laid the screen
    out twice and composed a second frame, which found nothing to change (issue 18).
    """
