"""Start-up to the first screen, as whole processes: quizapp's home screen vs a minimal Textual app.

Whole processes, because what a learner waits for includes interpreter start, imports and the bank
load, none of which an in-process timer sees. The minimal app is the floor Textual itself imposes;
runs alternate (minimal, app, minimal, app, ...) so a machine that slows down mid-run slows both.

"Warm" means what a second start finds: the bank cache and the store exist, and quizapp's modules
are compiled to bytecode, as Textual's are by `pip install` (and as an editable install's are on its
first run). The warm-up run does both, compiling with `compileall` because with
PYTHONDONTWRITEBYTECODE set (as this sandbox's shell has it) Python would otherwise compile quizapp's
modules from source on every start, a cost no installed copy pays, while reading Textual's .pyc.
"""

from __future__ import annotations

import compileall
import json
import subprocess
import sys
import time
from pathlib import Path

from timing import Figure

import quizapp

DRIVER = Path(__file__).with_name("first_screen.py")


def _run(args: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawning one `first_screen.py` process to its first screen, and to `complete`.

    The driver stamps `time.perf_counter()` (CLOCK_MONOTONIC, shared across processes on Linux)
    right after the screen's first paint, so interpreter start and imports are counted but the
    process's exit (waiting for threads, tearing down) is not.
    """
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(DRIVER), *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"first_screen.py {' '.join(args)} failed:\n{done.stderr[-2000:]}")
    stamps = json.loads(done.stdout.strip().splitlines()[-1])
    return stamps["first_screen"] - start, stamps["complete"] - start


def startup(runs: int, data_dir: Path, env: dict[str, str]) -> list[Figure]:
    """Ratio per interleaved pair, and both absolute times in ms; `env` carries QUIZAPP_CACHE_DIR."""
    ratio = Figure("startup_ratio", "first screen: quizapp / minimal Textual", "x", goal=1.2)
    app = Figure("startup_app_ms", "first screen: quizapp (bundled banks, warm cache)", "ms")
    minimal = Figure("startup_minimal_ms", "first screen: minimal Textual app", "ms")
    complete = Figure("startup_complete_ms", "home complete: bank loaded, readiness shown (warm cache)", "ms")
    complete_ratio = Figure("startup_complete_ratio", "home complete / minimal Textual first screen", "x")
    compileall.compile_dir(Path(quizapp.__file__).parent, quiet=1)  # warm-up: the bytecode,
    _run(["quizapp", str(data_dir)], env)  # the bank cache and the store
    for _ in range(runs):
        floor_s, _ = _run(["minimal"], env)
        app_s, complete_s = _run(["quizapp", str(data_dir)], env)
        minimal.add(floor_s * 1000)
        app.add(app_s * 1000)
        ratio.add(app_s / floor_s)
        complete.add(complete_s * 1000)
        complete_ratio.add(complete_s / floor_s)
    return [ratio, app, minimal, complete, complete_ratio]
