"""Study's knowledge for the store's import and sync: FSRS states, settings and (with a bank)
whether an unfinished exam can be resumed. Passed in, because the store must not import study."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quizapp.content import Bank
    from quizapp.store.export_format import ImportChecks


def import_checks(bank: Bank | None) -> ImportChecks:
    from quizapp.store.export_format import ImportChecks
    from quizapp.study.grading import response_problem
    from quizapp.study.settings import setting_problem
    from quizapp.study.srs import card_problem

    if bank is None:
        return ImportChecks(card=card_problem, setting=setting_problem)
    return ImportChecks(
        card=card_problem,
        setting=setting_problem,
        question=bank.questions.__contains__,
        response=lambda question_id, response: response_problem(bank.questions[question_id], response),
    )
