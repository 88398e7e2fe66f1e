"""Home: what is due, how ready you are, and one key per mode (resume an exam comes first).

It is the first screen, so it is drawn before anything is open: the menu at once, today's counts
(`study.today`) when the store has opened, and the bank's figures (new cards, bank size) when the
bank has loaded a moment later. Every key works from the first frame; a mode chosen before the bank
is ready opens when it is. The keys are listed in the menu itself, so Home has no Footer: it was the
costliest widget on the first screen.

The pass chance (issue 16) takes tens of milliseconds on a year of history, so it is never worked
out on the event loop: Home shows the one already worked out for exactly what is stored
(`Coach.known_pass_chance`, a fingerprint of the store), else the last one it showed, else
"Pass chance: …", and after the frame is painted a thread worker works it out (`Coach.pass_chance`
reads through a snapshot connection of its own off the main thread) and the line is redrawn.
"""

from __future__ import annotations

from collections import Counter
from contextlib import suppress
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.events import ScreenResume, ScreenSuspend
from textual.screen import Screen
from textual.widgets import Header, OptionList, Static
from textual.widgets.option_list import Option

from quizapp.tui import heap
from quizapp.tui.text import plain
from quizapp.tui.widgets.home_menu import HomeMenu
from quizapp.tui.widgets.lines import HangingLines
from quizapp.tui.widgets.meter import meter_text
from quizapp.tui.widgets.pass_chance import (
    FAILED,
    WAITING,
    home_lines,
    known_pass_chance,
    work_out_pass_chance,
)

if TYPE_CHECKING:
    from quizapp.study.passchance import PassChance
    from quizapp.study.today import KeptToday, Today
    from quizapp.tui.app import QuizApp

HINT = "↑↓ and enter, or a key · ctrl+p commands · ? help · q quit"
BANK = "Bank: "
"""The bank line's label: the figures after it wrap under the figures, not under the label."""


