"""Screens made once and kept for the app's lifetime: practice and flashcards.

A new screen per session composed its widgets and their styles again each time, and each closed one
left its memory with the allocator, which keeps the arenas a screen's many small objects were spread
over (issue 18: about 2 MiB per closed practice screen, `sys._debugmallocstats` and glibc's
`mallinfo2` over a 300-answer session). Kept, a screen costs its memory once; Textual keeps an
installed screen when it is popped, and each later session is started on it before it is shown.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from textual.screen import Screen

if TYPE_CHECKING:
    from textual.app import App

S = TypeVar("S", bound=Screen)


def open_kept(app: App, name: str, kind: type[S], make: Callable[[], S], start: Callable[[S], None]) -> None:
    """Show the screen installed as `name`: made by `make` and installed the first time, else given
    the new session by `start` (it must leave nothing of the last one on screen). A second key
    before the first was drawn finds the screen already open and does nothing."""
    if app.is_screen_installed(name):
        screen = app.get_screen(name)
        if screen in app.screen_stack:
            return
        assert isinstance(screen, kind)
        start(screen)
    else:
        app.install_screen(make(), name)
    app.push_screen(name)
