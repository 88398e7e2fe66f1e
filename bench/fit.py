"""How long fitting personal FSRS parameters takes, for 5k and 20k reviews.

The history is the synthetic learner of the fit's tests (`tests/study/fit_learner.py`: memory from a
known non-default FSRS model, scheduled by the defaults, some answers marked as guesses), scaled to
about 5,000 and 20,000 reviews. Three figures per size, median and best of the runs:

- fit: `fit_parameters` on the log in memory (building the items, the fsrs-rs fit, three held-out
  evaluations), CPU seconds;
- isolated: `run_fit_isolated` on a store holding that log, wall seconds, as the app and
  `quizapp optimize` run it (a child process that starts Python, opens the store, reads it, fits);
- and the held-out log loss of the fit, of the defaults and of the true model.

Run: `.venv/bin/python bench/fit.py [--runs N]`. Nothing outside a temp dir is touched.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import UTC
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from quizapp.store import ProgressStore  # noqa: E402
from quizapp.study.fit import fit_parameters, outcomes  # noqa: E402
from quizapp.study.fit_worker import run_fit_isolated  # noqa: E402
from tests.study.fit_learner import TRUE_PARAMETERS, records, simulate, write_history  # noqa: E402

SIZES = {"5k": (350, 150), "20k": (1200, 240)}
"""Items and days for about 5,000 and 20,000 reviews."""


def true_log_loss(reviews, answers, test: int) -> float:  # noqa: ANN001
    """The true model's log loss on the same held-out reviews the fit was judged on."""
    from fsrs_rs_python import FSRS

    from quizapp.study import fit

    found, _ = outcomes(reviews, 4, UTC, fit.guess_keys(reviews, answers))
    return float(FSRS(list(TRUE_PARAMETERS)).evaluate(fit._items(found[-test:])).log_loss)


def measure(name: str, items: int, days: int, runs: int) -> None:
    reviews, answers = records(simulate(items=items, days=days, seed=16))
    cpu: list[float] = []
    for _ in range(runs):
        start = time.process_time()
        result = fit_parameters(reviews, None, 4, answers=answers, tz=UTC)
        cpu.append(time.process_time() - start)
    with tempfile.TemporaryDirectory() as folder:
        with ProgressStore.open(Path(folder)) as store:
            write_history(store, simulate(items=items, days=days, seed=16))
        wall: list[float] = []
        for _ in range(runs):
            start = time.perf_counter()
            isolated = run_fit_isolated(folder, timeout=600)
            wall.append(time.perf_counter() - start)
    print(
        f"{name}: {result.reviews} reviews "
        f"({result.used} outcomes, {result.train} fitted, {result.test} held out)"
    )
    print(f"  fit in process   median {statistics.median(cpu):.3f} s CPU, best {min(cpu):.3f} s")
    print(f"  isolated (child) median {statistics.median(wall):.3f} s wall, best {min(wall):.3f} s")
    print(
        f"  held-out log loss: fitted {result.log_loss:.4f}, defaults {result.default_log_loss:.4f}, "
        f"true model {true_log_loss(reviews, answers, result.test):.4f}; adopted: {result.adopted}"
    )
    if isolated.failed:
        print(f"  isolated run failed: {isolated.reason}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    for name, (items, days) in SIZES.items():
        measure(name, items, days, args.runs)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
