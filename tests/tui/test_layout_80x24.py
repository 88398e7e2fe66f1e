"""Nothing that matters is cut at 80x24: every screen and dialog, with a year of real history.

Issue 15 found the same defect again and again: a footer key, a status line, a chart title or a
button cut at the right or bottom edge of an 80x24 terminal, visible only with long real bank text
and two-digit counts. This walks every screen and dialog in that worst case (the bundled bank's
longest items, a year of history from `tests/history.py`) and checks generic rules, so the next
screen cannot bring the defect back unnoticed:

- footer: every key the footer shows is whole on screen, inside the 80 columns, covered by nothing;
- one-line bars (header title, status lines, the exam bar) fit their width; no text widget needs
  more lines than it has (a wrapped status line loses its second line silently);
- essential widgets (verdict, options, rating line, chart titles, mastery column headers, dialog
  messages and buttons) are on screen, or in a scroll container that shows a scrollbar and can be
  scrolled to them; a container that hides overflowing content is a cut;
- no widget runs past the right edge (content a horizontal scroller can reach excepted);
- no toast covers an essential widget;
- Help lists every key the screen beneath binds, hidden ones included.

Each rule returns its problems as sentences naming the case, the widget and its region, and a case
reports all of them at once, so a failure says what is cut and where.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from rich.cells import cell_len
from textual.binding import Binding
from textual.errors import NoWidget
from textual.geometry import Region, Size
from textual.pilot import Pilot
from textual.screen import Screen
from textual.strip import Strip
from textual.widget import Widget
from textual.widgets import Button, DataTable, Footer, Static
from textual.widgets._footer import FooterKey
from textual.widgets._toast import Toast, ToastRack

from quizapp.content import AnyQuestion, Catalog
from quizapp.content.problems import Problem
from quizapp.store import StoreError
from quizapp.study import ExamSession, ManualClock, Scope
from quizapp.study.flashcards import FlashcardSession
from quizapp.study.grading import correct_response
from quizapp.study.practice import PracticeSession
from quizapp.tui.app import QuizApp, make_app
from tests.history import NOW, copy_history, real_bank, real_catalog, wrong_response
from tests.tui.helpers import keys_for_right_answer, keys_for_wrong_answer, ready

SIZE = W, H = (80, 24)
SCREEN = Region(0, 0, W, H)


# ====================================================================== the history and the app


def history_app(tmp_path: Path, built: Path, monkeypatch: pytest.MonkeyPatch) -> QuizApp:
    """The app on a private copy of the year of history, the real bank, the clock at NOW."""
    data = copy_history(built, tmp_path / "data")
    return make_app(
        data_dir=data,
        cache_dir=tmp_path / "cache",
        clock=ManualClock(NOW),
        catalog=real_catalog(),
        fuzz=False,
    )


# ====================================================================== what a case declares


@dataclass
class Spec:
    """What must not be cut on the screen a case opens."""

    essentials: Sequence[tuple[str, str]]
    """(what it is, a CSS selector on the screen): each must match at least one shown widget, and
    every match must be on screen or reachable by scrolling."""
    texts: Sequence[str] = ()
    """Strings that must be on screen whole as it opens (a verdict that has no widget of its own)."""
    help_bindings: list[tuple[str, Binding]] | None = None
    """For a Help screen: quizapp's bindings on the screen beneath, each of which Help must list."""
    charts: bool = False
    """Check every chart's title and every table's column headers (the dashboard)."""


Opener = Callable[[Pilot], Awaitable[Spec]]
AppMaker = Callable[[Path, Path, pytest.MonkeyPatch], QuizApp]


@dataclass(frozen=True)
class Case:
    name: str
    open: Opener
    make_app: AppMaker = history_app
    wait_for: str = "HomeScreen"


CASES: list[Case] = []


def case(
    name: str, *, app: AppMaker = history_app, wait_for: str = "HomeScreen"
) -> Callable[[Opener], Opener]:
    def register(opener: Opener) -> Opener:
        CASES.append(Case(name, opener, app, wait_for))
        return opener

    return register


# ====================================================================== reading the screen


def shown(widget: Widget) -> bool:
    """Visible, and displayed with every ancestor (`display: none` hides the children too, while
    `visibility` is inherited and may be overridden, so only the widget's own counts)."""
    if not widget.visible:
        return False
    node: Any = widget
    while isinstance(node, Widget):
        if not node.display:
            return False
        node = node.parent
    return True


def geometry(screen: Screen, widget: Widget) -> tuple[Region, Region] | None:
    """The widget's region and what of it is visible (clipped by its containers and the screen)."""
    try:
        found = screen.find_widget(widget)
    except NoWidget:
        return None
    return found.region, found.region.intersection(found.clip).intersection(SCREEN)


def text_of(widget: Widget) -> str:
    """The text a widget shows, markup resolved (`Static.visual` is what it draws)."""
    if isinstance(widget, Toast):
        return widget._notification.message  # noqa: SLF001 - a toast keeps its text nowhere else
    if isinstance(widget, FooterKey):
        return f"{widget.key_display} {widget.description}".strip()
    if isinstance(widget, Button):
        return widget.label.plain
    for name in ("visual", "content"):
        value = getattr(widget, name, None)
        if hasattr(value, "plain"):
            return value.plain
    return ""


def describe(widget: Widget) -> str:
    name = type(widget).__name__
    if widget.id:
        name += f"#{widget.id}"
    classes = sorted(c for c in widget.classes if not c.startswith("-"))
    if classes:
        name += "." + ".".join(classes)
    text = " ".join(text_of(widget).split())
    if text:
        name += f" {text[:60]!r}" + ("…" if len(text) > 60 else "")
    return name


def screen_rows(screen: Screen) -> list[Strip]:
    """What the terminal shows, one strip per row (the compositor's own render of the screen)."""
    return screen._compositor.render_strips()  # noqa: SLF001 - the only way to read the cells back


def rows_text(screen: Screen, region: Region) -> list[str]:
    rows = screen_rows(screen)
    return [rows[y].crop(region.x, region.right).text for y in range(max(0, region.y), min(H, region.bottom))]


def on_top(screen: Screen, widget: Widget, region: Region) -> str:
    """What is drawn over `widget` inside `region`, if anything: the widget that hides it."""
    covers = set()
    for x in range(max(0, region.x), min(W, region.right)):
        try:
            top, _ = screen.get_widget_at(x, region.y)
        except NoWidget:
            continue
        if top is not widget and widget not in top.ancestors:
            covers.add(describe(top))
    return f" (covered by {', '.join(sorted(covers))})" if covers else ""


