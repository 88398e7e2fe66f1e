"""Bank text on screen: always plain Text, never parsed as console markup."""

from __future__ import annotations

from rich.text import Text


def plain(value: str, style: str = "") -> Text:
    """A Text that shows `[bold]x[/]` as those characters, whatever the bank says."""
    return Text(value, style=style)


def clock_face(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"
