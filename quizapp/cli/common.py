"""What every command shares: the usage-error rule for --bank-dir, and the fatal-message exit."""

from __future__ import annotations

import argparse
from pathlib import Path


class Fatal(Exception):
    """A message for the user and exit status 1."""


def bank_dirs(args: argparse.Namespace, parser: argparse.ArgumentParser) -> list[Path]:
    """The --bank-dir folders; one that is not a folder is a usage error (exit 2)."""
    folders = [Path(d) for d in args.bank_dirs]
    for folder in folders:
        if not folder.is_dir():
            parser.error(f"--bank-dir: not a folder: {folder}")
    return folders
