"""The bundled AIF-C01 bank: clean, and teaching every line of the project's seed concepts."""

from __future__ import annotations

from collections import Counter

import pytest

from quizapp.content import bundled_root, load_catalog

# One tag per line of shared/design/seed-concepts.md; the bold lines must be tested three times.
SEED_LINES = {
    "seed-multimodal-input": 3,
    "seed-specialized-output": 3,
    "seed-truly-multimodal": 3,
    "seed-multimodal-counterexamples": 1,
    "seed-fm-definition": 1,
    "seed-fm-vs-task-specific": 1,
    "seed-fm-on-aws": 1,
    "seed-llm-capabilities": 1,
    "seed-text-to-image": 1,
    "seed-multimodal-understanding": 1,
    "seed-embedding-models": 1,
    "seed-audio-language": 1,
    "seed-video-generation": 1,
    "seed-domain-models": 1,
    "seed-transformers": 1,
    "seed-diffusion": 1,
    "seed-gans": 1,
    "seed-vaes": 1,
    "seed-multimodal-pipeline": 1,
    "seed-model-size": 1,
    "seed-selection-criteria": 1,
    "seed-model-access": 1,
    "seed-deployment-options": 1,
    "seed-model-patterns": 1,
    "seed-evaluation-refs": 1,
}


@pytest.fixture(scope="module")
def bank():
    catalog = load_catalog([bundled_root()])
    assert not catalog.problems, "\n".join(map(str, catalog.problems))
    return catalog.primary


def test_blueprint_is_aif_c01_v1_1(bank):
    blueprint = bank.blueprint
    assert (blueprint.exam, blueprint.version) == ("AIF-C01", "1.1")
    fmt = blueprint.format
    assert (fmt.questions, fmt.scored, fmt.minutes, fmt.scale, fmt.passing) == (65, 50, 90, (100, 1000), 700)
    assert [d.weight for d in blueprint.domains] == [20, 24, 28, 14, 14]
    assert blueprint.task_ids() == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "2.3",
        "3.1",
        "3.2",
        "3.3",
        "3.4",
        "4.1",
        "4.2",
        "5.1",
        "5.2",
    ]
    assert blueprint.task_title("1.3") == "Describe the AI/ML development lifecycle"


def test_starter_bank_size_and_types(bank):
    assert len(bank.questions) >= 40
    assert len(bank.flashcards) >= 40
    types = Counter(q.type for q in bank.questions.values())
    assert set(types) == {"single", "multi", "ordering", "matching"}
    assert len(bank.case_studies) >= 1
    assert all(len(c.questions) >= 2 for c in bank.case_studies.values())


@pytest.mark.parametrize("tag", list(SEED_LINES))
def test_every_seed_line_is_tested_and_taught(bank, tag):
    questions = sum(tag in q.tags for q in bank.questions.values())
    cards = sum(tag in c.tags for c in bank.flashcards.values())
    assert questions >= SEED_LINES[tag], f"{tag}: {questions} questions"
    assert cards >= 1, f"{tag}: no flashcard"


def test_every_question_explains_every_option_and_cites_a_source(bank):
    for question in bank.questions.values():
        assert question.refs, question.id
        for option in getattr(question, "options", []):
            assert option.why.strip(), question.id
