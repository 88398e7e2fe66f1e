"""quizapp's benchmark suite: `python bench/run.py [--quick] [--json] [--suite all|base|history]`.

It measures the performance goals that matter to a learner (start-up, bank loading, keypress
latency, the progress store under a long history, memory with a big bank) and prints a table of
median, min and max per figure next to its goal. With `--json` it prints one JSON object of medians
on stdout instead (the table goes to stderr), for CI and for comparing commits.

Goals are mostly ratios to a floor measured in the same run (a minimal Textual app, bare libyaml +
pydantic, bare `json.loads`), so they hold on a slow laptop and a fast CI runner alike. Everything it
needs, including banks of 1k, 10k and 50k synthetic questions, is generated in a temp dir that is
removed afterwards; the learner's own data and cache are never touched.

Exit status: 0 when every figure was measured, whether or not it met its goal (this is a measuring
tool, not a test; missed goals are listed), 1 when a figure could not be measured at all.
`--quick` runs fewer rounds, a shorter exam, and only the 1k bank (the "10k" keys then hold 1k
figures; `load_bank_questions` says which), to check that the suite works in about a minute.

`--suite history` runs only issue 18's figures (`history_suite.py`): every screen timed on
histories of 0, 1k, a year and 100k reviews against a bare Textual floor, Home complete as whole
processes, `Coach.stats`, `ProgressStore.open`, export and no-op import, and a long session's
memory, GC pauses and key latency (`session_memory.py`). Its histories are cached in the temp dir
(`histories.py`), so only the first run builds them. With `--quick` it uses a tiny history instead
of the year and 100k (`history_sizes` says which; the `_year` and `_100k` keys then hold it) and a
short session. `--suite base` runs everything else; the default runs both.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pydantic
import textual
import yaml
from banks import BankInfo, write_bank
from keypress import exam_keypresses, pilot_floor
from loading import cached_load, cold_load
from startup import startup
from store_figures import store_figures
from timing import Figure, percentile, table

PEAK_RSS = Path(__file__).with_name("peak_rss.py")
FRAME_MS = 1000 / 60


@dataclass(frozen=True)
class Plan:
    """How much to run: rounds per figure and which banks."""

    runs: int
    startup_pairs: int
    """Whole processes on a shared 2-core machine vary by ±30 % each: start-up needs more pairs."""
    exam_runs: int
    exam_length: int | None
    floor_presses: int
    commits: int
    rss_runs: int
    main_bank: int
    big_bank: int | None
    quick: bool = False

    @staticmethod
    def make(quick: bool) -> Plan:
        if quick:
            return Plan(3, 3, 1, 20, 24, 1000, 1, 1_000, None, quick=True)
        return Plan(5, 15, 3, None, 60, 1000, 3, 10_000, 50_000)


def _label(questions: int) -> str:
    return f"{questions // 1000}k"


@dataclass
class Bench:
    """One benchmark run: its scratch dir, the figures so far, facts, and sections that failed."""

    plan: Plan
    scratch: Path
    log: Callable[[str], None]
    figures: list[Figure] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Figures left out on purpose, with why (a module another change brings is not there yet)."""
    history_table: str = ""

    def section(self, name: str, action: Callable[[], None]) -> None:
        """Run one group of figures; a failure is reported and the others still run."""
        self.log(f"· {name}")
        start = time.perf_counter()
        try:
            action()
        except Exception as exc:  # one broken figure must not hide the others
            self.errors.append(f"{name}: {type(exc).__name__}: {exc}")
            self.log(traceback.format_exc())
        self.log(f"  {time.perf_counter() - start:.1f} s")

    def env(self) -> dict[str, str]:
        """Environment for child processes: the app's data and cache in the scratch dir."""
        return {
            **os.environ,
            "QUIZAPP_DATA_DIR": str(self.scratch / "data"),
            "QUIZAPP_CACHE_DIR": str(self.scratch / "app-cache"),
        }

    def fresh(self, prefix: str) -> Path:
        return Path(tempfile.mkdtemp(prefix=prefix, dir=self.scratch))

    # ----------------------------------------------------------------- sections

    def startup(self) -> None:
        self.figures += startup(self.plan.startup_pairs, self.fresh("startup-data-"), self.env())

    def keypresses(self) -> None:
        plan = self.plan
        p95 = Figure("keypress_p95_ms", "exam keypress p95, key to screen settled", "ms", goal=FRAME_MS)
        p50 = Figure("keypress_p50_ms", "exam keypress median, key to screen settled", "ms")
        worst = Figure("keypress_max_ms", "exam keypress max, key to screen settled", "ms")
        wall95 = Figure("keypress_pilot_wall_p95_ms", "exam keypress p95, pilot press+pause wall", "ms")
        floor = Figure("keypress_pilot_floor_p95_ms", "pilot press+pause wall p95, minimal Textual app", "ms")
        cpu95 = Figure("keypress_cpu_p95_ms", "exam keypress CPU time p95 (in press+pause)", "ms")
        move = Figure("keypress_move_median_ms", "exam next/previous question, settled median", "ms")
        answer = Figure("keypress_answer_median_ms", "exam answer/flag key, settled median", "ms")
        submit = Figure("exam_submit_ms", "exam submit (confirm to results screen)", "ms")
        for _ in range(plan.exam_runs):
            run = exam_keypresses(self.fresh("exam-data-"), plan.exam_length)
            settled = [t * 1000 for t in run.settled]
            p95.add(percentile(settled, 95))
            p50.add(statistics.median(settled))
            worst.add(max(settled))
            wall95.add(percentile([t * 1000 for t in run.wall], 95))
            cpu95.add(percentile([t * 1000 for t in run.cpu], 95))
            move.add(statistics.median(run.where(moves=True)) * 1000)
            answer.add(statistics.median(run.where(moves=False)) * 1000)
            submit.add(run.submit_s * 1000)
            self.facts.update(
                keypress_exam_questions=run.questions,
                keypress_presses_per_exam=len(run.wall),
                keypress_unpainted_presses=run.unpainted,
                keypress_question_types=sorted(run.types),
            )
            floor.add(percentile([t * 1000 for t in pilot_floor(plan.floor_presses).wall], 95))
        self.figures += [p95, p50, worst, wall95, floor, cpu95, move, answer, submit]

    def store(self) -> None:
        figures, facts = store_figures(self.fresh("store-"), self.plan.runs, self.plan.commits)
        self.figures += figures
        self.facts.update(facts)

    def loads(
        self, bank: BankInfo, cold_runs: int, cached_runs: int, key_suffix: str, informative: bool = False
    ) -> None:
        """Cold loads (the last one fills the cache), then cached loads from that cache.

        An informative bank (50k) has no goals and skips the cold floor: one cold load of it takes
        about 20 s, and the ratio it would give is the 10k one again (both sides scale linearly).
        """
        label = _label(bank.questions)
        warm = self.fresh(f"warm-cache-{label}-")
        cold = cold_load(
            bank,
            cold_runs,
            warm,
            f"cold_load{key_suffix}",
            f"cold load {label}",
            None if informative else 1.2,
            floor=not informative,
        )
        self.figures += cold.all()
        cached, size = cached_load(
            bank,
            cached_runs,
            warm,
            f"cached_load{key_suffix}",
            f"cached load {label}",
            None if informative else 2.0,
        )
        self.figures += cached.all()
        self.facts[f"cache_bytes_{label}"] = size
        shutil.rmtree(warm)

    def peak_rss(self, bank: BankInfo, runs: int, key: str, goal: float | None) -> None:
        label = _label(bank.questions)
        peak = Figure(key, f"peak RSS, app home screen + {label} bank (cold)", "MiB", goal=goal, strict=True)
        loaded = Figure(f"{key}_loaded", f"peak RSS, after loading {label} bank", "MiB")
        for _ in range(runs):
            cache, data = self.fresh("rss-cache-"), self.fresh("rss-data-")
            done = subprocess.run(
                [sys.executable, str(PEAK_RSS), str(bank.folder), str(cache), str(data)],
                env=self.env(),
                capture_output=True,
                text=True,
            )
            if done.returncode != 0:
                raise RuntimeError(f"peak_rss.py failed:\n{done.stderr[-2000:]}")
            result = json.loads(done.stdout.strip().splitlines()[-1])
            peak.add(result["rss_home_mb"])
            loaded.add(result["rss_loaded_mb"])
        self.figures += [peak, loaded]

    # ----------------------------------------------------------------- issue 18

    def history(self) -> None:
        """Every screen on histories of growing size, against its floor (`history_suite.py`)."""
        import history_suite as suite

        plan = suite.Plan.make(self.plan.quick)
        results = suite.run_sizes(plan, self.scratch, self.env(), self.log, self.errors)
        self.figures += suite.figures(
            results, plan, lambda key, label, unit, samples: Figure(key, label, unit, samples=list(samples))
        )
        self._transfer_cpu(results, plan)
        for key, (value, goal, unit, label) in suite.goals(results, plan).items():
            if value is None:
                self.errors.append(f"{key}: not measured (see the errors above)")
                continue
            self.figures.append(Figure(key, label, unit, goal=goal, samples=[value]))
        self.facts.update(results.facts)
        self.history_table = suite.table(results, plan)

    def _transfer_cpu(self, results: Any, plan: Any) -> None:
        """Export and no-op import of the largest history in CPU seconds, by `transfer.py`'s own
        timer when it has one (its before figures are CPU seconds: wall time measures neighbours)."""
        try:
            from transfer import cpu
        except ImportError:
            self.skipped.append("history_export_cpu_*: bench/transfer.py has no cpu() timer")
            return
        import histories

        largest = plan.sizes[-1]
        data = histories.copy(largest, self.fresh("transfer-") / "data", self.log)
        target = data.parent / "export.json"
        export = Figure(f"history_export_cpu_{largest.label}_s", f"quizapp export, {largest.label}, CPU", "s")
        noop = Figure(
            f"history_noop_import_cpu_{largest.label}_s", f"no-op import, {largest.label}, CPU", "s"
        )
        for _ in range(plan.transfers):
            export.add(cpu("--data-dir", str(data), "export", str(target)))
            noop.add(cpu("--data-dir", str(data), "import", str(target)))
        shutil.rmtree(data.parent, ignore_errors=True)
        self.figures += [export, noop]

    def session(self) -> None:
        """A long practice + flashcard session's memory, GC pauses and keys (`session_memory.py`)."""
        try:
            from session_memory import measure
        except ImportError as exc:
            self.skipped.append(
                "practice_keypress_p95_ms, flashcard_keypress_p95_ms, practice_rss_growth_ratio, "
                f"max_gc_pause_ms: bench/session_memory.py is not there yet ({exc})"
            )
            return
        answers, ratings = (12, 12) if self.plan.quick else (300, 500)
        result = measure(answers=answers, ratings=ratings)
        headline = {
            "practice_keypress_p95_ms": ("practice keypress p95, key to screen settled", "ms", FRAME_MS),
            "flashcard_keypress_p95_ms": ("flashcard keypress p95, key to screen settled", "ms", FRAME_MS),
            "practice_rss_growth_ratio": (
                f"RSS growth, {answers} answers + {ratings} ratings ÷ bare app's",
                "x",
                1.5,
            ),
            "max_gc_pause_ms": ("longest garbage-collection pause in that session", "ms", 50),
        }
        for key, (label, unit, goal) in headline.items():
            if key in result:
                self.figures.append(Figure(key, label, unit, goal=goal, samples=[result[key]]))
            else:
                self.errors.append(f"{key}: session_memory.measure() did not report it")
        self.facts["session"] = {k: v for k, v in result.items() if k not in headline}


