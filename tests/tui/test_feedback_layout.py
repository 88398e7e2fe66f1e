"""Issue 15, items 11 and 14: at 80x24, with the real bank's longest items, the verdict and the right
answer are on screen right after Enter (practice feedback and the results walk), and a wrapped option
hangs under its own text, not under its letter."""

from __future__ import annotations

from quizapp.content import Bank, Catalog, bundled_root, load_catalog
from quizapp.content.models import MatchingQuestion, MultiQuestion, OrderingQuestion, SingleQuestion
from quizapp.study import ManualClock, Scope
from quizapp.study.grading import correct_response
from quizapp.tui.app import make_app
from quizapp.tui.screens.practice import PracticeScreen
from quizapp.tui.screens.results import ResultsScreen
from quizapp.tui.widgets.question import LETTERS, Choices, QuestionView
from tests.factory import START
from tests.tui.helpers import keys_for_right_answer, keys_for_wrong_answer, ready
from tests.tui.visible import screen_rows, shown_region, widget_rows

SIZE = (80, 24)
_FULL: Bank | None = None


def full_bank() -> Bank:
    global _FULL
    if _FULL is None:
        _FULL = load_catalog([bundled_root()]).primary
    return _FULL


def longest_items(per_type: int = 2) -> Bank:
    """The real bank's longest items of each type: by scenario and stem together (case studies), and by
    stem alone, with the case studies they stand on."""
    full = full_bank()
    bank = Bank(full.blueprint)
    chosen: list[str] = []
    for kind in ("single", "multi", "ordering", "matching"):
        ids = [q.id for q in full.questions.infos() if q.type == kind]

        def total(qid: str) -> int:
            return len(full.scenario_of(qid) or "") + len(full.questions[qid].stem)

        chosen += sorted(ids, key=total, reverse=True)[:per_type]
        chosen += sorted(ids, key=lambda qid: len(full.questions[qid].stem), reverse=True)[:1]
    for qid in dict.fromkeys(chosen):
        bank.questions[qid] = full.questions[qid]
        case = full.case_of.get(qid)
        if case:
            bank.case_of[qid] = case
            bank.case_studies[case] = full.case_studies[case]
    return bank


def long_options_bank() -> Bank:
    """The real bank's single items with the longest option texts: they wrap at 80 columns."""
    full = full_bank()
    bank = Bank(full.blueprint)
    ids = [q.id for q in full.questions.infos() if q.type == "single" and q.id not in full.case_of]
    ids.sort(key=lambda qid: max(len(o.text) for o in full.questions[qid].options), reverse=True)
    for qid in ids[:6]:
        bank.questions[qid] = full.questions[qid]
    return bank


def app_for(tmp_path, bank: Bank):  # noqa: ANN001
    return make_app(
        data_dir=tmp_path / "data",
        clock=ManualClock(START),
        fuzz=False,
        catalog=Catalog(banks={bank.exam: bank}),
    )


def right_letters(choices: Choices) -> list[str]:
    q = choices.question
    assert isinstance(q, SingleQuestion | MultiQuestion)
    return [LETTERS[row].upper() for row, original in enumerate(choices.order) if q.options[original].correct]


async def verdict_in_view(pilot) -> tuple[QuestionView, str]:  # noqa: ANN001
    """Wait (a few frames at most) for the review, then return it and its verdict's text, asserting the
    verdict is wholly on screen: inside 80x24 and inside the visible part of the scrolling body."""
    view = None
    for _ in range(30):
        await pilot.pause()
        views = [v for v in pilot.app.screen.query(QuestionView) if v.choices.review]
        if views and views[0].query(".verdict") and shown_region(views[0].query_one(".verdict")):
            view = views[0]
            break
    views = [v for v in pilot.app.screen.query(QuestionView) if v.choices.review]
    assert views, "a review is on screen"
    view = view or views[0]
    verdict = view.query_one(".verdict")
    region = shown_region(verdict)
    body = pilot.app.screen.query_one("#body")
    rows = "\n".join(screen_rows(pilot.app))
    assert region is not None, f"{view.question.id}: the verdict is off screen\n{rows}"
    assert body.scrollable_content_region.contains_region(region), view.question.id
    return view, str(verdict.render())


def assert_right_answer_shown(view: QuestionView, verdict: str, rows: list[str]) -> None:
    """Which answer was right is in view with the verdict: the letters in it, or (ordering, matching) the
    right order / the right pairs' responses on the screen."""
    q = view.question
    text = " ".join(" ".join(rows).split())  # wrapped lines joined again

    def start(words: str) -> str:
        return " ".join(words.split()[:4])

    if isinstance(q, SingleQuestion | MultiQuestion):
        letters = right_letters(view.choices)
        assert ", ".join(letters) in verdict, (q.id, letters, verdict)
    elif isinstance(q, OrderingQuestion):
        assert start(q.items[0]) in text, (q.id, "\n".join(rows))
    elif isinstance(q, MatchingQuestion):
        assert start(q.pairs[0].response) in text, (q.id, "\n".join(rows))


