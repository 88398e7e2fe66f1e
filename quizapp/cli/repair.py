"""Commands that repair the progress store: move-aside (start fresh) and doctor (set aside what
cannot be used). Neither deletes anything."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from quizapp.textsafe import escape


def _say(*lines: str, err: bool = False) -> None:
    for line in lines:
        if line:
            print(line, file=sys.stderr if err else sys.stdout)


def move_aside_command(args: argparse.Namespace) -> int:
    """Rename progress.db (then its WAL/SHM) with a timestamp. Refused while another quizapp holds
    it, for a symlink, and for a healthy database unless --force."""
    from datetime import datetime

    from quizapp.paths import data_dir
    from quizapp.store import DB_NAME, ProgressStore, StoreError, move_aside
    from quizapp.store.errors import MOVABLE

    folder = data_dir(args.data_dir)
    path = folder / DB_NAME
    if folder.exists() and not folder.is_dir():
        _say(f"quizapp: nothing to move: the data folder {escape(folder)} is a file, not a folder", err=True)
        return 1
    if not path.exists() and not path.is_symlink():
        print(f"nothing to move: {escape(path)} does not exist")
        return 0
    try:
        with ProgressStore.open(folder) as store:
            answered = store.answered_count()
        damage = None
    except StoreError as exc:
        damage = exc
    if damage is None and not args.force:
        _say(
            f"quizapp: {escape(path)} is healthy ({answered} answers stored); it was not moved.",
            "To set it aside anyway and start with fresh progress, run: quizapp move-aside --force "
            "(it is renamed with a timestamp, never deleted).",
            err=True,
        )
        return 1
    if damage is not None and damage.kind not in MOVABLE and not (args.force and damage.kind == "newer"):
        _say(f"quizapp: cannot move {escape(path)}: {escape(damage.reason)}", escape(damage.advice), err=True)
        return 1
    try:
        target = move_aside(path, datetime.now())
    except StoreError as exc:
        _say(f"quizapp: cannot move {escape(path)}: {escape(exc.reason)}", escape(exc.advice), err=True)
        return 1
    print(f"moved {escape(path)} to {escape(target)}; quizapp will start with fresh progress")
    return 0


def doctor_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """List stored progress that cannot be used; with --repair set it aside. Exit 0 when nothing
    unusable remains, 1 otherwise (including a store that cannot be opened)."""
    from quizapp.cli.common import bank_dirs
    from quizapp.content import default_sources, load_catalog
    from quizapp.paths import cache_dir, data_dir
    from quizapp.store import DB_NAME, ProgressStore, StoreError
    from quizapp.study import Coach
    from quizapp.study.health import examine, repair

    folder = data_dir(args.data_dir)
    catalog = load_catalog(default_sources(bank_dirs(args, parser)), cache_dir=cache_dir())
    for problem in catalog.problems:
        print(escape(problem), file=sys.stderr)
    report: dict[str, Any] = {"database": str(folder / DB_NAME)}
    try:
        store = ProgressStore.open(folder)
    except StoreError as exc:
        report.update(healthy=False, error={"kind": exc.kind, "reason": exc.reason, "advice": exc.advice})
        if args.json:
            print(json.dumps(report, indent=2))
        else:
            _say(
                f"quizapp: cannot use {escape(exc.path)}: {escape(exc.reason)}", escape(exc.advice), err=True
            )
        return 1
    with store:
        coach = Coach(catalog.primary, store)
        repaired = repair(coach) if args.repair else []
        remaining = examine(coach)
        report.update(
            healthy=not remaining,
            warnings=store.warnings,
            problems=[f.as_dict() for f in remaining],
            repaired=[f.as_dict() for f in repaired],
        )
    if args.json:
        print(json.dumps(report, indent=2))
        return 0 if not remaining else 1
    for warning in store.warnings:
        print(f"warning: {escape(warning)}")
    for finding in repaired:
        print(f"repaired {escape(finding.label())}: {escape(finding.problem)} -> {escape(finding.repair)}")
    for finding in remaining:
        print(f"{escape(finding.label())}: {escape(finding.problem)} (--repair: {escape(finding.repair)})")
    if remaining:
        print(
            f"{len(remaining)} stored item(s) cannot be used. Run `quizapp doctor --repair` to set "
            "them aside (kept in the database, nothing deleted)."
        )
        return 1
    if not repaired:
        print(f"no problems found in {escape(folder / DB_NAME)}")
    return 0
