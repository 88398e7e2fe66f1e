"""The floor of the `history` suite: a bare Textual app drawing the widgets quizapp's screens draw.

Each of quizapp's timed actions has a twin here, reached by the same keys: Home (a header, two
lines of figures, a six-item menu, a hint) refilled when it is shown again; a scope or deck picker
(a modal option list of about forty entries); a question screen (status line, a stem and four
options in a scroll, a footer of seven keys); a flashcard screen (status, card, two lines, compact
footer); a dashboard (four plotext charts, two tables, a footer). There is no data behind them:
what the floor costs is what Textual costs to compose and paint such screens on this machine, so an
action's time over its floor's is what quizapp adds. The texts are as long as the real ones.
"""

from __future__ import annotations

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical, VerticalScroll
from textual.events import ScreenResume
from textual.screen import ModalScreen, Screen
from textual.widgets import DataTable, Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

STEM = (
    "A company wants to classify customer support emails by urgency with a foundation model. It has "
    "a few hundred labelled examples and no machine learning team. Which approach needs the least "
    "effort while keeping the model's answers consistent?"
)
OPTIONS = (
    "Fine-tune a model on the labelled emails with a managed training job",
    "Use few-shot prompting with a handful of labelled examples in the prompt",
    "Train a custom classifier from scratch on the labelled emails",
    "Use retrieval-augmented generation over the support knowledge base",
)
CARD = (
    "Amazon Comprehend\n\nNatural-language processing as a service: entities, key phrases, sentiment, "
    "language detection and custom classification, without training a model yourself."
)


class FloorPick(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "cancel", "Back")]

    def compose(self) -> ComposeResult:
        options = [
            Option(f"Task {n // 5 + 1}.{n % 5 + 1}: a task statement of the blueprint ({n})", id=str(n))
            for n in range(40)
        ]
        with Vertical():
            yield Static("Practise what?", classes="title")
            yield OptionList(*options)
            yield Static("↑/↓ and Enter to choose · Esc: back", classes="hint")

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)


