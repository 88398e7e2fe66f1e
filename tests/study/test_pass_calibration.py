"""The pass probability, checked against outcomes: simulated learners whose memory is known.

Each learner has a true memory the engine never sees:
- their own FSRS-6 parameters: the defaults perturbed (initial stabilities, initial difficulty,
  stability growth, stability after a lapse and the forgetting curve's decay), while the app and the
  engine keep the defaults;
- their own prior knowledge: a level drawn from the engine's prior (`KNOWLEDGE_PRIOR`), each task
  statement's knowledge around it, and each question or flashcard known before studying, or not, by
  that; a question known beforehand stays known (FSRS's forgetting does not apply to it, though the
  app schedules it as if it did);
- their own habits: days of study (3 to 30), the chance of studying on a given day, new questions a
  day (planned to cover 55 % to 100 % of the bank, which puts many near the pass mark, where a
  prediction is hardest), the queue (due then new; due, five weakest, then
  new; or the mixed "everything" queue, a fixed number a day), flashcards or not (they do not teach
  the questions), the exam date set in Settings or not, and the exam 0 to 60 days after the last
  study day.

A question is answered right when the learner recalls it (prior knowledge, or FSRS recall under their
TRUE parameters since they last answered it), and otherwise with a random complete response graded by
quizapp. Every answer and flashcard rating goes through `quizapp.study` (a Coach over its own SQLite
store, a ManualClock moved day by day, practice and flashcard sessions), so the history the engine
reads is exactly what the app would have written. The engine predicts the pass chance for the exam
date from that history; then the learner sits `EXAMS_PER_LEARNER` exams on that date, each a form from
`exam.assemble` with every item right per the true model.

Why the prior knowledge comes from the engine's prior: a learner with little evidence can only be
predicted from the prior, so a population that disagrees with it would test the prior, not the
inference (this is simulation-based calibration). Everything else (memory parameters, durable prior
knowledge, the app's own queues and scheduling, the exam forms) differs from the engine's model.

The checks: in every decile of predicted probability with at least `MIN_BIN` learners, the observed
pass rate is within 10 points of the mean prediction (and such deciles exist in the middle, not only
at 0 and 1); the Brier score beats predicting the overall pass rate for everyone, by half; and the
learners' true chances (worked out exactly from the true model) fall inside their 80 % intervals
about as often as they should. Learners run in two processes, each with its own store; they take
about 50 s of two free cores, so they start with the test session, at low priority, and this test
runs last (both through conftest): they use the core the other tests leave idle.
`python tests/study/test_pass_calibration.py [learners] [first seed] [--dump FILE]` prints the decile
table and the figures.
"""

from __future__ import annotations

import json
import math
import multiprocessing
import multiprocessing.pool
import os
import random
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Card, Rating, Scheduler
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from quizapp.content import AnyQuestion, Bank
from quizapp.content.models import MatchingQuestion, MultiQuestion, OrderingQuestion, SingleQuestion
from quizapp.store import ProgressStore
from quizapp.study import Coach, ManualClock, Scope
from quizapp.study.exam import assemble, scaled_score
from quizapp.study.grading import correct_response, grade
from quizapp.study.guessing import guess_rates
from quizapp.study.knowledge import KNOWLEDGE_PRIOR, TASK_POOLING
from quizapp.study.passchance import brier, first_tries, pass_probability, target_moment
from quizapp.study.practice import PracticeSession
from quizapp.study.recall_calibration import fit_calibration, recall_evidence

LEARNERS = 480
MIN_BIN = 20
TOLERANCE = 0.10
EXAM_LENGTH = 50
EXAMS_PER_LEARNER = 30
"""Exams each learner sits on the exam date (fresh forms and answers, the same memory). One would do,
but a decile of 20 learners sitting one exam each has a sampling error of 11 points at a 50 % pass
rate, as wide as the tolerance: the check would test the dice. Thirty sittings (about 1 ms each, a
fiftieth of a learner's cost) measure each learner's real chance, and the check tests the model."""
START = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
WORKERS = 2
TRUE_FORMS = 10
DIAGNOSE = False
"""Also record some features of each learner (the command line turns it on)."""


# ----------------------------------------------------------------------------- the true learner


