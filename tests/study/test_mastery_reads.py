"""Mastery reads each group's newest answers in SQLite (`summaries.newest_in_groups`), not every
question's newest answers walked in Python (issue 18): counted (rows handed to Python), not timed,
and equal to the walk it replaces (`readiness.newest_needed` over `summaries.recent_answers`)."""

from __future__ import annotations

from quizapp.store import ProgressStore
from quizapp.store.summaries import question_tallies, recent_answers
from quizapp.study import Coach, ManualClock
from quizapp.study.readiness import RECENT_ANSWERS, domain_key, mastery_by, newest_needed, task_of
from tests.history import NOW, copy_history, real_bank


def _walked(coach: Coach):  # noqa: ANN202
    """Mastery as it was worked out: the newest answers walked until every group had its share."""
    bank, srs, target = coach.bank, coach.srs, coach._target()
    stored = coach.store.states("question")
    recall = {q: srs.retrievability(s, target) for q, s in stored.items()}
    retrievability = {q: r for q, r in recall.items() if r is not None}
    states = {q: s for q, s in stored.items() if q in retrievability}
    key = domain_key(bank)
    answered = {q: n for q, (n, _) in question_tallies(coach.store).items()}
    recent = newest_needed(bank, (key, task_of), recent_answers(coach.store), answered)
    return (
        mastery_by(bank, key, states, retrievability, recent),
        mastery_by(bank, task_of, states, retrievability, recent),
    )


def test_mastery_hands_python_a_share_a_group_not_the_walk(built_history, tmp_path):
    with ProgressStore.open(copy_history(built_history, tmp_path / "data")) as store:
        coach = Coach(real_bank(), store, ManualClock(NOW), fuzz=False)
        assert coach.mastery() == _walked(coach)
        handed = [0]

        def counted(cursor, row):  # noqa: ANN001, ANN202
            handed[0] += 1
            return row

        tallies = question_tallies(store)
        states = len(store.states("question"))
        store._conn.row_factory = counted
        coach.mastery(tallies)
        store._conn.row_factory = None
        groups = len(coach.bank.blueprint.task_ids()) + len(coach.bank.blueprint.domains)
        # The question states, then at most RECENT_ANSWERS answers a group; the walk took about
        # 2,000 answers from this year of study before its slowest group had its twenty.
        assert handed[0] <= states + groups * RECENT_ANSWERS, handed[0]
        assert len(tallies) * 2 > handed[0] - states  # and some answers were read


def test_mastery_reads_no_answer_before_the_first(tmp_path):
    with ProgressStore.open(tmp_path) as store:
        coach = Coach(real_bank(), store, ManualClock(NOW), fuzz=False)
        statements: list[str] = []
        store._conn.set_trace_callback(statements.append)
        by_domain, by_task = coach.mastery()
        store._conn.set_trace_callback(None)
        assert not [s for s in statements if "answer_recent" in s]
        assert all(m.seen == 0 and m.accuracy is None for m in (*by_domain.values(), *by_task.values()))