class FloorQuestion(Screen[None]):
    BINDINGS = [
        Binding("enter", "pop", "Submit"),
        Binding("g", "pop", "Guess"),
        Binding("u", "pop", "Undo"),
        Binding("o", "pop", "Open docs"),
        Binding("escape", "pop", "End session"),
        Binding("question_mark", "pop", "Help"),
        Binding("n", "pop", "Notes"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(
            "Practice · Everything   task 1.2 · single · 1/20 · 0/0 right", id="status", classes="bar"
        )
        with VerticalScroll(id="body"):
            yield Static(STEM)
            yield OptionList(*(f"{n + 1}. {text}" for n, text in enumerate(OPTIONS)))
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(OptionList).focus()

    def action_pop(self) -> None:
        self.dismiss(None)


class FloorCard(Screen[None]):
    BINDINGS = [
        Binding("space,enter", "pop", "Reveal"),
        Binding("1", "pop", "Again"),
        Binding("2", "pop", "Hard"),
        Binding("3", "pop", "Good"),
        Binding("4", "pop", "Easy"),
        Binding("u", "pop", "Undo"),
        Binding("l", "pop", "Leeches"),
        Binding("escape", "pop", "Back", key_display="esc"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static("Flashcards · 1/35 due · 15 new", id="status", classes="bar")
        with VerticalScroll(id="card"):
            yield Static(CARD)
        yield Static("", id="more")
        yield Static("space: show the back", id="buttons")
        yield Footer(compact=True)

    def on_mount(self) -> None:
        self.query_one("#card").focus()

    def action_pop(self) -> None:
        self.dismiss(None)


class FloorDashboard(Screen[None]):
    BINDINGS = [Binding("escape", "pop", "Back")]

    def compose(self) -> ComposeResult:
        from textual_plotext import PlotextPlot

        yield Header()
        with VerticalScroll():
            yield Static("Readiness 712 (pass 700) · answered 8,000 · reviewed 15,000", id="readiness")
            with Container(id="charts"):
                for name in ("scores", "reviews", "forecast", "calibration"):
                    yield PlotextPlot(id=name)
            yield Static("Brier 0.18 over 30 exams", id="brier")
            yield DataTable(id="retention")
            yield DataTable(id="mastery")
        yield Footer()

    def on_mount(self) -> None:
        from textual_plotext import PlotextPlot

        # As the dashboard draws them at a year: exam scores and calibration as braille lines over
        # 30 exams with the pass mark, reviews per day (12 weeks) and the 14-day forecast as bars.
        xs = list(range(1, 31))
        for name in ("scores", "calibration"):
            plt = self.query_one(f"#{name}", PlotextPlot).plt
            plt.title(name)
            plt.plot(xs, [600 + (x * 37) % 250 for x in xs], marker="braille", label="scaled")
            plt.plot(xs, [700] * len(xs), color="red", label="700 pass", marker="braille")
            plt.ylim(100, 1000)
        for name, days in (("reviews", 84), ("forecast", 14)):
            plt = self.query_one(f"#{name}", PlotextPlot).plt
            plt.title(name)
            plt.bar(list(range(days)), [(d * 17) % 90 for d in range(days)], marker="hd")
            plt.ylim(0, 100)
        for table, rows in (
            (self.query_one("#retention", DataTable), 6),
            (self.query_one("#mastery", DataTable), 30),
        ):
            table.add_columns("task", "answered", "mastery", "trend")
            table.add_rows(
                [(f"{r // 5 + 1}.{r % 5 + 1}", str(40 + r), f"{(r * 13) % 100} %", "↗") for r in range(rows)]
            )
        self.query_one(VerticalScroll).focus()

    def action_pop(self) -> None:
        self.dismiss(None)


class FloorHome(Screen[None]):
    BINDINGS = [
        Binding("f", "flashcards", "Flashcards"),
        Binding("p", "practice", "Practice"),
        Binding("d", "dashboard", "Dashboard"),
    ]

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="summary")
            yield Static(id="bank")
            yield OptionList(id="menu")
        yield Static("↑↓ and enter, or a key · ctrl+p commands · ? help · q quit", id="hint")

    def on_mount(self) -> None:
        self.refill()
        self.query_one("#menu", OptionList).focus()

    @on(ScreenResume)
    def refill(self) -> None:
        """What Home does on every show: its figures and menu drawn again (from nothing, here)."""
        self.query_one("#summary", Static).update(
            "Today\n  35 flashcards due, 15 new · 22 questions due · 41 missed to win back\n"
            "  Exam in 28 days (2026-12-21)\n  Pass chance 72 % (61–81 %) on 21 Dec — weakest: task 3.2\n"
            "  Last exam: 712 (pass), 47/65"
        )
        self.query_one("#bank", Static).update("  Bank: 565 questions, 459 flashcards (412 single, 98 multi)")
        menu = self.query_one("#menu", OptionList)
        menu.clear_options()
        menu.add_options(
            [
                Option("[f] Flashcards        35 due, 15 new", id="flashcards"),
                Option("[p] Practice          22 due", id="practice"),
                Option("[e] Practice exam     full (65 questions, 90 min)", id="exam"),
                Option("[m] Review missed     41 to win back", id="missed"),
                Option("[d] Progress dashboard", id="dashboard"),
                Option("[s] Settings", id="settings"),
            ]
        )
        menu.highlighted = 0

    def action_practice(self) -> None:
        self.app.push_screen(FloorPick(), lambda picked: picked and self.app.push_screen(FloorQuestion()))

    def action_flashcards(self) -> None:
        self.app.push_screen(FloorPick(), lambda picked: picked and self.app.push_screen(FloorCard()))

    def action_dashboard(self) -> None:
        self.app.push_screen(FloorDashboard())


class FloorApp(App[None]):
    CSS = """
    FloorPick { align: center middle; }
    FloorPick > Vertical { width: 70; height: 20; border: round $accent; background: $panel; }
    #charts PlotextPlot { height: 12; width: 1fr; margin-bottom: 1; }
    DataTable { height: auto; }
    """

    def on_mount(self) -> None:
        self.push_screen(FloorHome())
