"""New questions are dealt across the blueprint (issue 15, item 10), not served in bank-file order.

Bank files hold one task after another, so file order meant 22 questions from task 1.1 before any
other task. These tests pin the interleave: domains by blueprint weight, tasks in turn, case studies
kept together, the same queue whatever the clock, and due items still first.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from quizapp.study import ManualClock, Scope
from quizapp.study.grading import correct_response
from tests.factory import START, make_bank, make_coach


def _tasks(coach, ids):
    return [coach.bank.questions.info(q).task for q in ids]


def test_new_questions_do_not_come_a_task_at_a_time(tmp_path):
    coach = make_coach(tmp_path)
    tasks = _tasks(coach, coach.practice(Scope("new")).queue[:20])
    assert all(a != b for a, b in zip(tasks, tasks[1:], strict=False)), tasks
    assert set(tasks) == set(coach.bank.blueprint.task_ids()), "twenty new questions reach every task"


def test_new_questions_follow_the_domain_weights(tmp_path):
    coach = make_coach(tmp_path)
    queue = coach.practice(Scope("new")).queue[:50]
    got = Counter(coach.bank.domain_of(coach.bank.questions.info(q)) for q in queue)
    for domain in coach.bank.blueprint.domains:
        assert abs(got[domain.id] - domain.weight / 2) <= 2, (got, domain.id, domain.weight)


def test_everything_scope_interleaves_its_new_part_too(tmp_path):
    coach = make_coach(tmp_path)
    assert coach.practice(Scope("all")).queue == coach.practice(Scope("new")).queue
    tasks = _tasks(coach, coach.practice(Scope("domain", "1")).queue[:6])
    assert tasks == ["1.1", "1.2", "1.3", "1.1", "1.2", "1.3"], "a domain's tasks take turns"


def test_the_queue_is_the_whole_pool_once_in_a_stable_order(tmp_path):
    coach = make_coach(tmp_path)
    queue = coach.practice(Scope("new")).queue
    assert sorted(queue) == sorted(coach.bank.questions)
    later = make_coach(tmp_path / "later", clock=ManualClock(START + timedelta(days=40, hours=7)))
    assert later.practice(Scope("new")).queue == queue, "no randomness, no clock in the order"
    assert coach.practice(Scope("new")).queue == queue


def test_within_a_task_bank_order_is_kept_and_case_studies_stay_together(tmp_path):
    coach = make_coach(tmp_path)
    queue = coach.practice(Scope("new")).queue
    for task in ("1.1", "3.1"):
        standalone = [q for q in queue if q.startswith(f"q-{task}-")]
        assert standalone == sorted(standalone)
    for case in ("cs-0", "cs-1"):
        at = [i for i, q in enumerate(queue) if q.startswith(f"{case}-")]
        assert at == list(range(at[0], at[0] + 3)), "a scenario's questions in a row"
        assert [queue[i] for i in at] == [f"{case}-q{j}" for j in range(3)]


def test_due_items_still_come_first_then_interleaved_new(tmp_path):
    coach = make_coach(tmp_path)
    session = coach.practice(Scope("new"))
    wrong = [session.queue[0], session.queue[1]]
    session.answer(None)
    session.answer(None)
    coach.clock.advance(minutes=30)
    queue = coach.practice(Scope("all")).queue
    assert set(queue[:2]) == set(wrong), "due first"
    assert queue[2:] == coach.practice(Scope("new")).queue
    tasks = _tasks(coach, queue[2:22])
    assert all(a != b for a, b in zip(tasks, tasks[1:], strict=False)), tasks


def test_a_single_task_scope_keeps_bank_order(tmp_path):
    coach = make_coach(tmp_path)
    queue = coach.practice(Scope("task", "2.2")).queue
    assert queue == sorted(queue)
    session = coach.practice(Scope("task", "2.2"))
    session.answer(correct_response(session.current()))
    assert coach.practice(Scope("new")).queue.count(queue[0]) == 0


def test_interleave_handles_tiny_and_empty_inputs():
    from quizapp.study.practice import interleave_new  # here: the other tests run on any version

    bank = make_bank(per_task=1, case_studies=0)
    infos = list(bank.questions.infos())
    assert interleave_new(bank, []) == []
    assert interleave_new(bank, infos[:1]) == infos[:1]
    assert sorted(interleave_new(bank, infos)) == sorted(infos)