def _bank(scratch: Path, questions: int, log: Callable[[str], None]) -> BankInfo:
    start = time.perf_counter()
    bank = write_bank(scratch / f"bank{_label(questions)}", questions)
    log(
        f"  bank {_label(questions)}: {bank.questions} questions ({bank.case_studies} case studies) "
        f"in {len(bank.files)} files, {bank.size_bytes / 1e6:.1f} MB, {time.perf_counter() - start:.1f} s"
    )
    return bank


def run(plan: Plan, scratch: Path, log: Callable[[str], None], suite: str = "all") -> Bench:
    bench = Bench(plan, scratch, log)
    if suite in ("all", "base"):
        _base(bench)
    if suite in ("all", "history"):
        bench.section("history: screens, Home, stats, store, export at 0 to 100k reviews", bench.history)
        bench.section("history: a long session's memory, GC pauses and keys", bench.session)
    return bench


def _base(bench: Bench) -> None:
    """Every figure before issue 18: start-up, exam keys, the store, bank loading, memory."""
    plan, scratch, log = bench.plan, bench.scratch, bench.log
    log("· generating banks")
    main = _bank(scratch, plan.main_bank, log)
    big = _bank(scratch, plan.big_bank, log) if plan.big_bank else None
    bench.facts.update(
        load_bank_questions=main.questions,
        load_bank_files=len(main.files),
        load_bank_bytes=main.size_bytes,
        load_bank_types=dict(sorted(main.by_type.items())),
    )
    bench.section("start-up (whole processes)", bench.startup)
    bench.section("exam keypresses (Pilot)", bench.keypresses)
    bench.section("progress store, 100k history", bench.store)
    bench.section(
        f"bank loading, {_label(main.questions)}", lambda: bench.loads(main, plan.runs, plan.runs, "")
    )
    bench.section(
        f"peak memory, {_label(main.questions)}",
        lambda: bench.peak_rss(main, plan.rss_runs, "peak_rss_mb_10k", 300),
    )
    if big is not None:
        label = _label(big.questions)
        bench.facts["big_bank_questions"] = big.questions
        bench.section(
            f"bank loading, {label} (informative)",
            lambda: bench.loads(big, 1, 3, f"_{label}", informative=True),
        )
        bench.section(
            f"peak memory, {label} (informative)",
            lambda: bench.peak_rss(big, 1, f"peak_rss_mb_{label}", None),
        )


