"""No command: the study app in this terminal."""

from __future__ import annotations

import argparse

from quizapp.cli.common import bank_dirs


def run_app(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from quizapp.paths import data_dir

    folders = bank_dirs(args, parser)
    from quizapp.tui.app import make_app

    app = make_app(bank_dirs=folders, data_dir=data_dir(args.data_dir))
    app.run()
    return app.return_code or 0
