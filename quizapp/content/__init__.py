"""Content: bank files in, immutable validated models (or located problems) out.

The only package that reads bank files. It knows YAML and pydantic and nothing of Textual,
SQL or scheduling. Its names are imported on first use (PEP 562), so a light module (the bank
index, `content.index`) can be imported without pulling pydantic, YAML and the models.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quizapp.lazy import lazy_exports

_EXPORTS = {
    "Bank": "loader",
    "Catalog": "loader",
    "bundled_root": "loader",
    "default_sources": "loader",
    "load_catalog": "loader",
    "load_strict": "loader",
    "QUESTION_TYPES": "models",
    "AnyQuestion": "models",
    "Blueprint": "models",
    "CaseStudy": "models",
    "Deck": "models",
    "Flashcard": "models",
    "MatchingQuestion": "models",
    "MultiQuestion": "models",
    "Option": "models",
    "OrderingQuestion": "models",
    "SingleQuestion": "models",
    "BankError": "problems",
    "Location": "problems",
    "Problem": "problems",
}

__all__ = [
    "QUESTION_TYPES",
    "AnyQuestion",
    "Bank",
    "BankError",
    "Blueprint",
    "CaseStudy",
    "Catalog",
    "Deck",
    "Flashcard",
    "Location",
    "MatchingQuestion",
    "MultiQuestion",
    "Option",
    "OrderingQuestion",
    "Problem",
    "SingleQuestion",
    "bundled_root",
    "default_sources",
    "load_catalog",
    "load_strict",
]

__getattr__ = lazy_exports(__name__, _EXPORTS, globals())

if TYPE_CHECKING:
    from quizapp.content.loader import Bank, Catalog, bundled_root, default_sources, load_catalog, load_strict
    from quizapp.content.models import (
        QUESTION_TYPES,
        AnyQuestion,
        Blueprint,
        CaseStudy,
        Deck,
        Flashcard,
        MatchingQuestion,
        MultiQuestion,
        Option,
        OrderingQuestion,
        SingleQuestion,
    )
    from quizapp.content.problems import BankError, Location, Problem