def scroller_of(widget: Widget) -> Widget | None:
    """The nearest ancestor that can scroll (overflowing content and overflow auto or scroll)."""
    node: Any = widget.parent
    while isinstance(node, Widget):
        if node.is_scrollable and (node.allow_vertical_scroll or node.allow_horizontal_scroll):
            return node
        node = node.parent
    return None


def inside(widget: Widget, kinds: tuple[type, ...]) -> bool:
    node: Any = widget
    while isinstance(node, Widget):
        if isinstance(node, kinds):
            return True
        node = node.parent
    return False


def out_of_screen(region: Region) -> bool:
    return region.x < 0 or region.y < 0 or region.right > W or region.bottom > H


def screen_widgets(screen: Screen) -> Iterable[Widget]:
    """Every shown widget of the screen but the toasts (they have a rule of their own)."""
    for widget in screen.walk_children(with_self=False):
        if isinstance(widget, Widget) and shown(widget) and not inside(widget, (ToastRack,)):
            yield widget


# ====================================================================== the rules


def footer_rule(name: str, screen: Screen) -> list[str]:
    """Every key the footer shows is whole, inside the screen and on top; none is missing."""
    footers = [f for f in screen.query(Footer) if shown(f)]
    if not footers:
        return []
    footer = footers[0]
    problems: list[str] = []
    keys = [k for k in footer.query(FooterKey) if shown(k)]
    wanted = {b.action: b for (_, b, _, _) in screen.active_bindings.values() if b.show}
    missing = [
        f"{b.key} {b.description}" for action, b in wanted.items() if action not in {k.action for k in keys}
    ]
    if missing:
        problems.append(f"[{name}] the footer has no key for: {', '.join(missing)}")
    placed: list[tuple[FooterKey, Region]] = []
    for key in keys:
        label = f"{key.key_display} {key.description}".strip()
        where = geometry(screen, key)
        if where is None:
            problems.append(f"[{name}] footer key {label!r} is not laid out at all")
            continue
        region, visible = where
        if region.right > W or region.x < 0:
            problems.append(
                f"[{name}] footer key {label!r} at {region} runs past the right edge "
                f"(x+width = {region.right} > {W})"
            )
        elif visible != region:
            problems.append(f"[{name}] footer key {label!r} at {region} is cut to {visible}")
        for other, other_region in placed:
            overlap = region.intersection(other_region)
            if overlap.area:
                problems.append(
                    f"[{name}] footer keys overlap at {overlap}: {label!r} at {region} and "
                    f"{other.key_display + ' ' + other.description!r} at {other_region}"
                )
        placed.append((key, region))
        row = "".join(rows_text(screen, Region(0, region.y, W, 1)))
        if label not in row:
            problems.append(
                f"[{name}] footer key {label!r} is not readable in the footer row {row.rstrip()!r}"
                + on_top(screen, key, region)
            )
    return problems


STRICT_LINES = ("HeaderTitle", "#status", "#hint", "#where", "#clock", "#message", ".bar")
"""Lines that must fit whole: an ellipsis is not enough for the title or a status line."""


def text_fits_rule(name: str, screen: Screen) -> list[str]:
    """No text widget needs more lines than it has, and a line that does not wrap fits its width."""
    problems: list[str] = []
    strict = {w for selector in STRICT_LINES for w in screen.query(selector)}
    for widget in screen_widgets(screen):
        if not isinstance(widget, Static | Button) or isinstance(widget, FooterKey):
            continue
        region = widget.content_region
        if region.width <= 0 or region.height <= 0:
            continue
        height = widget.get_content_height(Size(W, H), Size(W, H), region.width)
        if height > region.height:
            problems.append(
                f"[{name}] {describe(widget)} at {widget.region} needs {height} line(s) at width "
                f"{region.width} but has {region.height}: its text is cut at the bottom"
            )
            continue
        nowrap = widget.styles.text_wrap == "nowrap" or isinstance(widget, Button) or region.height == 1
        if not nowrap:
            continue
        width = max((cell_len(line) for line in text_of(widget).splitlines()), default=0)
        if width > region.width:
            ellipsis = widget.styles.text_overflow == "ellipsis"
            if widget in strict or not ellipsis:
                how = "with an ellipsis" if ellipsis else "without an ellipsis"
                problems.append(
                    f"[{name}] {describe(widget)} at {widget.region}: text of {width} cells cut to "
                    f"{region.width} {how}"
                )
    return problems


def right_edge_rule(name: str, screen: Screen) -> list[str]:
    """No widget extends past the right (or left) edge, unless a horizontal scroller can reach it."""
    problems: list[str] = []
    reported: set[Widget] = set()
    for widget in screen_widgets(screen):
        if inside(widget, (Footer,)):
            continue  # the footer rule names the key
        where = geometry(screen, widget)
        if where is None or not where[0].area:
            continue
        region = where[0]
        if region.right <= W and region.x >= 0:
            continue
        if any(a in reported for a in widget.ancestors):
            continue  # its container is reported already
        scroller = scroller_of(widget)
        if scroller is not None and scroller.allow_horizontal_scroll:
            scroller_where = geometry(screen, scroller)
            if scroller_where and not out_of_screen(scroller_where[0]):
                continue
        reported.add(widget)
        problems.append(
            f"[{name}] {describe(widget)} at {region} extends past the screen's edge "
            f"(x={region.x}, x+width={region.right}, screen width {W})"
        )
    return problems


def scroll_cue_rule(name: str, screen: Screen) -> list[str]:
    """Content that does not fit is either scrollable with a visible scrollbar, or it is cut."""
    problems: list[str] = []
    for widget in screen_widgets(screen):
        if inside(widget, (Footer,)) or not widget.is_scrollable or not widget.is_container:
            continue
        region = widget.scrollable_content_region
        if region.height <= 0 or region.width <= 0:
            continue
        virtual = widget.virtual_size
        styles = widget.styles
        if virtual.height > region.height:
            if styles.overflow_y == "hidden":
                problems.append(
                    f"[{name}] {describe(widget)} at {widget.region} hides content: "
                    f"{virtual.height} lines in {region.height}, and it does not scroll"
                )
            elif not widget.show_vertical_scrollbar or styles.scrollbar_size_vertical == 0:
                problems.append(
                    f"[{name}] {describe(widget)} at {widget.region} scrolls {virtual.height} lines in "
                    f"{region.height} without a visible scrollbar"
                )
        if virtual.width > region.width and not isinstance(widget, DataTable):
            if styles.overflow_x == "hidden":
                problems.append(
                    f"[{name}] {describe(widget)} at {widget.region} hides content: "
                    f"{virtual.width} columns in {region.width}, and it does not scroll"
                )
            elif not widget.show_horizontal_scrollbar or styles.scrollbar_size_horizontal == 0:
                problems.append(
                    f"[{name}] {describe(widget)} at {widget.region} scrolls {virtual.width} columns "
                    f"in {region.width} without a visible scrollbar"
                )
    return problems


