"""Commands on banks: validate and schema."""

from __future__ import annotations

import argparse
import json

from quizapp.cli.common import bank_dirs
from quizapp.textsafe import escape


def validate(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from quizapp.content import default_sources, load_catalog
    from quizapp.content.lifecycle import lifecycle_files, load_lifecycle
    from quizapp.content.loader import display

    for path in args.paths:
        if not path.exists():
            parser.error(f"validate: no such file or folder: {escape(path)}")
    folders = bank_dirs(args, parser)
    sources = args.paths + folders if args.paths else default_sources(folders)
    catalog = load_catalog(sources)
    # The lifecycle registries are not bank files (the app never needs them) but are checked here,
    # where an author looks for every problem of a bank folder.
    for registry in lifecycle_files(sources):
        catalog.problems.extend(load_lifecycle(registry, display(registry)).problems)
    catalog.problems.sort()
    summary = catalog.summary()
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        for problem in catalog.problems:
            print(problem)
        print(summary_text(catalog, summary))
    return 1 if catalog.problems else 0


def summary_text(catalog, summary: dict) -> str:  # noqa: ANN001 - Catalog is imported lazily
    """The summary, every bank-derived name escaped: a shared bank must not drive the terminal."""
    lines = [
        f"{len(catalog.files)} files: {summary['questions']} questions "
        f"({summary['case_studies']} case studies), {summary['flashcards']} flashcards",
    ]
    for bank in catalog.banks.values():
        names = {str(d.id): escape(d.name) for d in bank.blueprint.domains}
        lines.append(f"{escape(bank.exam)} {escape(bank.blueprint.title)}")
        for key, count in summary["by_domain"].items():
            domain = key.split()[-1]
            if domain in names:
                lines.append(f"  domain {domain} {names[domain]:<56} {count:>5}")
    tasks = "  ".join(f"{escape(k)} {v}" for k, v in summary["by_task"].items())
    types = "  ".join(f"{k} {v}" for k, v in sorted(summary["by_type"].items()))
    lines.append(f"by task: {tasks}")
    lines.append(f"by type: {types or 'none'}")
    errors = len(catalog.problems)
    lines.append("no errors" if not errors else f"{errors} error{'s' if errors != 1 else ''}")
    return "\n".join(lines)


def schema(args: argparse.Namespace) -> int:
    from quizapp.content.schema import json_schema

    print(json.dumps(json_schema(args.kind), indent=2))
    return 0
