"""The pass chance in words (Home and the dashboard) and the Brier line under the calibration chart.

Words, not a widget: Home puts the line among its summary lines, the dashboard at its top. The
engine (`study.passchance`) says it all already — `short()` for the figure, `reason` for what it
rests on — so this only decides how much of it each place shows and in what colour. Nothing here
imports the engine at run time: Home loads this module for its first frame.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text

from quizapp.tui.text import plain

if TYPE_CHECKING:
    from textual.screen import Screen

    from quizapp.study import Coach
    from quizapp.study.passchance import PassChance

WAITING = "Pass chance: …"
"""Shown until the first chance has been worked out (a thread worker; tens of ms on a year)."""
FAILED = "Pass chance: could not be worked out (`quizapp doctor` checks your progress file)"
"""Shown when reading the progress for it failed (the line never carries a traceback)."""
LIKELY = 0.8
UNLIKELY = 0.2


def chance_style(p: float) -> str:
    """Green when passing is likely (from 80 %), yellow when it is not (20 % and below), else the
    text's own colour: a middling chance is no alarm and no promise."""
    if p >= LIKELY:
        return "green"
    if p <= UNLIKELY:
        return "yellow"
    return ""


def studied(chance: PassChance) -> bool:
    """Whether the figure rests on anything the learner did (the engine names no weakest task
    before that)."""
    return chance.weakest_task is not None


def home_lines(chance: PassChance, indent: str = "  ") -> list[Text]:
    """Home's line: "Pass chance 72 % (61–81 %) on 14 Dec — weakest: task 3.2". With nothing
    studied there is no weakest task to name, and a figure near zero needs its why: the engine's
    reason follows ("— nothing studied yet: guessing alone scores about 11 % …")."""
    line = Text(indent)
    line.append_text(plain(chance.short(), chance_style(chance.p)))
    if not studied(chance):
        reason = chance.reason
        line.append_text(plain(f" — {reason[:1].lower()}{reason[1:]}"))
    return [line]


def statement(chance: PassChance) -> list[Text]:
    """The dashboard's top: the short form in its colour, then the whole reason (what the figure
    rests on: the expected score against the pass mark, how much of the bank and of the task
    statements was seen, how well FSRS's recall predictions held)."""
    return [plain(chance.short(), f"bold {chance_style(chance.p)}".strip()), plain(chance.reason)]


def brier_line(brier: float | None, exams: int) -> str:
    """How the stored pass predictions did, in words a learner can weigh."""
    if brier is None or not exams:
        return "No exam has a stored prediction yet: take a practice exam to check the predictions."
    return (
        f"Pass predictions so far: Brier {brier:.2f} over {exams} exam{'s' if exams != 1 else ''} "
        "(0 is perfect; 0.25 is a coin flip)"
    )


def known_pass_chance(coach: Coach) -> PassChance | None:
    """The chance already worked out for what is stored now (a fingerprint: a millisecond or two),
    or None when it is not known, or the store cannot be read now (the worker then tries, and says
    so): what Home and the dashboard ask on the event loop before starting a worker."""
    try:
        return coach.known_pass_chance()
    except Exception:  # noqa: BLE001 - never a traceback on screen; the worker reports it
        return None


def work_out_pass_chance(screen: Screen, deliver: Callable[[PassChance | None], None]) -> None:
    """Work the chance out in a thread worker (off the Coach's thread it reads through a read-only
    snapshot of its own) and hand it to `deliver` on the event loop: None when it could not be
    worked out, never a traceback, and nothing when a newer worker replaced this one."""

    def work() -> None:
        from textual.worker import get_current_worker

        app = screen.app
        coach = getattr(app, "coach", None)
        if coach is None:
            return
        try:
            chance: PassChance | None = coach.pass_chance()
        except Exception:  # noqa: BLE001 - said in words by `deliver`
            chance = None
        if not get_current_worker().is_cancelled:
            app.call_from_thread(deliver, chance)
            # It and the evidence behind it, kept for the next start (a small write, after the paint).
            app.call_from_thread(app.call_after_refresh, coach.keep_for_next_start)

    screen.run_worker(
        work, name="pass chance", group="pass-chance", thread=True, exclusive=True, exit_on_error=False
    )
