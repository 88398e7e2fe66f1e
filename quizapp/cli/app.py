"""No command: the study app in this terminal."""

from __future__ import annotations

import argparse
import sys

from quizapp.cli.common import bank_dirs

NEEDS_A_TERMINAL = (
    "quizapp: the study app needs a terminal (stdin and stdout must both be one). "
    "Run it in a terminal, or use a command such as `quizapp stats` or `quizapp export -` "
    "(see `quizapp --help`)."
)


def _is_terminal(stream: object) -> bool:
    try:
        return bool(stream is not None and stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):  # a closed or detached stream
        return False


def run_app(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    # Without a terminal Textual would wait for keys that never come, at full speed, forever.
    if not (_is_terminal(sys.stdin) and _is_terminal(sys.stdout)):
        print(NEEDS_A_TERMINAL, file=sys.stderr)
        return 2
    from quizapp.paths import data_dir

    folders = bank_dirs(args, parser)
    from quizapp.tui.heap import hold_collector

    hold_collector()  # before Textual is imported: start-up only builds what the app keeps (tui/heap.py)
    from quizapp.tui.app import make_app

    app = make_app(bank_dirs=folders, data_dir=data_dir(args.data_dir))
    app.run()
    return app.return_code or 0
