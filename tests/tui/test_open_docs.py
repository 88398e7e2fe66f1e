"""`o` in practice feedback and the results walk opens the item's AWS documentation, and nothing else."""

from __future__ import annotations

from quizapp.content import Bank
from quizapp.content.models import Ref
from quizapp.study.grading import correct_response
from quizapp.tui.dialogs.pick import PickDialog
from quizapp.tui.screens.results import ResultsScreen
from quizapp.tui.widgets.question import Choices, QuestionView
from tests.factory import make_bank
from tests.tui.helpers import build, keys_for_right_answer, open_practice, ready

SIZE = (100, 30)
BEDROCK = Ref(
    title="Amazon Bedrock: What is Amazon Bedrock?",
    url="https://docs.aws.amazon.com/bedrock/latest/userguide/what-is-bedrock.html",
)
GUARDRAILS = Ref(
    title="Amazon Bedrock Guardrails",
    url="https://docs.aws.amazon.com/bedrock/latest/userguide/guardrails.html",
)


def bank_with_refs(refs: list[Ref | str]) -> Bank:
    bank = make_bank(per_task=2, case_studies=0)
    for question in list(bank.questions.values()):
        bank.questions[question.id] = question.model_copy(update={"refs": refs})
    return bank


def recording(app) -> list[str]:  # noqa: ANN001
    opened: list[str] = []
    app.open_url = lambda url, **_: opened.append(url)  # never a real browser in tests
    return opened


async def answer(pilot) -> None:  # noqa: ANN001
    await pilot.press(*keys_for_right_answer(pilot.app.screen.query_one(Choices)), "enter")
    await pilot.pause()
    assert pilot.app.screen.query_one(QuestionView).choices.review


def offers_open_docs(app) -> bool:  # noqa: ANN001
    """Whether the footer offers `o` now."""
    return any(b.binding.action == "open_docs" and b.enabled for b in app.screen.active_bindings.values())


def feedback_refs(app) -> str:  # noqa: ANN001
    return str(app.screen.query_one(".refs").render())


async def test_o_opens_exactly_the_shown_url_and_nothing_before_feedback(tmp_path):
    app = build(tmp_path, bank_with_refs([BEDROCK]))
    opened = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        await pilot.press("o")  # before answering: hidden and inert
        await pilot.pause()
        assert opened == []
        assert not offers_open_docs(app)
        await answer(pilot)
        assert BEDROCK.url in feedback_refs(app)
        assert offers_open_docs(app)
        await pilot.press("o")
        await pilot.pause()
        assert opened == [BEDROCK.url]
        await pilot.press("enter")  # next question: feedback gone, so is the key
        await pilot.pause()
        await pilot.press("o")
        await pilot.pause()
        assert opened == [BEDROCK.url]


async def test_several_refs_are_picked_from_a_dialog(tmp_path):
    app = build(tmp_path, bank_with_refs([BEDROCK, "A title with no address", GUARDRAILS]))
    opened = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        await answer(pilot)
        await pilot.press("o")
        await ready(pilot, "PickDialog")
        assert isinstance(app.screen, PickDialog)
        labels = [label for label, _ in app.screen.choices]
        assert len(labels) == 2 and GUARDRAILS.url in labels[1] and GUARDRAILS.title in labels[1]
        assert opened == []
        await pilot.press("down", "enter")
        await pilot.pause()
        assert opened == [GUARDRAILS.url]
        assert type(app.screen).__name__ == "PracticeScreen"


async def test_a_bare_ref_is_shown_but_opens_nothing(tmp_path):
    app = build(tmp_path, bank_with_refs(["Amazon Bedrock User Guide"]))
    opened = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        await answer(pilot)
        assert "Amazon Bedrock User Guide" in feedback_refs(app)
        await pilot.press("o")
        await pilot.pause()
        assert opened == []
        assert type(app.screen).__name__ == "PracticeScreen"


async def test_results_walk_opens_the_walked_question_docs(tmp_path):
    app = build(tmp_path, bank_with_refs([GUARDRAILS]))
    opened = recording(app)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        session = app.coach.start_exam("full", seed=3)
        session.answer(correct_response(session.question(0)), position=0)
        session.submit()
        app.push_screen(ResultsScreen.of(session))
        await ready(pilot, "ResultsScreen")
        await pilot.press("o")  # on the summary: no question, nothing to open
        await pilot.pause()
        assert opened == []
        await pilot.press("a")
        await pilot.pause()
        assert GUARDRAILS.url in feedback_refs(app)
        await pilot.press("o")
        await pilot.pause()
        assert opened == [GUARDRAILS.url]
