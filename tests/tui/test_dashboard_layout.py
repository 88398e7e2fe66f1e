"""The Progress dashboard at 80x24, 120x40 and 60x20 with a week and with a year of history
(issue 15, item 13): every chart title on screen (the calibration chart of issue 16 too, with its
Brier line under the charts), mastery and accuracy never pushed off it, task titles shortened only
at a word boundary, and a reviews chart whose span fits the history.

The histories are studied through the Coach (practice, flashcards, exams) with a manual clock,
once per module, and copied into each test's data dir.
"""

from __future__ import annotations

import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from fsrs import Rating

from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock
from quizapp.study.grading import correct_response
from quizapp.study.predictions import brier_of
from quizapp.study.stats import RECENT_EXAMS
from tests.factory import START, make_bank
from tests.tui.helpers import build, ready

SIZES = [(80, 24), (120, 40), (60, 20)]


def _study(data: Path, days: int, answers: int, cards: int, exam_every: int) -> ManualClock:
    """`days` days of study ending the day before the returned clock's time; right 3 times in 4."""
    bank = make_bank()
    clock = ManualClock(START - timedelta(days=days))
    store = ProgressStore.open(data)
    coach = Coach(bank, store, clock, fuzz=False)
    n = 0
    for day in range(days):
        clock.current = START - timedelta(days=days - day, hours=-1)
        session = coach.practice()
        for _ in range(answers):
            question = session.current()
            if question is None:
                break
            session.answer(correct_response(question) if n % 4 else None)
            n += 1
        rated = coach.flashcards()
        for i in range(cards):
            if rated.done:
                break
            rated.rate(Rating.Again if i % 5 == 4 else Rating.Good)
        if day % exam_every == exam_every - 1:
            coach.start_exam(8, seed=day).submit()
    store.close()
    return ManualClock(START)


@pytest.fixture(scope="module")
def histories(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[Path, ManualClock]]:
    built = {}
    for name, days, answers, cards, exam_every in (
        ("week", 7, 30, 20, 3),
        ("year", 365, 3, 3, 14),
    ):
        data = tmp_path_factory.mktemp(name) / "data"
        built[name] = (data, _study(data, days, answers, cards, exam_every))
    return built


