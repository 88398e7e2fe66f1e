"""The benchmark suite still runs: `bench/run.py --quick --json` exits 0 with every required figure.

Only whether it *measures* is tested, never whether goals are met: timings depend on the machine,
and a test that fails on a busy CI runner teaches people to ignore it. `--quick` keeps to the 1k
bank and a short exam, so this takes about half a minute.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path

import pytest

from quizapp.paths import CACHE_DIR_ENV, DATA_DIR_ENV

ROOT = Path(__file__).resolve().parent.parent
REQUIRED = (
    "startup_ratio",
    "cold_load_ratio",
    "cached_load_ratio",
    "keypress_p95_ms",
    "answer_commit_p99_us",
    "due_query_100k_us",
    "peak_rss_mb_10k",
)


@pytest.mark.slow
def test_quick_benchmark_reports_every_required_figure(tmp_path: Path) -> None:
    env = {
        **os.environ,
        DATA_DIR_ENV: str(tmp_path / "data"),
        CACHE_DIR_ENV: str(tmp_path / "cache"),
        "TMPDIR": str(tmp_path),  # the suite's generated banks and stores land here too
    }
    proc = subprocess.run(
        [sys.executable, "bench/run.py", "--quick", "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    result = json.loads(proc.stdout)
    assert result["errors"] == []
    assert result["quick"] is True and result["load_bank_questions"] == 1000
    for key in REQUIRED:
        value = result.get(key)
        assert isinstance(value, int | float) and not isinstance(value, bool), (key, value)
        assert math.isfinite(value) and value > 0, (key, value)
