"""Issue 16, items 4 and 5 on screen: Home and the dashboard say the pass chance in words, and the
dashboard checks past predictions against the exams that followed (a chart and a Brier line).

Home never computes the chance on its event loop: it shows the one already worked out for what is
stored, else "Pass chance: …" (or the last value) while a thread worker works it out. The tests
hold that worker on an Event to see the line before and after, and check which thread asked.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from rich.text import Text

from quizapp.study import Coach, Scope
from quizapp.study.grading import correct_response
from quizapp.tui.screens.dashboard import exam_checks
from quizapp.tui.widgets.pass_chance import FAILED, WAITING, brier_line, chance_style, home_lines
from tests.tui.helpers import build, ready

SIZE = (80, 24)


def summary_text(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one("#summary").render())


def pass_line(app) -> str:  # noqa: ANN001
    """Home's pass-chance line, its wrapped rows joined (they hang under the first)."""
    lines = summary_text(app).splitlines()
    at = next(i for i, line in enumerate(lines) if "Pass chance" in line)
    return lines[at]


def screen_lines(app) -> list[str]:  # noqa: ANN001
    return [strip.text for strip in app.screen._compositor.render_strips()]


class Gate:
    """Coach.pass_chance held until `open()`; records the threads it was called on."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.event = threading.Event()
        self.threads: list[int] = []
        original = Coach.pass_chance

        def held(coach: Coach, *args, **kwargs):  # noqa: ANN002, ANN003, ANN202
            self.threads.append(threading.get_ident())
            if threading.get_ident() != threading.main_thread().ident:
                self.event.wait(10)
            return original(coach, *args, **kwargs)

        monkeypatch.setattr(Coach, "pass_chance", held)

    def open(self) -> None:
        self.event.set()

    def close(self) -> None:
        self.event.clear()


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch) -> Iterator[Gate]:
    held = Gate(monkeypatch)
    yield held
    held.open()  # never leave a worker waiting at teardown


async def settled(pilot) -> None:  # noqa: ANN001
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    await pilot.pause()


async def test_home_shows_waiting_then_the_chance_worked_out_in_a_thread(tmp_path, gate):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.pause()
        # The worker is held: Home is drawn and answers keys meanwhile.
        assert WAITING in summary_text(app), summary_text(app)
        assert "Readiness" not in summary_text(app)
        gate.open()
        await settled(pilot)
        line = pass_line(app)
        expected = app.coach.pass_chance()
        assert line.strip().startswith(expected.short()), (line, expected.short())
        assert WAITING not in summary_text(app)
        # Only a worker thread asked (the call above is the test's own, on the main thread).
        main = threading.main_thread().ident
        assert gate.threads[:-1] and all(t != main for t in gate.threads[:-1]), gate.threads


async def test_home_with_nothing_studied_says_near_zero_and_why(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await settled(pilot)
        text = summary_text(app)
        assert "Pass chance <1 % on 23 Nov" in text, text
        assert "nothing studied yet" in text and "guessing alone scores about" in text, text
        # Whole on the 80-column screen, wrapped under itself.
        drawn = "\n".join(screen_lines(app))
        assert "Pass chance <1 % on 23 Nov — nothing studied yet" in drawn, drawn
        assert "Answer questions across the task statements" in " ".join(
            line.strip() for line in screen_lines(app)
        )


async def test_home_keeps_the_last_value_while_it_recomputes(tmp_path, gate):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        gate.open()
        await settled(pilot)
        before = pass_line(app)
        assert "nothing studied yet" in before
        gate.close()
        session = app.coach.practice()
        for _ in range(60):
            question = session.current()
            if question is None:
                break
            session.answer(correct_response(question))
        await pilot.press("s")  # a mode and back: Home refreshes on resume
        await ready(pilot, "SettingsScreen")
        await pilot.press("escape")
        await ready(pilot)
        await pilot.pause()
        assert pass_line(app) == before, (pass_line(app), before)  # stale, not "…", while held
        gate.open()
        await settled(pilot)
        after = pass_line(app)
        assert after != before and "weakest: task" in after, after


async def test_home_shows_the_cached_chance_without_a_worker(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await settled(pilot)
        started = []
        app.screen.run_worker = lambda *a, **k: started.append(a)  # type: ignore[method-assign]
        app.screen.refresh_home()
        await pilot.pause()
        assert not started
        assert "Pass chance <1 %" in summary_text(app)


def test_colour_follows_the_chance():
    assert chance_style(0.85) == "green" and chance_style(0.8) == "green"
    assert chance_style(0.2) == "yellow" and chance_style(0.0) == "yellow"
    assert chance_style(0.5) == ""


async def test_home_line_of_a_studied_learner_is_the_short_form_coloured(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        session = app.coach.practice()
        while (question := session.current()) is not None:
            session.answer(correct_response(question))
        chance = app.coach.pass_chance()
        lines = home_lines(chance)
        assert [line.plain for line in lines] == [f"  {chance.short()}"]
        assert chance.p >= 0.8
        assert [(span.start, span.end, span.style) for span in lines[0].spans] == [
            (2, len(lines[0]), "green")
        ]


def test_brier_line_in_words():
    assert brier_line(0.1234, 9) == (
        "Pass predictions so far: Brier 0.12 over 9 exams (0 is perfect; 0.25 is a coin flip)"
    )
    assert "over 1 exam " in brier_line(0.5, 1)
    assert brier_line(None, 0) == (
        "No exam has a stored prediction yet: take a practice exam to check the predictions."
    )


# ---------------------------------------------------------------------- the dashboard


async def _open_dashboard(pilot) -> None:  # noqa: ANN001
    await pilot.press("d")
    await ready(pilot, "DashboardScreen")
    await settled(pilot)


async def test_dashboard_without_exams_says_no_prediction_yet(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _open_dashboard(pilot)
        screen = app.screen
        top = str(screen.query_one("#readiness").render())
        assert top.startswith("Pass chance <1 % on 23 Nov"), top
        assert "Nothing studied yet" in top
        assert str(screen.query_one("#brier").render()) == brier_line(None, 0)
        chart = screen.query_one("#calibration")
        assert chart.heading == "Predicted vs actual"
        screen.query_one("VerticalScroll").scroll_to_widget(chart, animate=False, top=True)
        await pilot.pause()
        await pilot.pause()
        drawn = "\n".join(screen_lines(app))
        assert "Predicted vs actual" in drawn and "no predictions yet" in drawn, drawn


async def test_dashboard_checks_predictions_against_exams(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        coach = app.coach
        session = coach.practice(Scope("all"))
        for i in range(80):
            question = session.current()
            if question is None:
                break
            session.answer(correct_response(question) if i % 4 else None)
        for seed in range(3):  # three exams, each predicted as it starts, then sat
            exam = coach.start_exam(10, seed=seed)
            for position in range(len(exam)):
                if position % 3:
                    exam.answer(correct_response(exam.question(position)), position=position)
            exam.submit()
        coach.start_exam(10, seed=9)  # one in progress: no result, so no point on the chart
        record = coach.prediction_record()
        assert len(record) == 3 and all(c.predicted_pass is not None for c in record)
        # The dashboard takes them from the exams stats() read (not reading them twice): the same.
        assert exam_checks(coach.stats()["exams"]) == record
        await _open_dashboard(pilot)
        screen = app.screen
        brier = coach.brier()
        assert brier is not None
        line = str(screen.query_one("#brier").render())
        assert line == (
            f"Pass predictions so far: Brier {brier:.2f} over 3 exams (0 is perfect; 0.25 is a coin flip)"
        )
        chart = screen.query_one("#calibration")
        screen.query_one("VerticalScroll").scroll_to_widget(chart, animate=False, top=True)
        await pilot.pause()
        await pilot.pause()
        lines = screen_lines(app)
        drawn = "\n".join(lines)
        assert "Predicted vs actual" in drawn and "predicted" in drawn and "actual" in drawn, drawn
        assert "no predictions yet" not in drawn
        assert brier_line(brier, 3) in " ".join(line.strip() for line in lines), drawn  # it may wrap
        # The top: the pass chance and the reason behind it, no older readiness estimate.
        top = str(screen.query_one("#readiness").render())
        chance = coach.pass_chance()
        assert top.splitlines()[0] == chance.short(), top
        assert "From " in top and "Predicted" not in top


def test_home_lines_when_nothing_is_studied_carry_the_reason():
    from datetime import date

    from quizapp.study.passchance import PassChance

    chance = PassChance(
        p=0.0001,
        low=0.0,
        high=0.0,
        date=date(2026, 12, 14),
        weakest_task=None,
        expected_scaled=198,
        expected_share=0.11,
        needed_share=0.68,
        length=50,
        replicates=200,
        reason="Nothing studied yet: guessing alone scores about 11 % (198), and 68 % right (700) passes. "
        "Answer questions across the task statements to get a real estimate.",
        seen=0,
        total=174,
        by_task={},
    )
    lines = home_lines(chance)
    assert len(lines) == 1 and isinstance(lines[0], Text)
    assert lines[0].plain.startswith("  Pass chance <1 % on 14 Dec — nothing studied yet: guessing")
    assert lines[0].plain.endswith("to get a real estimate.")


async def test_home_says_so_when_the_chance_cannot_be_worked_out(tmp_path, monkeypatch):
    from quizapp.store import StoreError

    def broken(coach, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202
        raise StoreError(tmp_path / "data" / "progress.db", "disk I/O error")

    monkeypatch.setattr(Coach, "pass_chance", broken)
    monkeypatch.setattr(Coach, "known_pass_chance", broken)
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await settled(pilot)
        assert FAILED in summary_text(app), summary_text(app)
        assert "Traceback" not in "\n".join(screen_lines(app))
        await pilot.press("f")  # Home still answers keys
        await ready(pilot, "PickDialog")


def test_calibration_chart_zooms_to_its_scores_and_the_pass_mark():
    """On the whole 100-1000 scale a score of 730, a prediction of 670 and the 700 line share a
    row of a 10-row chart and hide one another; the chart's range is cut to what it shows."""
    from quizapp.tui.widgets.charts import zoom

    assert zoom([685, 775, 730, 660, 673]) == (600, 800)
    assert zoom([700]) == (650, 750)
    low, high = zoom([300, 850, 792])
    assert low <= 300 - 25 and high >= 850 + 25 and (low, high) == (200, 950)
    assert zoom([120, 1000]) == (100, 1000)  # never past the scale
