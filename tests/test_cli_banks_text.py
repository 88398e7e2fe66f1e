"""`validate`'s text summary echoes names from bank files: none may reach the terminal raw."""

from __future__ import annotations

from quizapp.cli.banks import summary_text
from quizapp.content import Bank, Catalog
from tests.factory import blueprint

ESC_TITLE = "AIF\x1b]52;c;cHduZWQ=\x07 \u202eexam"


def test_summary_text_escapes_bank_derived_names():
    bp = blueprint()
    forged = bp.model_copy(
        update={
            "exam": "X\x1b[2J",
            "title": ESC_TITLE,
            "domains": [bp.domains[0].model_copy(update={"name": "Dom\x1b]0;PWNED\x07"}), *bp.domains[1:]],
        }
    )
    catalog = Catalog(banks={"X": Bank(forged)})
    summary = {
        "questions": 0,
        "case_studies": 0,
        "flashcards": 0,
        "by_domain": {"1": 0},
        "by_task": {"1.1\x1b[31m": 0},
        "by_type": {},
    }
    text = summary_text(catalog, summary)
    assert "\x1b" not in text and "\u202e" not in text and "\x07" not in text
    assert "X\\x1b[2J" in text and "\\u202eexam" in text and "Dom\\x1b]0;PWNED\\x07" in text
    assert "1.1\\x1b[31m" in text
