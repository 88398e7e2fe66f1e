"""The app's heap policy (issue 18): what a long session keeps, and what each full garbage collection
has to walk.

A full collection walks every object the cyclic collector tracks and has not been told to skip, and
frees the garbage that only it can free (objects in reference cycles), so its pause grows with the heap
the app keeps and with the cyclic garbage made since the last one. A 300-answer practice session plus 500
flashcard ratings made 32 full collections of up to 70 ms. Three causes, all outside quizapp's code:

**Removed widgets' rendered lines, kept by Textual.** Every widget has a `StylesCache` holding its
rendered lines (`Strip`s, each with seven small caches of cropped and restyled copies of itself).
Textual 8 caches `StylesCache.get_inner_outer` with `functools.lru_cache` on the *method*, so the cache's
keys hold the `StylesCache` itself: up to 1,024 of them stay alive after their widgets are gone, with all
their lines (upstream: Textualize/textual#6665, open). Every screen and dialog opened and closed left
its widgets' lines there: at 300 answers that was about half of the collector's heap (52k tracked
objects, 27k without it). The result depends only on the two colours, so `unpin_styles_caches` caches
it by the colours alone; a Textual that no longer wraps the method in an `lru_cache` is left as it is.

**Every line drawn was garbage in a cycle.** The compositor cuts each widget line it draws at the
edges of what covers it (`Strip.divide`); a line in one piece came back as `[self]`, cached in the
line's own `_divide_cache`, a cycle. So every line drawn, with the copies cached inside it, could be
freed only by the cyclic collector: about 2,000 objects an answer, most of what full collections
freed. `uncycle_strips` returns the one piece uncached (about 280 an answer are left, mostly Textual
restyling the footer's keys).

**Every line drawn carried seven empty caches.** A Textual `Strip` makes seven `FIFOCache`s (crops,
styles, filters, ...) when it is made, each an object and a dict: 14 allocations and about 1 KiB per
line, before any is used, and most lines are drawn once and never cropped or restyled. The practice
screen alone held some 1,300 lines (its widgets' drawn lines, the scrollbar's remembered ones, and the
copies cached inside them). `lazy_strip_caches` makes each cache when first used, as Textual's own
`Content` already does for its divide cache; the caches and what they return are Textual's.

**Process-wide geometry and style caches sized for bigger apps.** Textual and Rich memoize small pure
functions of regions and styles with `functools.lru_cache` (`Region.intersection`, `Region.shrink`,
`rich.style.Style._add`, ...; eleven on `Region` alone), each up to 1,024 or 4,096 entries. quizapp's
screens are 80x24 with a few dozen widgets, so what they reuse is a few dozen regions and styles; what
fills these caches over a long session is every region a question of another length ever had, each
entry a few small objects. Over 1,200 answers they made most of the Python heap's growth.
`bound_geometry_caches` re-wraps each with `CACHE_ENTRIES` entries. Over a 300-answer + 500-rating
session their misses went from 6,400 to 15,000 in 0.8 million calls (about 4 more per key, each a few
microseconds of recomputing), and the session's RSS growth from 5.7 to 4.6 MiB; at 1,200 answers it went
from 10.7 to 8.0 MiB (`bench/session_memory.py`, one run each).
Rich's `cached_cell_len`, which measures every word Textual wraps, keeps 4,096 strings: a session fills
it with the bank's words, and its table doubles to 8,192 slots on the way (`tracemalloc`: about 0.4 MiB
of what practice kept); `bound_cell_lengths` keeps 1,024.

**What a closed mode leaves behind.** A closed screen (an exam, the dashboard; practice and
flashcards keep one screen each, `tui/kept.open_kept`) is freed mostly by the cyclic collector
(widgets refer to their parents), which may not run a full collection for minutes; and what the C
heap (glibc's malloc: SQLite's pages, Python's larger blocks) frees is kept by the allocator for
reuse, not returned to the system. `give_back`, run by Home a moment after it is shown again
(`GIVE_BACK_AFTER_S`: the screen that closed is still referenced while Textual removes it), collects
and then asks glibc to return its free pages (`malloc_trim`): over a 300-answer + 500-rating session
that lowered the RSS kept afterwards by about 1 MiB (`bench/session_memory.py`, one run each), for a
collection of 3-19 ms and a trim under 1 ms at a moment nobody waits on. Python's own small-object
arenas are returned only when wholly empty; nothing here changes that.

**The start-up heap, walked again by every full collection.** The bank load already freezes what it
built (`content.loader.gc_paused`). `settle` freezes the rest once Home is complete: the app, Home, the
store, the Coach and the modules imported so far, with the study modes' modules imported first (off
the event loop), all of which live as long as the app; full collections from then on walk only what
the session adds.

What a freeze costs: a frozen object that later becomes garbage *in a reference cycle* is never freed
(the collector no longer looks at it; reference counting still frees every frozen object that dies
outside a cycle, which is most of them: cached lines, texts, geometry). `settle` therefore waits until
Home is the only screen (a start-up dialog, once closed, would be such a cycle), collects first so no
garbage is frozen, and runs once per process: what it can strand is at most the heap alive at that
moment (a few thousand objects after the bank's own freeze, under 1 MiB) and does not grow with how
long the app runs or how many sessions it serves.

**Start-up, collected once.** From the interpreter's start to Home complete the heap only grows:
Textual's and quizapp's modules, the app, Home, the store. The cyclic collector ran about a hundred
young and ten middle collections on the way (12-13 ms of a 205 ms start on this machine) and found
under 2k objects to free. `hold_collector`, called by `quizapp` before it imports Textual
(`cli/app.run_app`), turns the collector off; `release_collector` collects once and turns it back on
when the bank starts loading, right after Home is complete (`tui.startup.load_banks`, whose own pause
then freezes what start-up built), or after `RELEASE_AFTER_S` whatever happened. The collector never
stays off for the session, and nothing start-up made in a cycle is frozen uncollected.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Sequence
from contextlib import suppress
from functools import lru_cache
from importlib import import_module
from threading import Lock, Thread
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

CACHE_ENTRIES = 256
"""Entries each bounded geometry or style cache keeps (see the module's docstring)."""

RETRY_S = 2.0
"""With a dialog over Home, `settle` tries again after this long."""

MODE_MODULES = (
    "quizapp.tui.screens.practice",
    "quizapp.tui.screens.flashcards",
    "quizapp.tui.screens.exam",
    "quizapp.tui.screens.results",
)
"""What opening a study mode imports (with the Textual widgets and markdown parser they use), imported
before the freeze so that what they define, which lives as long as the app, is frozen too (about 2k
objects not already imported by Home); in a thread, so that the event loop is not held for the import's
CPU (up to 0.2 s on a cold start). A mode opened after that opens sooner; one opened before imports
what it needs as it always did."""

_settled = False
_frozen = False
RELEASE_AFTER_S = 10.0
"""The collector is back on this long after the app mounted, even if the bank load never began (a
start-up that failed before it): `QuizApp.on_mount` sets the timer."""
_held = False
_hold_lock = Lock()
GIVE_BACK_AFTER_S = 0.25
"""How long after Home is shown again it runs `give_back`: the closed screen becomes garbage only once
Textual has finished removing it, a few messages after Home is drawn."""

_strip_slots: dict[str, Any] = {}
"""The Strip's own slot descriptors of its caches, once `lazy_strip_caches` put properties before them."""
_trim: Any = None
"""glibc's `malloc_trim`, looked up on first use; False where there is none (macOS, musl, Windows)."""


def unpin_styles_caches() -> bool:
    """Cache Textual's `StylesCache.get_inner_outer` by its two colours instead of by the widget's
    StylesCache too, and let go of the StylesCaches held so far; True when it did.

    Textual's own function is kept and called (with no StylesCache: it uses none), so the styles are
    the same; only what its cache keeps alive changes."""
    from textual._styles_cache import StylesCache

    pinned: Any = StylesCache.__dict__.get("get_inner_outer")
    original = getattr(pinned, "__wrapped__", None)
    if original is None or not hasattr(pinned, "cache_clear") or original.__code__.co_argcount != 3:
        return False  # already unpinned, or not the Textual this was written for: leave it alone

    by_colours = lru_cache(maxsize=1024)(
        lambda base_background, background: original(None, base_background, background)
    )

    def get_inner_outer(self: StylesCache, base_background: Any, background: Any) -> Any:
        return by_colours(base_background, background)

    get_inner_outer.__doc__ = original.__doc__
    get_inner_outer.cache_clear = by_colours.cache_clear  # type: ignore[attr-defined]
    get_inner_outer.cache_info = by_colours.cache_info  # type: ignore[attr-defined]
    StylesCache.get_inner_outer = get_inner_outer  # type: ignore[method-assign]
    pinned.cache_clear()
    return True


def uncycle_strips() -> bool:
    """Stop `Strip.divide` caching a strip inside itself; True when it did.

    Textual's compositor divides every line it draws at the widgets' edges (`Strip.divide`), and a
    line that is one piece is returned as `[self]`, cached in the strip's own `_divide_cache`: a
    reference cycle, so every line drawn became garbage only the cyclic collector frees. The one
    piece is returned as before, only not cached (a one-item list costs less than the cache)."""
    from textual.strip import Strip

    divide: Any = Strip.divide
    if getattr(divide, "_uncycled", False):
        return False

    def one_piece_uncached(self: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
        cell_length = self.cell_length
        wanted = [cut for cut in cuts if cut <= cell_length]
        if wanted == [cell_length]:
            return [self]
        return divide(self, wanted)

    one_piece_uncached.__doc__ = divide.__doc__
    one_piece_uncached._uncycled = True  # type: ignore[attr-defined]
    Strip.divide = one_piece_uncached  # type: ignore[method-assign]
    return True


STRIP_CACHES = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}
"""The caches Textual 8's `Strip.__init__` makes, with their sizes (checked before anything changes)."""
STRIP_PLAIN = frozenset({"_segments", "_cell_length", "_render_cache", "_link_ids", "_cell_count"})
"""The rest of a Strip's slots, which the lazy `__init__` sets as Textual's does."""


def lazy_strip_caches() -> bool:
    """Make a Strip's seven caches when first used instead of when the strip is made; True when it did.

    Done only for the Strip this was written for: exactly these slots, and a new strip holding an empty
    `FIFOCache` of the listed size in each cache slot. Anything else (another Textual) is left as it is.
    The slots stay where they are; each is read through a property that makes its cache on first use."""
    from textual.cache import FIFOCache
    from textual.strip import Strip

    init: Any = Strip.__init__
    if getattr(init, "_lazy", False) or set(Strip.__slots__) != set(STRIP_CACHES) | STRIP_PLAIN:
        return False
    sample = Strip([])
    for name, size in STRIP_CACHES.items():
        cache = getattr(sample, name, None)
        if type(cache) is not FIFOCache or cache._maxsize != size or len(cache):
            return False
    slots = {name: vars(Strip)[name] for name in STRIP_CACHES}
    _strip_slots.update(slots)

    def __init__(self: Strip, segments: Iterable[Any], cell_length: int | None = None) -> None:  # noqa: N807
        self._segments = list(segments)
        self._cell_length = cell_length
        self._render_cache = None
        self._link_ids = None
        self._cell_count = None

    def made_when_used(slot: Any, size: int) -> property:
        def get(self: Strip) -> FIFOCache:
            try:
                return slot.__get__(self, Strip)
            except AttributeError:  # not used before: made now
                cache: FIFOCache = FIFOCache(size)
                slot.__set__(self, cache)
                return cache

        return property(get, slot.__set__)

    __init__.__doc__ = init.__doc__
    __init__._lazy = True  # type: ignore[attr-defined]
    for name, size in STRIP_CACHES.items():
        setattr(Strip, name, made_when_used(slots[name], size))
    Strip.__init__ = __init__  # type: ignore[method-assign]
    return True


def _bounded_caches() -> list[tuple[type, str]]:
    """Where Textual's and Rich's memoized geometry and style functions live: classes whose own
    attributes are `lru_cache` wrappers."""
    from rich.style import Style as RichStyle
    from textual.css.scalar import Scalar
    from textual.filter import ANSIToTruecolor
    from textual.geometry import Offset, Region, Size, Spacing
    from textual.style import Style

    return [
        (owner, name)
        for owner in (Region, Spacing, Offset, Size, Style, Scalar, ANSIToTruecolor, RichStyle)
        for name, value in vars(owner).items()
        if hasattr(value, "cache_info") and hasattr(value, "__wrapped__")
    ]


def bound_geometry_caches(entries: int = CACHE_ENTRIES) -> int:
    """Re-wrap Textual's and Rich's larger geometry and style caches with `entries` entries each; the
    number re-wrapped. The functions are Textual's and Rich's own (`__wrapped__`), so results are the
    same; a cache already at most `entries` is left as it is."""
    bounded = 0
    for owner, name in _bounded_caches():
        cached: Any = vars(owner)[name]
        limit = cached.cache_info().maxsize
        if limit is not None and limit <= entries:
            continue
        setattr(owner, name, lru_cache(maxsize=entries)(cached.__wrapped__))
        bounded += 1
    return bounded


CELL_LENGTHS = 1024
"""Strings whose cell length Rich remembers once bounded (see `bound_cell_lengths`)."""


def bound_cell_lengths(entries: int = CELL_LENGTHS) -> bool:
    """Re-wrap Rich's `cached_cell_len` with `entries` entries instead of 4,096; True when it did.

    Every word Textual wraps is measured through it, so over a long session it fills with the bank's
    words (4,096 strings, and its table doubled to 8,192 slots past 2,730: about 0.4 MiB taken while
    practice is open). The words a screen measures again and again stay in a smaller LRU; one not seen
    lately is measured again, a check that the word is plain ASCII and its length. Textual's modules
    imported Rich's function under their own names (`textual._cells.cell_len`), so every module that
    holds it gets the new one; the function wrapped is Rich's own, so lengths are the same."""
    import sys

    from rich import cells

    cached: Any = cells.cached_cell_len
    limit = getattr(cached, "cache_info", lambda: None)()
    if limit is None or not hasattr(cached, "__wrapped__") or (limit.maxsize or 0) <= entries:
        return False
    bounded = lru_cache(maxsize=entries)(cached.__wrapped__)
    for module in list(sys.modules.values()):
        names = getattr(module, "__dict__", None)
        if not isinstance(names, dict):
            continue
        for name, value in list(names.items()):
            if value is cached:
                setattr(module, name, bounded)
    return True


MALLOC_ARENA_MAX = -8
"""glibc's `mallopt` parameter for the most allocation arenas (malloc.h's `M_ARENA_MAX`)."""


def one_malloc_arena() -> bool:
    """Have glibc's malloc serve every thread from one arena; True when set. Called before the app
    starts any thread, and left alone when `MALLOC_ARENA_MAX` is set in the environment (the user's
    choice) or the C library is not glibc.

    glibc gives threads arenas of their own, up to eight per core, and memory freed in one is kept by
    it for reuse there. The app runs each background job (the pass chance after an answer, folding the
    write-ahead log, a fit) in a new thread, so a session spread what those jobs freed over up to 16
    arenas, and RSS kept climbing: over a 300-answer + 500-rating session it grew 2.3 MiB and about
    0.3 MiB every 50 answers to the end; with one arena it grew 1.3 MiB and stopped after 150 answers,
    the same key latency (`bench/session_memory.py`, one run each, side by side). The threads share the
    interpreter's lock anyway, so one arena costs them little waiting."""
    import os

    if "MALLOC_ARENA_MAX" in os.environ or not _glibc():
        return False
    mallopt = _libc_function("mallopt", ["c_int", "c_int"])
    return mallopt is not None and bool(mallopt(MALLOC_ARENA_MAX, 1))


def _libc_function(name: str, argument_types: list[str]) -> Any:
    """The C library's function `name` (returning an int) through ctypes, or None where there is none
    (another C library, no ctypes); ctypes is imported only when one is asked for."""
    with suppress(OSError, AttributeError, TypeError):
        import ctypes

        function = getattr(ctypes.CDLL(None), name)
        function.argtypes = [getattr(ctypes, kind) for kind in argument_types]
        function.restype = ctypes.c_int
        return function
    return None


def _glibc() -> bool:
    """Whether the C library is glibc; asked of the C library itself (`platform.libc_ver` reads the
    interpreter's binary instead: about 10 ms of start-up)."""
    import os

    try:
        return os.confstr("CS_GNU_LIBC_VERSION").startswith("glibc")  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):  # not a POSIX confstr, or no such name: not glibc
        return False