class HomeScreen(Screen[None]):
    HELP_TITLE = "Home"
    BINDINGS = [
        Binding("r", "mode('resume')", "Resume exam", show=False),
        Binding("f", "mode('flashcards')", "Flashcards"),
        Binding("p", "mode('practice')", "Practice"),
        Binding("e", "mode('exam')", "Exam"),
        Binding("m", "mode('missed')", "Missed"),
        Binding("d", "mode('dashboard')", "Dashboard"),
        Binding("s", "mode('settings')", "Settings"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self._chance: PassChance | None = None
        """The last pass chance shown: kept on screen while a newer one is worked out."""
        self._chance_failed = False
        self._summary: tuple[list[Text], list[Text]] = ([], [])
        """The summary's lines above and below the pass chance's, to redraw it alone."""
        self._shown: dict[str, object] = {}
        """What each part of Home last showed: a refresh that finds the same leaves it alone."""
        self._was_covered = False
        """A mode or a dialog has been over Home since it was last shown (`_uncovered`)."""
        self._today: KeptToday | None = None
        self._complete = False
        """The last refresh drew everything (the store's figures and the bank's): one that finds
        the same figures (`KeptToday`) has nothing to do."""

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="home"):
            yield Static(id="summary")
            yield Static(id="bank")
            yield HomeMenu(id="menu")
        yield Static(plain(HINT), id="hint", classes="bar muted")

    def on_mount(self) -> None:
        self.refresh_home()
        self.query_one("#menu", OptionList).focus()
        # Start-up goes on the moment this screen is first painted (`tui.startup`): waiting for the
        # app to be idle after it cost two more frames, ~25 ms, while the workers could have run.
        self.screen_layout_refresh_signal.subscribe(self, self._painted)

    def _painted(self, _screen: Screen) -> None:
        self.screen_layout_refresh_signal.unsubscribe(self)
        start = getattr(self.app, "start_loading", None)
        if callable(start):
            start()

    @on(ScreenResume)
    def refresh_home(self) -> None:
        app: QuizApp = self.app  # type: ignore[assignment]
        store, coach = app.store, app.coach
        facts = None
        if store is not None:
            from quizapp.store import StoreError
            from quizapp.study.today import KeptToday  # the store layer loads in the worker, not on import

            # Back home means a session ended: a good moment nobody waits on, once Home is drawn (a
            # checkpoint's disk writes grow with the session, 1-10 ms, and must not hold the frame).
            # Housekeeping only (every commit is already in the WAL): a refusal is no news for the learner.
            def fold_wal() -> None:
                with suppress(StoreError):
                    store.checkpoint()

            if app.screen is self:  # brought up to date under a mode's summary: folded once back home
                self.call_after_refresh(fold_wal)
            if self._today is None:
                self._today = KeptToday()
            facts, fresh = self._today.get(store, app.clock, coach, coach and coach.bank)
            if not fresh and self._complete:
                return  # nothing stored or due has changed since Home was last brought up to date
        self._complete = facts is not None and coach is not None
        new_cards = str(coach.new_cards_today()) if coach else "…"
        # One Text per line, each wrapping under itself (HangingLines), never back to the left edge.
        summary = [Text("Today", "bold")]
        if facts is None:
            summary.append(Text("  Opening your progress…", "dim"))
        else:
            summary.append(
                Text(
                    f"  {facts.cards_due} flashcards due, {new_cards} new · {facts.questions_due} questions "
                    f"due{facts.held_note()} · {facts.missed} missed to win back"
                )
            )
            days = facts.days_to_exam
            if days is not None:
                summary.append(
                    Text(f"  Exam in {days} day{'s' if days != 1 else ''} ({facts.settings.exam_date})")
                )
        if coach is not None:
            self._ask_pass_chance()
        below: list[Text] = []
        last = facts.last_exam if facts else None
        if last:
            verdict = "pass" if last["passed"] else "fail"
            blank = _nothing_answered(last)
            below.append(
                Text(
                    f"  Last exam: {last['scaled']} ({verdict}), {last['correct']}/{last['total']}"
                    f"{', nothing answered' if blank else ''}"
                )
            )
        self._summary = (summary, below)
        if coach is None:
            self.show_bank_progress(*app.load_progress)
        else:
            bank = coach.bank
            kinds = Counter(q.type for q in bank.questions.infos())
            line = plain(
                f"  {BANK}{len(bank.questions)} questions, {len(bank.flashcards)} flashcards "
                f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})",
                "dim",
            )
            if self._changed("bank", (id(bank), line)):
                self.query_one("#bank", Static).update(HangingLines([line], hang=len(BANK)))
        self._draw_summary()
        # Once the bank is in, only an exam that can be resumed is offered (one whose questions left
        # the bank is reported instead, and a new exam may start).
        resumable = coach.has_exam_in_progress() if coach else bool(facts and facts.exam_in_progress)
        self._fill_menu(facts, new_cards, resumable)
        if coach is not None:
            app.maybe_fit()  # personal FSRS parameters, in the background once enough is new
        self._draw_ahead()

    @on(ScreenSuspend)
    def _covered(self) -> None:
        self._was_covered = True

    @on(ScreenResume)
    def _uncovered(self) -> None:
        """Back from a mode or a dialog: what the closed screen used goes back to the system once
        Textual has let go of it (not on the refreshes of start-up, when nothing has closed)."""
        if self._was_covered:
            self._was_covered = False
            self.set_timer(heap.GIVE_BACK_AFTER_S, self._give_back, name="give back")

    def _give_back(self) -> None:
        if self.is_attached and self.app.screen is self:  # not under a mode opened meanwhile
            heap.give_back()

    # ------------------------------------------------------------------ the pass chance

    def _ask_pass_chance(self) -> None:
        """The chance already worked out for what is stored now, else a worker after this frame is
        painted; the last value stays up meanwhile."""
        app: QuizApp = self.app  # type: ignore[assignment]
        assert app.coach is not None
        known = known_pass_chance(app.coach)
        if known is not None:
            self._chance, self._chance_failed = known, False
        elif app.coach.bank_loaded:  # made from the bank index: the bank itself is a moment away,
            self.call_after_refresh(self._start_pass_chance)  # and Home is refreshed when it is in

    def _start_pass_chance(self) -> None:
        if self.is_mounted:
            work_out_pass_chance(self, self._show_pass_chance)

    def _show_pass_chance(self, chance: PassChance | None) -> None:
        if chance is None:
            self._chance_failed = self._chance is None
        else:
            self._chance, self._chance_failed = chance, False
        self._draw_summary()
        self._draw_ahead()

    def _pass_lines(self) -> list[Text]:
        app: QuizApp = self.app  # type: ignore[assignment]
        if app.coach is None:
            words = f"{WAITING} (loading the bank)" if app.bank_error is None else "Pass chance: no bank"
            return [Text(f"  {words}", "dim")]
        if self._chance is not None:
            return home_lines(self._chance)
        if self._chance_failed:
            return [Text(f"  {FAILED}", "dim")]
        return [Text(f"  {WAITING}", "dim")]

    def _draw_summary(self) -> None:
        above, below = self._summary
        lines = [*above, *self._pass_lines(), *below]
        if above and self._changed("summary", [(line.plain, line.spans, line.style) for line in lines]):
            _update_in_place(self.query_one("#summary", Static), HangingLines(lines))

    def _changed(self, part: str, content: object) -> bool:
        """Whether `part` would now show something else than it shows (then it is remembered).
        Returning from a mode refreshes Home, but most of it is as it was: a widget updated with the
        same content still lays out and repaints, and the menu would rebuild every option."""
        if self._shown.get(part) == content:
            return False
        self._shown[part] = content
        return True

    def _fill_menu(self, facts: Today | None, new_cards: str, resumable: bool) -> None:
        """The modes, with their counts once the store is open; until then the same lines end in …"""
        items = []
        if facts is not None and resumable:
            items.append(Option(plain("[r] Resume exam in progress"), id="resume"))
        cards_due, questions_due, missed = (
            (facts.cards_due, facts.questions_due, facts.missed) if facts else ("…", "…", "…")
        )
        exam = _exam_label(facts.settings.exam_length) if facts else "…"
        items += [
            Option(plain(f"[f] Flashcards        {cards_due} due, {new_cards} new"), id="flashcards"),
            Option(plain(f"[p] Practice          {questions_due} due"), id="practice"),
            Option(plain(f"[e] Practice exam     {exam}"), id="exam"),
            Option(plain(f"[m] Review missed     {missed} to win back"), id="missed"),
            Option(plain("[d] Progress dashboard"), id="dashboard"),
            Option(plain("[s] Settings"), id="settings"),
        ]
        before = self._shown.get("menu")
        shown = [(item.id, str(item.prompt)) for item in items]
        if not self._changed("menu", shown):
            return
        menu = self.query_one("#menu", HomeMenu)
        if isinstance(before, list) and [i for i, _ in before] == [i for i, _ in shown]:
            # The same modes with other counts (back from a session): the changed prompts in place.
            # Rebuilding the options reset the list's lines and scroll, so its new size was laid out
            # in a frame of its own after Home's repaint, only when a count had changed.
            menu.replace_prompts(
                {
                    item.id: item.prompt
                    for item, (_, old), (_, new) in zip(items, before, shown, strict=True)
                    if old != new and item.id is not None
                }
            )
            return
        highlighted = menu.highlighted
        menu.clear_options()
        menu.add_options(items)
        menu.highlighted = highlighted if highlighted is not None and highlighted < len(items) else 0

    def _draw_ahead(self) -> None:
        """Under a mode (its summary up), render the lines that changed now, so that the return's
        frame finds them drawn: a count that changed cost the return a millisecond more (its frame
        rendered the summary and the menu again, where a learner with nothing due found them as
        they were). On screen, the next frame draws them anyway.

        Only where the layout holds: a part that changed its height is laid out again on the return
        and drawn then, as Textual would. What is drawn is what the return's frame draws (the
        widget's whole region: Home does not scroll), kept in the widget's own line cache until its
        next change."""
        if self.app.screen is self or not self.is_attached:
            return
        for widget in (self.query_one("#summary", Static), self.query_one("#menu", HomeMenu)):
            region = widget.region
            if region and not widget._layout_required:
                widget.render_lines(region.reset_offset)

    def show_bank_progress(self, done: int, total: int) -> None:
        """While the bank loads (a big bank on a cold cache can take seconds), say how far it is."""
        app: QuizApp = self.app  # type: ignore[assignment]
        if app.coach is None:
            line = Text()
            if app.bank_error is not None:
                line.append(
                    f"  {BANK}could not be loaded (start again once it is fixed; q quits)", "bold red"
                )
            else:
                line.append(f"  {BANK}loading…", "dim")
            if total and app.bank_error is None:
                line.append(" ").append_text(meter_text(done, total, "bold")).append(
                    f" ({done}/{total} files)"
                )
            shown = HangingLines([line], hang=len(BANK)) if app.bank_error is not None else line
            for bank in self.query("#bank").results(Static):  # none before Home is composed
                bank.update(shown)

    @on(OptionList.OptionSelected, "#menu")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_mode(event.option.id)

    def action_mode(self, mode: str) -> None:
        # Through the app, which keeps a mode chosen before the bank has loaded for when it has.
        app: QuizApp = self.app  # type: ignore[assignment]
        app.open_mode(mode)


