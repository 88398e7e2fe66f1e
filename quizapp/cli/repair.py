"""Commands that repair the progress store: move-aside."""

from __future__ import annotations

import argparse


def move_aside_command(args: argparse.Namespace) -> int:
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


def doctor_command(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    """Placeholder until the doctor lands: says so rather than pretending to check."""
    raise NotImplementedError("quizapp doctor is being built")
