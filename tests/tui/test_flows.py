"""Every screen flow, driven by keys at 80x24, checked against the screen and the store."""

from __future__ import annotations

from quizapp.content import Problem
from quizapp.content.models import SingleQuestion
from quizapp.content.questions import Questions
from quizapp.store import DB_NAME
from quizapp.study import ManualClock
from quizapp.tui.widgets.question import Choices, QuestionView
from tests.factory import START, make_bank
from tests.tui.helpers import (
    build,
    keys_for_right_answer,
    keys_for_wrong_answer,
    open_flashcards,
    open_practice,
    ready,
)

SIZE = (80, 24)


def screen_text(app) -> str:  # noqa: ANN001
    """Everything the current screen shows, as plain text."""
    return "\n".join(
        str(w.render()) for w in app.screen.query("Static, Markdown, OptionList") if hasattr(w, "render")
    )


async def test_home_shows_the_day_and_routes_every_mode(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        summary = str(app.screen.query_one("#summary").render())
        assert "flashcards due" in summary and "Pass chance" in summary
        for key, screen in (("d", "DashboardScreen"), ("s", "SettingsScreen")):
            await pilot.press(key)
            await ready(pilot, screen)
            await pilot.press("escape")
            await ready(pilot)
        await pilot.press("question_mark")
        await ready(pilot, "HelpScreen")
        help_text = str(app.screen.query("Static")[1].render())
        assert "Flashcards" in help_text and "Dashboard" in help_text
        await pilot.press("escape")
        await ready(pilot)


async def test_command_palette_lists_every_mode(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"dashboard")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await ready(pilot, "DashboardScreen")


async def _answer(pilot, right: bool) -> None:  # noqa: ANN001
    choices = pilot.app.screen.query_one(Choices)
    keys = keys_for_right_answer(choices) if right else keys_for_wrong_answer(choices)
    await pilot.press(*keys)
    await pilot.press("enter")
    await pilot.pause()


async def test_practice_each_type_right_and_wrong_with_guess_and_undo(tmp_path):
    # New questions are interleaved across task statements; 13 per task makes the first 16 span all types.
    app = build(tmp_path, bank=make_bank(per_task=13))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        store = app.coach.store
        seen_types = set()
        for n in range(16):
            question = app.screen.query_one(QuestionView).question
            right = n % 2 == 0
            await _answer(pilot, right)
            view = app.screen.query_one(QuestionView)
            assert view.choices.review, "feedback is shown after submitting"
            verdict = str(app.screen.query_one(".verdict").render())
            assert ("Correct" in verdict) == right, (question.type, verdict)
            last = list(store.answers())[-1]
            assert last.question_id == question.id and last.correct == right
            seen_types.add((question.type, right))
            if n == 4:
                await pilot.press("g")  # right answer marked as a guess -> Hard
                await pilot.pause()
                assert store.reviews(question.id)[-1].rating == 2
                assert "guess" in str(app.screen.query_one(".verdict").render())
            await pilot.press("enter")
            await pilot.pause()
        assert {t for t, _ in seen_types} == {"single", "multi", "ordering", "matching"}
        assert len({r for _, r in seen_types}) == 2
        answered = store.answered_count()
        await pilot.press("u")
        await pilot.pause()
        assert store.answered_count() == answered - 1
        assert not app.screen.query_one(QuestionView).choices.review, "the question is back, unanswered"
        await pilot.press("escape")
        await pilot.pause()
        assert "Session complete" in str(app.screen.query("Static")[-1].render())


async def test_practice_refuses_an_incomplete_multi(tmp_path):
    # The session's second question is a multi with 3 per task; the default bank's 12 per task put
    # 14 singles before the first one, each answered before the check.
    app = build(tmp_path, bank=make_bank(per_task=3))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        while app.screen.query_one(QuestionView).question.type != "multi":
            await _answer(pilot, True)
            await pilot.press("enter")
            await pilot.pause()
        before = app.coach.store.answered_count()
        await pilot.press("1", "enter")
        await pilot.pause()
        assert app.coach.store.answered_count() == before
        assert not app.screen.query_one(QuestionView).choices.review


async def test_flashcards_reveal_rate_and_undo(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_flashcards(pilot)
        assert "Space: show the answer" in str(app.screen.query_one("#buttons").render())
        await pilot.press("3")  # rating before revealing does nothing
        assert app.coach.store.reviewed_count() == 0
        await pilot.press("space")
        await pilot.pause()
        buttons = str(app.screen.query_one("#buttons").render())
        assert all(label in buttons for label in ("Again", "Hard", "Good", "Easy"))
        assert "1 Again  1m" in buttons and "3 Good  10m" in buttons
        await pilot.press("3")
        await pilot.pause()
        assert app.coach.store.reviewed_count() == 1
        await pilot.press("u")
        await pilot.pause()
        assert app.coach.store.reviewed_count() == 0


async def test_flashcards_cram_changes_nothing(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("f")
        await ready(pilot, "PickDialog")
        option_list = app.screen.query_one("OptionList")
        cram = next(i for i, o in enumerate(option_list.options) if o.id and o.id.endswith(":cram"))
        option_list.highlighted = cram
        await pilot.press("enter")
        await ready(pilot, "FlashcardScreen")
        await pilot.press("space", "1", "space", "4")
        await pilot.pause()
        assert app.coach.store.reviewed_count() == 0


async def _start_short_exam(pilot, length: int = 6) -> None:  # noqa: ANN001
    app = pilot.app
    app.coach.update_settings(exam_length=str(length))
    await pilot.press("e")
    await ready(pilot, "ConfirmDialog")
    await pilot.press("y")
    await ready(pilot, "ExamScreen")


async def test_exam_flags_navigator_review_and_submit(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _start_short_exam(pilot)
        session = app.screen.session
        assert "1/6" in str(app.screen.query_one("#where").render())
        assert "⏱ 08:18" in str(app.screen.query_one("#clock").render())
        choices = app.screen.query_one(Choices)
        await pilot.press(*keys_for_right_answer(choices))
        await pilot.press("m")
        await pilot.pause()
        assert session.flagged == {0} and session.is_answered(0)
        await pilot.press("right")
        await pilot.pause()
        assert session.position == 1
        await pilot.press("n")
        await ready(pilot, "NavigatorDialog")
        await pilot.press("5", "enter")
        await ready(pilot, "ExamScreen")
        assert session.position == 4 and "5/6" in str(app.screen.query_one("#where").render())
        await pilot.press("r")
        await ready(pilot, "ReviewDialog")
        review = str(app.screen.query_one("Static").render())
        assert "Unanswered (5): 2, 3, 4, 5, 6" in review and "Flagged (1): 1" in review
        await pilot.press("s")
        await ready(pilot, "ConfirmDialog")
        await pilot.press("y")
        await ready(pilot, "ResultsScreen")
        text = str(app.screen.query_one("#body Static").render())
        assert "Scaled score" in text and "By domain" in text
        record = app.coach.store.exams()[0]
        assert record.status == "submitted" and record.result["correct"] >= 1
        # One item answered, and right; the 5 left blank are wrong in the score but not missed.
        assert record.result["correct"] == 1 and app.coach.store.missed_count() == 0
        await pilot.press("w")
        await pilot.pause()
        assert app.screen.query_one(QuestionView).choices.review
        await pilot.press("escape", "escape")
        await ready(pilot)


async def test_exam_times_out_by_itself(tmp_path):
    clock = ManualClock(START)
    app = build(tmp_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _start_short_exam(pilot, 3)
        clock.advance(minutes=3)
        app.screen.tick()
        assert "warn" not in app.screen.query_one("#clock").classes
        clock.advance(minutes=2)
        app.screen.tick()
        await ready(pilot, "ResultsScreen")
        assert app.coach.store.exams()[0].status == "timed_out"
        assert "submitted when time ran out" in str(app.screen.query_one("#body Static").render())


async def test_clock_warns_at_ten_and_five_minutes(tmp_path):
    clock = ManualClock(START)
    app = build(tmp_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _start_short_exam(pilot, 12)  # 16:36
        clock.advance(minutes=7)
        app.screen.tick()
        assert "warn" in app.screen.query_one("#clock").classes
        clock.advance(minutes=5)
        app.screen.tick()
        assert "danger" in app.screen.query_one("#clock").classes


async def test_quit_mid_exam_then_resume(tmp_path):
    clock = ManualClock(START)
    app = build(tmp_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _start_short_exam(pilot, 5)
        for _ in range(2):
            await pilot.press(*keys_for_right_answer(app.screen.query_one(Choices)))
            await pilot.press("right")
            await pilot.pause()
        await pilot.press("m")
        clock.advance(seconds=40)
        await pilot.press("q")
        await pilot.pause()
    again = build(tmp_path, clock=clock)
    async with again.run_test(size=SIZE) as pilot:
        await ready(pilot)
        menu = again.screen.query_one("#menu")
        assert menu.get_option_at_index(0).id == "resume"
        await pilot.press("r")
        await ready(pilot, "ExamScreen")
        session = again.screen.session
        assert sorted(session.responses) == [0, 1] and session.flagged == {2} and session.position == 2
        assert session.remaining() == 5 * 83 - 40


async def test_dashboard_without_and_with_history(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await ready(pilot)
        await pilot.press("d")
        await ready(pilot, "DashboardScreen")
        assert "Nothing studied yet" in str(app.screen.query_one("#readiness").render())
        assert app.screen.query_one("#mastery").row_count == 5 + 14
        await pilot.press("escape")
        await ready(pilot)
        session = app.coach.practice()
        for _ in range(10):
            session.answer(None)
        exam = app.coach.start_exam(4, seed=1)
        exam.submit()
        await pilot.press("d")
        await ready(pilot, "DashboardScreen")
        # 10 practice answers; the blank exam counts in its score, not as answers (issue 15).
        assert "Answered 10" in str(app.screen.query_one("#readiness").render())
        from textual_plotext import PlotextPlot

        charts = {p.id: p for p in app.screen.query(PlotextPlot)}
        assert set(charts) == {"scores", "calibration", "reviews", "forecast"}
        await pilot.pause()
        drawn = {key: str(plot.render()) for key, plot in charts.items()}
        assert "Exam scores" in drawn["scores"] and "Reviews / day" in drawn["reviews"]
        assert "today" in drawn["forecast"]


async def test_settings_are_saved_in_the_store(tmp_path):
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.press("s")
        await ready(pilot, "SettingsScreen")
        field = app.screen.query_one("#new_cards_per_day")
        field.value = "7"
        app.screen.query_one("#exam_date").value = "2027-02-01"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.coach.store.settings()["new_cards_per_day"] == 7
        assert app.coach.days_to_exam() == 70
        app.screen.query_one("#desired_retention").value = "5"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Not saved" in str(app.screen.query_one("#message").render())
        assert app.coach.store.settings()["desired_retention"] == 0.9


async def test_bank_text_is_never_console_markup(tmp_path):
    bank = make_bank(per_task=1, case_studies=0)
    tricky = SingleQuestion(
        id="markup-001",
        task="1.1",
        type="single",
        stem="What does [bold]x[/] print?",
        options=[
            {"text": "[red]literally this[/]", "correct": True, "why": "[b]why[/b]"},
            {"text": "b", "why": "w"},
            {"text": "c", "why": "w"},
            {"text": "d", "why": "w"},
        ],
        explanation="Shown as [i]typed[/i].",
    )
    bank.questions = Questions({tricky.id: tricky})
    app = build(tmp_path, bank=bank)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        choices = app.screen.query_one(Choices)
        assert "[red]literally this[/]" in choices.render_text().plain
        await pilot.press(*keys_for_right_answer(choices), "enter")
        await pilot.pause()
        assert "[b]why[/b]" in app.screen.query_one(Choices).render_text().plain


async def test_bank_problems_are_shown_and_the_app_still_opens(tmp_path):
    problem = Problem("questions/mine.yaml", 12, 5, "unknown key 'corect' (did you mean 'correct'?)")
    app = build(tmp_path, problems=[problem])
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, "ProblemsDialog")
        text = " ".join(str(s.render()) for s in app.screen.query("Static"))
        assert "questions/mine.yaml:12:5: unknown key 'corect'" in text
        await pilot.press("escape")
        await ready(pilot)


async def test_damaged_progress_file_is_offered_a_move_aside(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / DB_NAME).write_bytes(b"definitely not sqlite" * 100)
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot, "StoreErrorDialog")
        await pilot.click("#move")
        await ready(pilot)
    assert any(p.name.startswith("progress.db.") and p.name.endswith(".bak") for p in data.iterdir())
    assert [p.read_bytes() for p in data.iterdir() if p.name.endswith(".bak")] == [
        b"definitely not sqlite" * 100
    ]


async def test_the_real_banks_open_through_the_cache_and_an_unwritable_cache_is_harmless(tmp_path):
    from quizapp.tui.app import make_app

    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache dir should be")
    for cache_dir, expect_written in ((blocker / "cache", False), (tmp_path / "cache", True)):
        app = make_app(data_dir=tmp_path / "data", cache_dir=cache_dir, clock=ManualClock(START), fuzz=False)
        async with app.run_test(size=SIZE) as pilot:
            await ready(pilot)
            assert app.catalog is not None and app.catalog.cache is not None
            assert app.catalog.cache.written is expect_written
            assert len(app.catalog.primary.questions) > 500
            assert "Pass chance" in str(app.screen.query_one("#summary").render())
    warm = make_app(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache", clock=ManualClock(START))
    async with warm.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert warm.catalog is not None and warm.catalog.cache is not None
        assert warm.catalog.cache.misses == 0 and warm.catalog.cache.hits > 10
