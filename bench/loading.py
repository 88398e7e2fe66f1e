"""Bank loading against its floor: what the loader costs beyond parsing and validating, cold and cached.

A ratio to a floor measured in the same process, interleaved run by run, says more than an absolute
time: it survives a slower machine and a noisy neighbour, and it isolates the loader's own overhead
(safety checks, node marks, cross-file rules, the cache) from the irreducible cost of libyaml and
pydantic-core. The floors run with the garbage collector paused, as the loader runs, so both sides
pay the same allocation costs and nothing else.
"""

from __future__ import annotations

import gc
import json
import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from banks import BankInfo
from pydantic import TypeAdapter
from timing import Figure

from quizapp.content import Catalog, load_catalog
from quizapp.content.models import QuestionFile

T = TypeVar("T")


@contextmanager
def _gc_paused() -> Iterator[None]:
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _timed(action: Callable[[], T]) -> tuple[float, T]:
    """Run once and return (seconds, result); a full collection first so no run pays for the last."""
    gc.collect()
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def load(folder: Path, cache_dir: Path) -> Catalog:
    """The app's loader on one bank folder, with its bank cache in `cache_dir`, called as the app calls
    it: the banks are ready when it returns, and a cache that needs writing is written after that, by a
    thread (`settle` waits for it outside the timed part, so no run pays for the one before)."""
    return load_catalog([folder], cache_dir=cache_dir, save_in_background=True)


def settle(catalog: Catalog) -> Catalog:
    catalog.wait_for_cache()
    return catalog


def check(catalog: Catalog, bank: BankInfo, how: str) -> None:
    """A fast load that lost questions would be a false win: every run must see the whole bank.

    When the catalog says how the cache served it, a cold run must have parsed every file and a
    cached one none: a cache that silently rejects itself would make "cached" a second cold load.
    """
    stats = getattr(catalog, "cache", None)
    hits, misses = getattr(stats, "hits", None), getattr(stats, "misses", None)
    if how == "cold" and hits:
        raise AssertionError(f"cold load of {bank.folder} was served {hits} file(s) from a cache")
    if how == "cached" and misses:
        raise AssertionError(f"cached load of {bank.folder} parsed {misses} file(s): {stats}")
    if catalog.problems:
        raise AssertionError(f"{how} load of {bank.folder} reported problems: {catalog.problems[:3]}")
    found = len(catalog.primary.questions)
    if found != bank.questions:
        raise AssertionError(f"{how} load of {bank.folder} found {found} questions, not {bank.questions}")


def yaml_floor(files: list[Path], adapter: TypeAdapter[QuestionFile]) -> None:
    """The least any loader can do: read, libyaml-parse and pydantic-validate each file once."""
    with _gc_paused():
        for path in files:
            text = path.read_bytes().decode("utf-8")
            adapter.validate_python(yaml.load(text, Loader=yaml.CSafeLoader))


def json_floor(blobs: list[bytes]) -> None:
    """The least a cache can do: decode its JSON."""
    with _gc_paused():
        for blob in blobs:
            json.loads(blob)


@dataclass
class LoadFigures:
    """Both sides of a ratio in ms, and the ratio per interleaved pair."""

    app: Figure
    floor: Figure
    ratio: Figure

    def all(self) -> list[Figure]:
        """The figures that were measured (a cold load may skip its floor)."""
        return [f for f in (self.ratio, self.app, self.floor) if f.samples]


def _figures(key: str, label: str, floor: str, goal: float | None) -> LoadFigures:
    return LoadFigures(
        Figure(f"{key}_ms", f"{label}: loader", "ms"),
        Figure(f"{key}_floor_ms", f"{label}: {floor} floor", "ms"),
        Figure(f"{key}_ratio", f"{label}: loader / floor", "x", goal=goal),
    )


def cold_load(
    bank: BankInfo, runs: int, warm: Path, key: str, label: str, goal: float | None, floor: bool = True
) -> LoadFigures:
    """Loader with an empty cache dir per run vs the YAML + pydantic floor, interleaved.

    The last run writes its cache into `warm` (which must be empty), so a cached load can follow
    without paying for one more cold load.
    """
    figures = _figures(key, label, "yaml+pydantic", goal)
    adapter = TypeAdapter(QuestionFile)
    for run in range(runs):
        floor_s = _timed(lambda: yaml_floor(bank.files, adapter))[0] if floor else 0.0
        last = run == runs - 1
        cache = warm if last else Path(tempfile.mkdtemp(prefix="cold-cache-", dir=warm.parent))
        app_s, catalog = _timed(lambda cache=cache: load(bank.folder, cache))
        check(settle(catalog), bank, "cold")
        del catalog
        if not last:
            shutil.rmtree(cache)
        figures.app.add(app_s * 1000)
        if floor:
            figures.floor.add(floor_s * 1000)
            figures.ratio.add(app_s / floor_s)
    return figures


def cached_load(
    bank: BankInfo, runs: int, warm: Path, key: str, label: str, goal: float | None
) -> tuple[LoadFigures, int]:
    """Loader reading the warm cache in `warm` vs `json.loads` of that cache's bytes, interleaved.

    Returns the figures and the cache's size in bytes (it is read on every start).
    """
    figures = _figures(key, label, "json.loads", goal)
    blobs = [p.read_bytes() for p in sorted(warm.rglob("*.json"))]
    if not blobs:
        raise AssertionError(f"the loader wrote no *.json cache file in {warm}")
    for _ in range(runs):
        floor_s, _ = _timed(lambda: json_floor(blobs))
        app_s, catalog = _timed(lambda: load(bank.folder, warm))
        check(settle(catalog), bank, "cached")
        del catalog
        figures.floor.add(floor_s * 1000)
        figures.app.add(app_s * 1000)
        figures.ratio.add(app_s / floor_s)
    gc.collect()
    return figures, sum(len(b) for b in blobs)