def essentials_of(name: str, screen: Screen, spec: Spec) -> tuple[list[tuple[str, Widget]], list[str]]:
    found: list[tuple[str, Widget]] = []
    problems: list[str] = []
    for what, selector in spec.essentials:
        matches = [w for w in screen.query(selector) if shown(w)]
        if not matches:
            problems.append(f"[{name}] no shown widget matches {selector!r} ({what})")
        found += [(what, w) for w in matches]
    return found, problems


def toast_rule(name: str, screen: Screen, essentials: list[tuple[str, Widget]]) -> list[str]:
    """No toast lies over an essential widget as the screen is seen."""
    problems: list[str] = []
    for toast in screen.query(Toast):
        toast_where = geometry(screen, toast)
        if toast_where is None or not toast_where[1].area:
            continue
        for what, widget in essentials:
            where = geometry(screen, widget)
            if where is None:
                continue
            overlap = where[1].intersection(toast_where[1])
            if overlap.area:
                said = " ".join(text_of(toast).split())[:50]
                problems.append(
                    f"[{name}] the toast {said!r} at {toast_where[1]} covers {what} "
                    f"{describe(widget)} (visible at {where[1]}) over {overlap}"
                )
    return problems


async def reach_rule(
    pilot: Pilot, name: str, screen: Screen, essentials: list[tuple[str, Widget]]
) -> list[str]:
    """Each essential widget is on screen, or a scroll container shows a scrollbar and reaches it."""
    problems: list[str] = []
    for what, widget in essentials:
        where = geometry(screen, widget)
        if where is None:
            problems.append(f"[{name}] {what} {describe(widget)} is not laid out at all")
            continue
        region, visible = where
        if not region.area:
            problems.append(f"[{name}] {what} {describe(widget)} has no room: region {region}")
            continue
        if visible == region:
            continue
        scroller = scroller_of(widget)
        if scroller is None:
            problems.append(
                f"[{name}] {what} {describe(widget)} at {region} is cut to {visible or 'nothing'}, "
                "and no scroll container can bring it into view"
            )
            continue
        scroller_where = geometry(screen, scroller)
        if scroller_where is None or scroller_where[1] != scroller_where[0]:
            problems.append(
                f"[{name}] {what} {describe(widget)} is in {describe(scroller)}, which is itself cut "
                f"({scroller_where})"
            )
            continue
        widget.scroll_visible(animate=False, top=True, immediate=True)
        await step(pilot)
        where = geometry(screen, widget)
        assert where is not None
        region, visible = where
        view = scroller.scrollable_content_region
        if visible.x != region.x or visible.right != region.right:
            problems.append(
                f"[{name}] {what} {describe(widget)} at {region} is cut at the side to {visible} "
                f"even when scrolled to (its scroller {describe(scroller)} shows {view.width} columns)"
            )
        elif region.height <= view.height and visible != region:
            problems.append(
                f"[{name}] {what} {describe(widget)} at {region} is still cut to {visible} when "
                f"scrolled to in {describe(scroller)}"
            )
        elif region.height > view.height:
            below = region.bottom - visible.bottom
            if visible.y != region.y or scroller.max_scroll_y - scroller.scroll_y < below:
                problems.append(
                    f"[{name}] {what} {describe(widget)} at {region} cannot be scrolled through: "
                    f"top visible {visible.y == region.y}, {below} lines below the view, "
                    f"{scroller.max_scroll_y - scroller.scroll_y} more to scroll"
                )
        if not scroller.show_vertical_scrollbar and not scroller.show_horizontal_scrollbar:
            problems.append(
                f"[{name}] {what} {describe(widget)} is reachable only by scrolling {describe(scroller)}, "
                "which shows no scrollbar"
            )
        scroller.scroll_home(animate=False, immediate=True)
        await step(pilot)
    return problems


def texts_rule(name: str, screen: Screen, texts: Sequence[str]) -> list[str]:
    rows = [strip.text for strip in screen_rows(screen)]
    return [
        f"[{name}] {text!r} is not on screen whole; the screen shows:\n  "
        + "\n  ".join(r.rstrip() for r in rows)
        for text in texts
        if not any(text in row for row in rows)
    ]


def chart_title(plot: Widget) -> str:
    heading = getattr(plot, "heading", "")
    if heading:
        return heading
    monitor = getattr(getattr(plot, "plt", None), "monitor", None)
    return getattr(monitor, "title", None) or ""


async def charts_rule(pilot: Pilot, name: str, screen: Screen) -> list[str]:
    """Every chart's title is drawn whole inside the chart; every table column header is reachable."""
    problems: list[str] = []
    plots = [w for w in screen.query("PlotextPlot") if shown(w)]
    if not plots:
        problems.append(f"[{name}] no chart is shown")
    for plot in plots:
        title = chart_title(plot)
        if not title:
            problems.append(f"[{name}] {describe(plot)} has no title")
            continue
        plot.scroll_visible(animate=False, immediate=True)
        await step(pilot)
        where = geometry(screen, plot)
        if where is None or not where[1].area:
            problems.append(f"[{name}] chart {title!r} ({describe(plot)}) is not on screen")
            continue
        drawn = rows_text(screen, where[1])
        if not any(title in row for row in drawn):
            problems.append(
                f"[{name}] chart title {title!r} is not drawn whole in {describe(plot)} at {where[0]} "
                f"(visible {where[1]}); the chart shows:\n  " + "\n  ".join(drawn)
            )
    for table in [t for t in screen.query(DataTable) if shown(t)]:
        problems += await headers_rule(pilot, name, screen, table)
    return problems


async def headers_rule(pilot: Pilot, name: str, screen: Screen, table: DataTable) -> list[str]:
    """Each column header of a table is readable, directly or after a horizontal scroll with a cue."""
    problems: list[str] = []
    labels = [column.label.plain for column in table.columns.values()]
    if "Mastery" not in labels and table.id == "mastery":
        problems.append(f"[{name}] the mastery table has no Mastery column: {labels}")
    table.scroll_visible(animate=False, top=True, immediate=True)
    await step(pilot)
    view = table.scrollable_content_region.width
    x = 0
    for column in table.columns.values():
        label = column.label.plain
        width = column.get_render_width(table)
        right = x + width
        if right > view:
            if not table.show_horizontal_scrollbar:
                problems.append(
                    f"[{name}] column {label!r} of {describe(table)} ends at {right}, past the {view} "
                    "columns shown, and no horizontal scrollbar says there is more"
                )
            table.scroll_to(x=right - view, animate=False, immediate=True)
            await step(pilot)
        where = geometry(screen, table)
        assert where is not None
        header = rows_text(screen, Region(where[1].x, where[1].y, where[1].width, 1))
        if not header or label not in header[0]:
            problems.append(
                f"[{name}] column header {label!r} of {describe(table)} is not readable "
                f"(header row {header[0].rstrip() if header else ''!r})"
            )
        x = right
    table.scroll_to(x=0, animate=False, immediate=True)
    await step(pilot)
    return problems


