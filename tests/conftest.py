"""Tests are sealed from the machine: progress and the bank cache go to temporary dirs, never the user's."""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from quizapp.paths import CACHE_DIR_ENV, DATA_DIR_ENV


@pytest.fixture(autouse=True)
def _sealed_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv(DATA_DIR_ENV, str(data))
    monkeypatch.setenv(CACHE_DIR_ENV, str(data / "cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(data / "xdg-data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(data / "xdg-cache"))
    return data


@pytest.fixture(scope="session")
def built_history(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A year of study against the real bank (`tests/history.py`), built once per test session.

    Building it takes a few seconds, and five test modules used to build the same one each. It is
    shared read-only: every test works on its own `copy_history` of it, never on this folder."""
    from tests.history import build_history

    folder = tmp_path_factory.mktemp("year-of-history") / "data"
    facts = build_history(folder)
    # The point of the fixture: numbers that need two digits and more.
    assert facts.reviews >= 2000 and facts.answers >= 2000 and facts.exams >= 10, facts
    counts = (facts.cards_due, facts.questions_due, facts.missed, facts.new_cards, facts.leeches)
    assert min(counts) >= 10, facts
    return folder


@pytest.fixture(scope="session", autouse=True)
def _started_early(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """Work that mostly waits, or that can use an idle core, starts with the session instead of when
    its test comes: a selected test module with `start_early(session, tmp_path_factory)` is called
    now, and its `stop_early(session)` at the end ends whatever its tests did not wait for.

    On two cores most tests here keep one busy: tests/test_bench_smoke.py's two `bench/run.py
    --quick` runs (mostly waiting) and tests/study/test_pass_calibration.py's learners, both at low
    priority so that they take only the CPU the running test leaves, fill the other one, and their
    tests (run last, see below) wait only for what is left."""
    early = _early_modules(request.session.items)
    for module in early:
        module.start_early(request.session, tmp_path_factory)
    yield
    for module in early:
        module.stop_early(request.session)


def _early_modules(items: list[pytest.Item]) -> list:
    modules = {id(m): m for m in (getattr(item, "module", None) for item in items)}
    return [m for m in modules.values() if m is not None and hasattr(m, "start_early")]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The tests whose work started early run last, in their own order: by then that work is done
    or nearly, where in their place they would wait for it."""
    early = {id(m) for m in _early_modules(items)}
    if early:
        items.sort(key=lambda item: id(getattr(item, "module", None)) in early)  # stable


WriteBank = Callable[..., Path]


@pytest.fixture
def write_bank(tmp_path: Path) -> WriteBank:
    """Write YAML files (dedented) into a fresh bank folder and return the folder."""

    def write(**files: str) -> Path:
        root = tmp_path / "bank"
        for name, text in files.items():
            sub = "flashcards" if name.startswith("fc_") else "questions"
            filename = "blueprint.yaml" if name == "blueprint" else f"{name}.yaml"
            path = root / sub / filename
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return root

    return write
