"""Commands on the learner's progress: stats, export, import."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from quizapp.cli.common import Fatal, bank_dirs


def open_coach(args: argparse.Namespace, parser: argparse.ArgumentParser):  # noqa: ANN202 - imports stay lazy
    """The bank and the store, or a clear message and exit 1 when the store cannot be used."""
    from quizapp.content import default_sources, load_catalog
    from quizapp.paths import cache_dir, data_dir
    from quizapp.store import ProgressStore, StoreError
    from quizapp.study import Coach

    catalog = load_catalog(default_sources(bank_dirs(args, parser)), cache_dir=cache_dir())
    for problem in catalog.problems:
        print(problem, file=sys.stderr)
    try:
        store = ProgressStore.open(data_dir(args.data_dir))
    except StoreError as exc:
        raise Fatal(
            f"quizapp: cannot use {exc.path}: {exc.reason}\n"
            "Nothing was changed. To keep that file and start fresh, run: quizapp move-aside"
        ) from None
    return Coach(catalog.primary, store)


def stats(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    coach = open_coach(args, parser)
    stats = coach.stats()
    if args.json:
        print(json.dumps(stats, indent=2))
        return 0
    ready = stats["readiness"]
    print(f"answered questions: {stats['answered']}   flashcard reviews: {stats['reviewed']}")
    print(
        f"due now: {stats['due']['flashcards']} flashcards, {stats['due']['questions']} questions   "
        f"missed queue: {stats['missed']}   leeches: {stats['leeches']}"
    )
    print("accuracy by domain:")
    for domain in coach.bank.blueprint.domains:
        acc = stats["accuracy"]["by_domain"][str(domain.id)]
        share = f"{acc['correct'] / acc['answered']:.0%}" if acc["answered"] else "-"
        print(f"  {domain.id} {domain.name:<56} {acc['correct']:>4}/{acc['answered']:<4} {share:>4}")
    print("accuracy by task:")
    for task, acc in stats["accuracy"]["by_task"].items():
        share = f"{acc['correct'] / acc['answered']:.0%}" if acc["answered"] else "-"
        print(f"  {task} {acc['correct']:>4}/{acc['answered']:<4} {share:>4}")
    print(f"exams: {len(stats['exams'])}")
    for exam in stats["exams"]:
        if "scaled" in exam:
            verdict = "pass" if exam["passed"] else "fail"
            predicted = f" (predicted {exam['predicted']})" if exam["predicted"] is not None else ""
            print(
                f"  {exam['started_at'][:16]}  {exam['scaled']} {verdict}  "
                f"{exam['correct']}/{exam['total']}{predicted}"
            )
        else:
            print(f"  {exam['started_at'][:16]}  in progress")
    print(ready["statement"])
    return 0


def export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    coach = open_coach(args, parser)
    text = json.dumps(coach.store.export_data(), indent=1, sort_keys=True) + "\n"
    if args.file == "-":
        sys.stdout.write(text)
    else:
        Path(args.file).write_text(text, encoding="utf-8")
        print(f"exported progress to {args.file}")
    return 0


def import_(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    args.file = Path(args.file)
    if not args.file.is_file():
        parser.error(f"import: no such file: {args.file}")
    try:
        data = json.loads(args.file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise Fatal(f"quizapp: {args.file} is not a quizapp export: {exc}") from None
    coach = open_coach(args, parser)
    try:
        added = coach.store.import_data(data, coach.srs.replay)
    except (ValueError, KeyError, TypeError) as exc:
        raise Fatal(f"quizapp: {args.file} is not a usable quizapp export: {exc}") from None
    print("imported: " + ", ".join(f"{n} {k}" for k, n in added.items()))
    return 0
