"""Issue 14's cue checks over the whole bundled bank: the options must not answer the item.

A test-wise reader who never reads the stem picks the key by its length, by the absolute words
only distractors carry, or by a reason clause only distractors carry. `quizapp.content.cues`
measures those cues; these tests hold the bundled bank to them, and its unit tests below show the
measure itself counts what it says.
"""

from __future__ import annotations

import pytest

from quizapp.content import bundled_root, load_catalog
from quizapp.content.cues import CueReport, bank_cues, measure
from tests.factory import make_question

SHARE = 0.30
"""At most this share of a domain's single items has the key as its unique shortest (or longest)
option; by chance, with four options, each is 25 %."""
MIDDLE = 0.65
"""And at most this share has it as neither: a bank that never keys an extreme teaches the reader to
strike out the shortest and the longest option (by chance: 50 %)."""
MULTI_EXTREME = 0.20
"""Multiple response: the keys are exactly the N longest (or N shortest) options in at most this share
(by chance: 10 % for choose 2 of 5)."""
ABSOLUTE_RATIO = 1.5


@pytest.fixture(scope="module")
def report() -> CueReport:
    return bank_cues(load_catalog([bundled_root()]).primary)


def test_the_key_is_seldom_the_unique_shortest_or_longest_option_in_any_domain(report):
    for domain, cues in sorted(report.by_domain.items()):
        assert cues.single >= 20, domain
        shortest, longest = cues.shortest_share(), cues.longest_share()
        assert shortest <= SHARE, f"domain {domain}: key uniquely shortest {shortest:.0%}"
        assert longest <= SHARE, f"domain {domain}: key uniquely longest {longest:.0%}"


def test_the_key_is_not_always_of_middling_length(report):
    for domain, cues in sorted(report.by_domain.items()):
        middle = cues.middle_share()
        assert middle <= MIDDLE, f"domain {domain}: key of middling length {middle:.0%}"


def test_the_keys_of_multiple_response_items_are_not_the_longest_or_shortest_options(report):
    for domain, cues in sorted(report.by_domain.items()):
        assert cues.multi >= 10, domain
        assert cues.multi_longest_share() <= MULTI_EXTREME, (
            f"domain {domain}: keys are the longest options in {cues.multi_longest_share():.0%}"
        )
        assert cues.multi_shortest_share() <= MULTI_EXTREME, (
            f"domain {domain}: keys are the shortest options in {cues.multi_shortest_share():.0%}"
        )


def test_absolute_words_do_not_mark_the_distractors(report):
    total = report.total()
    counts = f"{total.distractor_absolute}/{total.distractor_options} vs "
    counts += f"{total.key_absolute}/{total.key_options}"
    assert total.absolute_ratio() <= ABSOLUTE_RATIO, (
        f"distractors carry absolute words {total.absolute_ratio():.2f}x as often as keys ({counts})"
    )


def test_no_item_where_only_distractors_carry_a_reason_clause(report):
    flagged = sorted(qid for qid, why in report.flagged.items() if any("reason clause" in w for w in why))
    assert flagged == []


def _single(texts: list[str], key: int):
    q = make_question("q", "1.1", "single")
    pairs = enumerate(zip(q.options, texts, strict=True))
    options = [o.model_copy(update={"text": text, "correct": i == key}) for i, (o, text) in pairs]
    return q.model_copy(update={"options": options})


def test_the_measure_counts_each_cue():
    shortest = _single(["Polly", "Amazon Transcribe with labels", "Amazon Translate batch", "Lex bot"], 0)
    longest = _single(["Polly", "Lex", "Amazon Transcribe with custom vocabulary", "Translate"], 2)
    tied = _single(["aaaa", "bbbb", "cccc", "dddd"], 1)
    loaded = _single(["Use Bedrock Guardrails", "Never log prompts", "Always retrain", "Skip it, because"], 0)
    report = measure([("1", shortest), ("1", longest), ("1", tied), ("2", loaded)])
    assert report.by_domain["1"].key_shortest == 1 and report.by_domain["1"].key_longest == 1
    assert report.by_domain["1"].single == 3
    assert report.by_domain["2"].distractor_absolute == 3 and report.by_domain["2"].key_absolute == 0
    assert report.total().absolute_ratio() > ABSOLUTE_RATIO
    assert any("reason clause" in w for w in report.flagged["q"])


def test_the_measure_sees_keys_that_are_the_longest_options_of_a_multi():
    q = make_question("m", "1.1", "multi")
    keys = {i for i, o in enumerate(q.options) if o.correct}
    options = [
        o.model_copy(update={"text": ("a long and detailed option " * 2 if i in keys else "short") + str(i)})
        for i, o in enumerate(q.options)
    ]
    report = measure([("1", q.model_copy(update={"options": options}))])
    assert report.by_domain["1"].keys_longest == 1 and report.by_domain["1"].multi_longest_share() == 1.0