def give_back() -> bool:
    """Free the cyclic garbage a closed screen left, then return the C heap's free pages to the system
    (glibc only); True when memory was trimmed. See the module's docstring."""
    global _trim
    gc.collect()
    if _trim is None:
        _trim = _libc_function("malloc_trim", ["c_size_t"]) or False
    if _trim is False:
        return False
    _trim(0)
    return True


def hold_collector() -> bool:
    """Start-up only makes what the app keeps: no cyclic collection until `release_collector` (see the
    module's docstring). True when this turned the collector off; a collector someone else turned off
    is left as it is, and `release_collector` will not turn it on."""
    global _held
    with _hold_lock:
        if _held or not gc.isenabled():
            return False
        gc.disable()
        _held = True
        return True


def release_collector() -> bool:
    """Collect what start-up left in cycles and turn the collector back on, if `hold_collector` turned
    it off; True when it did. Safe from any thread, and only the first call does anything."""
    global _held
    with _hold_lock:
        if not _held:
            return False
        _held = False
        gc.collect()
        gc.enable()
        return True


def _home_alone(app: App[Any]) -> bool:
    """Whether the first screen is all there is: Textual's default screen, then Home, and nothing
    over it (a dialog or a mode would be frozen with it, and stranded once closed)."""
    from textual.screen import ModalScreen

    return len(app.screen_stack) <= 2 and not isinstance(app.screen, ModalScreen)


