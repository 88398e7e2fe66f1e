"""Hostile or broken files are refused cleanly, quickly and without running anything."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from quizapp.content import load_catalog, yamlsafe


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
    # libyaml's composer recurses in C: without the depth guard these crash the interpreter.
    start = time.perf_counter()
    message = _only_problem(write_bank(q=text))
    assert time.perf_counter() - start < 1.0
    assert "nested more than" in message


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
