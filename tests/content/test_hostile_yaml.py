"""Hostile or broken files are refused cleanly, quickly and without running anything."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from quizapp.content import load_catalog, yamlsafe
from tests.content import samples


def _only_problem(folder: Path) -> str:
    catalog = load_catalog([folder])
    assert len(catalog.problems) >= 1
    problem = catalog.problems[0]
    return f"{Path(problem.path).name}:{problem.line}:{problem.column}: {problem.message}"


def test_python_object_tag_is_refused_and_never_executed(write_bank, tmp_path):
    marker = tmp_path / "pwned"
    folder = write_bank(
        q=f"""
    questions:
      - !!python/object/apply:os.system ["touch {marker}"]
    """
    )
    message = _only_problem(folder)
    assert message.startswith("q.yaml:2:5:")
    assert "tags are refused" in message
    assert not marker.exists()


@pytest.mark.parametrize("tag", ["!!python/name:os.system", "!custom {a: 1}", "!!binary aGVsbG8="])
def test_other_tags_are_refused(write_bank, tag):
    message = _only_problem(write_bank(q=f"questions:\n  - {tag}\n"))
    assert "q.yaml:2:" in message


def test_alias_bomb_is_refused_quickly(write_bank):
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        refs = ",".join([f"*a{i - 1}"] * 9)
        lines.append(f"a{i}: &a{i} [{refs}]")
    lines.append("questions: *a9")
    folder = write_bank(q="\n".join(lines) + "\n")
    start = time.perf_counter()
    message = _only_problem(folder)
    assert time.perf_counter() - start < 1.0
    assert "alias bomb" in message


def test_small_alias_reuse_is_allowed(write_bank):
    text = """
    questions:
      - id: o-001
        task: "1.3"
        type: ordering
        stem: &stem Order the stages.
        items: [a, b, c]
        explanation: *stem
    """
    catalog = load_catalog([write_bank(q=text)])
    assert not catalog.problems
    question = catalog.primary.questions["o-001"]
    assert question.explanation == "Order the stages."


def test_recursive_alias_is_refused(write_bank):
    assert "contains it" in _only_problem(write_bank(q="questions: &a [*a]\n"))


def _indented(levels: int, step: str = "  ") -> str:
    return "".join(f"{step * level}a:\n" for level in range(levels)) + step * levels + "x: 1\n"


@pytest.mark.parametrize(
    "text",
    [
        "[" * 300_000,
        "- " * 100_000 + "x",
        "? " * 100_000 + "x",
        "- ? - " * 30_000 + "x",
        "{a: " * 100_000,
        _indented(200),
        "questions:\n" + "  " + "- " * 80 + "x\n",
    ],
    ids=["flow", "compact-dash", "compact-question", "compact-mixed", "flow-map", "indent", "late"],
)
def test_deep_nesting_is_refused_without_crashing(write_bank, text):
    # libyaml's composer recurses in C: without the depth guard these crash the interpreter. Which
    # limit speaks first (quizapp's or, from libyaml 0.2.6, libyaml's own) and in what words is not
    # the point: one located problem, quickly, and the process still alive.
    start = time.perf_counter()
    catalog = load_catalog([write_bank(q=text)])
    assert time.perf_counter() - start < 1.0
    assert len(catalog.problems) == 1
    problem = catalog.problems[0]
    assert Path(problem.path).name == "q.yaml"
    assert problem.line >= 1 and problem.column >= 1 and problem.message


def test_tabs_between_compact_entries_do_not_crash_either(write_bank):
    start = time.perf_counter()
    assert _only_problem(write_bank(q="-\t" * 100_000 + "x"))
    assert time.perf_counter() - start < 1.0


def test_moderate_nesting_in_text_is_not_mistaken_for_an_attack(write_bank):
    stem = "[" * 200 + "]" * 200
    text = f"""
    questions:
      - id: o-001
        task: "1.3"
        type: ordering
        stem: "{stem}"
        items: [a, b, c]
        explanation: x
    """
    assert not load_catalog([write_bank(q=text)]).problems


def test_file_that_is_not_utf8_is_located(write_bank):
    folder = write_bank(q="questions:\n  - id: x\n")
    path = folder / "questions" / "q.yaml"
    path.write_bytes(b"questions:\n  - id: caf\xe9\n")
    assert _only_problem(folder).startswith("q.yaml:2:12: file is not UTF-8")


def test_utf8_bom_is_accepted(write_bank):
    folder = write_bank(q="x")
    path = folder / "questions" / "q.yaml"
    path.write_bytes(b"\xef\xbb\xbfquestions: []\n")
    assert not load_catalog([folder]).problems


def test_oversized_file_is_refused_before_parsing(write_bank, monkeypatch):
    monkeypatch.setattr(yamlsafe, "MAX_FILE_BYTES", 1000)
    folder = write_bank(q="questions: []\n" + "# padding\n" * 200)
    assert "MiB per file" in _only_problem(folder)


def test_unreadable_file_is_a_problem_not_a_crash(write_bank):
    folder = write_bank(q="questions: []\n")
    catalog = load_catalog([folder / "questions" / "vanished.yaml"])
    assert catalog.problems and "cannot read" in catalog.problems[0].message


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ('questions:\n  - id: !!str x\n    stem: "y"\n', (2, 9)),
        ("questions:\n  - !!binary aGVsbG8=\n", (2, 5)),
        ("questions:\n  - ! plain\n", (2, 5)),
        ("questions: [{id: !custom x}]\n", (1, 18)),
        ("!!map\nquestions: []\n", (1, 1)),
    ],
    ids=["str", "binary", "non-specific", "local-in-flow", "on-the-root"],
)
def test_every_explicit_tag_is_refused_where_it_is_written(write_bank, text, where):
    catalog = load_catalog([write_bank(q=text)])
    assert [(p.line, p.column) for p in catalog.problems] == [where]
    assert "tags are refused" in catalog.problems[0].message


def test_every_tag_and_merge_key_is_reported_at_once(write_bank):
    text = "base: &b {task: '1.1'}\nquestions:\n  - <<: *b\n    id: !!str a\n  - <<: *b\n    id: !!str b\n"
    catalog = load_catalog([write_bank(q=text)])
    assert [(p.line, p.column) for p in catalog.problems] == [(4, 9), (6, 9)]  # tags speak first
    text = text.replace("!!str ", "")
    catalog = load_catalog([write_bank(q=text)])
    assert [(p.line, p.column) for p in catalog.problems] == [(3, 5), (5, 5)]
    assert all("merge keys" in p.message for p in catalog.problems)


def test_an_exclamation_mark_in_text_is_not_a_tag(write_bank):
    text = samples.ORDERING.replace("stem: Order the stages.", "stem: Order the stages! Now!")
    catalog = load_catalog([write_bank(q=text)])
    assert not catalog.problems


@pytest.mark.parametrize(
    "number",
    ["1" * 5000, "-" + "9" * 31, "0x" + "f" * 40, "1_000" * 10, "1" + ":30" * 20_000],
    ids=["past-python-limit", "negative", "hex", "underscores", "sexagesimal"],
)
def test_an_overlong_integer_is_refused_with_its_place_and_quickly(write_bank, number):
    text = f"questions:\n  - id: o-001\n    choose: {number}\n"
    start = time.perf_counter()
    catalog = load_catalog([write_bank(q=text)])
    assert time.perf_counter() - start < 1.0
    assert [(p.line, p.column, "too long" in p.message) for p in catalog.problems] == [(3, 13, True)]


def test_other_files_still_load_next_to_one_with_a_huge_integer(write_bank):
    folder = write_bank(q=f"questions:\n  - choose: {'7' * 5000}\n", good=samples.ORDERING)
    catalog = load_catalog([folder])
    assert "o-001" in catalog.primary.questions
    assert len(catalog.problems) == 1


@pytest.mark.parametrize("value", ["2024-13-01", "2024-02-30 10:00:00"])
def test_a_value_that_cannot_be_built_is_located_not_a_traceback(write_bank, value):
    catalog = load_catalog([write_bank(q=f"questions:\n  - id: o-001\n    stem: {value}\n")])
    assert [(p.line, p.column) for p in catalog.problems] == [(3, 11)]


def test_a_raw_control_character_is_placed_at_itself(write_bank):
    folder = write_bank(q="x")
    (folder / "questions" / "q.yaml").write_bytes("questions:\n  - stem: é\x1b[2J\n".encode())
    catalog = load_catalog([folder])
    assert [(p.line, p.column) for p in catalog.problems] == [(2, 12)]
    assert "U+001B" in catalog.problems[0].message


@pytest.mark.parametrize(
    "code",
    [
        *range(0x00, 0x09),
        *range(0x0B, 0x20),
        *range(0x7F, 0xA0),
        *range(0x202A, 0x202F),
        *range(0x2066, 0x206A),
    ],
)
def test_no_unsafe_character_written_raw_reaches_a_bank(write_bank, code):
    # YAML readers refuse most raw, read CR and NEL as line breaks, and yamlrules finds the rest: either
    # way the question loads only if the character was read as a line break.
    folder = write_bank(q="x")
    text = samples.ORDERING.replace("stem: Order the stages.", "stem: Order {} the stages.")
    (folder / "questions" / "q.yaml").write_bytes(text.format(chr(code)).encode("utf-8"))
    catalog = load_catalog([folder])
    question = catalog.primary.questions.get("o-001")
    if question is None:
        assert catalog.problems
    else:
        assert code in (0x0D, 0x85) and chr(code) not in question.stem
