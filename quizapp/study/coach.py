"""The Coach: the one object the app and the CLI talk to for everything about studying.

It holds the bank, the store and the clock, reads settings from the store, and hands out
sessions. A whole study life can be driven through it without a terminal.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, replace
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Any

from quizapp.study.clock import Clock, SystemClock, iso
from quizapp.study.days import StudyClock
from quizapp.study.fit_settings import FsrsChoice, read_fsrs
from quizapp.study.load import QuestionLoad, new_card_room, question_load
from quizapp.study.settings import Settings, read_settings
from quizapp.study.today import Today, today

if TYPE_CHECKING:
    from quizapp.content import Bank
    from quizapp.content.index import IndexBank
    from quizapp.store import ExamRecord, ProgressStore
    from quizapp.study.exam import ExamSession
    from quizapp.study.flashcards import FlashcardSession
    from quizapp.study.passchance import PassChance
    from quizapp.study.practice import PracticeSession, Scope
    from quizapp.study.predictions import ExamCheck, PassInputs, RecallCache
    from quizapp.study.readiness import Mastery, Readiness
    from quizapp.study.retention import TrueRetention
    from quizapp.study.srs import Srs
    from quizapp.study.workload import Workload

# Sessions, readiness, the scheduler and the pass engine are imported where they are used: Home
# asks the Coach only for today's counts, the new cards' room, whether an exam can be resumed and
# the kept pass chance, so a warm start makes the Coach from the bank index (`content.index`) and
# never imports the models, pydantic or fsrs before Home is complete.

PASS_CACHE_SIZE = 8
"""Pass chances kept (by what they depend on): Home's, the dashboard's, an exam form's or two."""


