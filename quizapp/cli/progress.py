"""Commands on the learner's progress: stats, export, import.

An export replaces its file atomically (a full disk or a kill leaves the old backup whole); an
import reads a bounded regular file or standard input, is validated whole against the bank before
anything is written (and before a new data dir is created), and is refused with every problem's
JSON path; a file this store merged before, with all it brought still here, is not read again.
Whatever a line echoes from a bank or a file (ids, keys, names) is escaped: it is data, never
terminal control.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quizapp.cli.common import Fatal, bank_dirs
from quizapp.textsafe import escape

if TYPE_CHECKING:
    from quizapp.content import Bank
    from quizapp.store import ProgressStore
    from quizapp.store.export_format import ImportChecks, ImportRefused
    from quizapp.study import Coach

MOVE_ASIDE_ADVICE = "Nothing was changed. To keep that file and start fresh, run: quizapp move-aside"


def load_bank(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Bank:
    """The primary bank; problems in bank files are printed (escaped) and do not stop the command."""
    from quizapp.content import default_sources, load_catalog
    from quizapp.paths import cache_dir

    catalog = load_catalog(default_sources(bank_dirs(args, parser)), cache_dir=cache_dir())
    for problem in catalog.problems:
        print(escape(problem), file=sys.stderr)
    return catalog.primary


def open_store(args: argparse.Namespace) -> ProgressStore:
    """The store, or a clear message and exit 1 when it cannot be used (never a traceback)."""
    from quizapp.paths import data_dir
    from quizapp.store import ProgressStore, StoreError

    folder = data_dir(args.data_dir)
    try:
        store = ProgressStore.open(folder)
    except StoreError as exc:
        advice = getattr(exc, "advice", MOVE_ASIDE_ADVICE)
        raise Fatal(
            f"quizapp: cannot use {escape(exc.path)}: {escape(exc.reason)}\n{advice}".rstrip()
        ) from None
    for warning in getattr(store, "warnings", ()):
        print(f"quizapp: {escape(warning)}", file=sys.stderr)
    return store


def open_coach(args: argparse.Namespace, parser: argparse.ArgumentParser) -> Coach:
    from quizapp.study import Coach

    bank = load_bank(args, parser)
    return Coach(bank, open_store(args))


def stats(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from quizapp.paths import data_dir
    from quizapp.study.sync import sync_summary

    coach = open_coach(args, parser)
    stats = coach.stats()
    stats["sync"] = sync_summary(data_dir(args.data_dir))
    tell_stored_problems(coach)
    if args.json:
        print(json.dumps(stats, indent=2))
        return 0
    print(f"answered questions: {stats['answered']}   flashcard reviews: {stats['reviewed']}")
    held = stats["due"]["questions_held"]
    held_note = f" (+{held} held back by your daily limit)" if held else ""
    due = stats["due"]
    print(
        f"due today: {due['flashcards']} flashcards, {due['questions']} questions{held_note}   "
        f"missed queue: {stats['missed']}   leeches: {stats['leeches']}"
    )
    if stats.get("seconds_per_question") is not None:  # null: no answer's time was measured
        # Whole seconds, halves up, as the app shows them (48.5 s reads as 49 s).
        print(f"median time per question: {int(stats['seconds_per_question'] + 0.5)} s")
    print("accuracy by domain:")
    for domain in coach.bank.blueprint.domains:
        acc = stats["accuracy"]["by_domain"][str(domain.id)]
        share = f"{acc['correct'] / acc['answered']:.0%}" if acc["answered"] else "-"
        name = escape(domain.name)
        print(f"  {domain.id} {name:<56} {acc['correct']:>4}/{acc['answered']:<4} {share:>4}")
    print("accuracy by task:")
    for task, acc in stats["accuracy"]["by_task"].items():
        share = f"{acc['correct'] / acc['answered']:.0%}" if acc["answered"] else "-"
        print(f"  {escape(task)} {acc['correct']:>4}/{acc['answered']:<4} {share:>4}")
    from quizapp.study.passchance import percent

    print(f"exams: {len(stats['exams'])}")
    for exam in stats["exams"]:
        started = escape(exam["started_at"][:16])
        if "scaled" in exam:
            verdict = "pass" if exam["passed"] else "fail"
            said = [f"predicted {exam['predicted']}"] if exam["predicted"] is not None else []
            if exam.get("predicted_pass") is not None:
                said.append(f"pass chance {percent(exam['predicted_pass'])}")
            predicted = f" ({', '.join(said)})" if said else ""
            print(f"  {started}  {exam['scaled']} {verdict}  {exam['correct']}/{exam['total']}{predicted}")
        else:
            print(f"  {started}  in progress")
    print_pass_chance(coach, stats)
    sync = stats["sync"]
    if sync["folder"]:
        last = "never from this machine"
        if sync["last_sync_at"]:
            outcome = sync["last_sync"] if sync["last_sync_ok"] else f"failed: {sync['last_sync']}"
            last = f"{sync['last_sync_at'][:16].replace('T', ' ')} ({outcome})"
        print(f"sync folder: {escape(sync['folder'])}; last sync: {escape(last)}")
    return 0


def print_pass_chance(coach: Coach, stats: dict[str, Any]) -> None:
    """The verdict: the pass chance with its interval and what it rests on, then how the pass
    predictions made before past exams did (once an exam has one). It takes the place of the older
    readiness statement, whose predicted score (mastery weighted by domain) can differ from the
    pass model's expected one: printing both would give the learner two predictions to choose from."""
    chance = coach.pass_chance()  # the one `stats()` just made: cached, nothing is computed again
    print(escape(chance.short()))
    print(f"  {escape(chance.reason)}")
    calibration = stats["calibration"]
    if calibration["exams"]:
        exams = calibration["exams"]
        print(
            f"pass predictions so far: Brier score {calibration['brier']:.3f} over {exams} "
            f"exam{'s' if exams != 1 else ''} (0 is perfect; always predicting your pass rate "
            f"would score {calibration['baseline_brier']:.3f})"
        )


