"""`quizapp anki-export`: the bundled and user banks as an Anki package, for study on a phone.

The package replaces its file atomically (a full disk or a kill leaves an older package whole), and a
file that cannot be written is a message and exit 1, never a traceback. The notes keep their GUIDs
from one export to the next, so importing a newer package into Anki updates the cards already there.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quizapp.cli.common import Fatal, bank_dirs
from quizapp.textsafe import escape

SUFFIX = ".apkg"


def anki_export(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from quizapp.atomic import reason
    from quizapp.content import default_sources, load_catalog
    from quizapp.interop.anki import describe_export, write_package
    from quizapp.paths import cache_dir

    if not args.file.lower().endswith(SUFFIX):
        parser.error(f"FILE must end in {SUFFIX} (Anki imports only .apkg packages): {args.file}")
    catalog = load_catalog(default_sources(bank_dirs(args, parser)), cache_dir=cache_dir())
    for problem in catalog.problems:
        print(escape(problem), file=sys.stderr)
    try:
        export = write_package(Path(args.file), catalog.banks.values(), questions=args.questions)
    except OSError as exc:
        raise Fatal(
            f"quizapp: cannot write {escape(args.file)}: {reason(exc)}\n"
            "Nothing was exported; a file already there is unchanged."
        ) from None
    print(f"wrote {describe_export(export, questions=args.questions)} to {escape(args.file)}")
    print("Import it in Anki (File > Import); a newer export updates the same notes.")
    return 0
