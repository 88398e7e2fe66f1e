"""A Footer that changes only the keys that changed, in the frame the change is drawn in.

Textual's Footer answers every change of the bindings (a focus change, `refresh_bindings`) by throwing
all its keys away and composing new ones after the next refresh: every practice submit and "next" cost
extra frames for a footer that showed the same keys but one, and each recompose left the old keys alive
(they are bound to the footer's `compact` with `data_bind`, whose watcher list Textual only prunes when
`compact` itself changes), so a 300-answer session kept thousands of dead keys and their caches (issue
18). Here the keys are built once and updated in place, a key no longer offered is hidden rather than
removed, and no key is data-bound, so one removed with the footer is garbage at once.
"""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from typing import NamedTuple

from rich.cells import cell_len
from textual.app import ComposeResult
from textual.await_complete import AwaitComplete
from textual.screen import Screen
from textual.widget import AwaitMount, Widget
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

from quizapp.tui.widgets.sizing import SizedByLayout

MOST_HELD_S = 0.5
"""The longest the footer holds the screen's frames back while new keys mount (normally a few ms)."""


class Row(NamedTuple):
    """What one key of the footer shows and does."""

    key: str
    display: str
    description: str
    action: str
    enabled: bool
    tooltip: str
    palette: bool


class Key(SizedByLayout, FooterKey):
    """A footer key whose new width (a new label) is laid out once: FooterKey's `virtual_size`, set by the
    layout that placed the key, would otherwise ask for a second layout and a second frame."""