def tell_stored_problems(coach: Coach) -> None:
    """What the coach left out as unusable (a card state, a setting, an exam), on stderr."""
    if not coach.problems:
        return
    for problem in coach.problems:
        print(f"quizapp: left out: {escape(problem)}", file=sys.stderr)
    print("quizapp: run `quizapp doctor --repair` to set it aside (nothing is deleted)", file=sys.stderr)


def export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Only the store is needed: a bank file with a problem never blocks a backup."""
    from quizapp.atomic import reason, write_atomic

    bank_dirs(args, parser)  # a bad --bank-dir is still a usage error
    store = open_store(args)
    try:
        if args.file == "-":  # written as it is read: nothing to replace atomically
            sys.stdout.flush()
            stream = getattr(sys.stdout, "buffer", None)
            if stream is None:  # a text-only stdout (one replaced in-process)
                sys.stdout.write(store.export_bytes().decode("utf-8"))
            else:
                store.write_export(stream)
                stream.flush()
            return 0
        data = store.export_bytes()  # compact and sorted: import reads it, and older indented files
    finally:
        store.close()
    try:
        write_atomic(Path(args.file), data)
    except OSError as exc:
        raise Fatal(
            f"quizapp: cannot write {escape(args.file)}: {reason(exc)}\n"
            "Nothing was exported; a file already there is unchanged."
        ) from None
    print(f"exported progress to {escape(args.file)}")
    return 0


def import_(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from quizapp.store import StoreError
    from quizapp.store.export_format import ImportRefused
    from quizapp.store.import_check import load_export
    from quizapp.store.transfer import ADDED
    from quizapp.study import Coach

    name = "standard input" if args.file == "-" else escape(args.file)
    raw = read_export(args.file, parser)
    store = _existing_store(args)  # a file it merged before is not read again (store.import_memo)
    if store is not None and _merged_before(store, raw):
        print("imported: " + ", ".join(f"0 {what}" for what in ADDED))
        return 0
    bank = load_bank(args, parser)
    try:
        export = load_export(raw, import_checks(bank))
    except ImportRefused as exc:
        if store is not None:
            store.close()
        raise Fatal(refusal(name, exc)) from None
    store = store or open_store(args)  # only now for a new data dir: a refused file creates none
    try:
        added = store.import_data(export, Coach(bank, store).srs.replay, source=raw)
    except StoreError as exc:
        advice = getattr(exc, "advice", "")
        raise Fatal(
            f"quizapp: cannot import into {escape(exc.path)}: {escape(exc.reason)}\n"
            f"Nothing was imported. {advice}".rstrip()
        ) from None
    except sqlite3.Error as exc:  # until every store write failure is a StoreWriteError
        raise Fatal(
            f"quizapp: cannot import into {escape(store.path)}: {_why(exc)}\nNothing was imported."
        ) from None
    finally:
        store.close()
    print("imported: " + ", ".join(f"{n} {k}" for k, n in added.items()))
    return 0


def _existing_store(args: argparse.Namespace) -> ProgressStore | None:
    from quizapp.paths import data_dir
    from quizapp.store import DB_NAME

    return open_store(args) if (data_dir(args.data_dir) / DB_NAME).exists() else None


def _merged_before(store: ProgressStore, raw: bytes) -> bool:
    """Closes the store when the answer is yes (the command is done)."""
    try:
        merged = store.merged_before(raw)
    except sqlite3.Error:  # the import proper meets the problem and says so
        return False
    if merged:
        store.close()
    return merged


def refusal(name: str, exc: ImportRefused) -> str:
    lines = [f"quizapp: {name} is not a usable quizapp export; nothing was imported:"]
    lines += [f"  {problem}" for problem in exc.problems]
    if exc.total > len(exc.problems):
        lines.append(f"  ... and {exc.total - len(exc.problems)} more problems")
    return "\n".join(lines)


def read_export(source: str, parser: argparse.ArgumentParser | None = None) -> bytes:
    """The bytes of an export (`-`: standard input), bounded; a FIFO or device is refused without
    waiting for a writer (see `quizapp.reading`), so a bad path never hangs."""
    from quizapp.reading import Refused, read_bounded
    from quizapp.store.export_format import MAX_EXPORT_BYTES

    limit = MAX_EXPORT_BYTES
    if source == "-":
        stdin = sys.stdin
        if stdin is None or stdin.isatty():
            raise Fatal("quizapp: import -: standard input is a terminal; pipe or redirect an export into it")
        stream = getattr(stdin, "buffer", None)
        raw = stream.read(limit + 1) if stream is not None else stdin.read(limit + 1).encode("utf-8")
        if len(raw) > limit:
            raise Fatal(f"quizapp: standard input is more than {limit // 2**20} MiB, more than any export")
        return raw
    if not os.path.lexists(source):
        if parser is not None:
            parser.error(f"import: no such file: {escape(source)}")
        raise Fatal(f"quizapp: no such file: {escape(source)}")
    try:
        raw, _ = read_bounded(source, limit, "exports")
    except Refused as exc:
        raise Fatal(f"quizapp: cannot import {escape(source)}: {exc.message}") from None
    return raw


def import_checks(bank: Bank | None) -> ImportChecks:
    """Study's knowledge for the store's import (`quizapp.study.import_checks`, which sync uses too)."""
    from quizapp.study.import_checks import import_checks as checks

    return checks(bank)


def _why(exc: BaseException) -> str:
    from quizapp.atomic import reason

    return reason(exc) if isinstance(exc, OSError) else escape(exc)
