"""What a blind guess scores on each question, exactly as quizapp grades it.

Grading is all or nothing (`grading.grade`), so a guess is right only when the whole response is:
- single: one option of n, so 1/n;
- multi ("choose k" of n): the screen takes exactly k options (`is_complete`), so 1/C(n, k);
- ordering: one of the k! orders of k items, so 1/k! (the screen never *shows* the right order first,
  but a guesser who moves items has no reason to avoid any particular order);
- matching: each of P prompts takes one of R offered responses (the pairs' responses plus
  distractors). The screen would let a response be used twice, giving (1/R)^P, but each response is
  right for at most one prompt, so a guesser uses each once: 1/(R!/(R-P)!), the permutation count. The
  two differ by under one point for every matching item (3 prompts, 1 distractor: 4.2 % against 1.6 %);
  the larger is taken so that the floor under a forgotten item is never set too low.

These rates are the floor of the pass-probability model: someone who has forgotten an item still
answers it, and is right at this rate.
"""

from __future__ import annotations

import weakref
from math import comb, factorial, perm

from quizapp.content import AnyQuestion, Bank
from quizapp.content.models import MatchingQuestion, MultiQuestion, OrderingQuestion, SingleQuestion


def guess_rate(question: AnyQuestion) -> float:
    """The probability that a uniformly random complete response is graded right."""
    if isinstance(question, SingleQuestion):
        return 1 / len(question.options)
    if isinstance(question, MultiQuestion):
        return 1 / comb(len(question.options), question.choose)
    if isinstance(question, OrderingQuestion):
        return 1 / factorial(len(question.items))
    if isinstance(question, MatchingQuestion):
        offered = len(question.pairs) + len(question.distractors)
        return 1 / perm(offered, len(question.pairs))
    raise TypeError(type(question))


_CACHE: dict[int, tuple[weakref.ref[Bank], int, dict[str, float]]] = {}


def guess_rates(bank: Bank) -> dict[str, float]:
    """Every question's guessing rate, worked out once per bank.

    Working it out needs each question's full model (its options), which a cached bank validates
    only on first use; doing that once per bank, not once per prediction, keeps a prediction cheap.
    The cache holds the bank weakly and notices questions added or removed.
    """
    key = id(bank)
    held = _CACHE.get(key)
    if held is not None and held[0]() is bank and held[1] == len(bank.questions):
        return held[2]
    rates = {qid: guess_rate(bank.questions[qid]) for qid in bank.questions}
    _CACHE[key] = (weakref.ref(bank, lambda _ref, key=key: _CACHE.pop(key, None)), len(bank.questions), rates)
    return rates
