"""Issue 15, item 8 on screen: Home and the dashboard give no confident figure without evidence,
the dashboard shows no confident mastery from one answer, results call no perfect task weak.

Since issue 16 the figure is the pass chance, not the older readiness point estimate: without
answers it is near zero and says why (guessing alone), and after one right answer it stays near
zero and says how little it rests on ("From 1 of 174 questions answered").
"""

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
        await app.workers.wait_for_complete()
        await pilot.pause()
        summary = str(app.screen.query_one("#summary").render())
        assert "Readiness" not in summary
        line = next(x for x in summary.splitlines() if "Pass chance" in x)
        assert line.startswith("  Pass chance <1 % on 23 Nov — nothing studied yet"), line
        assert "550" not in line and "weakest" not in line


async def test_dashboard_without_answers_and_after_one_right_answer(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await ready(pilot, "DashboardScreen")
        text = str(app.screen.query_one("#readiness").render())
        assert text.startswith("Pass chance <1 % on 23 Nov\nNothing studied yet"), text
        await pilot.press("escape")
        await ready(pilot)
        session = app.coach.practice(Scope("task", "1.1"))
        session.answer(correct_response(session.current()))
        await pilot.press("d")
        await ready(pilot, "DashboardScreen")
        text = str(app.screen.query_one("#readiness").render())
        first, reason = text.splitlines()[:2]
        # One right answer is no evidence of passing: near zero, and the reason says what it rests on.
        assert first.startswith("Pass chance <1 % on 23 Nov"), text
        assert reason.startswith("Unlikely to pass yet") and "From 1 of 174 questions answered" in reason
        assert "Predicted" not in text and "Readiness" not in text
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