def true_parameters(rng: random.Random) -> tuple[float, ...]:
    w = list(DEFAULT_PARAMETERS)
    for i in range(4):  # initial stability after Again / Hard / Good / Easy
        w[i] *= math.exp(rng.gauss(0, 0.5))
    w[:4] = sorted(w[:4])
    w[4] += rng.gauss(0, 0.8)  # initial difficulty
    w[8] += rng.gauss(0, 0.3)  # how much a successful review grows stability
    w[11] *= math.exp(rng.gauss(0, 0.3))  # stability after a lapse
    w[20] *= math.exp(rng.gauss(0, 0.35))  # the forgetting curve's decay
    bounds = zip(w, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)
    return tuple(min(max(v, lo), hi) for v, lo, hi in bounds)


@dataclass
class Truth:
    """One learner's real memory: what the engine is trying to infer."""

    scheduler: Scheduler
    known: set[str]
    level: float
    memory: dict[str, Card] = field(default_factory=dict)

    def recall(self, item_id: str, at: datetime) -> float:
        if item_id in self.known:
            return 1.0
        card = self.memory.get(item_id)
        return 0.0 if card is None else float(self.scheduler.get_card_retrievability(card, at))

    def learn(self, item_id: str, right: bool, at: datetime) -> None:
        """Memory moves with what the learner saw: right (Good) or wrong and shown the answer (Again)."""
        card = self.memory.get(item_id) or Card(card_id=len(self.memory) + 1, due=at)
        rating = Rating.Good if right else Rating.Again
        self.memory[item_id], _ = self.scheduler.review_card(card, rating, review_datetime=at)

    def chance(self, item_id: str, at: datetime, bank: Bank) -> float:
        """The true chance of answering a question right: recalled, or guessed."""
        recall = self.recall(item_id, at)
        return recall + (1 - recall) * guess_rates(bank)[item_id]

    def respond(self, question: AnyQuestion, at: datetime, rng: random.Random):  # noqa: ANN201
        if rng.random() < self.recall(question.id, at):
            return correct_response(question)
        return random_response(question, rng)


def random_response(question: AnyQuestion, rng: random.Random):  # noqa: ANN201
    """A blind but complete answer, the way a person guesses (each matching response used once)."""
    if isinstance(question, SingleQuestion):
        return rng.randrange(len(question.options))
    if isinstance(question, MultiQuestion):
        return sorted(rng.sample(range(len(question.options)), question.choose))
    if isinstance(question, OrderingQuestion):
        order = list(range(len(question.items)))
        rng.shuffle(order)
        return order
    if isinstance(question, MatchingQuestion):
        offered = [p.response for p in question.pairs] + list(question.distractors)
        return rng.sample(offered, len(question.pairs))
    raise TypeError(type(question))


@dataclass(frozen=True)
class Habits:
    span_days: int
    study_chance: float
    new_per_day: int
    queue: str
    """"due+new", "due+weak+new" (five of the weakest between), or "everything": the mixed queue, a
    fixed number a day. That queue serves seen questions before new ones, so such a learner sees few
    questions, and the prediction has to rest on little."""
    flashcards: bool
    set_exam_date: bool
    exam_gap_days: int


def draw_learner(seed: int, bank: Bank) -> tuple[Truth, Habits]:
    rng = random.Random(seed)
    level = rng.betavariate(*KNOWLEDGE_PRIOR)
    tasks = {
        t: rng.betavariate(TASK_POOLING * level, TASK_POOLING * (1 - level))
        for t in bank.blueprint.task_ids()
    }
    items = [(q.id, q.task) for q in bank.questions.infos()] + [
        (c.id, c.task) for c in bank.flashcards.values()
    ]
    known = {item for item, task in items if rng.random() < tasks[task]}
    span, chance = rng.randint(3, 30), rng.uniform(0.3, 1.0)
    coverage = rng.uniform(0.55, 1.0)  # of the bank, were every planned day studied
    habits = Habits(
        span_days=span,
        study_chance=chance,
        new_per_day=max(1, math.ceil(coverage * len(bank.questions) / (span * chance))),
        queue=rng.choices(["due+new", "due+weak+new", "everything"], [0.65, 0.25, 0.10])[0],
        flashcards=rng.random() < 0.5,
        set_exam_date=rng.random() < 0.5,
        exam_gap_days=rng.choice([0, 1, 3, 7, 14, 30, 60]),
    )
    return Truth(Scheduler(parameters=true_parameters(rng), enable_fuzzing=False), known, level), habits


