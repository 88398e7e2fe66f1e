"""Bank text is data, never terminal control: ESC, other C0/C1 controls, DEL and bidi overrides are
refused in any string of a bank file, at the character itself, and never reach a printed line."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.content import Location, Problem, load_catalog
from quizapp.content.discovery import bundled_blueprint_path
from quizapp.textsafe import UNSAFE
from tests.content import samples

STEM = "stem: Which model reads a photo and answers a question about it in text?"
MARK = "\u27ea"
REF_TITLE = "title: Amazon Bedrock User Guide"
REF_URL = "https://docs.aws.amazon.com/bedrock/latest/userguide/what-is-bedrock.html"
"""Stands where the refused character (raw or escaped) goes, so each case knows its own position."""

FLASH = """
deck: Sample deck
cards:
  - id: fc-one
    task: "2.2"
    front: Amazon Nova Reel
    back: Generates short video from a text prompt.
    tags: [nova]
"""


def _case(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


# (name, file, text with MARK, what MARK becomes, the refused character)
CASES = [
    ("stem-escape-e", "q", _case(samples.SINGLE, STEM, f'stem: "{MARK}[2JWhich model?"'), "\\e", "\x1b"),
    (
        "option-osc52",
        "q",
        _case(samples.SINGLE, "text: A speech synthesis model", f'text: "{MARK}]52;c;aGk=\\x07speech"'),
        "\\x1b",
        "\x1b",
    ),
    (
        "why-bidi-escape",
        "q",
        _case(samples.SINGLE, "why: It makes audio.", f'why: "It {MARK}"'),
        "\\u202e",
        "\u202e",
    ),
    (
        "explanation-raw-bidi",
        "q",
        _case(samples.SINGLE, "explanation: Image", f"explanation: Image {MARK}"),
        "\u202e",
        "\u202e",
    ),
    (
        "ref-url-nul",
        "q",
        _case(samples.SINGLE, f"url: {REF_URL}", f'url: "{REF_URL.replace("com/", "com/" + MARK)}"'),
        "\\0",
        "\x00",
    ),
    (
        "ref-c1",
        "q",
        _case(samples.SINGLE, REF_TITLE, f'title: "Amazon {MARK}Bedrock User Guide"'),
        "\\x9b",
        "\x9b",
    ),
    ("tag-bel", "q", _case(samples.SINGLE, "tags: [multimodal]", f'tags: ["multi{MARK}"]'), "\\a", "\x07"),
    ("id-isolate", "q", _case(samples.SINGLE, "id: s-001", f'id: "s-001{MARK}"'), "\\u2066", "\u2066"),
    ("key-del", "q", _case(samples.SINGLE, "stem:", f'"st{MARK}em":'), "\\x7f", "\x7f"),
    ("long-escape", "q", _case(samples.SINGLE, STEM, f'stem: "{MARK}Which model?"'), "\\U0000001b", "\x1b"),
    (
        "scenario",
        "q",
        _case(
            samples.CASE,
            "scenario: An insurer wants an assistant for claim photos.",
            f'scenario: "An {MARK}insurer."',
        ),
        "\\r",
        "\r",
    ),
    (
        "plain-backslash-then-raw",
        "q",
        _case(samples.SINGLE, "why: It generates images.", f"why: It generates images\\{MARK}"),
        "\u202e",
        "\u202e",
    ),
    (
        "block-scalar-second-line",
        "q",
        _case(
            samples.SINGLE,
            "explanation: Image and text in, text out.",
            f"explanation: |\n      ok\n      in {MARK}x",
        ),
        "\u2067",
        "\u2067",
    ),
    (
        "deck-name-osc",
        "fc_deck",
        _case(FLASH, "deck: Sample deck", f'deck: "Deck{MARK}]0;pwned"'),
        "\\e",
        "\x1b",
    ),
    ("card-front-raw", "fc_deck", _case(FLASH, "front: Amazon", f"front: {MARK}Amazon"), "\u2067", "\u2067"),
    (
        "card-back-nul",
        "fc_deck",
        _case(FLASH, "back: Generates short video from a text prompt.", f'back: "{MARK}Generates video."'),
        "\\0",
        "\x00",
    ),
]


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list | tuple):
        return [s for v in value for s in _strings(v)]
    return []


def _position(text: str) -> tuple[int, int]:
    before = text[: text.index(MARK)]
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def _prepared(text: str) -> str:
    """The case's text as written to the file (dedented as write_bank does), MARK still in place."""
    import textwrap

    return textwrap.dedent(text).lstrip("\n")