def _versions() -> dict[str, Any]:
    return {
        "python": platform.python_version(),
        "textual": textual.__version__,
        "pydantic": pydantic.VERSION,
        "pyyaml": yaml.__version__,
        "libyaml": bool(yaml.__with_libyaml__),
        "sqlite": sqlite3.sqlite_version,
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }


def _rounded(value: float) -> float:
    return round(value, 3 if abs(value) < 100 else 1)


def report(bench: Bench, quick: bool, seconds: float) -> dict[str, Any]:
    """The JSON object: every figure's median under its key, goals and what missed them, and facts."""
    out: dict[str, Any] = {f.key: _rounded(f.median) for f in bench.figures if f.samples}
    out["goals"] = {
        f.key: {"goal": f.goal, "op": "<" if f.strict else "<=", "ok": f.ok}
        for f in bench.figures
        if f.goal is not None and f.samples
    }
    out["missed_goals"] = [f.key for f in bench.figures if f.ok is False]
    out["errors"] = bench.errors
    out["skipped"] = bench.skipped
    out["quick"] = quick
    out["runs"] = bench.plan.runs
    out["seconds"] = round(seconds, 1)
    out.update(bench.facts)
    out.update(_versions())
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds, 1k bank only (about a minute)")
    parser.add_argument("--json", action="store_true", help="one JSON object on stdout; table on stderr")
    parser.add_argument(
        "--suite",
        choices=("all", "base", "history"),
        default="all",
        help="base: the figures before issue 18; history: issue 18's (screens against history size)",
    )
    args = parser.parse_args(argv)
    text_out = sys.stderr if args.json else sys.stdout

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    plan = Plan.make(args.quick)
    scratch = Path(tempfile.mkdtemp(prefix="quizapp-bench-"))
    # This process drives the app in-process too (keypresses): keep its data and cache in scratch.
    saved = {k: os.environ.get(k) for k in ("QUIZAPP_DATA_DIR", "QUIZAPP_CACHE_DIR")}
    os.environ["QUIZAPP_DATA_DIR"] = str(scratch / "data")
    os.environ["QUIZAPP_CACHE_DIR"] = str(scratch / "app-cache")
    start = time.perf_counter()
    try:
        bench = run(plan, scratch, log, args.suite)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    result = report(bench, args.quick, time.perf_counter() - start)

    print(table(bench.figures), file=text_out)
    if bench.history_table:
        print(f"\nmedians by history size ({', '.join(result.get('history_sizes', []))}):", file=text_out)
        print(bench.history_table, file=text_out)
    print(
        f"\n{'quick' if args.quick else 'full'} run, {result['seconds']} s; python {result['python']}, "
        f"textual {result['textual']}, {result['cpus']} CPUs; store on {result.get('store_filesystem')}",
        file=text_out,
    )
    if result["missed_goals"]:
        print(f"missed goals: {', '.join(result['missed_goals'])}", file=text_out)
    else:
        print("every goal met", file=text_out)
    for error in bench.errors:
        print(f"NOT MEASURED: {error}", file=text_out)
    for skipped in bench.skipped:
        print(f"SKIPPED: {skipped}", file=text_out)
    if args.json:
        print(json.dumps(result, sort_keys=True))
    return 1 if bench.errors else 0


if __name__ == "__main__":
    sys.exit(main())