def _update_in_place(widget: Static, content: HangingLines) -> None:
    """Show `content`, laying the screen out again only when it takes another number of rows.

    A Static's update asks for a layout, and Textual lays out in a tick of its own after the
    repaint that returning to Home asks for: a figure that changed (a count due after practice)
    cost a frame more than one that did not. Same rows, same place: a repaint is all it needs."""
    width = widget.content_region.width
    same = bool(width) and content.get_height(widget.styles, width) == widget.content_region.height
    widget.update(content, layout=not same)


def prepare_home(app: QuizApp) -> None:
    """A mode's writes are done and the learner is reading its summary: bring Home up to date now,
    under the summary, rather than on the way home.

    Practice changes Home's counts and its pass chance with every answer. Brought up to date after
    the return, the counts were drawn in a frame of their own after the return's repaint, and the
    pass chance was worked out in a thread worker beside the return's frames (it shares the GIL),
    longer the more of the bank has been seen: about 20 ms of CPU at 100k reviews, against 5 for a
    new learner. Done here, the return finds Home as it should be and redraws nothing; a change
    after this (an undo on the summary) is caught by that refresh, as any change is."""
    for screen in app.screen_stack:
        if isinstance(screen, HomeScreen) and screen is not app.screen:
            screen.refresh_home()
            return


