"""The lifecycle registry (questions/lifecycle.yaml): valid, located errors, and no item keys a retired
service or model for new work."""

from __future__ import annotations

import re
import textwrap
from datetime import date
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.content import bundled_root, load_catalog
from quizapp.content.lifecycle import LifecycleEntry, lifecycle_files, load_lifecycle, name_pattern
from quizapp.content.models import DOC_URL, MatchingQuestion, MultiQuestion, SingleQuestion
from tests.content.test_bank_quality import SERVICES

REGISTRY = bundled_root() / "questions" / "lifecycle.yaml"

ENTRY = """\
lifecycle:
  - name: Amazon Example
    aliases: [Example]
    status: active
    checked: 2026-12-01
    url: https://docs.aws.amazon.com/example/latest/dg/what-is.html
"""


@pytest.fixture(scope="module")
def registry() -> list[LifecycleEntry]:
    result = load_lifecycle(REGISTRY)
    assert not result.problems, "\n".join(map(str, result.problems))
    return result.entries


# --------------------------------------------------------------------------- the registry itself


def test_registry_is_valid_and_checked_against_aws_documentation(registry):
    assert len(registry) >= len(SERVICES)
    for entry in registry:
        assert isinstance(entry.checked, date) and entry.checked <= date(2027, 1, 1), entry.name
        assert re.fullmatch(DOC_URL, entry.url), entry.url
        if entry.status == "legacy":
            assert isinstance(entry.eol, date), entry.name
        if entry.status == "closed":
            assert entry.closed_since or entry.note, entry.name


def test_registry_covers_every_in_scope_service(registry):
    names = {n.casefold() for e in registry for n in e.names}
    missing = [s for s in SERVICES if s.casefold() not in names]
    assert not missing, missing


def test_registry_records_the_known_retirements(registry):
    by_name = {e.name: e for e in registry}
    assert by_name["Amazon Nova Reel"].status == "legacy"
    assert by_name["Amazon Nova Reel"].eol == date(2026, 9, 30)
    assert by_name["Amazon Q Business"].status == "closed"
    assert by_name["Amazon Q Business"].instead == "Amazon Quick"
    assert by_name["Amazon SageMaker Clarify"].status == "closed"
    assert by_name["Amazon Augmented AI"].status == "closed"
    assert by_name["Amazon Nova 2 Sonic"].status == "active"


def test_the_registry_is_not_read_as_a_bank_file():
    catalog = load_catalog([bundled_root()])
    assert REGISTRY not in catalog.files
    assert not [p for p in catalog.problems if p.path.endswith("lifecycle.yaml")]


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "bank" / "questions" / "lifecycle.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def _messages(path: Path) -> list[str]:
    return [f"{p.line}:{p.column}: {p.message}" for p in load_lifecycle(path).problems]


def test_a_valid_registry_loads(tmp_path):
    result = load_lifecycle(_write(tmp_path, ENTRY))
    assert not result.problems
    assert result.entries[0].names == ["Amazon Example", "Example"]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("checked: 2026-12-01", 'checked: "2026-12-01"'), "5:14: lifecycle[0].checked: expected a date"),
        (("checked: 2026-12-01", "checked: 1"), "5:14: lifecycle[0].checked: expected a date"),
        (("status: active", "status: retired"), "4:13: lifecycle[0].status: Input should be"),
        (("status: active", "status: legacy"), "2:5: lifecycle[0]: status legacy needs 'eol'"),
        (
            ("status: active", "status: active\n    eol: 2026-01-01"),
            "2:5: lifecycle[0]: 'eol' does not belong",
        ),
        (("status: active", "status: closed"), "2:5: lifecycle[0]: status closed needs 'closed_since'"),
        (("https://docs.aws.amazon.com", "https://example.com"), "6:10: lifecycle[0].url: url"),
        (("https://docs", "http://docs"), "6:10: lifecycle[0].url: url"),
        (("aliases:", "alias:"), "3:5: lifecycle[0].alias: unknown key 'alias' (did you mean 'aliases'?)"),
    ],
)
def test_registry_errors_are_located(tmp_path, change, expected):
    messages = _messages(_write(tmp_path, ENTRY.replace(*change)))
    assert any(m.startswith(expected) for m in messages), messages


def test_duplicate_names_and_bad_yaml_are_located(tmp_path):
    twice = ENTRY + ENTRY.split("\n", 1)[1].replace("Amazon Example", "Amazon Other")
    assert any(
        "name 'Example' of 'Amazon Other' is already used" in m for m in _messages(_write(tmp_path, twice))
    )
    assert _messages(_write(tmp_path, "lifecycle: [\n"))[0].startswith("2:1: ")
    assert _messages(_write(tmp_path, "- a\n")) == [
        "1:1: top level must be a mapping with 'lifecycle': a list of entries"
    ]