# ----------------------------------------------------------------------------- studying through quizapp


def study(coach: Coach, clock: ManualClock, truth: Truth, habits: Habits, rng: random.Random) -> date:
    """Study day by day (the first day always); returns the exam date."""
    exam_day = START.date() + timedelta(days=habits.span_days - 1 + habits.exam_gap_days)
    if habits.set_exam_date:
        coach.update_settings(exam_date=exam_day.isoformat())
    for day in range(habits.span_days):
        if day and rng.random() > habits.study_chance:
            continue
        clock.current = START + timedelta(days=day, minutes=rng.randint(-120, 120))
        if habits.flashcards:
            cards = coach.flashcards()
            while not cards.done:
                card = cards.current()
                assert card is not None
                right = rng.random() < truth.recall(card.id, clock.now())
                truth.learn(card.id, right, clock.now())
                cards.rate(Rating.Good if right else Rating.Again)
                clock.advance(seconds=20)
        if habits.queue == "everything":
            answer(coach.practice(), truth, clock, rng, limit=habits.new_per_day * 2)
            continue
        answer(coach.practice(Scope("due")), truth, clock, rng, limit=None)
        if habits.queue == "due+weak+new":
            answer(coach.practice(Scope("weak")), truth, clock, rng, limit=5)
        answer(coach.practice(Scope("new")), truth, clock, rng, limit=habits.new_per_day)
    return exam_day


def answer(
    session: PracticeSession, truth: Truth, clock: ManualClock, rng: random.Random, limit: int | None
) -> None:
    count = 0
    while not session.done and (limit is None or count < limit):
        question = session.current()
        assert question is not None
        feedback = session.answer(truth.respond(question, clock.now(), rng))
        truth.learn(question.id, feedback.correct, clock.now())
        clock.advance(seconds=60)
        count += 1


# ----------------------------------------------------------------------------- one learner, end to end


@dataclass(frozen=True)
class Outcome:
    p: float
    low: float
    high: float
    passes: list[bool]
    answers: int
    true_p: float = math.nan
    """The learner's real chance, from the true model: P(pass) worked out exactly on the first
    `TRUE_FORMS` forms sat, averaged."""
    features: dict[str, object] = field(default_factory=dict)

    @property
    def pass_rate(self) -> float:
        return sum(self.passes) / len(self.passes)


def simulate(seed: int, root: str) -> Outcome:
    """Learner `seed`: study through the app, the engine's prediction, then the exams."""
    bank = _bank()
    truth, habits = draw_learner(seed, bank)
    rng = random.Random(seed * 7919 + 1)
    with tempfile.TemporaryDirectory(dir=root) as tmp:
        store = ProgressStore.open(Path(tmp) / "data")
        store._conn.execute("PRAGMA synchronous = OFF")  # a throwaway store: durability means nothing
        coach = Coach(bank, store, ManualClock(START), fuzz=False)
        exam_day = study(coach, coach.clock, truth, habits, rng)
        srs = coach.srs
        evidence = recall_evidence(store.reviews(), guess_rates(bank), srs)
        chance = pass_probability(
            bank,
            store.states("question"),
            first_tries(store.answers()),
            srs,
            exam_day,
            rng_seed=seed,
            calibration=fit_calibration(evidence),
            length=EXAM_LENGTH,
        )
        answers = store.answered_count()
        store.close()
    at, fmt = target_moment(exam_day), bank.blueprint.format
    passes, chances = [], []
    for sitting in range(EXAMS_PER_LEARNER):
        form = assemble(bank, EXAM_LENGTH, seed * 1000 + sitting, {})
        correct = sum(grade(bank.questions[q], truth.respond(bank.questions[q], at, rng)) for q in form)
        passes.append(scaled_score(correct, len(form), fmt.scale) >= fmt.passing)
        if sitting < TRUE_FORMS:
            chances.append(exact_pass([truth.chance(q, at, bank) for q in form], needed_right(bank)))
    true_p = sum(chances) / len(chances)
    if not DIAGNOSE:
        return Outcome(chance.p, chance.low, chance.high, passes, answers, true_p)
    features = {
        "seed": seed,
        "level": truth.level,
        "seen": chance.seen,
        "reviews": evidence.reviews,
        "span": habits.span_days,
        "gap": habits.exam_gap_days,
        "queue": habits.queue,
        "flashcards": habits.flashcards,
        "share": chance.expected_share,
        "true_share": sum(truth.chance(q, at, bank) for q in bank.questions) / len(bank.questions),
    }
    return Outcome(chance.p, chance.low, chance.high, passes, answers, true_p, features)


