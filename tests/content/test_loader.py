"""The loader: valid banks load; every rule of the contract is reported at the right line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from quizapp.content import BankError, load_catalog, load_strict
from quizapp.content.models import MatchingQuestion, MultiQuestion, OrderingQuestion, SingleQuestion
from tests.content import samples


def _problems(folder: Path) -> list[str]:
    catalog = load_catalog([folder])
    return [f"{Path(p.path).name}:{p.line}:{p.column}: {p.message}" for p in catalog.problems]


@pytest.mark.parametrize(
    ("text", "model", "qid"),
    [
        (samples.SINGLE, SingleQuestion, "s-001"),
        (samples.MULTI, MultiQuestion, "m-001"),
        (samples.ORDERING, OrderingQuestion, "o-001"),
        (samples.MATCHING, MatchingQuestion, "x-001"),
    ],
)
def test_each_question_type_loads(write_bank, text, model, qid):
    catalog = load_strict([write_bank(q=text)])
    question = catalog.primary.questions[qid]
    assert isinstance(question, model)
    assert catalog.locations[qid].line == 2


def test_case_study_questions_inherit_task_and_stay_together(write_bank):
    catalog = load_strict([write_bank(q=samples.CASE)])
    bank = catalog.primary
    assert list(bank.case_studies) == ["cs-001"]
    assert bank.questions["cs-001-q1"].task == "3.1"
    assert bank.questions["cs-001-q2"].task == "4.1"
    assert bank.case_of == {"cs-001-q1": "cs-001", "cs-001-q2": "cs-001"}


def test_deck_loads_and_cards_know_their_deck(write_bank):
    bank = load_strict([write_bank(fc_deck=samples.DECK)]).primary
    assert bank.flashcards["fc-nova-reel"].front == "Amazon Nova Reel"
    assert bank.deck_of["fc-nova-reel"] == "Sample deck"


def test_folder_without_blueprint_uses_the_bundled_one(write_bank):
    bank = load_strict([write_bank(q=samples.SINGLE)]).primary
    assert bank.exam == "AIF-C01"
    assert len(bank.blueprint.task_ids()) == 14


def test_folder_with_its_own_blueprint_is_its_own_exam(write_bank):
    folder = write_bank(
        blueprint="""
        exam: TOY-01
        title: Toy exam
        format: {questions: 4, scored: 4, minutes: 5, scale: [0, 100], passing: 50}
        domains:
          - id: 1
            name: Only
            weight: 100
            tasks: [{id: "1.1", title: Everything}]
        """,
        q=samples.ORDERING.replace('"1.3"', '"1.1"'),
    )
    catalog = load_strict([folder])
    assert "TOY-01" in catalog.banks
    assert "o-001" in catalog.banks["TOY-01"].questions
    assert catalog.primary.exam == "AIF-C01"


def _single_with(options: str) -> str:
    return (
        textwrap.dedent("""
    questions:
      - id: s-002
        task: "2.1"
        type: single
        stem: Which?
        options:
    """)
        + textwrap.indent(textwrap.dedent(options).strip("\n"), "      ")
        + "\n    explanation: x\n"
    )


INVALID = {
    "unknown key (typo)": (
        samples.SINGLE.replace("        correct: true\n", "        corect: true\n", 1),
        "q.yaml:9:9",
        "unknown key 'corect' (did you mean 'correct'?)",
    ),
    "single with two correct": (
        samples.SINGLE.replace(
            "why: It generates images.", "correct: true\n        why: It generates images."
        ),
        "q.yaml:8:7",
        "exactly one correct option, found 2",
    ),
    "single with two distractors": (
        _single_with("""
          - {text: a, correct: true, why: x}
          - {text: b, why: x}
          - {text: c, why: x}
        """),
        "q.yaml:7:7",
        "at least 3 distractors, found 2",
    ),
    "multi correct count differs from choose": (
        samples.MULTI.replace("correct: true, why: Customers choose keys.", "why: Customers choose keys."),
        "q.yaml:8:7",
        "choose is 2 but 1 option(s) are marked correct",
    ),
    "multi with four options": (
        samples.MULTI.replace("      - {text: Physical network, why: AWS owns the network.}\n", ""),
        "q.yaml:8:7",
        "at least 5 options, found 4",
    ),
    "multi choose one": (
        samples.MULTI.replace("choose: 2", "choose: 1"),
        "q.yaml:5:13",
        "greater than or equal to 2",
    ),
    "ordering with two items": (
        samples.ORDERING.replace("[Collect data, Train, Evaluate, Deploy]", "[Collect data, Train]"),
        "q.yaml:6:12",
        "at least 3 items",
    ),
    "ordering with seven items": (
        samples.ORDERING.replace("[Collect data, Train, Evaluate, Deploy]", "[a, b, c, d, e, f, g]"),
        "q.yaml:6:12",
        "at most 6 items",
    ),
    "matching with repeated prompt": (
        samples.MATCHING.replace("prompt: Turn text into speech", "prompt: Extract text from scans"),
        "q.yaml:7:7",
        "prompt 'Extract text from scans' appears twice",
    ),
    "matching with repeated response": (
        samples.MATCHING.replace("response: Amazon Polly", "response: Amazon Textract"),
        "q.yaml:7:7",
        "response 'Amazon Textract' appears twice",
    ),
    "matching with two pairs": (
        samples.MATCHING.replace(
            "      - {prompt: Detect faces in images, response: Amazon Rekognition}\n", ""
        ),
        "q.yaml:7:7",
        "at least 3 items",
    ),
    "matching distractor equal to a response": (
        samples.MATCHING.replace("[Amazon Kendra]", "[Amazon Polly]"),
        "q.yaml:10:18",
        "response 'Amazon Polly' appears twice",
    ),
    "empty text": (
        samples.SINGLE.replace("why: It makes audio.", 'why: "  "'),
        "q.yaml:14:14",
        "text must not be empty",
    ),
    "empty stem": (
        samples.ORDERING.replace("stem: Order the stages.", 'stem: ""'),
        "q.yaml:5:11",
        "text must not be empty",
    ),
    "unknown type": (
        samples.ORDERING.replace("type: ordering", "type: essay"),
        "q.yaml:2:5",
        "type 'essay' is not one of",
    ),
    "missing why": (
        samples.SINGLE.replace("        why: It makes audio.\n", ""),
        "q.yaml:13:9",
        "missing required key 'why'",
    ),
    "unknown task": (
        samples.ORDERING.replace('"1.3"', '"6.1"'),
        "q.yaml:3:11",
        "task '6.1' is not a task statement of AIF-C01",
    ),
    "badly formed task": (
        samples.ORDERING.replace('"1.3"', '"one"'),
        "q.yaml:3:11",
        "must look like",
    ),
    "bad id": (
        samples.ORDERING.replace("id: o-001", "id: O 001"),
        "q.yaml:2:9",
        "must be lowercase",
    ),
    "boolean where text is expected": (
        samples.SINGLE.replace("why: It makes audio.", "why: yes"),
        "q.yaml:14:14",
        "YAML read a boolean",
    ),
    "case study with one question": (
        samples.CASE.split("      - id: cs-001-q2")[0],
        "q.yaml:6:7",
        "at least 2 items",
    ),
    "flashcard without back": (
        samples.DECK.replace("    back: Generates short video from a text prompt.\n", ""),
        "fc_q.yaml:3:5",
        "missing required key 'back'",
    ),
    "duplicate key": (
        samples.ORDERING.replace("    explanation:", "    stem: again\n    explanation:"),
        "q.yaml:7:5",
        "key 'stem' appears twice",
    ),
}


@pytest.mark.parametrize("case", list(INVALID), ids=list(INVALID))
def test_each_rule_is_reported_at_its_line(write_bank, case):
    text, where, message = INVALID[case]
    folder = write_bank(fc_q=text) if case == "flashcard without back" else write_bank(q=text)
    problems = _problems(folder)
    assert any(p.startswith(where) and message in p for p in problems), problems


def test_duplicate_ids_name_both_places(write_bank):
    folder = write_bank(a=samples.ORDERING, b=samples.ORDERING)
    problems = _problems(folder)
    assert any(
        p.startswith("b.yaml:2:5") and "already used at" in p and "a.yaml:2:5" in p for p in problems
    ), problems
    assert any(p.startswith("a.yaml:2:5") and "used again at" in p and "b.yaml:2:5" in p for p in problems), (
        problems
    )


def test_duplicate_ids_across_flashcards_and_questions(write_bank):
    folder = write_bank(q=samples.ORDERING, fc_d=samples.DECK.replace("fc-nova-reel", "o-001"))
    assert any("duplicate id 'o-001'" in p for p in _problems(folder))


def test_every_problem_in_every_file_is_reported_at_once(write_bank):
    folder = write_bank(
        a=samples.SINGLE.replace("correct: true\n", "corect: true\n", 1),
        b=samples.MATCHING.replace("response: Amazon Polly", "response: Amazon Textract"),
        c="questions: [unclosed\n",
        fc_d=samples.DECK.replace('"2.2"', '"9.9"'),
    )
    problems = _problems(folder)
    files = {p.split(":")[0] for p in problems}
    assert files == {"a.yaml", "b.yaml", "c.yaml", "fc_d.yaml"}, problems
    assert len(problems) >= 4


def test_valid_items_of_a_broken_file_still_load(write_bank):
    broken = (
        samples.ORDERING
        + textwrap.indent(
            textwrap.dedent("""
      - id: o-002
        task: "1.3"
        type: ordering
        stem: Too short.
        items: [a, b]
        explanation: x
    """).strip("\n"),
            "  ",
        )
        + "\n"
    )
    catalog = load_catalog([write_bank(q=broken)])
    assert list(catalog.primary.questions) == ["o-001"]
    assert len(catalog.problems) == 1


def test_strict_loading_raises_with_every_problem(write_bank):
    second = samples.ORDERING.replace('"1.3"', '"7.7"').replace("o-001", "o-002")
    folder = write_bank(a=samples.ORDERING, b=second)
    with pytest.raises(BankError) as info:
        load_strict([folder])
    assert "7.7" in str(info.value)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- just\n- a list\n", "top level must be a mapping"),
        ("title: something else\n", "not a bank file"),
        ("", "file is empty"),
        ("questions: [a\n", "expected ',' or ']'"),
    ],
)
def test_files_that_are_not_banks(write_bank, text, message):
    problems = _problems(write_bank(q=text))
    assert any(message in p for p in problems), problems


def test_invalid_blueprint_is_reported(write_bank):
    folder = write_bank(
        blueprint="""
        exam: TOY-01
        title: Toy
        format: {questions: 4, scored: 4, minutes: 5, scale: [0, 100], passing: 50}
        domains:
          - {id: 1, name: A, weight: 60, tasks: [{id: "1.1", title: T}]}
          - {id: 2, name: B, weight: 30, tasks: [{id: "2.1", title: U}]}
        """,
        q=samples.ORDERING,
    )
    problems = _problems(folder)
    assert any("blueprint.yaml:5:3" in p and "sum to 100, not 90" in p for p in problems), problems
