"""Banks as an Anki package, so flashcards (and, on request, questions) can be studied on a phone.

What makes a second export an update in Anki rather than a second copy of everything: every note's
GUID is a hash of the item's id, and the note types and decks have ids hashed from fixed names.
Anki matches an imported note to the one it has by GUID and keeps the learner's review history.

A shared bank is untrusted and Anki fields are HTML, so bank text is HTML-escaped first; only then
is a little Markdown (paragraphs, list lines, `code`, **bold**) turned into tags this module writes
itself. No HTML from a bank ever reaches a field.

`genanki` is imported by `build_package` only, so that starting `quizapp` never pays for it.
"""

from __future__ import annotations

import hashlib
import html
import random
import re
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.content.models import (
    AnyQuestion,
    MatchingQuestion,
    MultiQuestion,
    OrderingQuestion,
    SingleQuestion,
    ref_text,
)

if TYPE_CHECKING:
    from quizapp.content import Bank, Flashcard

ROOT_DECK = "quizapp"
QUESTIONS_DECK = "Questions"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def stable_id(name: str) -> int:
    """An Anki model or deck id from a fixed name: the same in every export, in genanki's usual
    range (2**30 to 2**31), so a newer package lands in the same note types and decks."""
    digest = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return (1 << 30) + digest % (1 << 30)


def note_guid(kind: str, exam: str, item_id: str) -> str:
    """The note's GUID: derived from the item id only (and its kind and exam), never from its text,
    so an edited card updates the note the learner already has."""
    import genanki

    return genanki.guid_for(ROOT_DECK, exam, kind, item_id)


def anki_tag(text: str) -> str:
    """An Anki tag: no whitespace (Anki splits tags on it), no control characters."""
    return re.sub(r"[\s\x00-\x1f\x7f]+", "_", text.strip()) or "_"


def deck_part(text: str) -> str:
    """A deck-name part: `::` would make Anki nest a sub-deck, so it is kept out of titles."""
    return re.sub(r"\s+", " ", text.replace("::", ":")).strip() or "_"


# --------------------------------------------------------------------------- bank text as HTML

_CODE = re.compile(r"`([^`\n]+)`")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_LIST_LINE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")


def _inline(escaped: str) -> str:
    """`code` and **bold** in text that is already HTML-escaped (so the tags are the only HTML)."""
    parts = _CODE.split(escaped)
    out = []
    for i, part in enumerate(parts):
        out.append(f"<code>{part}</code>" if i % 2 else _BOLD.sub(r"<b>\1</b>", part))
    return "".join(out)


def html_text(text: str) -> str:
    """Bank Markdown as safe HTML: escaped, blank lines make paragraphs, list lines keep their breaks."""
    return "".join(f"<p>{body}</p>" for body in _paragraphs(text))


def html_inline(text: str) -> str:
    """The same, without paragraph tags: for an option or a why, which sit on one line with a letter."""
    return "<br><br>".join(_paragraphs(text))


def _paragraphs(text: str) -> list[str]:
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines: list[str] = []
        for line in block.splitlines():
            if lines and not _LIST_LINE.match(line):
                lines[-1] += " " + line.strip()
            else:
                lines.append(line.strip())
        paragraphs.append("<br>".join(_inline(html.escape(line, quote=True)) for line in lines))
    return paragraphs


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


# --------------------------------------------------------------------------- notes as plain data


@dataclass(frozen=True)
class AnkiNote:
    guid: str
    fields: tuple[str, ...]
    tags: tuple[str, ...]


@dataclass
class AnkiDeck:
    name: str
    notes: list[AnkiNote] = field(default_factory=list)

    @property
    def id(self) -> int:
        return stable_id(f"quizapp deck {self.name}")


@dataclass
class Export:
    """What goes into the package, before genanki: decks of notes (a plain value, easy to test)."""

    flashcard_decks: list[AnkiDeck] = field(default_factory=list)
    question_decks: list[AnkiDeck] = field(default_factory=list)

    @property
    def flashcards(self) -> int:
        return sum(len(d.notes) for d in self.flashcard_decks)

    @property
    def questions(self) -> int:
        return sum(len(d.notes) for d in self.question_decks)