def needed_right(bank: Bank) -> int:
    fmt = bank.blueprint.format
    return next(c for c in range(EXAM_LENGTH + 1) if scaled_score(c, EXAM_LENGTH, fmt.scale) >= fmt.passing)


def exact_pass(probabilities: list[float], needed: int) -> float:
    """P(at least `needed` right) for independent items: the Poisson-binomial, by dynamic programming."""
    dist = [1.0]
    for p in probabilities:
        dist = [
            (dist[i] * (1 - p) if i < len(dist) else 0.0) + (dist[i - 1] * p if i else 0.0)
            for i in range(len(dist) + 1)
        ]
    return sum(dist[needed:])


_BANK: Bank | None = None


def _bank() -> Bank:
    """The small generated bank (14 task statements, 118 questions of every type, two case studies,
    42 flashcards), built once per process."""
    global _BANK
    if _BANK is None:
        from tests.factory import make_bank

        _BANK = make_bank(per_task=8, cards_per_task=3, case_studies=2)
    return _BANK


def _run_chunk(args: tuple[list[int], str]) -> list[Outcome]:
    seeds, root = args
    return [simulate(seed, root) for seed in seeds]


def _yield_to_the_tests() -> None:
    """A worker started with the session runs beside other tests: it takes only the CPU they leave."""
    os.nice(10)


@dataclass
class Population:
    """Learners being simulated in a pool of `WORKERS` processes; `outcomes()` waits for them."""

    pool: multiprocessing.pool.Pool
    pending: multiprocessing.pool.AsyncResult

    def outcomes(self) -> list[Outcome]:
        try:
            parts = self.pending.get(timeout=POPULATION_TIMEOUT_S)
        finally:
            self.stop()
        return sorted((row for part in parts for row in part), key=lambda r: r.p)

    def stop(self) -> None:
        self.pool.terminate()
        self.pool.join()


POPULATION_TIMEOUT_S = 280
"""A hang guard, under pytest-timeout's 300 s for the test."""


def start_population(root: Path, learners: int = LEARNERS, first: int = 1, nice: bool = False) -> Population:
    """Learners `first` .. `first + learners - 1`, started in a pool of `WORKERS` processes (each
    learner has its own store, so they share nothing but the read-only bank)."""
    _bank()  # built before the fork: every worker starts with it
    seeds = list(range(first, first + learners))
    chunks = [(seeds[i::WORKERS], str(root)) for i in range(WORKERS)]
    pool = multiprocessing.get_context("fork").Pool(WORKERS, _yield_to_the_tests if nice else None)
    return Population(pool, pool.map_async(_run_chunk, chunks))


def run_population(root: Path, learners: int = LEARNERS, first: int = 1) -> list[Outcome]:
    return start_population(root, learners, first).outcomes()


POPULATION = pytest.StashKey[Population]()


def start_early(session: pytest.Session, factory: pytest.TempPathFactory) -> None:
    """Called by conftest when the session starts, if the test below is selected: the population
    takes about 50 s of both cores, and started here, at low priority, it uses the core that the
    single-process tests leave idle; the test (run last) then waits only for what is left."""
    if POPULATION not in session.stash:
        session.stash[POPULATION] = start_population(factory.mktemp("calibration"), nice=True)


def stop_early(session: pytest.Session) -> None:
    population = session.stash.get(POPULATION, None)
    if population is not None:
        population.stop()


