"""Bank Markdown on screen: no terminal control, and links that open only web pages, after asking.

A shared bank is untrusted. Textual's Markdown would open any link target with the system's opener
(`/etc/passwd`, `vscode://file/...`, `smb://...`), so the parser here refuses every link that is not
http(s): markdown-it then leaves it as the plain text it was written as. A web link, when clicked,
shows its URL in a dialog first and opens only if the learner says so.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.token import Token
from textual.await_complete import AwaitComplete
from textual.widgets import Markdown
from textual.widgets.markdown import MarkdownBlock

from quizapp.textsafe import first_unsafe, strip_unsafe
from quizapp.tui.widgets.arranged import ArrangedByWidth
from quizapp.tui.widgets.sizing import SizedByLayout

WEB_SCHEMES = ("https", "http")


def is_web_url(url: str) -> bool:
    """An absolute http(s) URL with a host and nothing in it that could act on a terminal."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return (
        parts.scheme.lower() in WEB_SCHEMES
        and bool(parts.netloc)
        and first_unsafe(url) is None
        and not any(c.isspace() for c in url)
    )


def web_links_parser() -> MarkdownIt:
    """Textual's own "gfm-like" parser, with every non-web link (and image) left as text."""
    parser = MarkdownIt("gfm-like")
    parser.validateLink = is_web_url  # type: ignore[method-assign]
    return parser


class SafeMarkdown(Markdown):
    """Markdown from a bank: stripped of terminal control, web links only, each confirmed first."""

    def __init__(self, markdown: str | None = None, *, classes: str | None = None) -> None:
        super().__init__(
            None if markdown is None else strip_unsafe(markdown),
            classes=classes,
            parser_factory=web_links_parser,
            open_links=False,
        )

    def update(self, markdown: str) -> AwaitComplete:
        return super().update(strip_unsafe(markdown))

    def on_markdown_link_clicked(self, event: Markdown.LinkClicked) -> None:
        event.stop()
        url = event.href
        if not is_web_url(url):  # the parser keeps these out; a second check costs nothing
            self.notify("Only web links (https://) open from quizapp.", severity="warning", markup=False)
            return
        from quizapp.tui.dialogs.confirm import ConfirmDialog

        def decided(open_it: bool | None) -> None:
            if open_it:
                self.app.open_url(url)

        self.app.push_screen(
            ConfirmDialog(f"Open this link in your web browser?\n\n{url}", yes="Open", no="Cancel"), decided
        )


class _Paragraph(SizedByLayout, Markdown.BLOCKS["paragraph_open"]):  # type: ignore[misc]
    """Markdown's own paragraph, sized by layout alone (see `SizedByLayout`)."""


class Prose(ArrangedByWidth, SizedByLayout, SafeMarkdown):
    """Bank Markdown (a scenario, a stem, an explanation) that can take new text in place.

    `Markdown.update` parses in a worker thread, then removes every block and mounts new ones: a mount
    re-applies CSS, and the new blocks' sizes cost the screen a second layout. Nearly every stem is
    plain paragraphs, so when the old and the new text are both that, with as many paragraphs, each
    paragraph takes its new inline content instead; anything else goes through `update` as before.
    """

    BLOCKS = {**Markdown.BLOCKS, "paragraph_open": _Paragraph}
    _parser: MarkdownIt | None = None

    def __init__(self, markdown: str | None = None, *, classes: str | None = None) -> None:
        super().__init__(markdown, classes=classes)
        self._full_update: AwaitComplete | None = None

    def show(self, text: str, *, in_place_only: bool = False) -> AwaitComplete:
        """Show `text` (once mounted: before, the constructor's text is what will show).

        Awaiting the result, which only a full update needs, waits until the new text is on screen.
        `in_place_only` shows it only if the paragraphs there can take it in place, and otherwise
        leaves the text as it is: for text filled in ahead while hidden, where the blocks a full update
        mounts would each ask for a frame that draws nothing.
        """
        text = strip_unsafe(text)
        if text == self.source:
            return AwaitComplete.nothing()
        if Prose._parser is None:
            Prose._parser = web_links_parser()  # what `update` uses, built once rather than per update
        paragraphs = _paragraphs(Prose._parser.parse(text))
        blocks = list(self.children)
        paragraph = self.get_block_class("paragraph_open")
        if (
            paragraphs is None
            or (
                self._full_update is not None and not self._full_update.is_done
            )  # it would land after this one and win: queue behind it
            or len(blocks) != len(paragraphs)
            or not all(type(block) is paragraph for block in blocks)
        ):
            if in_place_only:
                return AwaitComplete.nothing()
            self._full_update = self.update(text)
            return self._full_update
        for block, (opening, inline) in zip(blocks, paragraphs, strict=True):
            assert isinstance(block, MarkdownBlock)
            block.source_range = (opening.map[0], opening.map[1]) if opening.map else (0, 0)
            block.build_from_token(inline)
        self._markdown = text  # what `source` reports, as `update` sets it
        return AwaitComplete.nothing()


def _paragraphs(tokens: list[Token]) -> list[tuple[Token, Token]] | None:
    """The opening and inline token of each top-level paragraph, or None if the text holds anything else."""
    if not tokens or len(tokens) % 3:
        return None
    found = []
    for at in range(0, len(tokens), 3):
        opening, inline, closing = tokens[at : at + 3]
        if (opening.type, inline.type, closing.type) != ("paragraph_open", "inline", "paragraph_close"):
            return None
        found.append((opening, inline))
    return found
