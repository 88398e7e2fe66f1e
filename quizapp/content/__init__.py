"""Content: bank files in, immutable validated models (or located problems) out.

The only package that reads bank files. It knows YAML and pydantic and nothing of Textual,
SQL or scheduling.
"""

from quizapp.content.loader import (
    Bank,
    Catalog,
    bundled_root,
    default_sources,
    load_catalog,
    load_strict,
)
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
