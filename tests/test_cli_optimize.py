"""`quizapp optimize` (issue 16, item 2): fits FSRS parameters to the history in the data dir, says
what it did in words (reviews used, both log losses, adopted or not and why), stores the choice,
brings the defaults back with --defaults; bad arguments exit 2, an unusable store gives the usual
lines and exit 1, and no traceback or Rust backtrace ever reaches the terminal."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from fsrs import Scheduler

from quizapp.cli import main
from quizapp.paths import DATA_DIR_ENV
from quizapp.store import ProgressStore
from quizapp.study.fit_settings import read_fsrs
from tests.study.fit_learner import simulate, write_history

pytestmark = pytest.mark.slow  # each fit runs in a child process


@pytest.fixture(autouse=True)
def _utc(monkeypatch: pytest.MonkeyPatch) -> None:
    """The fit counts study days in the system's zone (the child inherits TZ): the figures below
    are those of a learner in UTC, whatever zone this machine is in."""
    monkeypatch.setenv("TZ", "UTC")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("optimize-history")
    with ProgressStore.open(folder) as store:
        write_history(store, simulate())  # 3,700 reviews of a learner who forgets faster than FSRS's defaults
    return folder


@pytest.fixture
def data(history: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for name in os.listdir(history):
        if name.startswith("progress.db") and not name.endswith(".lock"):
            (folder / name).write_bytes((history / name).read_bytes())
    return folder


def stored(folder: Path):  # noqa: ANN201
    with ProgressStore.open(folder) as store:
        return read_fsrs(store)


def test_optimize_fits_adopts_and_says_so(data, capsys):
    assert main(["optimize", "--data-dir", str(data)]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    lines = out.splitlines()
    assert lines[0] == (
        "Reviews in your history: 3700 (2292 a day or more after the item's previous review, "
        "over 300 items; 88 guesses left out)."
    )
    assert lines[1].startswith(
        "Fitted on the earlier 1834, tested on the latest 458: log loss 0.4969 with the defaults, "
    )
    assert lines[2].startswith(
        "Adopted: the fit predicts the most recent 458 reviews better than the defaults"
    )
    assert lines[3] == "`quizapp optimize --defaults` brings the default parameters back."
    choice = stored(data)
    assert choice.fitted and choice.reviews == 3700 and choice.log_loss < choice.default_log_loss
    assert Scheduler(parameters=choice.parameters).parameters == choice.parameters


def test_optimize_again_keeps_the_fit_and_says_why(data, capsys):
    main(["optimize", "--data-dir", str(data)])
    first = stored(data)
    capsys.readouterr()
    assert main(["optimize", "--data-dir", str(data)]) == 0
    out = capsys.readouterr().out
    assert "log loss 0.4768 with your fitted parameters, 0.4969 with the defaults, 0.4768 fitted" in out
    assert "Not adopted: the fit gives your current parameters again; they stay in use." in out
    assert stored(data).parameters == first.parameters


def test_optimize_json(data, capsys):
    assert main(["optimize", "--json", "--data-dir", str(data)]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["action"] == "fit" and report["adopted"] is True and report["was_fitted"] is False
    assert set(report["fsrs"]) == {"source", "reviews", "log_loss", "default_log_loss", "fitted_at"}
    assert report["fsrs"]["source"] == "fitted" and report["fsrs"]["reviews"] == 3700
    assert len(report["parameters"]) == 21 and report["log_loss"] < report["default_log_loss"]


def test_optimize_defaults_brings_the_defaults_back(data, capsys):
    main(["optimize", "--data-dir", str(data)])
    capsys.readouterr()
    assert main(["optimize", "--defaults", "--data-dir", str(data)]) == 0
    assert capsys.readouterr().out.startswith("FSRS parameters: back to the defaults.\n")
    choice = stored(data)
    assert choice.parameters is None and choice.source == "default" and not choice.auto
    assert main(["optimize", "--defaults", "--json", "--data-dir", str(data)]) == 0
    assert json.loads(capsys.readouterr().out)["fsrs"]["source"] == "default"


def test_optimize_with_little_history_says_not_yet(tmp_path, capsys):
    assert main(["optimize", "--data-dir", str(tmp_path / "new")]) == 0
    out = capsys.readouterr().out
    assert "Reviews in your history: 0" in out
    assert (
        "Not fitted: not enough history yet: 0 reviews a day or more after the item's previous review" in out
    )
    assert stored(tmp_path / "new").checked_at is not None  # the run is remembered


def test_optimize_bad_arguments_exit_2_with_usage(capsys):
    for argv in (["optimize", "--bogus"], ["optimize", "extra"], ["optimize", "--bank-dir", "/no/such/dir"]):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 2
        assert "usage: quizapp" in capsys.readouterr().err


def test_optimize_on_an_unusable_store_gives_the_usual_lines(tmp_path, capsys):
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    assert main(["optimize", "--data-dir", str(not_a_folder)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"quizapp: cannot use {not_a_folder}/progress.db: the data folder")
    assert "Traceback" not in err


def test_optimize_as_a_command_prints_no_traceback(data):
    env = {**os.environ, DATA_DIR_ENV: str(data)}
    proc = subprocess.run(
        [sys.executable, "-m", "quizapp", "optimize"], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0 and proc.stderr == ""
    assert "Adopted:" in proc.stdout


def test_optimize_help_says_what_it_does(capsys):
    with pytest.raises(SystemExit) as info:
        main(["optimize", "--help"])
    assert info.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "predict your most recent 20 % of reviews better than the parameters in use" in out
    assert "--defaults go back to FSRS's default parameters" in out