@pytest.fixture
def population(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Population:
    """The learners conftest started with the session (started now if it did not)."""
    start_early(request.session, tmp_path_factory)
    return request.session.stash[POPULATION]


def decile_table(results: list[Outcome]) -> list[tuple[int, int, float, float]]:
    """(decile, learners, mean prediction, observed pass rate) per non-empty decile of prediction."""
    bins: dict[int, list[Outcome]] = {}
    for row in results:
        bins.setdefault(min(int(row.p * 10), 9), []).append(row)
    return [
        (d, len(rows), sum(r.p for r in rows) / len(rows), sum(r.pass_rate for r in rows) / len(rows))
        for d, rows in sorted(bins.items())
    ]


def brier_against_base(results: list[Outcome]) -> tuple[float, float]:
    """The Brier score of the predictions over every exam sat, and that of predicting the overall
    pass rate for everyone."""
    predictions = [r.p for r in results for _ in r.passes]
    outcomes = [o for r in results for o in r.passes]
    base = sum(outcomes) / len(outcomes)
    return brier(predictions, outcomes), brier([base] * len(outcomes), outcomes)


# ----------------------------------------------------------------------------- the test


@pytest.mark.slow
def test_pass_probability_is_calibrated_on_simulated_learners(population: Population) -> None:
    results = population.outcomes()
    assert len(results) == LEARNERS
    table = decile_table(results)
    checked = [row for row in table if row[1] >= MIN_BIN]
    # Predictions spread over the range, and the hard middle tested, not only the sure cases.
    assert len(checked) >= 4 and sum(1 <= row[0] <= 8 for row in checked) >= 2, table
    for decile, n, predicted, observed in checked:
        assert abs(observed - predicted) <= TOLERANCE, (decile, n, predicted, observed, table)
    base = sum(r.pass_rate for r in results) / len(results)
    assert 0.2 < base < 0.8, base  # both outcomes common, so beating the base rate means something
    score, baseline = brier_against_base(results)
    assert score < baseline, (score, baseline)
    assert score < 0.5 * baseline, (score, baseline)  # by a wide margin, not by a hair
    assert all(r.low <= r.p <= r.high for r in results)
    # The 80 % interval means something: for learners not certain to pass or fail, their true chance
    # (worked out from the true model) falls inside it about four times in five.
    middle = [r for r in results if 0.05 < r.true_p < 0.95 or 0.05 < r.p < 0.95]
    inside = sum(r.low <= r.true_p <= r.high for r in middle) / len(middle)
    assert len(middle) >= 100 and 0.65 <= inside <= 0.95, (len(middle), inside)


def main(argv: list[str]) -> None:
    global DIAGNOSE
    DIAGNOSE = True
    args = [a for a in argv if not a.startswith("--")]
    dump = argv[argv.index("--dump") + 1] if "--dump" in argv else None
    if dump in args:
        args.remove(dump)
    count = int(args[0]) if args else LEARNERS
    first = int(args[1]) if len(args) > 1 else 1
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as root:
        rows = run_population(Path(root), count, first)
    print(
        f"{len(rows)} learners (seeds {first}-{first + count - 1}) in {time.perf_counter() - started:.1f} s"
    )
    print(f"answers per learner: median {sorted(r.answers for r in rows)[len(rows) // 2]}")
    print("decile  learners  predicted  observed  true chance")
    for d, n, predicted, observed in decile_table(rows):
        true = [r.true_p for r in rows if min(int(r.p * 10), 9) == d]
        print(f"  {d / 10:.1f}   {n:7d}   {predicted:8.3f}  {observed:8.3f}  {sum(true) / len(true):10.3f}")
    score, baseline = brier_against_base(rows)
    print(f"pass rate {sum(r.pass_rate for r in rows) / len(rows):.3f}")
    print(f"Brier {score:.4f}; predicting the pass rate for everyone: {baseline:.4f}")
    first_exam = [r.passes[0] for r in rows]
    first_base = sum(first_exam) / len(first_exam)
    print(
        f"first exam only: Brier {brier([r.p for r in rows], first_exam):.4f}; "
        f"base rate {brier([first_base] * len(rows), first_exam):.4f}"
    )
    middle = [r for r in rows if 0.05 < r.true_p < 0.95 or 0.05 < r.p < 0.95]
    inside = sum(r.low <= r.true_p <= r.high for r in middle) / max(len(middle), 1)
    widths = sorted(r.high - r.low for r in middle) or [0.0]
    print(
        f"learners away from certainty (true or predicted chance 5-95 %): {len(middle)}; "
        f"true chance inside their 80 % interval: {inside:.0%}; median width {widths[len(widths) // 2]:.2f}"
    )
    if dump:
        data = [{"p": r.p, "low": r.low, "high": r.high, "true": r.true_p, **r.features} for r in rows]
        Path(dump).write_text(json.dumps(data))


if __name__ == "__main__":
    main(sys.argv[1:])