class Coach:
    def __init__(
        self, bank: Bank | IndexBank, store: ProgressStore, clock: Clock | None = None, *, fuzz: bool = True
    ) -> None:
        self.bank: Bank = bank  # type: ignore[assignment] - an IndexBank only until `use_bank`
        self.store = store
        self.clock = clock or SystemClock()
        self.fuzz = fuzz
        self._settings: Settings | None = None
        self._fsrs: FsrsChoice | None = None
        self._thread = threading.get_ident()
        """The thread that made the Coach (the app's event loop): it owns the store's connection."""
        self._recall_cache: RecallCache | None = None
        self._pass_cache: dict[tuple[Any, ...], PassChance] = {}
        self._bank_stamp: str | None = None
        self.problems: list[str] = []
        """Stored progress found unusable while studying (a card state FSRS cannot load, an
        invalid setting, an exam that cannot be resumed), in words for the learner, each once.
        Studying carries on around them; `quizapp doctor --repair` sets them aside."""

    @property
    def bank_loaded(self) -> bool:
        """Whether the Coach holds the bank itself rather than its index (`content.index`, what a
        warm start makes Home from): sessions, readiness and working a pass chance out need the bank;
        Home's figures (today's counts, new cards, the bank's counts, the kept pass chance) do not."""
        return not getattr(self.bank, "is_index", False)

    def use_bank(self, bank: Bank) -> None:
        """The bank itself, once loaded, in place of its index. What was worked out for the index is
        forgotten (the files may have changed in between: then the facts' digest differs too)."""
        self.bank = bank
        self._bank_stamp = None
        self._pass_cache = {}

    def _report(self, problem: str) -> None:
        if problem not in self.problems:
            self.problems.append(problem)

    # ----------------------------------------------------------------- settings

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = read_settings(self.store, self._report)
        return self._settings

    def forget_settings(self) -> None:
        """Read the settings again on next use (after the doctor or a fit changed them)."""
        self._settings = None
        self._fsrs = None

    @property
    def fsrs(self) -> FsrsChoice:
        """The FSRS parameters in use and what the last fit said (a bad stored value: defaults)."""
        if self._fsrs is None:
            self._fsrs = read_fsrs(self.store, self._report)
        return self._fsrs

    def update_settings(self, **changes: Any) -> Settings:
        new = replace(self.settings, **changes).validated()
        changed_at = iso(self.clock.now())
        for key, value in asdict(new).items():
            if value != getattr(self.settings, key) or key in changes:
                self.store.set_setting(key, value, changed_at)
        self._settings = new
        return new

    @property
    def srs(self) -> Srs:
        return self._srs_of(self.settings, self.fsrs)

    @property
    def days(self) -> StudyClock:
        """The clock seen through the learner's "next day starts at": sessions get this one, so
        every daily limit, due count and answer's day uses the same study day."""
        return StudyClock(self.clock, self.settings.next_day_starts_at)

    def new_card_room(self) -> int:
        """New flashcards still allowed in this study day under the daily limit."""
        return new_card_room(self.store, self.days, self.settings.new_cards_per_day)

    def question_load(self) -> QuestionLoad:
        """Due questions today against the daily review limit: served, held back, done."""
        return question_load(self.store, self.days, self.settings.question_reviews_per_day)

    def new_cards_today(self) -> int:
        """How many new flashcards a review started now would introduce."""
        seen = self.store.item_ids("card")
        return min(self.new_card_room(), sum(1 for card in self.bank.flashcards if card not in seen))

    def days_to_exam(self) -> int | None:
        if not self.settings.exam_date:
            return None
        return (date.fromisoformat(self.settings.exam_date) - self.clock.today()).days

    def today(self) -> Today:
        return today(self.store, self.clock)

    # ----------------------------------------------------------------- sessions

    def flashcards(
        self, deck: str | None = None, task: str | None = None, cram: bool = False
    ) -> FlashcardSession:
        from quizapp.study.flashcards import FlashcardSession

        return FlashcardSession(
            self.bank,
            self.store,
            self.days,
            self.srs,
            new_room=self.new_card_room(),
            deck=deck,
            task=task,
            cram=cram,
        )

    def leeches(self):  # noqa: ANN201
        from quizapp.study.flashcards import leeches

        return leeches(self.bank, self.store)

    def practice(self, scope: Scope | None = None, cram: bool = False) -> PracticeSession:
        from quizapp.study.practice import PracticeSession, Scope, select_questions

        scope = scope or Scope()
        days = self.days
        room = self.question_load().room
        ids = select_questions(self.bank, self.store, days, scope, self.question_mastery(), room)
        mode = "missed" if scope.kind == "missed" else "practice"
        return PracticeSession(
            self.bank, self.store, days, self.srs, ids, mode=mode, cram=cram, label=scope.label()
        )

    def review_missed(self) -> PracticeSession:
        from quizapp.study.practice import Scope

        return self.practice(Scope("missed"))

    def start_exam(self, kind: str | int | None = None, seed: int | None = None) -> ExamSession:
        """Assemble and persist a new exam. An unfinished one must be resumed or submitted first."""
        from quizapp.study.exam import ExamPlan, ExamSession, assemble

        if self._resumable_exam() is not None:
            raise RuntimeError("an exam is already in progress: resume or submit it first")
        plan = ExamPlan.for_kind(self.bank, kind if kind is not None else self.settings.exam_length)
        seed = seed if seed is not None else random.SystemRandom().randrange(2**31)
        now = self.clock.now()
        ids = assemble(self.bank, plan.length, seed, self.question_mastery())
        # The prediction for this very form, now: what the exam then checks (stats' "calibration").
        chance = self.pass_chance(on=now, form=ids)
        exam_id = self.store.create_exam(
            seed, iso(now), plan.time_limit_s, ids, chance.expected_scaled, predicted_pass=chance.p
        )
        record = self.store.exam(exam_id)
        assert record is not None
        return ExamSession(self.bank, self.store, self.days, self.srs, record)

    def resume_exam(self) -> ExamSession | None:
        """The unfinished exam, with its answers, flags and remaining time; submitted if time ran out."""
        from quizapp.study.exam import ExamSession

        record = self._resumable_exam()
        if record is None:
            return None
        session = ExamSession(self.bank, self.store, self.days, self.srs, record)
        if session.time_is_up():
            session.submit(timed_out=True)
        return session

    def has_exam_in_progress(self) -> bool:
        return self._resumable_exam() is not None

    def _resumable_exam(self) -> ExamRecord | None:
        """The unfinished exam if it can be resumed. One that cannot (its questions are not in
        the bank, its position is out of range) is reported, not offered, and does not block a
        new exam; the new one, being newer, is the one in progress from then on."""
        record = self.store.in_progress_exam()
        if record is None:
            return None
        from quizapp.study.health import exam_problem

        problem = exam_problem(record, self.bank)
        if problem is None:
            return record
        self._report(
            f"exam started {record.started_at[:16]} cannot be resumed: {problem} "
            "(quizapp doctor --repair sets it aside)"
        )
        return None

    # ----------------------------------------------------------------- progress

    def _target(self) -> datetime:
        now = self.clock.now()
        if self.settings.exam_date:
            exam_day = datetime.combine(date.fromisoformat(self.settings.exam_date), time(12), tzinfo=UTC)
            if exam_day > now:
                return exam_day
        return now

    def question_mastery(self) -> dict[str, float | None]:
        """Each question's retrievability now (None when never seen)."""
        srs, now = self.srs, self.clock.now()
        states = self.store.states("question")
        return {
            qid: (srs.retrievability(states[qid], now) if qid in states else None)
            for qid in self.bank.questions
        }  # an unusable state gives None: the question counts as unseen

    def mastery(
        self, tallies: dict[str, tuple[int, int]] | None = None
    ) -> tuple[dict[str, Mastery], dict[str, Mastery]]:
        """Mastery by domain and by task statement: question states (one a question) and each
        group's newest answers (`summaries.newest_in_groups`: at most `RECENT_ANSWERS` rows a group
        reach Python, and only groups with an answered question are read), never the whole answer
        log. `tallies`: `summaries.question_tallies`, when the caller has read them already."""
        from collections import defaultdict

        from quizapp.store.summaries import newest_in_groups, question_tallies
        from quizapp.study.readiness import RECENT_ANSWERS, domain_key, mastery_by, task_of

        srs, target = self.srs, self._target()
        stored = self.store.states("question")
        recall = {qid: srs.retrievability(s, target) for qid, s in stored.items()}
        retrievability = {qid: r for qid, r in recall.items() if r is not None}
        states = {qid: s for qid, s in stored.items() if qid in retrievability}  # unusable: unseen
        bank = self.bank
        by_domain_key = domain_key(bank)
        answered = question_tallies(self.store) if tallies is None else tallies
        groups: dict[tuple[int, str], list[str]] = defaultdict(list)
        for question in bank.questions.infos():
            if question.id in answered:
                groups[(0, by_domain_key(question))].append(question.id)
                groups[(1, task_of(question))].append(question.id)
        recent = newest_in_groups(self.store, groups.values(), RECENT_ANSWERS)
        by_domain = mastery_by(bank, by_domain_key, states, retrievability, recent)
        by_task = mastery_by(bank, task_of, states, retrievability, recent)
        return by_domain, by_task

    def readiness(self) -> Readiness:
        from quizapp.study.readiness import readiness

        by_domain, by_task = self.mastery()
        return readiness(self.bank, by_domain, by_task, self._target())

    # ----------------------------------------------------------------- will I pass?
    #
    # Which call where (the app): `known_pass_chance()` on the event loop (a millisecond or two: a
    # prediction already made for exactly this data, or None), and `pass_chance()` in a thread
    # worker when it is None (tens of ms on a year of history). Off the thread that made the Coach,
    # every read goes through a read-only snapshot connection of its own (`store.reader`), never
    # through the store's connection the main thread writes with; so a worker may call it while
    # the learner studies. The CLI and tests just call `pass_chance()`.

    def pass_chance(
        self, on: datetime | date | None = None, *, form: Sequence[str] | None = None
    ) -> PassChance:
        """P(pass) with its 80 % interval on the exam date (today when none is set, or `on`), for
        an exam dealt by the blueprint or for `form` (question ids). Cached on what it depends on:
        a second call with nothing stored since costs a millisecond or two. Safe in a thread worker
        (see above); raises StoreError/sqlite3.Error as any read of the store can. On the Coach's
        thread, a call that had to read every question review keeps what it found for the next
        process (`keep_recall_evidence`: `quizapp stats` then reads only the reviews since)."""
        with self._reading() as store:
            full_reads = self._recall.full_reads
            chance = self.compute_pass_chance(self._pass_inputs(store, on, form))
        if store is self.store and self._recall.full_reads > full_reads:
            self.keep_recall_evidence()
        return chance

    def known_pass_chance(
        self, on: datetime | date | None = None, *, form: Sequence[str] | None = None
    ) -> PassChance | None:
        """The pass chance if one was already worked out for exactly what is stored now, else
        None (then ask `pass_chance()` in a worker). Cheap enough for the event loop: one
        fingerprint of the store (`summaries.data_stamp`), no prediction."""
        with self._reading() as store:
            settings, fsrs = self._current_settings(store)
            key = self._pass_key(store, settings, fsrs, on, form)
            known = self._pass_cache.get(key)
            if known is None and form is None:  # kept by an earlier process (`pass_note`)?
                from quizapp.study import pass_note

                known = pass_note.read(store, self._note_key(key))
                if known is not None:
                    self._pass_cache = {**self._pass_cache, key: known}
            return known

    def keep_for_next_start(self) -> None:
        """After Home painted its pass chance: keep the recall evidence and that chance in the
        store, so the next start shows it at once when nothing changed (`pass_note`). Only on the
        Coach's thread; a store that refuses the write costs only the shortcut."""
        from quizapp.store import StoreError
        from quizapp.study import pass_note

        if threading.get_ident() != self._thread:
            return
        self.keep_recall_evidence()
        settings, fsrs = self._current_settings(self.store)
        key = self._pass_key(self.store, settings, fsrs, None, None)
        chance = self._pass_cache.get(key)
        if chance is None:
            return
        try:
            pass_note.keep(self.store, self._note_key(key), chance)
        except StoreError:
            return

    def _note_key(self, key: tuple[Any, ...]) -> str:
        from quizapp.study import pass_note

        if self._bank_stamp is None:
            self._bank_stamp = pass_note.bank_stamp(self.bank)
        return pass_note.note_key(key[0], key[1], key[3], self._bank_stamp)

    def pass_chance_inputs(
        self, on: datetime | date | None = None, *, form: Sequence[str] | None = None
    ) -> PassInputs:
        """What a pass chance needs, read from the store (by the same rule as `pass_chance`), for
        a caller that wants the reads and the computation apart: `compute_pass_chance(inputs)`
        touches no store and no clock. The reads cost a few ms (question states, one flag per
        answered question, the recall calibration brought up to date with the reviews added
        since); nothing but the fingerprint when the prediction is cached (it comes back in
        `inputs.ready`)."""
        with self._reading() as store:
            return self._pass_inputs(store, on, form)

    def compute_pass_chance(self, inputs: PassInputs) -> PassChance:
        """The prediction for inputs from `pass_chance_inputs`, kept for the next call."""
        from quizapp.study.predictions import compute_pass_chance

        if inputs.ready is not None:
            return inputs.ready
        chance = compute_pass_chance(inputs)
        if inputs.key:
            cache = dict(self._pass_cache)  # a new dict swapped in whole: a reader on another
            cache[inputs.key] = chance  # thread never sees one being changed
            while len(cache) > PASS_CACHE_SIZE:
                cache.pop(next(iter(cache)))
            self._pass_cache = cache
        return chance

    @contextmanager
    def _reading(self) -> Iterator[ProgressStore]:
        """The store on the thread that made the Coach; a read-only snapshot anywhere else."""
        if threading.get_ident() == self._thread:
            yield self.store
            return
        from quizapp.store.reader import snapshot

        with snapshot(self.store.path) as store:
            yield store

    def _current_settings(self, store: ProgressStore) -> tuple[Settings, FsrsChoice]:
        """The settings and FSRS parameters: the Coach's own on its thread; elsewhere the ones it
        holds, or read from `store` (the snapshot) without keeping them, so a worker never reads
        through the main thread's connection or changes what the main thread sees."""
        if store is self.store:
            return self.settings, self.fsrs
        settings, fsrs = self._settings, self._fsrs
        return (
            settings if settings is not None else read_settings(store, self._report),
            fsrs if fsrs is not None else read_fsrs(store, self._report),
        )

    def keep_recall_evidence(self) -> bool:
        """Keep the recall calibration's evidence in the store when it moved (`RecallCache.keep`),
        so the next start reads only the question reviews added since, not every one. A small
        write: only on the Coach's thread, at a moment nobody waits on (after a paint). Returns
        whether it wrote; a store that refuses the write costs only the shortcut."""
        from quizapp.store import StoreError

        if threading.get_ident() != self._thread or self._recall_cache is None:
            return False
        try:
            return self._recall_cache.keep(self.store)
        except StoreError:
            return False

    @property
    def _recall(self) -> RecallCache:
        """The recall calibration's cache (made on first use: its module is not on Home's path)."""
        if self._recall_cache is None:
            from quizapp.study.predictions import RecallCache

            self._recall_cache = RecallCache()
        return self._recall_cache

    def _srs_of(self, settings: Settings, fsrs: FsrsChoice) -> Srs:
        from quizapp.study.srs import Srs

        exam_date = date.fromisoformat(settings.exam_date) if settings.exam_date else None
        return Srs(
            desired_retention=settings.desired_retention,
            exam_date=exam_date,
            fuzz=self.fuzz,
            parameters=fsrs.parameters,
            report=self._report,
        )

    def _pass_moment(self, settings: Settings, on: datetime | date | None) -> datetime:
        """The moment predicted for: `on` (a date: noon UTC), else the exam date at noon UTC while
        it is ahead, else the learner's today at noon UTC: the date shown is their calendar's, and
        one moment all day long lets the day's asks share a prediction (R moves in whole days)."""
        from quizapp.study.pass_figure import target_moment

        if on is not None:
            return target_moment(on)
        if settings.exam_date:
            exam_day = target_moment(date.fromisoformat(settings.exam_date))
            if exam_day > self.clock.now():
                return exam_day
        return target_moment(self.clock.today())

    def _pass_key(
        self,
        store: ProgressStore,
        settings: Settings,
        fsrs: FsrsChoice,
        on: datetime | date | None,
        form: Sequence[str] | None,
    ) -> tuple[Any, ...]:
        from quizapp.store.summaries import data_stamp

        moment = self._pass_moment(settings, on)
        shape = tuple(form) if form is not None else None
        return (data_stamp(store), moment, shape, fsrs.parameters, id(self.bank), len(self.bank.questions))

    def _pass_inputs(
        self, store: ProgressStore, on: datetime | date | None, form: Sequence[str] | None
    ) -> PassInputs:
        from quizapp.store.summaries import first_tries
        from quizapp.study.predictions import PassInputs

        if not self.bank_loaded:
            raise RuntimeError("the bank is still loading: a pass chance needs its questions")
        settings, fsrs = self._current_settings(store)
        srs = self._srs_of(settings, fsrs)
        key = self._pass_key(store, settings, fsrs, on, form)
        stamp, moment, shape = key[0], key[1], key[2]
        cached = self._pass_cache.get(key)
        if cached is not None:
            return PassInputs(self.bank, {}, {}, srs, moment, self._recall.fitted, shape, key, cached)
        calibration = self._recall.calibration(store, self.bank, srs, tally=stamp[-4:])
        states = store.states("question")
        first = first_tries(store)
        return PassInputs(self.bank, states, first, srs, moment, calibration, shape, key)

    def prediction_record(self) -> list[ExamCheck]:
        """Finished exams with their result and the prediction made just before each, oldest first."""
        from quizapp.study.predictions import prediction_record

        return prediction_record(self.store.exams(with_answers=False))

    def brier(self) -> float | None:
        """Brier score of the stored pass predictions against the exams' outcomes (None: no exam
        has a stored pass prediction)."""
        from quizapp.study.predictions import brier_of

        return brier_of(self.prediction_record())

    def true_retention(self) -> TrueRetention:
        """Reviews passed by period, flashcards and questions, mature and young (Anki's table),
        next to the desired retention: one SQL count over the last year's reviews."""
        from quizapp.study.retention import true_retention

        return true_retention(self.store, self.days, self.settings.desired_retention)

    def workload(self, retention: float | None = None) -> Workload:
        """Expected reviews a day from today to the exam date (or the next 30 days) at `retention`
        (default: the desired retention) and two others, each item's FSRS schedule followed forward
        with the learner's parameters. Tens of milliseconds on a year of history: run it in a
        worker, never on a keypress."""
        from quizapp.study.workload import workload

        s = self.settings
        bank = self.bank
        states = [
            st
            for st in self.store.states().values()
            if st.item_id in (bank.flashcards if st.kind == "card" else bank.questions)
        ]  # items no longer in the bank are never served
        seen = {st.item_id for st in states}
        return workload(
            states,
            unseen_cards=sum(1 for card in bank.flashcards if card not in seen),
            new_cards_per_day=s.new_cards_per_day,
            new_cards_today=self.new_card_room(),
            days=self.days,
            exam_date=date.fromisoformat(s.exam_date) if s.exam_date else None,
            desired_retention=s.desired_retention if retention is None else retention,
            parameters=self.fsrs.parameters,
        )

    def stats(self, with_pass_chance: bool = True) -> dict[str, Any]:
        """Everything `quizapp stats` prints and the dashboard draws (`study.stats`). The pass
        chance is the one already worked out for exactly what is stored when there is one (kept by
        Home or by the last `stats`, `known_pass_chance`), else worked out and kept for the next:
        the simulation's cost grows with the questions answered, a kept note's does not (issue 18)."""
        from quizapp.study.stats import stats

        figures = stats(self, with_pass_chance=False)
        if with_pass_chance:
            figures["pass_probability"] = self._stats_pass_chance().as_dict()
        return figures

    def _stats_pass_chance(self) -> PassChance:
        known = self.known_pass_chance()
        if known is not None:
            return known
        chance = self.pass_chance()
        self.keep_for_next_start()  # on the Coach's thread: the note for the next process
        return chance


def _task_order(task: str) -> tuple[int, ...]:
    """Task statements in the order the exam guide lists them (1.1, 1.2, ..., 1.10): `stats --json`
    is read and diffed by people, and text order would put 1.10 before 1.2."""
    return tuple(int(part) if part.isdigit() else 0 for part in task.split("."))