def test_validate_reports_registry_problems_located_and_exits_1(tmp_path, capsys):
    path = _write(tmp_path, ENTRY.replace("checked: 2026-12-01", "checked: soon"))
    assert lifecycle_files([path.parent.parent]) == [path]
    code = main(["validate", str(path.parent.parent)])
    out = capsys.readouterr().out
    assert code == 1
    assert re.search(
        r"^\S*questions/lifecycle\.yaml:5:14: lifecycle\[0\]\.checked: expected a date", out, re.M
    )
    assert "Traceback" not in out
    # named on its own, the registry is validated as a registry, not refused as "not a bank file"
    assert main(["validate", str(path)]) == 1
    out = capsys.readouterr().out
    assert "lifecycle.yaml:5:14:" in out and "not a bank file" not in out


def test_name_pattern_matches_whole_names_as_written():
    pattern = name_pattern(["Nova Sonic", "Clarify"])
    assert pattern.search("Use Amazon Nova Sonic for speech")
    assert not pattern.search("Use Amazon Nova 2 Sonic for speech")
    assert not pattern.search("to clarify the request")
    assert not pattern.search("Nova Sonic-like")


# --------------------------------------------------------------------------- keying for new work

ALREADY = re.compile(
    r"\balready (?:uses?|using|runs?|has|have|relies|built)\b|\bexisting\b"
    r"|\bcurrently (?:uses?|using|runs?)\b|\b(?:has|have) (?:run|used|been (?:using|running))\b"
    r"|\bsince (?:19|20)\d\d\b",
    re.IGNORECASE,
)
STATUS = re.compile(
    r"\blegacy\b|closed to new customers|(?:no longer|not) open to new customers|end[- ]of[- ]life|\bEOL\b"
    r"|(?:has not|does not|no longer) accept(?:ed|s)? new|no longer available to new",
    re.IGNORECASE,
)


def keyed_retired(bank, entries: list[LifecycleEntry]) -> list[str]:
    """Every item whose key (or card) names a legacy or closed service or model for new work: the key
    text, the stem (and case scenario) or card saying neither that the company already uses it nor
    what its status is."""
    retired = [e for e in entries if e.retired]
    if not retired:
        return []
    patterns = [(e, name_pattern(e.names)) for e in retired]
    found: list[str] = []

    def check(item_id: str, where: str, text: str, context: str) -> None:
        if ALREADY.search(context) or STATUS.search(context) or STATUS.search(text):
            return
        for entry, pattern in patterns:
            match = pattern.search(text)
            if match:
                found.append(
                    f"{item_id}: {where} names {match.group()!r} ({entry.status}) -- {text.strip()[:90]}"
                )

    for q in bank.questions.values():
        context = f"{bank.scenario_of(q.id) or ''}\n{q.stem}"
        if isinstance(q, SingleQuestion | MultiQuestion):
            for option in q.options:
                if option.correct:
                    check(q.id, "key", option.text, context)
        elif isinstance(q, MatchingQuestion):
            for pair in q.pairs:
                check(q.id, "response", pair.response, f"{context}\n{pair.prompt}")
    for card in bank.flashcards.values():
        text = f"{card.front}\n{card.back}"
        check(card.id, "card", text, text)
    return found


def _tiny_bank(tmp_path: Path, stem: str, key: str, back: str):
    root = tmp_path / "tiny"
    (root / "questions").mkdir(parents=True)
    (root / "flashcards").mkdir()
    (root / "questions" / "q.yaml").write_text(
        textwrap.dedent(f"""\
        questions:
          - id: t-001
            task: "4.1"
            type: single
            stem: {stem}
            options:
              - {{text: {key}, correct: true, why: w}}
              - {{text: Amazon Comprehend, why: w}}
              - {{text: Amazon Polly, why: w}}
              - {{text: Amazon Lex, why: w}}
            explanation: e
        """),
        encoding="utf-8",
    )
    (root / "flashcards" / "d.yaml").write_text(
        f"deck: d\ncards:\n  - {{id: fc-t, task: '4.1', front: Bias review, back: {back}}}\n",
        encoding="utf-8",
    )
    catalog = load_catalog([root])
    return catalog.primary


def test_keying_rule_flags_new_work_and_spares_existing_use_and_stated_status(tmp_path, registry):
    bank = _tiny_bank(
        tmp_path / "a", "Which service should a new team use?", "SageMaker Clarify", "Use SageMaker Clarify"
    )
    assert [f.split(":")[0] for f in keyed_retired(bank, registry)] == ["t-001", "fc-t"]
    bank = _tiny_bank(
        tmp_path / "b",
        "A company already uses SageMaker Clarify. Which service does it keep?",
        "SageMaker Clarify",
        "SageMaker Clarify (closed to new customers) detects bias",
    )
    assert keyed_retired(bank, registry) == []
    bank = _tiny_bank(tmp_path / "c", "Which service?", "Amazon Nova 2 Sonic", "Amazon Nova 2 Sonic talks")
    assert keyed_retired(bank, registry) == []


def test_no_item_keys_a_legacy_or_closed_service_for_new_work(registry):
    bank = load_catalog([bundled_root()]).primary
    offending = keyed_retired(bank, registry)
    listed = "\n".join(offending)
    assert not offending, f"{len(offending)} item(s) key a retired name for new work:\n{listed}"