class KeysFooter(SizedByLayout, Footer):
    """A drop-in Footer (no binding groups: quizapp uses none) that keeps its keys across changes.

    Sized by layout like its keys: the row's total width, which changes when a key is shown or hidden,
    is the footer's `virtual_size`; a second layout for it places nothing differently (the footer's
    scrollbars are 0 cells wide, and the scroll bounds are updated without one), yet it cost every
    submit, "next", reveal and rating a second frame."""

    def __init__(self, *, compact: bool = False, show_command_palette: bool = True) -> None:
        super().__init__(compact=compact, show_command_palette=show_command_palette)
        self._rows: list[Row] = []
        self._settling: set[AwaitComplete] = set()

    def compose(self) -> ComposeResult:
        # The screen's bindings are known while it is composed, so the keys come with the first frame
        # instead of after it (Footer waits for the first `bindings_changed`).
        self._rows = self._wanted()
        for row in self._rows:
            yield self._make(row)

    def _wanted(self) -> list[Row]:
        """The keys the screen offers now, in Footer's order: one per action, the palette's last."""
        active = self.screen.active_bindings
        rows: dict[str, Row] = {}
        for _node, binding, enabled, tooltip in active.values():
            if binding.show and binding.action not in rows:
                rows[binding.action] = Row(
                    binding.key,
                    self.app.get_key_display(binding),
                    binding.description,
                    binding.action,
                    enabled,
                    tooltip,
                    False,
                )
        wanted = list(rows.values())
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            found = active.get(self.app.COMMAND_PALETTE_BINDING)
            if found is not None:
                _node, binding, enabled, _tooltip = found
                wanted.append(
                    Row(
                        binding.key,
                        self.app.get_key_display(binding),
                        binding.description,
                        binding.action,
                        enabled,
                        binding.tooltip or binding.description,
                        True,
                    )
                )
        return wanted

    def _make(self, row: Row) -> FooterKey:
        key = Key(
            row.key,
            row.display,
            row.description,
            row.action,
            disabled=not row.enabled,
            tooltip=row.tooltip,
            classes="-command-palette" if row.palette else "",
        )
        # A key's label is plain text: Textual's auto links would restyle every line of it, looking for
        # links, each time a submit or a reveal relabels the key (a click runs its action either way).
        key.set_reactive(Widget.auto_links, False)
        if not row.palette:  # as in Footer, whose palette key keeps FooterKey's own (compact) style
            key.set_reactive(FooterKey.compact, self.compact)
            key.set_class(self.compact, "-compact")
        return key

    def on_mount(self) -> None:
        # Footer's own subscription (made after this handler) calls `bindings_changed` only once the
        # footer's queue gets to it: by then the key that changed the bindings has been drawn, so new
        # labels cost a frame of their own. This one updates the keys inside `refresh_bindings`, in the
        # handler of the key, and the key's one layout places them (the later call finds nothing to do).
        self.screen.bindings_updated_signal.subscribe(self, self.bindings_changed, immediate=True)

    def bindings_changed(self, screen: Screen) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus or not self.is_attached or screen is not self.screen:
            return
        self.update_keys()

    def update_keys(self) -> None:
        """Bring the keys up to date: unchanged ones untouched, changed ones rewritten in place, keys no
        longer offered hidden (kept for when they come back: practice offers Guess and Open docs only
        with feedback), and new ones mounted only when the footer never had that many.

        A row keeps the key widget that showed its keyboard key before (Enter's Submit becomes Next in
        the same widget, and u Undo stays where it was drawn), so that only keys whose label changed
        are measured and painted again: a changed key costs the layout and the frame about half a
        millisecond each, and matching by position relabelled nearly every key on every submit."""
        wanted = self._wanted()
        if wanted == self._rows:
            return
        keys = [child for child in self.children if isinstance(child, FooterKey)]
        palette = [key for key in keys if key.has_class("-command-palette")]
        plain = [key for key in keys if not key.has_class("-command-palette")]
        want_plain = [row for row in wanted if not row.palette]
        want_palette = [row for row in wanted if row.palette]
        self._rows = wanted
        if len(palette) != len(want_palette):
            self.call_after_refresh(self.recompose)  # the palette key came or went (a resize): rare
            return
        for key, row in zip(palette, want_palette, strict=True):
            _rewrite(key, row)
        by_key = {key.key: key for key in plain}
        chosen: list[FooterKey | None] = [by_key.pop(row.key, None) for row in want_plain]
        spare = [key for key in plain if key not in chosen]
        new: list[FooterKey] = []
        for at, row in enumerate(want_plain):
            key = chosen[at]
            if key is None and spare:
                key = spare.pop(0)
            if key is None:
                key = self._make(row)
                new.append(key)
            else:
                _rewrite(key, row)
                key.display = True
            chosen[at] = key
        for key in spare:
            key.display = False
        mounting = self.mount_all(new, before=palette[0] if palette else None) if new else None
        self._order([key for key in chosen if key is not None])
        if mounting is not None:
            self._hold_frames(new, mounting)

    def _order(self, shown: list[FooterKey]) -> None:
        """Put the keys shown in the order of the rows (hidden keys may stay anywhere)."""
        placed = set(shown)
        if [child for child in self.children if child in placed] == shown:
            return
        for before, key in zip(shown, shown[1:], strict=False):
            self.move_child(key, after=before)

    def _hold_frames(self, new: list[FooterKey], mounting: AwaitMount) -> None:
        """Draw nothing until the `new` keys are mounted and have asked for their layout and paint: the
        key that offered more keys than the footer ever had (practice's first feedback brings Guess and
        Open docs) is then drawn in one frame, not in one without the new keys and a second with them.

        Mounting ends with the footer asking itself for a layout, which reaches the screen when the
        footer next goes idle; the frames are let go from the footer's own queue, behind that request.
        A mount that has not finished within `MOST_HELD_S` (the screen went away meanwhile) lets them go
        anyway: the app must never stop drawing for a footer key.
        """
        batch = ExitStack()
        batch.enter_context(self.app.batch_update())

        def release() -> None:
            batch.close()
            if self.is_attached:
                self.screen.check_idle()  # a frame held meanwhile is asked for again

        async def settle() -> None:
            try:
                await asyncio.wait_for(mounting(), MOST_HELD_S)
                for key in new:
                    # A new key asks for its first paint when it next goes idle, which may be after the
                    # frames are let go: ask now (what its idle would do), so the one frame paints it.
                    key._check_refresh()
            except TimeoutError:
                pass
            finally:
                if self.is_running and self.is_attached:
                    self.call_later(release)
                else:
                    release()
                self._settling.discard(task)

        task = AwaitComplete(settle())
        self._settling.add(task)  # held until done: a task nothing refers to may be collected

    def _refresh_scrollbars(self) -> None:
        """Note whether the keys overflow (so the mouse wheel still scrolls them), without showing or
        hiding scrollbar widgets: the footer's are 0 cells wide, yet toggling one lays the screen out
        again. Flashcards' back-side keys overflow 80 columns by a cell and their front-side keys do
        not, so every reveal and rating paid a second frame for a scrollbar nobody sees."""
        if not self.container_size:
            return
        width, height = self.container_size
        virtual = self.virtual_size
        for reactive, overflow, over in (
            (Footer.show_horizontal_scrollbar, self.styles.overflow_x, virtual.width > width),
            (Footer.show_vertical_scrollbar, self.styles.overflow_y, virtual.height > height),
        ):
            self.set_reactive(reactive, overflow == "scroll" or (overflow == "auto" and over))

    def watch_compact(self, compact: bool) -> None:
        for key in self.query_children(FooterKey):
            if not key.has_class("-command-palette"):
                key.compact = compact

    def watch_show_command_palette(self) -> None:
        if self.is_mounted:
            self.update_keys()


def _rewrite(key: FooterKey, row: Row) -> None:
    """Make `key` show `row`, repainting (and laying out, for a new width) only if it changed."""
    before = (key.key, key.key_display, key.description, key.action, not key._disabled)
    if before == (row.key, row.display, row.description, row.action, row.enabled):
        if (key.tooltip or "") != row.tooltip:
            key.tooltip = row.tooltip or None
        return
    width_before = cell_len(key.key_display) + cell_len(key.description)
    key.key, key.key_display, key.description, key.action = row.key, row.display, row.description, row.action
    key._disabled = not row.enabled
    key.set_class(not row.enabled, "-disabled")
    key.tooltip = row.tooltip or None
    key.refresh(layout=width_before != cell_len(row.display) + cell_len(row.description))