def _tags(task: str, tags: Iterable[str], kind: str) -> tuple[str, ...]:
    own = (anki_tag(t) for t in tags)
    return tuple(dict.fromkeys([f"{ROOT_DECK}::{kind}", f"task::{task}", *own]))


def _task_line(bank: Bank, task: str) -> str:
    try:
        title = bank.blueprint.task_title(task)
    except KeyError:
        return f"Task {_esc(task)}"
    return f"Task {_esc(task)}: {_esc(title)}"


def flashcard_note(bank: Bank, card: Flashcard) -> AnkiNote:
    return AnkiNote(
        guid=note_guid("flashcard", bank.exam, card.id),
        fields=(html_text(card.front), html_text(card.back), _task_line(bank, card.task)),
        tags=_tags(card.task, card.tags, "flashcard"),
    )


def _shuffled(values: list[Any], seed: str) -> list[Any]:
    """A fixed order per item (the same in every export), so the key is not always first."""
    order = list(values)
    random.Random(seed).shuffle(order)
    return order


def _question_sides(question: AnyQuestion) -> tuple[str, str]:
    """The question's own part of the front (after stem), and the key part of the back."""
    if isinstance(question, SingleQuestion | MultiQuestion):
        options = _shuffled(question.options, question.id)
        front = "<ol type='A' class='options'>" + "".join(f"<li>{html_inline(o.text)}</li>" for o in options)
        front += "</ol>"
        if isinstance(question, MultiQuestion):
            front = f"<p><i>Choose {question.choose}.</i></p>" + front
        key = ", ".join(LETTERS[i] for i, o in enumerate(options) if o.correct)
        whys = "".join(
            f"<li class='{'right' if o.correct else 'wrong'}'><b>{LETTERS[i]}</b> "
            f"{'✓' if o.correct else '✗'} {html_inline(o.why)}</li>"
            for i, o in enumerate(options)
        )
        return front, f"<p class='key'>Answer: {key}</p><ul class='whys'>{whys}</ul>"
    if isinstance(question, OrderingQuestion):
        shown = _shuffled(question.items, question.id)
        front = "<p><i>Put in order:</i></p><ul>" + "".join(f"<li>{html_inline(i)}</li>" for i in shown)
        back = "<p class='key'>Order:</p><ol>" + "".join(f"<li>{html_inline(i)}</li>" for i in question.items)
        return front + "</ul>", back + "</ol>"
    if isinstance(question, MatchingQuestion):
        responses = _shuffled([p.response for p in question.pairs] + list(question.distractors), question.id)
        front = "<p><i>Match each to one of:</i></p><ul>"
        front += "".join(f"<li>{html_inline(r)}</li>" for r in responses) + "</ul><ol>"
        front += "".join(f"<li>{html_inline(p.prompt)}</li>" for p in question.pairs) + "</ol>"
        back = "<p class='key'>Matches:</p><ul>" + "".join(
            f"<li>{html_inline(p.prompt)} → {html_inline(p.response)}</li>" for p in question.pairs
        )
        return front, back + "</ul>"
    raise TypeError(f"not a question: {type(question).__name__}")  # pragma: no cover


def question_note(bank: Bank, question: AnyQuestion) -> AnkiNote:
    scenario = bank.scenario_of(question.id)
    front = f"<div class='scenario'>{html_text(scenario)}</div>" if scenario else ""
    own, key = _question_sides(question)
    front += f"<div class='stem'>{html_text(question.stem)}</div>{own}"
    back = key + f"<div class='explanation'>{html_text(question.explanation)}</div>"
    if question.refs:
        back += "<ul class='refs'>" + "".join(f"<li>{_esc(ref_text(r))}</li>" for r in question.refs)
        back += "</ul>"
    return AnkiNote(
        guid=note_guid("question", bank.exam, question.id),
        fields=(front, back, _task_line(bank, question.task)),
        tags=_tags(question.task, question.tags, "question"),
    )