# ---------------------------------------------------------------------- Help lists every key


def quizapp_bindings(screen: Screen) -> list[tuple[str, Binding]]:
    """The bindings quizapp's own classes declare on the screen, its focused widgets and the app."""
    nodes: list[Any] = []
    focused = screen.focused
    node: Any = focused
    while node is not None and node is not screen:
        nodes.append(node)
        node = node.parent
    nodes += [screen, screen.app]
    found: list[tuple[str, Binding]] = []
    for node in nodes:
        for cls in type(node).__mro__:
            if cls.__module__.startswith("quizapp") and "BINDINGS" in cls.__dict__:
                for binding in cls.__dict__["BINDINGS"]:
                    if isinstance(binding, Binding):
                        found.append((cls.__name__, binding))
    return found


def key_names(app: QuizApp, key: str) -> set[str]:
    names = {key, app.get_key_display(Binding(key, "noop"))}
    names |= {n.replace("question_mark", "?").replace("escape", "esc") for n in list(names)}
    return names


def help_tokens(text: str) -> set[str]:
    tokens = set(re.split(r"[\s/,:·()]+", text))
    for token in list(tokens):
        match = re.fullmatch(r"(\w)-(\w)", token)
        if match:  # "1-9", "a-f": every key in the range
            tokens |= {chr(c) for c in range(ord(match[1]), ord(match[2]) + 1)}
    return tokens


def help_rule(name: str, screen: Screen, bindings: list[tuple[str, Binding]]) -> list[str]:
    text = "\n".join(text_of(w) for w in screen.query(Static))
    tokens = help_tokens(text)
    problems = []
    for owner, binding in bindings:
        keys = [k.strip() for k in binding.key.split(",")]
        if binding.key_display:
            keys.append(binding.key_display)
        if not any(key_names(screen.app, k) & tokens for k in keys):  # type: ignore[arg-type]
            what = binding.description or binding.action
            hidden = "hidden from the footer, " if not binding.show else ""
            problems.append(f"[{name}] Help does not list {binding.key!r} ({what}, {hidden}bound by {owner})")
    return problems


# ---------------------------------------------------------------------- all rules for one screen


async def check(pilot: Pilot, name: str, spec: Spec) -> list[str]:
    screen = pilot.app.screen
    problems: list[str] = []
    problems += footer_rule(name, screen)
    problems += text_fits_rule(name, screen)
    problems += right_edge_rule(name, screen)
    problems += scroll_cue_rule(name, screen)
    problems += texts_rule(name, screen, spec.texts)
    essentials, missing = essentials_of(name, screen, spec)
    problems += missing
    problems += toast_rule(name, screen, essentials)
    if spec.help_bindings is not None:
        problems += help_rule(name, screen, spec.help_bindings)
    problems += await reach_rule(pilot, name, screen, essentials)
    if spec.charts:
        problems += await charts_rule(pilot, name, screen)
    return problems


async def step(pilot: Pilot) -> None:
    """Let every message on the screen be handled and the screen be laid out again: a pause without
    Pilot's wait for the process to look idle, which costs a fifth of a second a time here."""
    await pilot.pause(0.005)


def footer_ready(screen: Screen) -> bool:
    """The footer (if any) has recomposed for the current bindings: it does so after a refresh."""
    footers = [f for f in screen.query(Footer) if shown(f)]
    if not footers:
        return True
    keys = [k for k in footers[0].query(FooterKey) if shown(k)]
    wanted = {b.action for (_, b, _, _) in screen.active_bindings.values() if b.show}
    return wanted <= {k.action for k in keys} and all(geometry(screen, k) for k in keys)


async def settle(pilot: Pilot) -> None:
    """Let mounts, Markdown parsing (a worker) and the footer's recompose finish: until the footer is
    ready and two steps in a row leave the screen as it was."""
    app = pilot.app
    last: list[str] = []
    same = 0
    for _ in range(60):
        await app.workers.wait_for_complete()
        await step(pilot)
        rows = [strip.text for strip in screen_rows(app.screen)]
        same = same + 1 if rows == last else 0
        last = rows
        if same >= 2 and footer_ready(app.screen):
            return


async def at(pilot: Pilot, screen_name: str) -> None:
    """Wait until the named screen is on top (and has mounted)."""
    for _ in range(200):
        if type(pilot.app.screen).__name__ == screen_name:
            await step(pilot)
            return
        await step(pilot)
    raise AssertionError(f"never reached {screen_name}; at {type(pilot.app.screen).__name__}")


