"""Mastery per domain and task statement, laid out for the width it has.

A DataTable sizes each column to its widest cell, so the exam guide's long task titles pushed the
mastery and accuracy columns off an 80-column screen and were cut mid-word (issue 15, item 13).
Here the numbers keep their natural widths, the title column takes what is left (shortened at a
word boundary, with an ellipsis), and when even that leaves too little room, the least important
column goes first: coverage (the seen count says it too), then the seen count. Mastery and
accuracy stay. The columns are laid out again whenever the table's width changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widget import Widget
from textual.widgets import DataTable

from quizapp.tui.text import plain

ELLIPSIS = "…"
TRAILING = " ,;:-–—(/&"
"""Characters a shortened title should not end on before its ellipsis."""

COLUMNS = ("Task", "Title", "Seen", "Coverage", "Mastery", "Accuracy")
DROP_FIRST = ("Coverage", "Seen")
"""Dropped in this order while the title column would be narrower than `MIN_TITLE`."""
MIN_TITLE = 16
TITLE_OR_NOTHING = 8
"""Below this, the title column goes too: an id and its numbers beat a word and an ellipsis."""
CELL_PADDING = 1


def shorten(text: str, width: int) -> str:
    """`text` in at most `width` cells: whole if it fits, else as many whole words as fit before an
    ellipsis. Never a part of a word; just the ellipsis if not even the first word fits."""
    if cell_len(text) <= width:
        return text
    if width < 1:
        return ""
    words = text.split(" ")
    for n in range(len(words) - 1, 0, -1):
        head = " ".join(words[:n]).rstrip(TRAILING)
        if head and cell_len(head) + cell_len(ELLIPSIS) <= width:
            return head + ELLIPSIS
    return ELLIPSIS


@dataclass(frozen=True)
class MasteryRow:
    """One line of the table, every cell as plain text; `suffix` is never shortened (a domain's
    weight), and `domain` rows are drawn bold."""

    task: str
    title: str
    seen: str
    coverage: str
    mastery: str
    accuracy: str
    suffix: str = ""
    domain: bool = False

    def cell(self, column: str) -> str:
        return {
            "Task": self.task,
            "Title": self.title + self.suffix,
            "Seen": self.seen,
            "Coverage": self.coverage,
            "Mastery": self.mastery,
            "Accuracy": self.accuracy,
        }[column]

    def title_in(self, width: int) -> str:
        return shorten(self.title, width - cell_len(self.suffix)) + self.suffix


@dataclass(frozen=True)
class Layout:
    """Which columns show, and each one's content width (cells, padding not included)."""

    columns: tuple[str, ...]
    widths: tuple[int, ...]

    def width_of(self, column: str) -> int:
        return self.widths[self.columns.index(column)]


def fit(rows: Sequence[MasteryRow], width: int, padding: int = CELL_PADDING) -> Layout:
    """The columns and widths that fit `width` cells (each column adds `padding` on both sides)."""
    natural = {c: max([cell_len(c)] + [cell_len(r.cell(c)) for r in rows]) for c in COLUMNS}
    shown = list(COLUMNS)

    def title_room() -> int:
        others = sum(natural[c] + 2 * padding for c in shown if c != "Title")
        return width - others - 2 * padding

    for column in DROP_FIRST:
        if title_room() >= MIN_TITLE:
            break
        shown.remove(column)
    if title_room() < TITLE_OR_NOTHING:
        shown.remove("Title")
    widths = [min(natural[c], max(title_room(), 1)) if c == "Title" else natural[c] for c in shown]
    return Layout(tuple(shown), tuple(widths))


def mastery_rows(stats: dict[str, Any], blueprint: Any) -> list[MasteryRow]:
    """Each domain, then its task statements, from `Coach.stats()` and the exam's blueprint."""
    rows = []
    for domain in blueprint.domains:
        key = str(domain.id)
        rows.append(
            _row(
                f"D{domain.id}",
                domain.name,
                stats["mastery"]["by_domain"][key],
                stats["accuracy"]["by_domain"][key],
                suffix=f" ({domain.weight}%)",
                domain=True,
            )
        )
        for task in domain.tasks:
            rows.append(
                _row(
                    task.id,
                    task.title,
                    stats["mastery"]["by_task"].get(task.id),
                    stats["accuracy"]["by_task"][task.id],
                )
            )
    return rows


def _row(
    task: str, title: str, m: dict | None, acc: dict, suffix: str = "", domain: bool = False
) -> MasteryRow:
    if m is None:  # a task statement with no questions in the bank
        return MasteryRow(task, title, "0/0", "-", "-", "-", suffix, domain)
    return MasteryRow(
        task,
        title,
        f"{m['seen']}/{m['total']}",
        f"{m['coverage']:.0%}",
        _mastery(m),
        f"{acc['correct']}/{acc['answered']}" if acc["answered"] else "-",
        suffix,
        domain,
    )


def _mastery(m: dict) -> str:
    """Mastery as a percentage only with enough answers behind it: "few" while `stats` leaves it
    null for a seen task (a single right answer is not a confident percentage), "-" when unseen."""
    if m["mastery"] is None:
        return "few" if m["seen"] else "-"
    return f"{m['mastery']:.0%}"


class MasteryTable(DataTable, can_focus=False):
    """A read-only table: it grows to its full height inside the dashboard's scroll, which the
    keyboard moves, so there is no cursor of its own to lose below the screen's edge."""

    DEFAULT_CSS = """
    /* As tall as its rows (DataTable's own max-height is the screen's, which would make it a
       scroll inside the dashboard's scroll); a blueprint has a few dozen rows at most. */
    MasteryTable { width: 1fr; height: auto; max-height: 500; }
    """

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002 (Textual's name)
        super().__init__(id=id, zebra_stripes=True, cursor_type="none", show_cursor=False)
        self._rows: list[MasteryRow] = []
        self.layout_shown: Layout | None = None

    def show(self, rows: Iterable[MasteryRow]) -> None:
        """Fill the table for its current width (before the first layout: the screen's)."""
        self._rows = list(rows)
        self.layout_shown = None
        self._fit(self.size.width or self._expected_width())

    def _expected_width(self) -> int:
        """Before the first layout: the screen's width less the gutter a scroll around the table
        keeps for its scrollbar (the dashboard's always keeps it), so the rows filled now are the
        ones laid out, not built again at the first resize. A wrong guess is mended by `on_resize`."""
        width = self.app.size.width
        parent = self.parent
        if isinstance(parent, Widget) and parent.styles.scrollbar_gutter == "stable":
            width -= parent.styles.scrollbar_size_vertical
        return width

    def on_resize(self, event: events.Resize) -> None:
        self._fit(event.size.width)

    def _fit(self, width: int) -> None:
        layout = fit(self._rows, width)
        if layout == self.layout_shown:
            return
        self.layout_shown = layout
        self.clear(columns=True)
        for column, size in zip(layout.columns, layout.widths, strict=True):
            self.add_column(column, width=size, key=column)
        for row in self._rows:
            style = "bold" if row.domain else ""
            cells: list[Text | str] = []
            for column, size in zip(layout.columns, layout.widths, strict=True):
                if column == "Title":
                    cells.append(plain(row.title_in(size), style))
                elif column == "Task":
                    cells.append(plain(row.task, style))
                else:  # figures stay plain strings, as the table always held them
                    cells.append(row.cell(column))
            self.add_row(*cells, key=row.task)
