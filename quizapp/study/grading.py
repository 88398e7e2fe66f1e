"""Grading, exactly as the real exam scores: all or nothing, per question.

A response is plain JSON-able data in terms of the question as written in YAML, so shuffling
on screen can never break the key:
- single:   the index of the chosen option
- multi:    the sorted indices of the chosen options
- ordering: the items' original indices in the order the learner put them
- matching: for each prompt (YAML order), the response text chosen, or None
"""

from __future__ import annotations

from typing import Any

from quizapp.content.models import (
    AnyQuestion,
    MatchingQuestion,
    MultiQuestion,
    OrderingQuestion,
    SingleQuestion,
)

Response = Any


def correct_response(question: AnyQuestion) -> Response:
    if isinstance(question, SingleQuestion):
        return next(i for i, o in enumerate(question.options) if o.correct)
    if isinstance(question, MultiQuestion):
        return [i for i, o in enumerate(question.options) if o.correct]
    if isinstance(question, OrderingQuestion):
        return list(range(len(question.items)))
    if isinstance(question, MatchingQuestion):
        return [p.response for p in question.pairs]
    raise TypeError(type(question))


def normalise(question: AnyQuestion, response: Response) -> Response:
    """The canonical form of a response (multi: sorted, distinct), or None if it is malformed."""
    if response is None:
        return None
    if isinstance(question, SingleQuestion):
        ok = isinstance(response, int) and not isinstance(response, bool)
        return response if ok and 0 <= response < len(question.options) else None
    if isinstance(question, MultiQuestion):
        if not isinstance(response, (list, tuple, set, frozenset)):
            return None
        if not all(isinstance(i, int) and not isinstance(i, bool) for i in response):
            return None
        return sorted(set(response))
    if isinstance(question, OrderingQuestion):
        if not isinstance(response, (list, tuple)):
            return None
        return list(response)
    if isinstance(question, MatchingQuestion):
        if not isinstance(response, (list, tuple)) or len(response) != len(question.pairs):
            return None
        return list(response)
    raise TypeError(type(question))


def is_complete(question: AnyQuestion, response: Response) -> bool:
    """Has the learner answered every part (so it counts as 'answered' in the navigator)?"""
    value = normalise(question, response)
    if value is None:
        return False
    if isinstance(question, MultiQuestion):
        return len(value) == question.choose
    if isinstance(question, OrderingQuestion):
        return sorted(value) == list(range(len(question.items)))
    if isinstance(question, MatchingQuestion):
        return all(v is not None for v in value)
    return True


def grade(question: AnyQuestion, response: Response) -> bool:
    """True only when every part is right: no partial credit for multi, ordering or matching."""
    return normalise(question, response) == correct_response(question)