@pytest.mark.parametrize("layout_case", CASES, ids=lambda c: c.name)
async def test_nothing_that_matters_is_cut_at_80x24(
    layout_case: Case, built_history: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = layout_case.make_app(tmp_path, built_history, monkeypatch)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        if layout_case.wait_for == "HomeScreen":
            await ready(pilot)
        else:
            await at(pilot, layout_case.wait_for)
        spec = await layout_case.open(pilot)
        await settle(pilot)
        seen = [strip.text.rstrip() for strip in screen_rows(app.screen)]
        problems = await check(pilot, layout_case.name, spec)
    assert not problems, (
        f"{len(problems)} problem(s) at 80x24:\n"
        + "\n".join(problems)
        + "\n\nThe screen as it opened:\n"
        + "\n".join(f"{y:2} |{row}" for y, row in enumerate(seen))
    )


# ====================================================================== the real bank's worst cases


def _asked_size(question: AnyQuestion, review: bool = False) -> int:
    """How much text a question puts on screen: scenario, stem, options (and whys in review)."""
    bank = real_bank()
    n = len(question.stem) + len(bank.scenario_of(question.id) or "")
    for option in getattr(question, "options", []):
        n += len(option.text) + (len(option.why) if review else 0)
    n += sum(len(item) for item in getattr(question, "items", [])) * (2 if review else 1)
    for pair in getattr(question, "pairs", []):
        n += len(pair.prompt) + len(pair.response)
    n += sum(len(d) for d in getattr(question, "distractors", []))
    return n + (len(question.explanation) + sum(len(str(r)) for r in question.refs) if review else 0)


@cache
def longest(kind: str, review: bool = False) -> str:
    """The id of the bundled bank's longest question of a type ('case' for a case-study question)."""
    bank = real_bank()
    pool = [
        q
        for q in bank.questions.values()
        if (q.id in bank.case_of if kind == "case" else q.type == kind and q.id not in bank.case_of)
    ]
    return max(pool, key=lambda q: (_asked_size(q, review), q.id)).id


@cache
def most_refs() -> str:
    from quizapp.tui.refs import openable

    bank = real_bank()
    return max(
        bank.questions.values(), key=lambda q: (len(openable(q.refs)), sum(len(str(r)) for r in q.refs), q.id)
    ).id


def practice_at(
    app: QuizApp, qid: str, scope: Scope, *, before: int = 12, mode: str = "practice"
) -> PracticeSession:
    """A session of `scope` as the coach deals it, with `qid` coming up after `before` answers
    (two of them wrong), so the status line carries two-digit counts."""
    coach = app.coach
    assert coach is not None
    dealt = [q for q in coach.practice(scope).queue if q != qid]
    ids = dealt[:before] + [qid] + dealt[before:]
    session = PracticeSession(
        coach.bank, coach.store, coach.clock, coach.srs, ids, mode=mode, label=scope.label()
    )
    for i in range(before):
        question = session.current()
        assert question is not None
        session.answer(correct_response(question) if i % 6 else wrong_response(question, _rng()))
    return session


def _rng():  # noqa: ANN202
    import random

    return random.Random(7)


async def push(pilot: Pilot, screen: Screen, name: str) -> None:
    pilot.app.push_screen(screen)
    await at(pilot, name)


def longest_tag() -> Scope:
    from collections import Counter

    tags = Counter(t for q in real_bank().questions.infos() for t in q.tags)
    return Scope("tag", max((t for t, n in tags.items() if n >= 13), key=lambda t: (len(t), t)))


QUESTION = [
    ("status line", "#status"),
    ("question stem", "QuestionView .stem"),
    ("options", "Choices"),
]
FEEDBACK = [*QUESTION, ("verdict", "QuestionView .verdict"), ("explanation", "QuestionView .explanation")]


# ---------------------------------------------------------------------- Home


@case("home")
async def _home(pilot: Pilot) -> Spec:
    app = pilot.app
    assert isinstance(app, QuizApp) and app.coach is not None
    app.coach.start_exam("full", seed=5)  # an exam in progress: the menu's longest form
    app.screen.refresh_home()  # type: ignore[attr-defined]
    await settle(pilot)
    return Spec(
        [
            ("today's counts", "#summary"),
            ("bank line", "#bank"),
            ("menu", "#menu"),
            ("key hint", "#hint"),
        ]
    )


# ---------------------------------------------------------------------- Practice


async def _practice(
    pilot: Pilot, qid: str, scope: Scope, title: str = "Practice", mode: str = "practice"
) -> None:
    from quizapp.tui.screens.practice import PracticeScreen

    await push(pilot, PracticeScreen(practice_at(pilot.app, qid, scope, mode=mode), title), "PracticeScreen")


@case("practice-single")
async def _practice_single(pilot: Pilot) -> Spec:
    await _practice(pilot, longest("single"), Scope("all"))
    return Spec(QUESTION)


@case("practice-multi")
async def _practice_multi(pilot: Pilot) -> Spec:
    await _practice(pilot, longest("multi"), longest_tag())
    return Spec(QUESTION)


@case("practice-ordering")
async def _practice_ordering(pilot: Pilot) -> Spec:
    await _practice(pilot, longest("ordering"), Scope("domain", "3"))
    return Spec(QUESTION)


@case("practice-matching")
async def _practice_matching(pilot: Pilot) -> Spec:
    await _practice(pilot, longest("matching"), Scope("missed"), title="Review missed", mode="missed")
    return Spec(QUESTION)


@case("practice-case-study")
async def _practice_case(pilot: Pilot) -> Spec:
    await _practice(pilot, longest("case"), Scope("type", "matching"))
    return Spec([*QUESTION, ("case-study scenario", "QuestionView .scenario")])


async def _feedback(pilot: Pilot, qid: str, right: bool) -> None:
    await _practice(pilot, qid, Scope("all"))
    choices = pilot.app.screen.query_one("Choices")
    keys = keys_for_right_answer(choices) if right else keys_for_wrong_answer(choices)  # type: ignore[arg-type]
    await pilot.press(*keys, "enter")
    await settle(pilot)


@case("practice-feedback-right")
async def _feedback_right(pilot: Pilot) -> Spec:
    await _feedback(pilot, longest("multi", review=True), right=True)
    return Spec([*FEEDBACK, ("references", "QuestionView .refs")])


@case("practice-feedback-wrong")
async def _feedback_wrong(pilot: Pilot) -> Spec:
    await _feedback(pilot, longest("single", review=True), right=False)
    return Spec([*FEEDBACK, ("references", "QuestionView .refs")])


@case("practice-feedback-case-study-wrong")
async def _feedback_case(pilot: Pilot) -> Spec:
    await _feedback(pilot, longest("case", review=True), right=False)
    return Spec([*FEEDBACK, ("case-study scenario", "QuestionView .scenario")])


@case("practice-guess-toast")
async def _guess_toast(pilot: Pilot) -> Spec:
    await _feedback(pilot, longest("ordering", review=True), right=True)
    await pilot.press("g")  # "Marked as a guess: it will come back sooner." as a toast
    await settle(pilot)
    return Spec(FEEDBACK)


@case("practice-not-yet-toast")
async def _not_yet(pilot: Pilot) -> Spec:
    await _practice(pilot, longest("multi"), Scope("all"))
    await pilot.press("enter")  # nothing chosen: "Not yet: choose exactly 2 (Enter submits)."
    await settle(pilot)
    assert list(pilot.app.screen.query(Toast)), "no 'Not yet' toast for an incomplete answer"
    return Spec(QUESTION)


@case("practice-session-summary")
async def _practice_summary(pilot: Pilot) -> Spec:
    await _practice(pilot, longest("single"), Scope("all"))
    await pilot.press("escape")  # ends the session: the summary of the 12 answers
    await settle(pilot)
    return Spec([("status line", "#status"), ("summary", "#body Static")], texts=["Session complete"])


@case("practice-scope-picker")
async def _scope_picker(pilot: Pilot) -> Spec:
    await pilot.press("p")
    await at(pilot, "PickDialog")
    return Spec(PICK)


PICK = [("title", "PickDialog .title"), ("choices", "PickDialog OptionList"), ("hint", "PickDialog .hint")]


@case("practice-open-docs-picker")
async def _docs_picker(pilot: Pilot) -> Spec:
    await _feedback(pilot, most_refs(), right=False)
    await pilot.press("o")  # several documentation links: which one?
    await at(pilot, "PickDialog")
    return Spec(PICK)


@case("link-open-confirm")
async def _link_confirm(pilot: Pilot) -> Spec:
    """A web link clicked in bank Markdown asks first (no bundled item has one, so it is posted)."""
    from textual.widgets import Markdown

    from quizapp.content.models import Ref

    await _feedback(pilot, longest("single", review=True), right=False)
    urls = [r.url for q in real_bank().questions.values() for r in q.refs if isinstance(r, Ref)]
    prose = pilot.app.screen.query_one("QuestionView .explanation")
    prose.post_message(Markdown.LinkClicked(prose, max(urls, key=len)))  # type: ignore[arg-type]
    await at(pilot, "ConfirmDialog")
    return Spec(CONFIRM)


CONFIRM = [
    ("message", "ConfirmDialog Static"),
    ("No button", "ConfirmDialog #no"),
    ("Yes button", "ConfirmDialog #yes"),
]


# ---------------------------------------------------------------------- Flashcards


CARD = [("status line", "#status"), ("card front", "#card .front"), ("key line", "#buttons")]
CARD_BACK = [*CARD, ("card back", "#card .back")]


async def _flashcards(pilot: Pilot) -> None:
    await pilot.press("f")
    await at(pilot, "PickDialog")
    await pilot.press("enter")  # all decks
    await at(pilot, "FlashcardScreen")


@case("flashcards-picker")
async def _cards_picker(pilot: Pilot) -> Spec:
    await pilot.press("f")
    await at(pilot, "PickDialog")
    return Spec(PICK)


@case("flashcards-front")
async def _cards_front(pilot: Pilot) -> Spec:
    await _flashcards(pilot)
    return Spec(CARD)


@case("flashcards-back")
async def _cards_back(pilot: Pilot) -> Spec:
    await _flashcards(pilot)
    await pilot.press("space")
    await settle(pilot)
    return Spec(CARD_BACK)


@case("flashcards-longest-back")
async def _cards_longest(pilot: Pilot) -> Spec:
    from quizapp.tui.screens.flashcards import FlashcardScreen

    app = pilot.app
    coach = app.coach
    assert coach is not None
    card = max(coach.bank.flashcards.values(), key=lambda c: (len(c.back) + len(c.front), c.id))
    deck = coach.bank.deck_of[card.id]
    session: FlashcardSession = coach.flashcards(deck=deck, cram=True)
    session.queue.remove(card.id)
    session.queue.insert(0, card.id)
    await push(pilot, FlashcardScreen(session, f"Cram · {deck}"), "FlashcardScreen")
    await pilot.press("space")
    await settle(pilot)
    return Spec(CARD_BACK)


@case("flashcards-again-toast")
async def _cards_again(pilot: Pilot) -> Spec:
    await _flashcards(pilot)
    for _ in range(6):  # rate Again until a card comes back in this session (its toast is shown)
        await pilot.press("space", "1")
        await settle(pilot)
        if list(pilot.app.screen.query(Toast)):
            break
    # Checked at once: the toast lasts two seconds, while the next card's front and key line show.
    assert list(pilot.app.screen.query(Toast)), "no 'comes back later' toast after rating Again"
    return Spec(CARD)


@case("flashcards-cram-longest-deck")
async def _cram(pilot: Pilot) -> Spec:
    from textual.widgets import OptionList

    decks = sorted(set(real_bank().deck_of.values()), key=lambda d: (len(d), d))
    await pilot.press("f")
    await at(pilot, "PickDialog")
    options = pilot.app.screen.query_one(OptionList)
    options.highlighted = options.get_option_index(f"deck:{decks[-1]}:cram")
    await pilot.press("enter")
    await at(pilot, "FlashcardScreen")
    return Spec(CARD)


@case("flashcards-leeches")
async def _leeches(pilot: Pilot) -> Spec:
    await _flashcards(pilot)
    await pilot.press("l")
    await at(pilot, "PickDialog")
    return Spec(PICK)


# ---------------------------------------------------------------------- Exam


EXAM = [
    ("clock", "#clock"),
    ("position and type", "#where"),
    ("answered meter", "#progress"),
    ("question stem", "QuestionView .stem"),
    ("options", "Choices"),
]


def exam_in_progress(app: QuizApp, *, answered: int = 40, flagged: int = 12) -> ExamSession:
    """A full exam with two-digit counts: `answered` answered (some wrong), `flagged` flagged."""
    coach = app.coach
    assert coach is not None
    session = coach.start_exam("full", seed=11)
    rng = _rng()
    for position in range(answered):
        question = session.question(position)
        response = correct_response(question) if position % 4 else wrong_response(question, rng)
        session.answer(response, position=position)
    for position in range(0, 65, 65 // flagged if flagged else 65)[:flagged]:
        session.toggle_flag(position)
    app.clock.advance(minutes=37, seconds=12)  # type: ignore[attr-defined]
    return session


def longest_position(session: ExamSession, kinds: Iterable[str] | None = None) -> int:
    bank = real_bank()
    positions = [
        p
        for p in range(len(session))
        if kinds is None
        or (session.question(p).type if session.question(p).id not in bank.case_of else "case") in kinds
    ]
    return max(positions, key=lambda p: (_asked_size(session.question(p)), p))


async def _exam(
    pilot: Pilot, position: int | None = None, kinds: Iterable[str] | None = None, **kw: int
) -> ExamSession:
    from quizapp.tui.screens.exam import ExamScreen

    app = pilot.app
    assert isinstance(app, QuizApp)
    session = exam_in_progress(app, **kw)
    session.go(longest_position(session, kinds) if position is None else position)
    if session.position not in session.flagged:
        session.toggle_flag()
    await push(pilot, ExamScreen(session), "ExamScreen")
    return session


@case("exam-start-confirm")
async def _exam_start(pilot: Pilot) -> Spec:
    await pilot.press("e")
    await at(pilot, "ConfirmDialog")
    return Spec(CONFIRM)


@case("exam-question-longest")
async def _exam_longest(pilot: Pilot) -> Spec:
    await _exam(pilot)
    return Spec(EXAM)


@case("exam-question-multi")
async def _exam_multi(pilot: Pilot) -> Spec:
    await _exam(pilot, kinds=["multi"])
    return Spec(EXAM)


@case("exam-time-warning")
async def _exam_warning(pilot: Pilot) -> Spec:
    session = await _exam(pilot, kinds=["matching", "ordering"])
    pilot.app.clock.advance(seconds=session.remaining() - 240)  # type: ignore[attr-defined]
    pilot.app.screen.tick()  # type: ignore[attr-defined]
    await settle(pilot)
    assert pilot.app.screen.query_one("#clock").has_class("danger")
    return Spec(EXAM)


@case("exam-navigator")
async def _navigator(pilot: Pilot) -> Spec:
    await _exam(pilot)
    await pilot.press("n")
    await at(pilot, "NavigatorDialog")
    return Spec(
        [
            ("title", "NavigatorDialog .title"),
            ("question grid", "NavigatorDialog #grid"),
            ("legend", "NavigatorDialog Static"),
            ("number input", "NavigatorDialog #jump"),
        ]
    )


@case("exam-review-before-submit")
async def _review(pilot: Pilot) -> Spec:
    await _exam(pilot, answered=20, flagged=15)
    await pilot.press("r")
    await at(pilot, "ReviewDialog")
    return Spec([("review text", "ReviewDialog Static")])


@case("exam-submit-confirm")
async def _submit_confirm(pilot: Pilot) -> Spec:
    await _exam(pilot)
    await pilot.press("r")
    await at(pilot, "ReviewDialog")
    await pilot.press("s")
    await at(pilot, "ConfirmDialog")
    return Spec(CONFIRM)


@case("exam-submit-blank-confirm")
async def _blank_confirm(pilot: Pilot) -> Spec:
    await _exam(pilot, answered=0, flagged=0)
    await pilot.press("r")
    await at(pilot, "ReviewDialog")
    await pilot.press("s")
    await at(pilot, "ConfirmDialog")
    return Spec(CONFIRM)


@case("exam-pause-confirm")
async def _pause(pilot: Pilot) -> Spec:
    await _exam(pilot)
    await pilot.press("escape")
    await at(pilot, "ConfirmDialog")
    return Spec(CONFIRM)


# ---------------------------------------------------------------------- Results


async def _timed_out_results(pilot: Pilot) -> str:
    """An exam that runs out of time on screen: the 'Time is up' toast over the results."""
    session = await _exam(pilot)
    pilot.app.clock.advance(seconds=session.remaining() + 1)  # type: ignore[attr-defined]
    pilot.app.screen.tick()  # type: ignore[attr-defined]
    await at(pilot, "ResultsScreen")
    assert session.result is not None
    return "PASS" if session.result.passed else "FAIL"


@case("results-after-time-out")
async def _results(pilot: Pilot) -> Spec:
    verdict = await _timed_out_results(pilot)
    return Spec([("status line", "#status"), ("summary", "#body Static")], texts=[f" {verdict} "])


async def _submitted_results(pilot: Pilot) -> None:
    """An exam submitted as a learner does it: r, s, then y to confirm."""
    await _exam(pilot)
    await pilot.press("r")
    await at(pilot, "ReviewDialog")
    await pilot.press("s")
    await at(pilot, "ConfirmDialog")
    await pilot.press("y")
    await at(pilot, "ResultsScreen")


@case("results-walk-wrong")
async def _results_walk(pilot: Pilot) -> Spec:
    await _submitted_results(pilot)
    screen = pilot.app.screen
    await pilot.press("w")
    await settle(pilot)
    walk = screen.walk  # type: ignore[attr-defined]
    ids = screen.question_ids  # type: ignore[attr-defined]
    sizes = [_asked_size(real_bank().questions[ids[p]], review=True) for p in walk]
    screen.cursor = sizes.index(max(sizes))  # type: ignore[attr-defined] - as → pressed that often
    screen.show_walk()  # type: ignore[attr-defined]
    await settle(pilot)
    return Spec(FEEDBACK)


# ---------------------------------------------------------------------- Dashboard and Settings


@case("dashboard")
async def _dashboard(pilot: Pilot) -> Spec:
    await pilot.press("d")
    await at(pilot, "DashboardScreen")
    return Spec([("readiness", "#readiness"), ("mastery table", "DataTable")], charts=True)


SETTINGS = [
    ("labels", "SettingsScreen Label"),
    ("new cards field", "#new_cards_per_day"),
    ("retention field", "#desired_retention"),
    ("exam date field", "#exam_date"),
    ("exam length", "#exam_kind"),
    ("theme", "#theme"),
    ("save button", "#save"),
]


async def _settings(pilot: Pilot) -> None:
    await pilot.press("s")
    await at(pilot, "SettingsScreen")


@case("settings")
async def _settings_plain(pilot: Pilot) -> Spec:
    await _settings(pilot)
    return Spec(SETTINGS)


@case("settings-saved-toast")
async def _settings_saved(pilot: Pilot) -> Spec:
    await _settings(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return Spec([*SETTINGS, ("save message", "#message")])


@case("settings-every-field-refused")
async def _settings_refused(pilot: Pilot) -> Spec:
    from textual.widgets import Input, Select

    await _settings(pilot)
    screen = pilot.app.screen
    screen.query_one("#exam_kind", Select).value = "short"
    await settle(pilot)
    for field_id, text in [
        ("new_cards_per_day", "1200"),
        ("desired_retention", "1.5"),
        ("exam_date", "2025-02-30"),
        ("short_exam_length", "999"),
    ]:
        screen.query_one(f"#{field_id}", Input).value = text
    await settle(pilot)
    await pilot.press("ctrl+s")
    await settle(pilot)
    return Spec([*SETTINGS, ("refusal", "#message"), ("field messages", ".problem.-shown")])


@case("settings-theme-dropdown")
async def _dropdown(pilot: Pilot) -> Spec:
    from textual.widgets import Select

    await _settings(pilot)
    select = pilot.app.screen.query_one("#theme", Select)
    select.scroll_visible(animate=False, immediate=True)
    select.focus()
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    assert select.expanded
    return Spec([("open theme list", "SelectOverlay")])


# ---------------------------------------------------------------------- dialogs and the palette


@case("command-palette")
async def _palette(pilot: Pilot) -> Spec:
    await pilot.press("ctrl+p")
    await at(pilot, "CommandPalette")
    await pilot.press("p", "r")
    await settle(pilot)
    return Spec([("search field", "CommandInput"), ("commands", "CommandList")])


MESSAGE = [
    ("title", "MessageDialog .title"),
    ("message", "MessageDialog VerticalScroll Static"),
    ("buttons", "MessageDialog Button"),
]


@case("message-write-refused")
async def _write_refused(pilot: Pilot) -> Spec:
    from contextlib import contextmanager

    app = pilot.app
    store = app.store

    @contextmanager
    def refused():  # noqa: ANN202 - as the store words a full disk
        raise StoreError(store.path, "the disk is full (database or disk is full)", can_move_aside=False)
        yield  # pragma: no cover

    await _practice(pilot, longest("single"), Scope("all"))
    store._write = refused  # noqa: SLF001 - every commit now fails, reads still work
    await pilot.press(*keys_for_right_answer(app.screen.query_one("Choices")), "enter")  # type: ignore[arg-type]
    await at(pilot, "MessageDialog")
    return Spec(MESSAGE)


def bank_fails(tmp_path: Path, built: Path, monkeypatch: pytest.MonkeyPatch) -> QuizApp:
    import quizapp.content

    def broken(*args: object, **kwargs: object) -> Catalog:
        raise OSError(
            "[Errno 5] Input/output error: "
            f"'{tmp_path}/banks/questions/d3-applications-of-foundation-models.yaml'"
        )

    monkeypatch.setattr(quizapp.content, "load_catalog", broken)
    return make_app(
        data_dir=copy_history(built, tmp_path / "data"), cache_dir=tmp_path / "cache", clock=ManualClock(NOW)
    )


@case("message-bank-failed", app=bank_fails, wait_for="MessageDialog")
async def _bank_failed(pilot: Pilot) -> Spec:
    return Spec(MESSAGE)


def with_problems(tmp_path: Path, built: Path, monkeypatch: pytest.MonkeyPatch) -> QuizApp:
    folder = "/home/learner/Documents/study/aws-ai-practitioner/my-own-questions/questions"
    problems = [
        Problem(
            f"{folder}/d{1 + i % 5}-extra-items-written-by-the-study-group.yaml",
            10 + 17 * i,
            7,
            "options.2.why: Field required (every option says why it is right or wrong)"
            if i % 2
            else "task: '2.7' is not a task statement of AIF-C01 (choose one of 1.1-5.2)",
        )
        for i in range(23)
    ]
    bank = real_bank()
    catalog = Catalog(banks={bank.exam: bank}, problems=problems)
    return make_app(
        data_dir=copy_history(built, tmp_path / "data"),
        cache_dir=tmp_path / "cache",
        clock=ManualClock(NOW),
        catalog=catalog,
        fuzz=False,
    )


@case("problems-dialog", app=with_problems, wait_for="ProblemsDialog")
async def _problems(pilot: Pilot) -> Spec:
    return Spec(
        [
            ("title", "ProblemsDialog .title"),
            ("problem list", "ProblemsDialog VerticalScroll"),
            ("hint", "ProblemsDialog .hint"),
        ]
    )


def damaged_store(tmp_path: Path, built: Path, monkeypatch: pytest.MonkeyPatch) -> QuizApp:
    data = tmp_path / "data"
    data.mkdir()
    (data / "progress.db").write_bytes(b"this is not a database, it was overwritten by a sync tool " * 200)
    return make_app(
        data_dir=data, cache_dir=tmp_path / "cache", clock=ManualClock(NOW), catalog=real_catalog()
    )


def data_dir_is_a_file(tmp_path: Path, built: Path, monkeypatch: pytest.MonkeyPatch) -> QuizApp:
    data = tmp_path / "quizapp-progress-synced-from-the-laptop"
    data.write_text("not a folder")
    return make_app(
        data_dir=data, cache_dir=tmp_path / "cache", clock=ManualClock(NOW), catalog=real_catalog()
    )


STORE_ERROR = [("message", "StoreErrorDialog Static"), ("buttons", "StoreErrorDialog Button")]


@case("store-error-damaged-file", app=damaged_store, wait_for="StoreErrorDialog")
async def _store_damaged(pilot: Pilot) -> Spec:
    return Spec(STORE_ERROR)


@case("store-error-data-dir-is-a-file", app=data_dir_is_a_file, wait_for="StoreErrorDialog")
async def _store_file(pilot: Pilot) -> Spec:
    return Spec(STORE_ERROR)


# ---------------------------------------------------------------------- Help on every screen


HELP = [("title", "HelpScreen .title"), ("key list", "HelpScreen VerticalScroll Static")]


def help_case(of: str) -> None:
    base = next(c for c in CASES if c.name == of)

    async def opener(pilot: Pilot) -> Spec:
        await base.open(pilot)
        await settle(pilot)
        bindings = quizapp_bindings(pilot.app.screen)
        await pilot.press("question_mark")
        await at(pilot, "HelpScreen")
        return Spec(HELP, help_bindings=bindings)

    CASES.append(Case(f"help-on-{of}", opener, base.make_app, base.wait_for))


for _screen in (
    "home",
    "practice-single",
    "practice-feedback-wrong",
    "flashcards-back",
    "exam-question-multi",
    "results-walk-wrong",
    "dashboard",
    "settings",
):
    help_case(_screen)


# ====================================================================== the rules catch what they are for


async def test_the_rules_name_each_kind_of_cut() -> None:
    """A small app with one of each defect: every rule reports its own, and nothing that fits."""
    from textual.app import App, ComposeResult
    from textual.containers import Vertical, VerticalScroll

    class Cut(App[None]):
        CSS = """
        #status { height: 1; }
        #boxed { height: 3; overflow: hidden; }
        #wide { width: 100; height: 1; }
        #long { height: 40; }
        """
        BINDINGS = [Binding(k, f"noop_{k}", f"A long description {k}") for k in "abcdefgh"]

        def compose(self) -> ComposeResult:
            yield Static("status " * 20, id="status")
            with Vertical(id="boxed"):
                yield Static("one\ntwo\nthree")
                yield Button("Hidden", id="hidden")
            yield Static("x", id="wide")
            with VerticalScroll(id="scroll"):
                yield Static("tall", id="long")
                yield Static("reachable", id="reachable")
            yield Footer()

    app = Cut()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        app.notify("A toast over the scroll area", timeout=30)
        await settle(pilot)
        spec = Spec([("button", "#hidden"), ("end of the scroll", "#reachable"), ("scroll area", "#scroll")])
        problems = "\n".join(await check(pilot, "self-test", spec))
    expected = [
        "footer key 'h A long description h'",  # past the right edge
        "footer keys overlap",
        "Static#status",  # needs more lines than it has
        "Vertical#boxed at",  # hides content without scrolling
        "button Button#hidden",  # cut, nothing scrolls to it
        "Static#wide",  # past the right edge
        "the toast 'A toast over the scroll area'",
    ]
    for words in expected:
        assert words in problems, f"{words!r} not reported in:\n{problems}"
    assert "#reachable" not in problems.replace("covers end of the scroll", "")
