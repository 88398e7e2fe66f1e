"""The `quizapp` command: parse arguments, then hand off to a headless command or the app.

Bad arguments get argparse's usage and exit 2; bad banks get `path:line:column: message` and
exit 1. No traceback reaches the user for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from quizapp import __version__


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The same global options on the main parser and every subcommand, so order never matters."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--bank-dir",
        dest="bank_dirs",
        action="append",
        metavar="DIR",
        default=argparse.SUPPRESS if suppress else [],
        help="an extra bank folder (questions/ and/or flashcards/); repeatable",
    )
    parser.add_argument(
        "--data-dir",
        metavar="DIR",
        default=default,
        help="where progress is kept (default: $QUIZAPP_DATA_DIR, else the platform's data dir)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="quizapp",
        description="A terminal study coach for the AWS Certified AI Practitioner exam (AIF-C01).",
        epilog="Run without a command to open the study app.",
    )
    parser.add_argument("--version", action="version", version=f"quizapp {__version__}")
    _global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check bank files and print a summary",
        description="Check bank folders or files. Without PATH: the bundled banks and any "
        "--bank-dir. Exit 0 when clean, 1 when any error.",
    )
    validate.add_argument(
        "paths", nargs="*", metavar="PATH", type=Path, help="a bank folder or a single YAML file"
    )
    validate.add_argument("--json", action="store_true", help="print one JSON object")
    _global_options(validate, suppress=True)

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema of a bank file",
        description="Print a JSON Schema editors can use to check bank files as you type.",
    )
    schema.add_argument(
        "kind", nargs="?", default="questions", choices=["questions", "flashcards", "blueprint"]
    )
    _global_options(schema, suppress=True)

    stats = commands.add_parser(
        "stats",
        help="print your progress",
        description="Answers, reviews, accuracy, due counts, missed queue, exam history and readiness.",
    )
    stats.add_argument("--json", action="store_true", help="print one JSON object")
    _global_options(stats, suppress=True)

    export = commands.add_parser(
        "export",
        help="write all progress to a JSON file",
        description="Write all progress as versioned JSON (use - for stdout).",
    )
    export.add_argument("file", metavar="FILE")
    _global_options(export, suppress=True)

    import_ = commands.add_parser(
        "import",
        help="merge progress from an export",
        description="Merge an export into this progress. Importing the same file twice changes nothing.",
    )
    import_.add_argument("file", metavar="FILE", type=Path)
    _global_options(import_, suppress=True)

    aside = commands.add_parser(
        "move-aside",
        help="rename an unusable progress.db and start fresh",
        description="Rename progress.db (with a timestamp) so quizapp starts with a fresh one. "
        "Nothing is deleted.",
    )
    _global_options(aside, suppress=True)
    return parser


def _open(args: argparse.Namespace, parser: argparse.ArgumentParser):  # noqa: ANN202 - imports stay lazy
    """The bank and the store, or a clear message and exit 1 when the store cannot be used."""
    from quizapp.content import default_sources, load_catalog
    from quizapp.paths import cache_dir, data_dir
    from quizapp.store import ProgressStore, StoreError
    from quizapp.study import Coach

    catalog = load_catalog(default_sources(_bank_dirs(args, parser)), cache_dir=cache_dir())
    for problem in catalog.problems:
        print(problem, file=sys.stderr)
    try:
        store = ProgressStore.open(data_dir(args.data_dir))
    except StoreError as exc:
        raise _Fatal(
            f"quizapp: cannot use {exc.path}: {exc.reason}\n"
            "Nothing was changed. To keep that file and start fresh, run: quizapp move-aside"
        ) from None
    return Coach(catalog.primary, store)


class _Fatal(Exception):
    """A message for the user and exit status 1."""


def _stats(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    coach = _open(args, parser)
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


def _export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    coach = _open(args, parser)
    text = json.dumps(coach.store.export_data(), indent=1, sort_keys=True) + "\n"
    if args.file == "-":
        sys.stdout.write(text)
    else:
        Path(args.file).write_text(text, encoding="utf-8")
        print(f"exported progress to {args.file}")
    return 0


def _import(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    if not args.file.is_file():
        parser.error(f"import: no such file: {args.file}")
    try:
        data = json.loads(args.file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise _Fatal(f"quizapp: {args.file} is not a quizapp export: {exc}") from None
    coach = _open(args, parser)
    try:
        added = coach.store.import_data(data, coach.srs.replay)
    except (ValueError, KeyError, TypeError) as exc:
        raise _Fatal(f"quizapp: {args.file} is not a usable quizapp export: {exc}") from None
    print("imported: " + ", ".join(f"{n} {k}" for k, n in added.items()))
    return 0


def _move_aside(args: argparse.Namespace) -> int:
    from datetime import datetime

    from quizapp.paths import data_dir
    from quizapp.store import DB_NAME, move_aside

    path = data_dir(args.data_dir) / DB_NAME
    if not path.exists():
        print(f"nothing to move: {path} does not exist")
        return 0
    target = move_aside(path, datetime.now())
    print(f"moved {path} to {target}; quizapp will start with fresh progress")
    return 0


def _bank_dirs(args: argparse.Namespace, parser: argparse.ArgumentParser) -> list[Path]:
    """The --bank-dir folders; one that is not a folder is a usage error (exit 2)."""
    folders = [Path(d) for d in args.bank_dirs]
    for folder in folders:
        if not folder.is_dir():
            parser.error(f"--bank-dir: not a folder: {folder}")
    return folders


def _validate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from quizapp.content import default_sources, load_catalog

    for path in args.paths:
        if not path.exists():
            parser.error(f"validate: no such file or folder: {path}")
    bank_dirs = _bank_dirs(args, parser)
    sources = args.paths + bank_dirs if args.paths else default_sources(bank_dirs)
    catalog = load_catalog(sources)
    summary = catalog.summary()
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        for problem in catalog.problems:
            print(problem)
        print(_summary_text(catalog, summary))
    return 1 if catalog.problems else 0


def _summary_text(catalog, summary: dict) -> str:  # noqa: ANN001 - Catalog is imported lazily
    lines = [
        f"{len(catalog.files)} files: {summary['questions']} questions "
        f"({summary['case_studies']} case studies), {summary['flashcards']} flashcards",
    ]
    for bank in catalog.banks.values():
        names = {str(d.id): d.name for d in bank.blueprint.domains}
        lines.append(f"{bank.exam} {bank.blueprint.title}")
        for key, count in summary["by_domain"].items():
            domain = key.split()[-1]
            if domain in names:
                lines.append(f"  domain {domain} {names[domain]:<56} {count:>5}")
    tasks = "  ".join(f"{k} {v}" for k, v in summary["by_task"].items())
    types = "  ".join(f"{k} {v}" for k, v in sorted(summary["by_type"].items()))
    lines.append(f"by task: {tasks}")
    lines.append(f"by type: {types or 'none'}")
    errors = len(catalog.problems)
    lines.append("no errors" if not errors else f"{errors} error{'s' if errors != 1 else ''}")
    return "\n".join(lines)


def _schema(args: argparse.Namespace) -> int:
    from quizapp.content.schema import json_schema

    print(json.dumps(json_schema(args.kind), indent=2))
    return 0


def _run_app(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from quizapp.paths import data_dir

    bank_dirs = _bank_dirs(args, parser)
    from quizapp.tui.app import make_app

    app = make_app(bank_dirs=bank_dirs, data_dir=data_dir(args.data_dir))
    app.run()
    return app.return_code or 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args, parser)
        if args.command == "schema":
            return _schema(args)
        if args.command == "stats":
            return _stats(args, parser)
        if args.command == "export":
            return _export(args, parser)
        if args.command == "import":
            return _import(args, parser)
        if args.command == "move-aside":
            return _move_aside(args)
        return _run_app(args, parser)
    except _Fatal as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
