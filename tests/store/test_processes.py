"""Real processes: two writers on one file, and a SIGKILL in the middle of an exam."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from quizapp.store import ProgressStore
from tests.factory import START, make_bank, make_coach

ROOT = Path(__file__).resolve().parents[2]

WRITER = textwrap.dedent("""
    import sys
    from quizapp.store import AnswerWrite, ItemState, ProgressStore
    store = ProgressStore.open(sys.argv[1])
    tag = sys.argv[2]
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(int(sys.argv[3])):
        qid = f"{tag}-{i}"
        at = f"2026-11-23T09:{i // 60 % 60:02d}:{i % 60:02d}.{i:06d}+00:00"
        state = ItemState(qid, "question", {"card_id": i}, i, 0, 1, False, "2026-11-23")
        store.record_answer(AnswerWrite(qid, at, "2026-11-23", i % 3 == 0, "practice", 0), state, 3)
        if i % 10 == 0:
            store.set_setting(f"{tag}-last", i)
    print("done", flush=True)
""")


@pytest.mark.slow
def test_two_processes_writing_the_same_file_lose_nothing(tmp_path):
    ProgressStore.open(tmp_path).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(tmp_path), tag, "300"],
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("a", "b")
    ]
    for p in procs:
        assert p.stdout.readline().strip() == "ready"
    for p in procs:  # start both at once
        p.stdin.write("go\n")
        p.stdin.flush()
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert "locked" not in err
    with ProgressStore.open(tmp_path) as store:
        assert store.answered_count() == 600
        assert store.missed_count() == 400
        assert store.settings() == {"a-last": 290, "b-last": 290}


EXAM_RUNNER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from tests.factory import make_coach, START
    from quizapp.study import ManualClock
    from quizapp.study.grading import correct_response
    from datetime import timedelta
    clock = ManualClock(START)
    coach = make_coach(Path(sys.argv[1]), clock=clock)
    exam = coach.start_exam(20, seed=11)
    for i in range(int(sys.argv[2])):
        clock.advance(seconds=30)
        exam.answer(correct_response(exam.question()))
        if i % 3 == 0:
            exam.toggle_flag()
        exam.next()
        print("answered", i + 1, flush=True)
    time.sleep(60)  # killed here, mid-exam
""")


@pytest.mark.slow
def test_sigkill_mid_exam_loses_no_answer_and_the_exam_resumes(tmp_path):
    n = 7
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-c", EXAM_RUNNER, str(tmp_path), str(n)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    for i in range(n):
        line = proc.stdout.readline()
        assert line.strip() == f"answered {i + 1}", line if line else proc.stderr.read()
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL

    from quizapp.study import ManualClock

    clock = ManualClock(START)
    coach = make_coach(tmp_path, make_bank(), clock)
    exam = coach.resume_exam()
    assert exam is not None and exam.result is None
    assert sorted(exam.responses) == list(range(n))
    assert all(exam.is_answered(p) for p in range(n))
    assert exam.flagged == {0, 3, 6}
    assert exam.position == n
    assert exam.remaining() == pytest.approx(20 * 83 - n * 30)


HOLDER = textwrap.dedent("""
    import sys
    from quizapp.store import ProgressStore
    store = ProgressStore.open(sys.argv[1])  # held open, idle, as by a learner reading a question
    print("open", flush=True)
    sys.stdin.readline()
""")


def test_move_aside_refuses_while_another_process_holds_the_database(tmp_path, capsys):
    from quizapp.cli import main
    from quizapp.store import DB_NAME

    ProgressStore.open(tmp_path).close()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(tmp_path)],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open", holder.stderr.read()
        assert main(["move-aside", "--force", "--data-dir", str(tmp_path)]) == 1
        assert "another quizapp" in capsys.readouterr().err
        assert (tmp_path / DB_NAME).exists()
    finally:
        holder.kill()  # a killed holder's lock goes with it
        holder.wait(timeout=30)
    assert main(["move-aside", "--force", "--data-dir", str(tmp_path)]) == 0
    assert not (tmp_path / DB_NAME).exists()
