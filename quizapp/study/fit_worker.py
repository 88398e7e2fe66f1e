"""Run a fit away from the learner's terminal: `python -m quizapp.study.fit_worker DATA_DIR`.

fsrs-rs is Rust: when it panics, its panic hook writes a backtrace to file descriptor 2 before
Python sees anything, which inside the TUI would scribble over the screen. So the app (and
`quizapp optimize`) run the fit in a child process (`run_fit_isolated`) whose stdout and stderr are
pipes: the child reads the store itself, fits, and prints one JSON object (a `FitResult`) on stdout.
The parent waits at most `TIMEOUT_S` and turns every way the child can fail (a timeout, a crash, no
answer) into a failed `FitResult` in words, never a traceback. It is a blocking call: the app runs it
in a thread worker, so its event loop never waits on it.

Storing the result is the caller's job (`fit_settings.record_fit`), on its own store connection,
so the app's cached settings and the stored ones never disagree.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import tzinfo
from pathlib import Path

from quizapp.store import ProgressStore
from quizapp.study.fit import FitResult, fit_parameters

TIMEOUT_S = 60.0
MAX_ANSWER_BYTES = 1 << 20


def fit_store(store: ProgressStore, tz: tzinfo | None = None) -> FitResult:
    """The fit of the whole log in `store`, against the parameters in use (in this process)."""
    from quizapp.study.fit_settings import read_fsrs
    from quizapp.study.settings import read_settings

    cutoff = read_settings(store).next_day_starts_at
    current = read_fsrs(store).parameters
    return fit_parameters(store.reviews(), current, cutoff, answers=list(store.answers()), tz=tz)


def run_fit_isolated(data_dir: Path | str, timeout: float = TIMEOUT_S) -> FitResult:
    """`fit_store` in a child process: nothing it prints reaches this process's terminal, and it
    is stopped after `timeout` seconds. Blocking; never raises for anything the child does."""
    # -P: no working directory first on sys.path, so a `quizapp` folder there cannot stand in for this one
    command = [sys.executable, "-P", "-m", "quizapp.study.fit_worker", os.fspath(data_dir)]
    env = {**os.environ, "RUST_BACKTRACE": "0"}  # a panic's note stays one line (and unseen)
    try:
        proc = subprocess.run(
            command,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            env=env,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return FitResult.failure(
            f"the fit took longer than {timeout:g} s and was stopped; the parameters in use are kept"
        )
    except OSError as exc:
        return FitResult.failure(
            f"the fit could not start ({exc.strerror or exc}); the parameters in use are kept"
        )
    answer = _answer(proc.stdout)
    if answer is not None:
        return answer
    how = f"exit status {proc.returncode}" if proc.returncode >= 0 else f"signal {-proc.returncode}"
    return FitResult.failure(f"the fit stopped unexpectedly ({how}); the parameters in use are kept")


def _answer(stdout: bytes) -> FitResult | None:
    """The worker's FitResult: the last line of its output that is one, else None."""
    for line in reversed(stdout[-MAX_ANSWER_BYTES:].decode("utf-8", "replace").splitlines()):
        try:
            data = json.loads(line)
            if isinstance(data, dict) and "adopted" in data and "reason" in data:
                return FitResult.from_dict(data)
        except (ValueError, TypeError):
            continue
    return None


def main(argv: list[str] | None = None) -> int:
    """The child: fit the store in DATA_DIR and print the result as one JSON line."""
    from quizapp.store import StoreError

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m quizapp.study.fit_worker DATA_DIR", file=sys.stderr)
        return 2
    try:
        with ProgressStore.open(Path(args[0])) as store:
            result = fit_store(store)
    except StoreError as exc:
        result = FitResult.failure(f"cannot use {exc.path}: {exc.reason}")
    except Exception as exc:  # noqa: BLE001 - a read that fails is told in words, not a traceback
        result = FitResult.failure(f"the progress could not be read ({type(exc).__name__}: {exc})")
    print(json.dumps(result.to_dict()), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
