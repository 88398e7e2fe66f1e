"""Progress: exam scores with the 700 line, reviews per day, due forecast, mastery per task."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Header, Static

from quizapp.tui.text import plain

if TYPE_CHECKING:
    from quizapp.tui.app import QuizApp


class DashboardScreen(Screen[None]):
    HELP_TITLE = "Progress dashboard"
    DEFAULT_CSS = """
    DashboardScreen VerticalScroll { scrollbar-gutter: stable; }
    DashboardScreen #charts { height: 14; }
    DashboardScreen PlotextPlot { height: 14; width: 33%; }
    DashboardScreen #readiness { height: auto; padding: 0 1; }
    DashboardScreen DataTable { height: auto; }
    """
    BINDINGS = [Binding("escape", "back", "Back")]

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot  # charts load only when the dashboard opens

        yield Header()
        with VerticalScroll():
            yield Static(id="readiness")
            with Horizontal(id="charts"):
                yield PlotextPlot(id="scores")
                yield PlotextPlot(id="reviews")
                yield PlotextPlot(id="forecast")
            yield DataTable(id="mastery", zebra_stripes=True, cursor_type="row")
        yield Footer()

    def on_mount(self) -> None:
        app: QuizApp = self.app  # type: ignore[assignment]
        coach = app.coach
        assert coach is not None
        stats = coach.stats()
        ready = stats["readiness"]
        text = Text()
        text.append("Readiness  ", "bold")
        likely = ready["likely_pass"]
        style = "dim" if likely is None else ("green" if likely else "yellow")  # None: not enough data
        text.append_text(plain(ready["statement"], style))
        text.append(
            f"\nAnswered {stats['answered']} · reviewed {stats['reviewed']} flashcards · "
            f"{stats['missed']} missed to win back · {stats['leeches']} leeches",
            "dim",
        )
        self.query_one("#readiness", Static).update(text)
        self._charts(stats, coach.clock.now())
        self._table(stats, coach)
        self.query_one(VerticalScroll).focus()  # open at the top, charts first

    def _charts(self, stats: dict, now) -> None:  # noqa: ANN001
        from textual_plotext import PlotextPlot

        scores = self.query_one("#scores", PlotextPlot).plt
        done = [e for e in stats["exams"] if "scaled" in e]
        scores.title("Exam scores")
        if done:
            xs = list(range(1, len(done) + 1))
            scores.plot(xs, [e["scaled"] for e in done], marker="braille", label="scaled")
            scores.plot(xs, [700] * len(xs), color="red", label="700 pass")
            scores.ylim(100, 1000)
            scores.xticks(xs, [str(x) for x in xs])
            scores.yticks([100, 400, 700, 1000])
        else:
            scores.text("no exams yet", 0.5, 0.5, alignment="center")
            scores.xlim(0, 1)
            scores.ylim(0, 1)
        reviews = self.query_one("#reviews", PlotextPlot).plt
        reviews.title("Reviews / day, 12 weeks")
        per_day = stats["reviews_per_day"]
        days = [(now - timedelta(days=83 - i)).date().isoformat() for i in range(84)]
        counts = [per_day.get(d, 0) for d in days]
        reviews.bar(list(range(84)), counts, marker="hd")
        reviews.ylim(0, max(1, *counts))
        reviews.xticks([0, 28, 56, 83], ["-12w", "-8w", "-4w", "today"])
        forecast = self.query_one("#forecast", PlotextPlot).plt
        forecast.title("Cards due, next 14 days")
        forecast.bar(list(range(14)), stats["due_forecast"], marker="hd")
        forecast.ylim(0, max(1, *stats["due_forecast"]))
        forecast.xticks([0, 3, 7, 13], ["today", "+3d", "+7d", "+13d"])

    def _table(self, stats: dict, coach) -> None:  # noqa: ANN001
        table = self.query_one("#mastery", DataTable)
        table.add_columns("Task", "Title", "Seen", "Coverage", "Mastery", "Accuracy")
        bank = coach.bank
        for domain in bank.blueprint.domains:
            m = stats["mastery"]["by_domain"][str(domain.id)]
            acc = stats["accuracy"]["by_domain"][str(domain.id)]
            table.add_row(
                Text(f"D{domain.id}", "bold"),
                plain(f"{domain.name} ({domain.weight}%)", "bold"),
                f"{m['seen']}/{m['total']}",
                f"{m['coverage']:.0%}",
                _mastery(m),
                _acc(acc),
            )
            for task in domain.tasks:
                m = stats["mastery"]["by_task"].get(task.id)
                acc = stats["accuracy"]["by_task"][task.id]
                if m is None:
                    table.add_row(plain(task.id), plain(task.title[:48]), "0/0", "-", "-", "-")
                    continue
                table.add_row(
                    plain(task.id),
                    plain(task.title[:48]),
                    f"{m['seen']}/{m['total']}",
                    f"{m['coverage']:.0%}",
                    _mastery(m),
                    _acc(acc),
                )

    def action_back(self) -> None:
        self.dismiss(None)


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _mastery(m: dict) -> str:
    """Mastery as a percentage only with enough answers behind it: "few" while `stats` leaves it
    null for a seen task (a single right answer is not a confident percentage), "-" when unseen."""
    if m["mastery"] is None:
        return "few" if m["seen"] else "-"
    return _pct(m["mastery"])


def _acc(acc: dict) -> str:
    return f"{acc['correct']}/{acc['answered']}" if acc["answered"] else "-"