def settle(app: App[Any]) -> bool:
    """Once Home is complete: unpin Textual's styles caches, uncycle its lines, make their caches
    lazily, bound its geometry caches and Rich's cell lengths, import the study modes' modules off the
    event loop, then collect and freeze what is alive (see the module's docstring for why, and what it costs). Runs
    once per process; True when it started now. With a dialog or a mode over Home, it waits until Home
    is alone again, so neither is frozen."""
    global _settled
    if _settled or not app.is_running:
        return False
    if not _home_alone(app):
        app.set_timer(RETRY_S, lambda: settle(app))
        return False
    _settled = True
    unpin_styles_caches()
    uncycle_strips()
    lazy_strip_caches()
    bound_geometry_caches()
    bound_cell_lengths()
    Thread(target=_import_modes, args=(app,), name="heap-settle", daemon=True).start()
    return True


def _import_modes(app: App[Any]) -> None:
    for name in MODE_MODULES:
        try:
            import_module(name)
        except Exception:  # noqa: BLE001, S112 - opening that mode will say what is wrong; nothing to freeze
            continue
    with suppress(RuntimeError):  # the app has exited meanwhile
        app.call_from_thread(_freeze, app)


def _freeze(app: App[Any]) -> None:
    global _frozen
    if _frozen or not app.is_running:
        return
    if not _home_alone(app):
        app.set_timer(RETRY_S, lambda: _freeze(app))
        return
    _frozen = True
    gc.collect()
    gc.freeze()