def collect(banks: Iterable[Bank], *, questions: bool = False) -> Export:
    """Decks and notes for these banks: one deck per flashcard deck, and with `questions` one per
    domain. A bank beyond the first (another exam) gets its exam code in its deck names."""
    export = Export()
    for n, bank in enumerate(banks):
        root = ROOT_DECK if n == 0 else f"{ROOT_DECK}::{deck_part(bank.exam)}"
        decks: dict[str, AnkiDeck] = {}
        for card_id, card in bank.flashcards.items():
            name = f"{root}::{deck_part(bank.deck_of.get(card_id, 'Flashcards'))}"
            decks.setdefault(name, AnkiDeck(name)).notes.append(flashcard_note(bank, card))
        export.flashcard_decks.extend(decks.values())
        if not questions:
            continue
        by_domain = {
            d.id: AnkiDeck(f"{root}::{QUESTIONS_DECK}::{deck_part(f'Domain {d.id} {d.name}')}")
            for d in bank.blueprint.domains
        }
        for question_id in bank.questions:
            question = bank.questions[question_id]
            by_domain[bank.domain_of(question)].notes.append(question_note(bank, question))
        export.question_decks.extend(d for d in by_domain.values() if d.notes)
    return export


# --------------------------------------------------------------------------- the package

CSS = """
.card { font-family: sans-serif; font-size: 18px; text-align: left; color: black; background: white; }
.nightMode .card, .card.night_mode { color: #eee; background: #222; }
.task { font-size: 13px; color: #888; margin-top: 1em; }
.key { font-weight: bold; }
.whys li.right { color: #2a7a2a; }
.refs { font-size: 14px; word-break: break-all; }
code { font-family: monospace; }
"""

FLASHCARD_MODEL = "quizapp flashcard"
QUESTION_MODEL = "quizapp question"


def _models() -> tuple[Any, Any]:
    import genanki

    flashcard = genanki.Model(
        stable_id("quizapp flashcard model v1"),
        FLASHCARD_MODEL,
        fields=[{"name": "Front"}, {"name": "Back"}, {"name": "Task"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Front}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Back}}<div class='task'>{{Task}}</div>",
            }
        ],
        css=CSS,
    )
    question = genanki.Model(
        stable_id("quizapp question model v1"),
        QUESTION_MODEL,
        fields=[{"name": "Question"}, {"name": "Answer"}, {"name": "Task"}],
        templates=[
            {
                "name": "Card 1",
                "qfmt": "{{Question}}",
                "afmt": "{{FrontSide}}<hr id=answer>{{Answer}}<div class='task'>{{Task}}</div>",
            }
        ],
        css=CSS,
    )
    return flashcard, question


def build_package(export: Export, *, timestamp: float | None = None) -> bytes:
    """The `.apkg` bytes (the caller writes them atomically where the learner asked).

    `timestamp` (default: now) is the notes' modification time: Anki updates a note it has from a
    package only when the package's note is newer, so tests pass one to stand for "a later export"."""
    import genanki

    flashcard_model, question_model = _models()
    decks = []
    for group, model in ((export.flashcard_decks, flashcard_model), (export.question_decks, question_model)):
        for deck in group:
            anki_deck = genanki.Deck(deck.id, deck.name)
            for note in deck.notes:
                anki_deck.add_note(
                    genanki.Note(model=model, fields=list(note.fields), tags=list(note.tags), guid=note.guid)
                )
            decks.append(anki_deck)
    with tempfile.TemporaryDirectory(prefix="quizapp-anki-") as folder:
        path = Path(folder) / "export.apkg"
        genanki.Package(decks).write_to_file(str(path), timestamp=timestamp)
        return path.read_bytes()


def write_package(path: Path, banks: Iterable[Bank], *, questions: bool = False) -> Export:
    """Collect, build and write the package atomically (a file already there is replaced whole or
    left as it was); OSError for the caller to word. What `anki-export` and the app's palette do."""
    from quizapp.atomic import write_atomic

    export = collect(banks, questions=questions)
    write_atomic(Path(path), build_package(export), mode=0o644)
    return export


def describe_export(export: Export, *, questions: bool) -> str:
    said = f"{export.flashcards} flashcards in {len(export.flashcard_decks)} decks"
    if questions:
        said += f" and {export.questions} questions in {len(export.question_decks)} decks"
    return said
