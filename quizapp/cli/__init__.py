"""The `quizapp` command: parse arguments, then hand off to a headless command or the app.

Bad arguments get argparse's usage and exit 2; bad banks get `path:line:column: message` and
exit 1. No traceback reaches the user for bad input.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from quizapp import __version__
from quizapp.cli.common import Fatal


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


def _serve_port(text: str) -> int:
    from quizapp.cli.serve import port_number

    return port_number(text)


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
        description=(
            "Answers, reviews, accuracy, due counts, missed queue, exam history, pass chance "
            "and the Brier score of past predictions."
        ),
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
    import_.add_argument("file", metavar="FILE", help="an export file, or - for standard input")
    _global_options(import_, suppress=True)

    sync = commands.add_parser(
        "sync",
        help="sync progress with your other machines through a folder",
        description="Write this machine's progress to its own file in DIR, then merge every other "
        "machine's file there. Use a folder Syncthing, Dropbox, a network share or git keeps alike. "
        "Without DIR, the folder chosen in the app's Settings is used.",
    )
    sync.add_argument(
        "dir", metavar="DIR", nargs="?", help="the shared folder (default: the one chosen in Settings)"
    )
    _global_options(sync, suppress=True)

    aside = commands.add_parser(
        "move-aside",
        help="rename an unusable progress.db and start fresh",
        description="Rename progress.db (with a timestamp) so quizapp starts with a fresh one. "
        "Nothing is deleted.",
    )
    aside.add_argument("--force", action="store_true", help="move it aside even when it is healthy")
    _global_options(aside, suppress=True)

    doctor = commands.add_parser(
        "doctor",
        help="find and repair unusable stored progress",
        description="List stored progress that cannot be used (a card state FSRS cannot load, an "
        "exam that cannot be resumed, an invalid setting) and, with --repair, set it aside without "
        "deleting any history.",
    )
    doctor.add_argument("--repair", action="store_true", help="set aside what cannot be used")
    doctor.add_argument("--json", action="store_true", help="print one JSON object")
    _global_options(doctor, suppress=True)

    anki = commands.add_parser(
        "anki-export",
        help="write the flashcards (and questions) as an Anki package",
        description="Write the bundled and --bank-dir flashcard decks as an Anki package, one Anki deck "
        "per deck, tagged by task. Importing a newer export into Anki updates the same notes.",
    )
    anki.add_argument("file", metavar="FILE.apkg", help="the package to write")
    anki.add_argument("--questions", action="store_true", help="add the questions too, one deck per domain")
    _global_options(anki, suppress=True)

    optimize = commands.add_parser(
        "optimize",
        help="fit FSRS parameters to your reviews",
        description="Fit FSRS's parameters to your own review history and adopt them only when they "
        "predict your most recent 20 % of reviews better than the parameters in use.",
    )
    optimize.add_argument("--defaults", action="store_true", help="go back to FSRS's default parameters")
    optimize.add_argument("--json", action="store_true", help="print one JSON object")
    _global_options(optimize, suppress=True)

    serve = commands.add_parser(
        "serve",
        help="serve the study app in a web browser",
        description="Serve the study app to a web browser (textual-serve). Bound to 127.0.0.1 unless "
        "--host says otherwise; a host beyond this machine needs the access token printed at start.",
    )
    serve.add_argument("--port", type=_serve_port, default=8000, metavar="N", help="default: 8000")
    serve.add_argument("--host", default="127.0.0.1", metavar="H", help="default: 127.0.0.1")
    _global_options(serve, suppress=True)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            from quizapp.cli.banks import validate

            return validate(args, parser)
        if args.command == "schema":
            from quizapp.cli.banks import schema

            return schema(args)
        if args.command == "stats":
            from quizapp.cli.progress import stats

            return stats(args, parser)
        if args.command == "export":
            from quizapp.cli.progress import export

            return export(args, parser)
        if args.command == "import":
            from quizapp.cli.progress import import_

            return import_(args, parser)
        if args.command == "sync":
            from quizapp.cli.sync import sync

            return sync(args, parser)
        if args.command == "move-aside":
            from quizapp.cli.repair import move_aside_command

            return move_aside_command(args)
        if args.command == "doctor":
            from quizapp.cli.repair import doctor_command

            return doctor_command(args, parser)
        if args.command == "anki-export":
            from quizapp.cli.anki import anki_export

            return anki_export(args, parser)
        if args.command == "optimize":
            from quizapp.cli.optimize import optimize

            return optimize(args, parser)
        if args.command == "serve":
            from quizapp.cli.serve import serve

            return serve(args, parser)
        from quizapp.cli.app import run_app

        return run_app(args, parser)
    except Fatal as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
