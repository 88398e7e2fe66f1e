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
        "--bank-dir", dest="bank_dirs", action="append", metavar="DIR",
        default=argparse.SUPPRESS if suppress else [],
        help="an extra bank folder (questions/ and/or flashcards/); repeatable",
    )
    parser.add_argument(
        "--data-dir", metavar="DIR", default=default,
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
        "validate", help="check bank files and print a summary",
        description="Check bank folders or files. Without PATH: the bundled banks and any "
                    "--bank-dir. Exit 0 when clean, 1 when any error.",
    )
    validate.add_argument("paths", nargs="*", metavar="PATH", type=Path,
                          help="a bank folder or a single YAML file")
    validate.add_argument("--json", action="store_true", help="print one JSON object")
    _global_options(validate, suppress=True)

    schema = commands.add_parser(
        "schema", help="print the JSON Schema of a bank file",
        description="Print a JSON Schema editors can use to check bank files as you type.",
    )
    schema.add_argument("kind", nargs="?", default="questions",
                        choices=["questions", "flashcards", "blueprint"])
    _global_options(schema, suppress=True)
    return parser


def _validate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from quizapp.content import default_sources, load_catalog

    for path in args.paths:
        if not path.exists():
            parser.error(f"validate: no such file or folder: {path}")
    bank_dirs = [Path(d) for d in args.bank_dirs]
    for folder in bank_dirs:
        if not folder.is_dir():
            parser.error(f"--bank-dir: not a folder: {folder}")
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


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command == "validate":
            return _validate(args, parser)
        if args.command == "schema":
            return _schema(args)
        parser.print_help()
        return 0
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        sys.stderr.close()
        return 0