async def test_practice_verdict_and_right_answer_are_in_view_after_enter(tmp_path):
    bank = longest_items()
    app = app_for(tmp_path, bank)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        app.push_screen(PracticeScreen(app.coach.practice(Scope("all")), "Practice"))
        await ready(pilot, "PracticeScreen")
        seen = set()
        for n in range(len(bank.questions)):
            await pilot.pause()
            choices = app.screen.query_one(QuestionView).choices
            assert not choices.review
            right = n % 3 == 2
            keys = keys_for_right_answer(choices) if right else keys_for_wrong_answer(choices)
            await pilot.press(*keys, "enter")
            view, verdict = await verdict_in_view(pilot)
            assert ("Correct" in verdict) == right, verdict
            assert_right_answer_shown(view, verdict, screen_rows(app))
            seen.add(view.question.id)
            await pilot.press("enter")
        assert seen == set(bank.questions), "every long item was checked"
        assert any(qid in bank.case_of for qid in seen), "case studies (scenario + stem) were among them"


async def test_results_walk_shows_the_verdict_in_view(tmp_path):
    bank = longest_items(per_type=1)
    app = app_for(tmp_path, bank)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        session = app.coach.start_exam(len(bank.questions), seed=2)
        for position in range(0, len(session), 2):  # half right, half blank
            session.answer(correct_response(session.question(position)), position=position)
        session.submit()
        app.push_screen(ResultsScreen.of(session))
        await ready(pilot, "ResultsScreen")
        await pilot.press("a")
        walked = set()
        for _ in range(len(session)):
            view, verdict = await verdict_in_view(pilot)
            assert_right_answer_shown(view, verdict, screen_rows(app))
            walked.add(view.question.id)
            await pilot.press("right")
        assert len(walked) == len(session)
        assert any(qid in bank.case_of for qid in walked)


def assert_hanging(choices: Choices) -> int:
    """Every option that wraps continues under its own text (the column after 'A. '), not under its
    mark or letter. Returns how many options wrapped."""
    q = choices.question
    assert isinstance(q, SingleQuestion | MultiQuestion)
    rows = widget_rows(choices)
    wrapped = 0
    for row, original in enumerate(choices.order):
        text = q.options[original].text
        head = f"{LETTERS[row].upper()}. "
        at = next(i for i, line in enumerate(rows) if head + text[:12] in line)
        column = rows[at].index(head) + len(head)
        shown = rows[at][column:].rstrip()
        if len(shown) >= len(text):
            continue
        wrapped += 1
        following = rows[at + 1]
        indent = len(following) - len(following.lstrip())
        assert indent == column, (
            f"{q.id} {head}: continues at column {indent}, its text is at {column}\n"
            + "\n".join(rows[at : at + 3])
        )
        assert following.strip() and following.strip()[:8] in text, following
    return wrapped


async def test_wrapped_options_hang_under_their_text_in_practice_exam_and_results(tmp_path):
    bank = long_options_bank()
    app = app_for(tmp_path, bank)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        # Practice: asking, then the feedback.
        app.push_screen(PracticeScreen(app.coach.practice(Scope("all")), "Practice"))
        await ready(pilot, "PracticeScreen")
        await pilot.pause()
        choices = app.screen.query_one(Choices)
        assert assert_hanging(choices), "the longest options wrap at 80 columns"
        await pilot.press(*keys_for_wrong_answer(choices), "enter")
        view, _ = await verdict_in_view(pilot)
        assert assert_hanging(view.choices)
        await pilot.press("escape")
        await pilot.press("escape")
        await ready(pilot)
        # The exam.
        from quizapp.tui.screens.exam import ExamScreen

        session = app.coach.start_exam(len(bank.questions), seed=1)
        app.push_screen(ExamScreen(session))
        await ready(pilot, "ExamScreen")
        wrapped = 0
        for position in range(len(session)):
            await pilot.pause()
            wrapped += assert_hanging(app.screen.query_one(Choices))
            if position < len(session) - 1:
                await pilot.press("right")
        assert wrapped
        # Results: the walk reuses the review.
        session.submit()
        app.switch_screen(ResultsScreen.of(session))
        await ready(pilot, "ResultsScreen")
        await pilot.press("a")
        view, _ = await verdict_in_view(pilot)
        wrapped = assert_hanging(view.choices)
        for _ in range(len(session) - 1):
            await pilot.press("right")
            view, _ = await verdict_in_view(pilot)
            wrapped += assert_hanging(view.choices)
        assert wrapped
