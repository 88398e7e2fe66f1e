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
        if not _indices(response, len(question.options)):
            return None
        return sorted(set(response))
    if isinstance(question, OrderingQuestion):
        if not isinstance(response, (list, tuple)) or not _indices(response, len(question.items)):
            return None
        return list(response) if len(set(response)) == len(response) else None
    if isinstance(question, MatchingQuestion):
        if not isinstance(response, (list, tuple)) or len(response) != len(question.pairs):
            return None
        if not all(v is None or isinstance(v, str) for v in response):
            return None
        return list(response)
    raise TypeError(type(question))


def _indices(values: Any, count: int) -> bool:
    return all(type(i) is int and 0 <= i < count for i in values)


def response_problem(question: AnyQuestion, response: Response) -> str | None:
    """Why a stored response cannot be shown or graded for `question`, or None.

    A response comes back from the store or an import file, not from this session's screen: one
    that does not fit (another type's shape, an index past the options, a matching answer the
    question does not offer) would stop an exam from resuming, so import refuses it first.
    """
    value = normalise(question, response)
    if value is None or value != response:
        return f"not a response to a {question.type} question"
    if isinstance(question, MatchingQuestion):
        offered = {p.response for p in question.pairs} | set(question.distractors)
        if not all(v is None or v in offered for v in value):
            return "names a match the question does not offer"
    return None


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