def _nothing_answered(result: dict[str, Any]) -> bool:
    """Whether a stored exam result was submitted blank, so Home does not present it as a real try.

    Read from the stored rows (as `ExamResult.nothing_answered` does) rather than by importing
    study's exam module, which would pull the scheduler into Home's first frame. A result
    without its rows (an old export) is not called blank.
    """
    rows = result.get("questions") or []
    return bool(rows) and not any(row.get("answered") for row in rows)


def _exam_label(length: str) -> str:
    return {"full": "65 questions, 90 minutes", "scored": "50 questions, 90 minutes"}.get(
        length, f"{length} questions, 83 s each"
    )


def open_mode(app: QuizApp, mode: str) -> None:
    """Route to a mode. Study decides what is in it; screens only draw."""
    coach = app.coach
    assert coach is not None
    if mode == "home":
        while len(app.screen_stack) > 2:
            app.pop_screen()
        return
    if mode == "resume" and not coach.has_exam_in_progress():
        # `r` is for resuming only: offering a new exam here made one Enter start a timed exam.
        app.notify("There is no exam in progress to resume. Press e to start a practice exam.")
        return
    if mode in ("exam", "resume"):
        from quizapp.tui.screens.exam import start_or_resume_exam

        start_or_resume_exam(app)
    elif mode == "flashcards":
        from quizapp.tui.screens.flashcards import choose_flashcards

        choose_flashcards(app)
    elif mode == "practice":
        from quizapp.tui.screens.practice import choose_practice

        choose_practice(app)
    elif mode == "missed":
        from quizapp.study import Scope
        from quizapp.tui.screens.practice import open_practice

        session = coach.practice(Scope("missed"))
        if not len(session):
            app.notify("Nothing to win back: no missed questions are waiting.")
            return
        open_practice(app, session, "Review missed")
    elif mode == "dashboard":
        from quizapp.tui.screens.dashboard import DashboardScreen

        app.push_screen(DashboardScreen())
    elif mode == "settings":
        from quizapp.tui.screens.settings import SettingsScreen

        app.push_screen(SettingsScreen())
