"""`quizapp optimize`: fit FSRS parameters to the learner's reviews now, or bring the defaults back.

The fit runs in a child process (`fit_worker.run_fit_isolated`), as in the app, so a Rust panic's
backtrace never reaches this terminal; the result is stored through the store's settings
(`fit_settings`). Exit 0 when the fit ran (adopted or not, "not enough history" included) and for
`--defaults`; 1 when the store cannot be used or the fit could not run.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from quizapp.cli.common import bank_dirs
from quizapp.textsafe import escape


def optimize(args: argparse.Namespace, parser: argparse.ArgumentParser) -> int:
    from quizapp.cli.progress import open_store
    from quizapp.paths import data_dir
    from quizapp.study.fit_settings import read_fsrs, record_fit, revert_to_defaults
    from quizapp.study.fit_worker import run_fit_isolated

    bank_dirs(args, parser)  # a bad --bank-dir is still a usage error
    store = open_store(args)  # the CLI's usual lines and exit 1 when it cannot be used
    now = datetime.now(UTC)
    try:
        problems: list[str] = []
        before = read_fsrs(store, problems.append)
        for problem in problems:
            print(f"quizapp: left out: {escape(problem)}", file=sys.stderr)
        if args.defaults:
            choice = revert_to_defaults(store, now)
            result = None
        else:
            result = run_fit_isolated(data_dir(args.data_dir))
            choice = record_fit(store, result, now, by_learner=True)
    finally:
        store.close()
    if args.json:
        print(json.dumps(_report(result, choice.stats(), before.fitted), indent=2))
    elif result is None:
        print("FSRS parameters: back to the defaults.")
        print("Automatic fits will not replace them; `quizapp optimize` fits again when you want.")
    else:
        for line in _words(result, before.fitted):
            print(escape(line))
    return 1 if result is not None and result.failed else 0


def _report(result: Any, fsrs: dict[str, Any], was_fitted: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"fsrs": fsrs}
    if result is None:
        data.update(action="defaults", adopted=False)
    else:
        data.update(action="fit", was_fitted=was_fitted, **result.to_dict())
    return data


def _words(result: Any, was_fitted: bool) -> list[str]:
    """What the fit did, for a learner: reviews used, both log losses, adopted or not and why."""
    if result.failed:
        return [f"Fit failed: {result.reason}."]
    lines = [
        f"Reviews in your history: {result.reviews} ({result.used} a day or more after the item's "
        f"previous review, over {result.items} items; {result.guesses} guesses left out)."
    ]
    if result.log_loss is None:
        lines.append(f"Not fitted: {result.reason}.")
        return lines
    in_use = "your fitted parameters" if was_fitted else "the defaults"
    defaults = f", {result.default_log_loss:.4f} with the defaults" if was_fitted else ""
    lines.append(
        f"Fitted on the earlier {result.train}, tested on the latest {result.test}: log loss "
        f"{result.current_log_loss:.4f} with {in_use}{defaults}, {result.log_loss:.4f} fitted "
        "(lower predicts better)."
    )
    if result.adopted:
        lines.append(f"Adopted: {result.reason}. quizapp schedules with them from now on.")
        lines.append("`quizapp optimize --defaults` brings the default parameters back.")
    else:
        lines.append(f"Not adopted: {result.reason}.")
    return lines
