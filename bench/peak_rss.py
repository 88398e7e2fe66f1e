"""Peak memory of the app with a big bank: one whole process, its high-water mark reported as JSON.

`python bench/peak_rss.py BANK_DIR CACHE_DIR DATA_DIR` loads the bundled banks plus BANK_DIR the way
the app does (cold when CACHE_DIR is empty), then runs the real app headless to its home screen on
that catalog, which builds the Coach and computes what home shows (due counts, readiness). A separate
process, because a high-water mark in the benchmark's own process would report whatever the biggest
earlier figure touched.

On Linux the peak is read from `VmHWM` in /proc/self/status, not from `ru_maxrss`: the kernel carries
`ru_maxrss` across exec, so a child spawned by a big parent (the benchmark, holding a 10k catalog)
reports the parent's size, not its own. `ru_maxrss` is still printed, for comparison.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path


def ru_maxrss_mb() -> float:
    """`ru_maxrss` in MiB (Linux reports KiB, macOS bytes)."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 1024 / (1024 if sys.platform == "darwin" else 1)


def peak_mb() -> float:
    """This process image's own peak resident set so far, in MiB."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return ru_maxrss_mb()


def main(bank: Path, cache: Path, data: Path) -> dict[str, float | int]:
    from quizapp.content import default_sources, load_catalog

    imported = peak_mb()
    catalog = load_catalog(default_sources([bank]), cache_dir=cache)
    if catalog.problems:
        raise SystemExit(f"bank problems: {catalog.problems[:3]}")
    loaded = peak_mb()

    from textual.pilot import Pilot

    from quizapp.tui.app import make_app

    app = make_app(bank_dirs=[bank], data_dir=data, catalog=catalog, fuzz=False)

    async def until_home(pilot: Pilot) -> None:
        while type(app.screen).__name__ != "HomeScreen":
            await pilot.pause()
        await pilot.pause()
        app.exit()

    app.run(headless=True, size=(80, 24), auto_pilot=until_home)
    return {
        "questions": len(catalog.primary.questions),
        "rss_imported_mb": round(imported, 1),
        "rss_loaded_mb": round(loaded, 1),
        "rss_home_mb": round(peak_mb(), 1),
        "ru_maxrss_mb": round(ru_maxrss_mb(), 1),
    }


if __name__ == "__main__":
    print(json.dumps(main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))))
