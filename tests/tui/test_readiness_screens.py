"""Issue 15, item 8 on screen: Home and the dashboard show no readiness number without evidence,
the dashboard shows no confident mastery from one answer, results call no perfect task weak."""

from __future__ import annotations

from quizapp.study import Scope
from quizapp.study.grading import correct_response
from quizapp.tui.screens.results import ResultsScreen
from tests.tui.helpers import build, ready

SIZE = (80, 24)


async def test_home_without_answers_shows_no_readiness_number(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        summary = str(app.screen.query_one("#summary").render())
        line = next(x for x in summary.splitlines() if "Readiness" in x)
        assert "not enough data" in line and "550" not in line and len(line) <= 80


async def test_dashboard_without_answers_and_after_one_right_answer(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        session = app.coach.practice(Scope("task", "1.1"))
        session.answer(correct_response(session.current()))
        await pilot.press("d")
        await ready(pilot, "DashboardScreen")
        text = str(app.screen.query_one("#readiness").render())
        assert "Not enough data" in text and "Predicted" not in text
        table = app.screen.query_one("#mastery")
        row = next(
            table.get_row_at(i) for i in range(table.row_count) if str(table.get_row_at(i)[0]) == "1.1"
        )
        assert row[2] == "1/12" and row[4] == "few"


async def test_results_of_a_perfect_exam_name_no_weakest_task(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        exam = app.coach.start_exam(5, seed=4)
        for position in range(len(exam.question_ids)):
            exam.answer(correct_response(exam.question(position)), position)
        exam.submit()
        app.push_screen(ResultsScreen.of(exam))
        await ready(pilot, "ResultsScreen")
        text = "\n".join(str(w.render()) for w in app.screen.query("#body Static"))
        assert "Weakest" not in text and "No task statement stands out as weak" in text
