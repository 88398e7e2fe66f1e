"""`quizapp sync [DIR]`: progress shared between machines through a folder a file syncer keeps
alike (see `quizapp.store.sync`). Without DIR, the folder chosen in Settings is used."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quizapp.cli.common import Fatal, bank_dirs
from quizapp.cli.progress import load_bank, open_store
from quizapp.textsafe import escape


def sync(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from quizapp.paths import data_dir
    from quizapp.study.clock import SystemClock
    from quizapp.study.sync import SyncFailed, sync_settings, sync_store

    bank_dirs(args, parser)
    here = data_dir(args.data_dir)
    chosen = args.dir or sync_settings(here).folder
    if not chosen:
        parser.error("sync: give the shared folder (DIR), or choose one in the app's Settings")
    folder = Path(chosen).expanduser()
    if not folder.is_dir():
        raise Fatal(f"quizapp: sync folder {escape(folder)} is not a folder; nothing was synced")
    bank = load_bank(args, parser)
    store = open_store(args)
    try:
        report = sync_store(store, here, folder, bank, SystemClock().now().astimezone())
    except SyncFailed as exc:
        raise Fatal(f"quizapp: {exc.message}") from None
    finally:
        store.close()
    print(f"this device: {report.device}")
    for line in report.said:
        print(line)
    for line in report.skipped:
        print(f"quizapp: {line}", file=sys.stderr)
    return 0
