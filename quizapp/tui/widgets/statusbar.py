"""A one-line status bar that never runs off the edge: what may be long on the left, cut with an
ellipsis, and the counts on the right, always whole (issue 15, item 14).

One Static wraps a line too long for 80 columns onto a second line the bar has no room for, and the
counts at its end silently vanish. Here the left part takes whatever the right part leaves.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widget import Widget

from quizapp.tui.text import plain
from quizapp.tui.widgets.sized_static import SizedStatic


class StatusBar(Horizontal):
    DEFAULT_CSS = """
    StatusBar { height: 1; }
    StatusBar > .main { width: 1fr; height: 1; text-wrap: nowrap; text-overflow: ellipsis; }
    StatusBar > .side { width: auto; height: 1; padding-left: 1; text-wrap: nowrap; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, classes=classes)
        # Held, not queried: `show` runs on every key of a session, and each query_one under a changed
        # DOM adds an entry to the node's query cache. Sized by layout: a new width for the counts
        # must not cost a second frame.
        self._main = SizedStatic(classes="main")
        self._side = SizedStatic(classes="side")
        for part in (self._main, self._side):  # plain text: no links to style on every draw
            part.set_reactive(Widget.auto_links, False)
        self._shown = (Text(), Text())

    def compose(self) -> ComposeResult:
        yield self._main
        yield self._side

    def show(self, main: Text | str, side: Text | str = "") -> None:
        """`main` is cut at the right if the bar is too narrow for both; `side` never is. Plain strings
        are shown as they are, never parsed as markup."""
        main, side = (plain(part) if isinstance(part, str) else part for part in (main, side))
        # Only what changed is drawn again (the title and scope stay put through a session), and only a
        # side of another width is laid out again: the left part takes what is left, one line high.
        if main != self._shown[0]:
            self._main.update(main, layout=False)
        if side != self._shown[1]:
            self._side.update(side, layout=side.cell_len != self._shown[1].cell_len)
        self._shown = (main, side)
        self._side.display = bool(side.plain)
