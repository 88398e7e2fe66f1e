"""`quizapp anki-export`: the package Anki opens, its decks, tags and GUIDs, and bank text kept as text.

The package is opened as Anki would read it (a zip holding a `collection.anki2` SQLite database),
so these tests check the file itself rather than what genanki was asked to do. When the official
`anki` package is importable, a newer export is imported over an older one to show notes update.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from quizapp.cli import main
from quizapp.content import default_sources, load_catalog
from tests.conftest import WriteBank

EVIL = "<b>x</b><script>alert(1)</script>"

EVIL_DECK = f"""
deck: "Evil <deck>"
cards:
  - id: fc-evil-1
    task: "1.2"
    front: "{EVIL}"
    back: "**bold** and `code` & {EVIL}"
    tags: [my tag, ok]
  - id: fc-evil-2
    task: "2.1"
    front: Second card
    back: A plain back.
"""

EVIL_QUESTION = f"""
questions:
  - id: q-evil-1
    task: "2.1"
    type: single
    tags: [two words]
    stem: "Which one? {EVIL}"
    options:
      - text: "Right {EVIL}"
        correct: true
        why: "Because {EVIL}"
      - text: Wrong one
        why: Not it.
      - text: Wrong two
        why: Not it either.
      - text: Wrong three
        why: Still not.
    explanation: "The explanation {EVIL}"
    refs:
      - title: Amazon Bedrock User Guide
        url: https://docs.aws.amazon.com/bedrock/latest/userguide/what-is-bedrock.html
"""


def read_package(path: Path, tmp_path: Path) -> dict:
    """Notes (guid, fields, tags, deck name) and deck names, read from the .apkg's SQLite file."""
    folder = tmp_path / f"open-{path.stem}"
    with zipfile.ZipFile(path) as package:
        package.extract("collection.anki2", folder)
    db = sqlite3.connect(folder / "collection.anki2")
    try:
        decks = {
            int(k): v["name"]
            for k, v in json.loads(db.execute("select decks from col").fetchone()[0]).items()
        }
        rows = db.execute(
            "select n.guid, n.flds, n.tags, c.did from notes n join cards c on c.nid = n.id order by n.id"
        ).fetchall()
        cards = db.execute("select count(*) from cards").fetchone()[0]
    finally:
        db.close()
    notes = [
        {"guid": guid, "fields": flds.split("\x1f"), "tags": tags.split(), "deck": decks[did]}
        for guid, flds, tags, did in rows
    ]
    return {"notes": notes, "decks": decks, "cards": cards}


def export(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, *args: str) -> dict:
    path = tmp_path / name
    assert main(["anki-export", str(path), *args]) == 0
    out = capsys.readouterr().out
    assert "wrote" in out and path.name in out
    return read_package(path, tmp_path)


def bank_of(*folders: Path):
    return load_catalog(default_sources(folders)).primary


def test_one_note_per_flashcard_in_a_deck_per_quizapp_deck(tmp_path: Path, capsys) -> None:
    bank = bank_of()
    package = export(tmp_path, capsys, "cards.apkg")
    notes = package["notes"]
    assert len(notes) == len(bank.flashcards) == package["cards"]
    expected = {f"quizapp::{name}" for name in bank.deck_of.values()}
    assert {n["deck"] for n in notes} == expected
    assert len(expected) > 1
    assert not any("Questions" in n["deck"] for n in notes)
    for note in notes:
        assert [t for t in note["tags"] if t.startswith("task::")], note
        assert "quizapp::flashcard" in note["tags"]


def test_questions_flag_adds_one_note_per_question_in_a_deck_per_domain(tmp_path: Path, capsys) -> None:
    bank = bank_of()
    notes = export(tmp_path, capsys, "all.apkg", "--questions")["notes"]
    questions = [n for n in notes if "quizapp::question" in n["tags"]]
    assert len(questions) == len(bank.questions)
    assert len(notes) == len(bank.questions) + len(bank.flashcards)
    domains = {f"quizapp::Questions::Domain {d.id} {d.name}" for d in bank.blueprint.domains}
    assert {n["deck"] for n in questions} == domains
    info = next(iter(bank.questions.infos()))
    mine = [n for n in questions if f"task::{info.task}" in n["tags"]]
    assert mine and all(
        n["deck"].startswith(f"quizapp::Questions::Domain {info.task.split('.')[0]} ") for n in mine
    )


def test_guids_are_stable_across_exports_and_differ_between_items(tmp_path: Path, capsys) -> None:
    first = export(tmp_path, capsys, "one.apkg", "--questions")["notes"]
    second = export(tmp_path, capsys, "two.apkg", "--questions")["notes"]
    guids = [n["guid"] for n in first]
    assert guids == [n["guid"] for n in second]
    assert len(set(guids)) == len(guids)


