"""A layout mixin shared by the question's widgets."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive


class SizedByLayout:
    """Mixin for a widget whose size changes only in a layout: that change then asks for no second one.

    After every layout Textual sets each widget's `virtual_size`, and by default a new one requests
    another layout of the whole screen. Widgets that size their own scrollable area need that; these are
    not scrollable and were just sized from their content by the layout that set it, so the second pass
    finds nothing to change. It was a third of the work of moving to another question.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=False)
