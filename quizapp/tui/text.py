"""Bank text on screen: always plain Text, never parsed as console markup, never terminal control.

A shared bank is untrusted input. The loader refuses control characters, but the display strips
them again (defence in depth): a bank that reached the app some other way (an old cache, a loader
bug) must still not clear the screen, retitle the terminal or write the clipboard.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text

from quizapp.textsafe import strip_unsafe

if TYPE_CHECKING:
    from textual.dom import DOMNode


def safe(value: object) -> str:
    """The text of `value` with every character that could act on a terminal taken out."""
    return strip_unsafe(str(value))


def plain(value: str, style: str = "") -> Text:
    """A Text that shows `[bold]x[/]` as those characters, whatever the bank says, and no ESC."""
    return Text(strip_unsafe(value), style=style)


def say(node: DOMNode, message: str, **options: object) -> None:
    """A message, in place of any still shown: one at a time, the newest (issue 15, item 12).

    It may quote bank text, so it is never parsed as markup (`notify` parses it by default). Toasts
    sent with `notify` directly are not cleared, but only the newest is drawn (see `app.tcss`).
    """
    node.app.clear_notifications()
    node.notify(strip_unsafe(message), markup=False, **options)  # type: ignore[arg-type]


def clock_face(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
