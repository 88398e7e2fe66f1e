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

    def _check_refresh(self) -> None:
        """A part laid out ahead inside a hidden container (the review under a question, a card's
        back) asks for no frame while hidden: nothing of it can be seen, and showing it lays the screen
        out, which sizes and paints it whole. Textual checks only the widget's own `display`, so every
        new text for a hidden part composed a frame that drew nothing (issue 18). The containers above
        still forget their arrangement, as Textual's own check would have them do, so that showing
        them later arranges the new size."""
        if not _shown(self):
            self._repaint_required = False  # type: ignore[attr-defined]
            if self._layout_required:  # type: ignore[attr-defined]
                self._layout_required = False  # type: ignore[attr-defined]
                _forget_arrangements(self)
        super()._check_refresh()  # type: ignore[misc]


def _shown(widget: object) -> bool:
    """Whether the widget and every container above it are displayed."""
    from textual.widget import Widget

    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))  # type: ignore[attr-defined]


def _forget_arrangements(widget: object) -> None:
    """What Textual's `Widget._check_refresh` does to the containers above a widget whose size may
    have changed, without asking the screen for a layout."""
    from textual.widget import Widget

    for ancestor in widget.ancestors:  # type: ignore[attr-defined]
        if not isinstance(ancestor, Widget):
            break
        ancestor._clear_arrangement_cache()
        ancestor._layout_updates += 1
        if not ancestor.styles.auto_dimensions:
            break