def screen_lines(app) -> list[str]:  # noqa: ANN001
    """The characters on screen, a line per row (what a person sees, charts included)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def _dashboard(pilot):  # noqa: ANN001, ANN202
    await ready(pilot)
    await pilot.press("d")
    await ready(pilot, "DashboardScreen")
    await pilot.pause()
    return pilot.app.screen


async def _scroll_to(pilot, widget) -> list[str]:  # noqa: ANN001
    from textual.containers import VerticalScroll

    pilot.app.screen.query_one(VerticalScroll).scroll_to_widget(widget, animate=False, top=True)
    await pilot.pause()
    await pilot.pause()
    return screen_lines(pilot.app)


def _title_is_whole_words(shown: str, full: str) -> bool:
    if shown == full:
        return True
    if not shown.endswith("…"):
        return False
    head = shown[:-1]
    return bool(head) and full.startswith(head) and full[len(head)] in " ,;:-(/"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("history", ["week", "year"])
async def test_dashboard_fits(histories, tmp_path, size, history):
    source, clock = histories[history]
    shutil.copytree(source, tmp_path / "data")
    app = build(tmp_path, clock=clock)
    width, height = size
    span = "last 14 days" if history == "week" else "last 12 weeks"
    titles = {
        "scores": "Exam scores",
        "reviews": f"Reviews / day, {span}",
        "forecast": "Cards due, next 14 days",
        "calibration": "Predicted vs actual",
    }
    async with app.run_test(size=size) as pilot:
        screen = await _dashboard(pilot)

        # Every chart's title is on screen once the chart is scrolled to, and the chart fits in width.
        for chart_id, title in titles.items():
            chart = screen.query_one(f"#{chart_id}")
            lines = await _scroll_to(pilot, chart)
            assert any(title in line for line in lines), (chart_id, title, "\n".join(lines))
            assert chart.region.right <= width and chart.region.height >= 10, chart.region
        # The reviews chart's time axis: days back over a week of history, weeks back over a year.
        reviews = screen.query_one("#reviews")
        lines = await _scroll_to(pilot, reviews)
        axis = lines[reviews.region.bottom - 1][reviews.region.x : reviews.region.right]
        assert ("-7d" in axis) == (history == "week") and ("-4w" in axis) == (history == "year"), axis
        if width < 120:  # stacked: one chart per row, the full width each
            assert reviews.region.width >= width - 4
            assert screen.query_one("#calibration").region.width >= width - 4
        else:  # three to a row: the calibration chart under the exam scores
            regions = {c: screen.query_one(f"#{c}").region for c in titles}
            assert len({regions[c].x for c in ("scores", "reviews", "forecast")}) == 3
            assert regions["calibration"].x == regions["scores"].x
            assert regions["calibration"].y > regions["scores"].bottom - 1
        # The Brier line: every exam of these histories was predicted as it started.
        lines = await _scroll_to(pilot, screen.query_one("#brier"))
        words = " ".join(line.strip() for line in lines)
        record = app.coach.prediction_record()
        assert record, "every exam of these histories was predicted"
        if len(record) <= RECENT_EXAMS:
            line = f"Pass predictions so far: Brier {brier_of(record):.2f} over {len(record)} exams"
            assert line in words, words
        else:  # a year's 26 exams: the newest 20 are plotted and their predictions scored
            newest = record[-RECENT_EXAMS:]
            line = f"Pass predictions, last {RECENT_EXAMS} exams: Brier {brier_of(newest):.2f}"
            assert line in words, words
            for chart_id in ("scores", "calibration"):
                lines = await _scroll_to(pilot, screen.query_one(f"#{chart_id}"))
                assert any(f"{titles[chart_id]}, last {RECENT_EXAMS}" in line for line in lines), lines

        # The mastery table: every column that matters within the screen, titles cut only between words.
        table = screen.query_one("#mastery")
        labels = [str(column.label) for column in table.columns.values()]
        assert {"Task", "Title", "Mastery", "Accuracy"} <= set(labels), labels
        if width >= 80:
            assert {"Seen", "Coverage"} <= set(labels), labels
        assert table.virtual_size.width <= table.size.width, (table.virtual_size, table.size)
        assert table.region.right <= width
        lines = await _scroll_to(pilot, table)
        header = next(line for line in lines if "Task" in line and "Mastery" in line)
        assert "Accuracy" in header, header
        blueprint = app.coach.bank.blueprint
        full = {str(t.id): t.title for d in blueprint.domains for t in d.tasks}
        full.update({f"D{d.id}": f"{d.name} ({d.weight}%)" for d in blueprint.domains})
        title_at = labels.index("Title")
        title_width = list(table.columns.values())[title_at].width
        for row in range(table.row_count):
            cells = [str(cell) for cell in table.get_row_at(row)]
            task, shown = cells[0], cells[title_at]
            if task.startswith("D"):  # a domain keeps its weight whole: "Fundamentals of… (20%)"
                name, weight = full[task].rsplit(" (", 1)
                assert shown.endswith(f" ({weight}"), shown
                shown, whole = shown[: -len(weight) - 2], name
            else:
                whole = full[task]
            assert _title_is_whole_words(shown, whole), (task, shown)
            assert len(cells[title_at]) <= title_width
        if width >= 120:  # more room: the longest titles show whole words further along
            assert title_width >= 60

        # The words: the pass chance and every count in full on one line each.
        await pilot.press("home")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert app.coach.pass_chance().short() in text, text
        stats = app.coach.stats()
        for count in (
            f"Answered {stats['answered']}",
            f"reviewed {stats['reviewed']} flashcards",
            f"{stats['missed']} missed to win back",
            f"{stats['leeches']} leeches",
        ):
            assert count in text, (count, text)


async def test_dashboard_without_history(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _dashboard(pilot)
        for chart_id, title in (
            ("scores", "Exam scores"),
            ("reviews", "Reviews / day, last 14 days"),
            ("forecast", "Cards due, next 14 days"),
            ("calibration", "Predicted vs actual"),
        ):
            lines = await _scroll_to(pilot, screen.query_one(f"#{chart_id}"))
            assert any(title in line for line in lines), (title, "\n".join(lines))
            empty = {"scores": "no exams yet", "calibration": "no predictions yet"}.get(chart_id)
            if empty:
                drawn = "\n".join(lines)
                assert empty in drawn and "0.25" not in drawn and "0.50" not in drawn, drawn
        lines = await _scroll_to(pilot, screen.query_one("#brier"))
        assert any("No exam has a stored prediction yet" in line for line in lines), "\n".join(lines)


@pytest.mark.parametrize(
    ("width", "shown"),
    [
        (80, "Describe design considerations for applications that use foundation models (FMs)"),
        (40, "Describe design considerations for…"),
        (25, "Describe design…"),
        (9, "Describe…"),
        (8, "…"),
    ],
)
def test_titles_are_shortened_between_words(width, shown):
    from quizapp.tui.widgets.mastery_table import shorten

    title = "Describe design considerations for applications that use foundation models (FMs)"
    assert shorten(title, width) == shown
    assert shorten("Security, Compliance, and Governance", 12) == "Security…"


def test_columns_give_way_in_order_and_mastery_stays():
    from quizapp.tui.widgets.mastery_table import MasteryRow, fit

    rows = [MasteryRow("1.10", "A long task title " * 4, "113/113", "100%", "few", "1234/2000")]
    wide, medium, narrow, tiny = (fit(rows, w) for w in (120, 78, 58, 40))
    assert wide.columns == ("Task", "Title", "Seen", "Coverage", "Mastery", "Accuracy")
    assert wide.width_of("Title") > medium.width_of("Title") >= 16
    assert medium.columns == wide.columns
    assert narrow.columns == ("Task", "Title", "Seen", "Mastery", "Accuracy")
    assert tiny.columns[-2:] == ("Mastery", "Accuracy")
    for layout, width in ((wide, 120), (medium, 78), (narrow, 58), (tiny, 40)):
        assert sum(w + 2 for w in layout.widths) <= width


def test_counts_wrap_between_counts_only():
    from quizapp.tui.screens.dashboard import pack

    parts = ["Answered 3416", "reviewed 3650 flashcards", "44 missed to win back", "25 leeches"]
    assert pack(parts, 76) == [
        "Answered 3416 · reviewed 3650 flashcards · 44 missed to win back",
        "25 leeches",
    ]
    assert pack(parts, 40) == [
        "Answered 3416 · reviewed 3650 flashcards",
        "44 missed to win back · 25 leeches",
    ]