@pytest.mark.parametrize(("name", "file", "text", "written", "char"), CASES, ids=[c[0] for c in CASES])
def test_unsafe_text_is_refused_at_the_character(write_bank, name, file, text, written, char):
    prepared = _prepared(text)
    line, column = _position(prepared)
    folder = write_bank(**{file: prepared.replace(MARK, written)})
    catalog = load_catalog([folder])
    here = [p for p in catalog.problems if f"U+{ord(char):04X}" in p.message]
    assert [(p.line, p.column) for p in here] == [(line, column)], catalog.problems
    assert Path(here[0].path).name == f"{file}.yaml"
    # Nothing unsafe is in the bank or in any problem line, and the item holding the string is refused
    # (a refused deck name only costs the deck its name: its cards are filed under the file's).
    assert not any(UNSAFE.search(str(p)) for p in catalog.problems)
    bank = catalog.primary
    items = [*bank.questions.values(), *bank.flashcards.values(), *bank.case_studies.values()]
    texts = [*_strings([item.model_dump() for item in items]), *bank.deck_of.values()]
    assert not any(UNSAFE.search(t) for t in texts)
    if name == "deck-name-osc":
        assert bank.deck_of == {"fc-one": "fc_deck"}
    else:
        assert "s-001" not in bank.questions and "fc-one" not in bank.flashcards
        assert "cs-001" not in bank.case_studies


def test_blueprint_titles_are_checked_too(write_bank):
    text = bundled_blueprint_path().read_text(encoding="utf-8")
    text = _case(
        text,
        "title: Explain basic AI concepts and terminologies",
        'title: "\\e]0;x\\aExplain basic AI concepts"',
    )
    folder = write_bank(blueprint=text, q=samples.ORDERING)
    catalog = load_catalog([folder])
    assert any(
        p.path.endswith("blueprint.yaml") and "U+001B" in p.message and (p.line, p.column) == (17, 17)
        for p in catalog.problems
    ), catalog.problems


@pytest.mark.parametrize(
    "stem",
    ['"C:\\\\eval and \\\\x1b are just text"', "'single quotes keep \\e as two characters'", "plain \\e too"],
)
def test_backslashes_that_are_not_control_escapes_are_fine(write_bank, stem):
    folder = write_bank(
        q=_case(
            samples.SINGLE,
            "stem: Which model reads a photo and answers a question about it in text?",
            f"stem: {stem}",
        )
    )
    catalog = load_catalog([folder])
    assert not catalog.problems
    assert "\\" in catalog.primary.questions["s-001"].stem


def test_crlf_files_are_fine(write_bank):
    folder = write_bank(q="x")
    path = folder / "questions" / "q.yaml"
    path.write_bytes(_prepared(samples.SINGLE).replace("\n", "\r\n").encode())
    catalog = load_catalog([folder])
    assert not catalog.problems and "s-001" in catalog.primary.questions


def test_every_unsafe_string_of_a_file_is_reported_at_once(write_bank):
    text = _case(samples.SINGLE, STEM, 'stem: "\\eWhich model?"')
    text = _case(text, "why: It makes audio.", 'why: "\\u202e"')
    catalog = load_catalog([write_bank(q=text)])
    assert len([p for p in catalog.problems if "U+" in p.message]) == 2


def test_problem_lines_escape_what_they_echo():
    problem = Problem("q\x1b[31m.yaml", 3, 4, "unknown key 'a\x1b]52;c;x\x07' \u202e")
    shown = str(problem)
    assert not UNSAFE.search(shown)
    assert "q\\x1b[31m.yaml:3:4:" in shown
    assert problem.path == "q\x1b[31m.yaml"  # the data keeps the real name
    assert str(Location("a\x1b.yaml", 1, 2)) == "a\\x1b.yaml:1:2"


def _validate(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "quizapp", "validate", *args], capture_output=True, timeout=60, check=False
    )


def test_validate_prints_no_raw_escape_for_a_hostile_bank(tmp_path):
    folder = tmp_path / "bank" / "questions"
    folder.mkdir(parents=True)
    text = _case(_prepared(samples.SINGLE), STEM[4:], 'stem: "\\e]52;c;aGk=\\aWhich model?"')
    text = _case(text, "tags: [multimodal]", 'tags: [multimodal]\n    "\\e[2J": 1')
    (folder / "q\x1b]0;title\x07.yaml").write_text(text, encoding="utf-8")
    for args in ((str(folder.parent),), (str(folder.parent), "--json")):
        proc = _validate(*args)
        assert proc.returncode == 1
        assert b"Traceback" not in proc.stdout + proc.stderr
        output = (proc.stdout + proc.stderr).decode("utf-8")
        assert not UNSAFE.search(output), output
        assert "U+001B" in output
