"""Without a terminal the app cannot take a key: it says so and exits 2 instead of spinning a core."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


@pytest.mark.slow
@pytest.mark.parametrize("stdin_is_a_terminal", [False, True], ids=["stdin-devnull", "stdout-piped"])
def test_the_app_without_a_terminal_says_it_needs_one_and_exits_2(tmp_path, stdin_is_a_terminal):
    controller, terminal = os.openpty()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "quizapp", "--data-dir", str(tmp_path / "data")],
            stdin=terminal if stdin_is_a_terminal else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=30,
        )
    finally:
        os.close(controller)
        os.close(terminal)
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr and "Traceback" not in done.stderr
    assert done.stdout == ""
    assert not (tmp_path / "data").exists()  # nothing was opened or created
