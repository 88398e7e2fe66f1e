"""Open an item's AWS documentation from the feedback: one key, the page the learner just read about.

Only a `Ref` whose URL passes the bank contract's DOC_URL (https on an AWS documentation or product
domain) is opened; the loader already refused others, and checking again here keeps a model built any
other way (a cache read back) from sending the browser anywhere else. A bare-title ref is shown in the
feedback but has nothing to open.
"""

from __future__ import annotations

import re

from textual.screen import Screen

from quizapp.content.models import DOC_URL, Ref
from quizapp.tui.dialogs.pick import PickDialog

_DOC_URL = re.compile(DOC_URL)


def openable(refs: list[Ref | str]) -> list[Ref]:
    """The refs a browser may be sent to, in the order the feedback lists them."""
    return [r for r in refs if isinstance(r, Ref) and _DOC_URL.fullmatch(r.url)]


def open_refs(screen: Screen, refs: list[Ref | str]) -> None:
    """Open the one openable ref at once (its URL is on screen already); with several, ask which."""
    links = openable(refs)
    if not links:
        screen.notify("No documentation link to open for this item.", markup=False)
        return
    if len(links) == 1:
        _open(screen, links[0])
        return
    choices: list[tuple[str, str | None]] = [(f"{r.title}\n  {r.url}", str(i)) for i, r in enumerate(links)]

    def picked(value: str | None) -> None:
        if value is not None:
            _open(screen, links[int(value)])

    screen.app.push_screen(
        PickDialog("Open which page?", choices, "↑/↓ and Enter to open in your browser · Esc: back"), picked
    )


def _open(screen: Screen, ref: Ref) -> None:
    screen.app.open_url(ref.url)
    screen.notify(f"Opening {ref.url}", markup=False)
