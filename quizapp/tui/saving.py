"""Every write a screen asks for goes through `saved`: a refused write becomes a dialog, not a traceback.

The store commits each answer, rating and exam step in its own transaction, so when the disk is full
or the database read-only, the failed write is the only thing lost. The learner is told so and can
retry (after freeing space) or quit; the app keeps running either way. Study sessions write before
they change, so after a refused write the session is still as the store has it and a retry does the
same thing again.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from quizapp.tui.text import plain

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

T = TypeVar("T")


class NotSaved:
    """What `saved` returns when the write was refused (the dialog is already up)."""

    def __repr__(self) -> str:
        return "NOT_SAVED"


NOT_SAVED = NotSaved()


def saved(
    node: DOMNode,
    write: Callable[[], T],
    *,
    retry: Callable[[], object],
    what: str = "Your answer",
) -> T | NotSaved:
    """Run `write`; if the store refuses it, say so and return NOT_SAVED.

    `retry` runs when the learner chooses Retry; it should redo the whole action (through `saved`).
    """
    from quizapp.store import StoreError

    try:
        return write()
    except StoreError as exc:
        show_write_failure(node.app, f"{what} was not saved: {getattr(exc, 'reason', exc)}.", retry)
        return NOT_SAVED


def failure_showing(app: App) -> bool:
    """A write-failure dialog is open: timers must not pile another one on top of it."""
    return any(getattr(screen, "write_failure", False) for screen in app.screen_stack)


def show_write_failure(app: App, headline: str, retry: Callable[[], object]) -> None:
    from quizapp.tui.dialogs.message import MessageDialog

    if failure_showing(app):
        return
    dialog = MessageDialog(
        "Not saved",
        f"{headline} Everything before it is kept.\n\n"
        "Free some disk space or make the data folder writable, then retry. "
        "Or quit now and come back later.",
        [("Quit", "quit", "q"), ("Retry", "retry", "r")],
    )
    dialog.write_failure = True  # type: ignore[attr-defined]

    def chosen(choice: str | None) -> None:
        if choice == "retry":
            retry()
        else:
            app.exit(return_code=1, message=plain(f"{headline} Everything before it is kept."))

    app.push_screen(dialog, chosen)