def test_bank_html_is_escaped_and_tags_have_no_spaces(tmp_path: Path, capsys, write_bank: WriteBank) -> None:
    folder = write_bank(fc_evil=EVIL_DECK, q_evil=EVIL_QUESTION)
    package = export(tmp_path, capsys, "evil.apkg", "--questions", "--bank-dir", str(folder))
    evil_card = next(n for n in package["notes"] if "<p>&lt;b&gt;x" in n["fields"][0])
    assert evil_card["deck"] == "quizapp::Evil <deck>"  # a deck name is text, not HTML
    front, back, task = evil_card["fields"]
    assert front == "<p>&lt;b&gt;x&lt;/b&gt;&lt;script&gt;alert(1)&lt;/script&gt;</p>"
    assert back.startswith("<p><b>bold</b> and <code>code</code> &amp; &lt;b&gt;x")
    assert task.startswith("Task 1.2: ")
    assert {"task::1.2", "my_tag", "ok"} <= set(evil_card["tags"])
    question = next(n for n in package["notes"] if "two_words" in n["tags"])
    assert "task::2.1" in question["tags"]
    assert question["deck"].startswith("quizapp::Questions::Domain 2 ")
    front, back, _ = question["fields"]
    assert "Which one? &lt;b&gt;x" in front and "Right &lt;b&gt;x" in front
    assert "Because &lt;b&gt;x" in back and "The explanation &lt;b&gt;x" in back
    assert "https://docs.aws.amazon.com/bedrock/latest/userguide/what-is-bedrock.html" in back
    letter = "ABCD"[
        front.split("<li>").index(next(p for p in front.split("<li>") if p.startswith("Right"))) - 1
    ]
    assert f"Answer: {letter}</p>" in back
    for note in package["notes"]:
        assert "<script" not in "".join(note["fields"])
        assert all(" " not in tag for tag in note["tags"])


def test_a_path_that_cannot_be_written_is_exit_1_with_the_reason(tmp_path: Path, capsys) -> None:
    target = tmp_path / "missing" / "cards.apkg"
    assert main(["anki-export", str(target)]) == 1
    err = capsys.readouterr().err
    assert f"quizapp: cannot write {target}: no such file or folder" in err
    assert "Traceback" not in err
    assert not target.parent.exists()


def test_a_failed_write_leaves_the_old_package_whole(tmp_path: Path, capsys, monkeypatch) -> None:
    target = tmp_path / "cards.apkg"
    target.write_bytes(b"old package")

    def full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("quizapp.atomic.os.replace", full)
    assert main(["anki-export", str(target)]) == 1
    assert f"quizapp: cannot write {target}: the disk is full" in capsys.readouterr().err
    assert target.read_bytes() == b"old package"
    assert [p.name for p in tmp_path.iterdir()] == ["cards.apkg"]


@pytest.mark.parametrize(
    "args",
    [
        ["anki-export"],
        ["anki-export", "cards.txt"],
        ["anki-export", "x.apkg", "--nope"],
        ["anki-export", "x.apkg", "--bank-dir", "/no/such/folder"],
    ],
)
def test_bad_arguments_are_exit_2(args: list[str], capsys, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(args)
    assert exit_.value.code == 2
    assert "usage:" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_starting_quizapp_does_not_import_genanki() -> None:
    code = "import sys, quizapp.cli; quizapp.cli.build_parser(); print('genanki' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_anki_imports_a_newer_export_as_updates(tmp_path: Path, write_bank: WriteBank) -> None:
    pytest.importorskip(
        "anki.collection", reason="the official `anki` package is not installed (pip install anki)"
    )
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    from quizapp.interop.anki import build_package, collect

    folder = write_bank(fc_evil=EVIL_DECK, q_evil=EVIL_QUESTION)
    older = tmp_path / "older.apkg"
    older.write_bytes(build_package(collect([bank_of(folder)], questions=True), timestamp=1_700_000_000))
    (folder / "flashcards" / "fc_evil.yaml").write_text(
        EVIL_DECK.replace("A plain back.", "An edited back."), encoding="utf-8"
    )
    newer = tmp_path / "newer.apkg"
    newer.write_bytes(build_package(collect([bank_of(folder)], questions=True), timestamp=1_700_086_400))

    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:

        def load(path: Path):
            request = ImportAnkiPackageRequest(
                package_path=str(path), options=ImportAnkiPackageOptions(with_scheduling=False)
            )
            return col.import_anki_package(request).log

        first = load(older)
        count = col.note_count()
        assert len(first.new) == count > 0
        second = load(newer)
        assert col.note_count() == count  # updated in place, nothing duplicated
        assert len(second.new) == 0 and len(second.updated) == count
        (edited,) = col.find_notes('"Second card"')
        assert col.get_note(edited)["Back"] == "<p>An edited back.</p>"
        assert "Evil <deck>" in " ".join(d.name for d in col.decks.all_names_and_ids())
    finally:
        col.close()
