"""The study app as `quizapp serve` runs it for each browser tab: `python -m quizapp.cli.webapp`.

textual-serve talks to the app through pipes, not a terminal, so `quizapp` itself would refuse to
start (it checks for a terminal so a piped run never spins waiting for keys). Here Textual's web
driver, chosen by textual-serve's TEXTUAL_DRIVER, does the talking; the options are the same as the
`quizapp` command's --data-dir and --bank-dir.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def main(argv: Sequence[str] | None = None) -> int:
    from quizapp.cli import build_parser
    from quizapp.cli.common import bank_dirs

    parser = build_parser()
    args = parser.parse_args(argv)
    if os.environ.get("TEXTUAL_DRIVER") != WEB_DRIVER:
        # Started by hand in a terminal: the pipes protocol would print escape codes, not an app.
        print("quizapp: this runs the app for `quizapp serve`; run `quizapp` instead.", file=sys.stderr)
        return 2
    from quizapp.paths import data_dir
    from quizapp.tui.app import make_app

    app = make_app(bank_dirs=bank_dirs(args, parser), data_dir=data_dir(args.data_dir))
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    raise SystemExit(main())
