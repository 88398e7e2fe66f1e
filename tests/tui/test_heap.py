"""Issue 18: the app's heap policy (`quizapp.tui.heap`), counted, not timed.

- A screen closed is not kept by Textual's `StylesCache.get_inner_outer` cache: after a practice
  session and back Home, the question view's widgets' styles caches (their rendered lines) are gone.
- The lines drawn while answering are not garbage in reference cycles (`Strip.divide` kept
  one-piece lines inside themselves): the cyclic garbage a practice answer leaves is counted.
- `settle` collects and freezes once, and never while a dialog is over Home.
"""

from __future__ import annotations

import gc
import platform
import subprocess
import sys
import weakref

import pytest
from rich.segment import Segment
from textual._styles_cache import StylesCache
from textual.strip import Strip

from quizapp.tui import heap
from quizapp.tui.dialogs.message import MessageDialog
from quizapp.tui.widgets.question import QuestionView
from tests.factory import make_bank
from tests.tui.helpers import build, keys_for_right_answer, open_practice, ready

SIZE = (80, 24)
ANSWERS = 8


async def _answer(pilot, screen, answers: int) -> None:  # noqa: ANN001
    for _ in range(answers):
        view = screen.query_one(QuestionView)
        await pilot.press(*keys_for_right_answer(view.choices), "enter")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()


async def _closing_practice(pilot) -> None:  # noqa: ANN001
    """A practice screen of its own, removed once closed (not the app's kept one, `open_practice`)."""
    from quizapp.study import Scope
    from quizapp.tui.screens.practice import PracticeScreen

    pilot.app.push_screen(PracticeScreen(pilot.app.coach.practice(Scope("all")), "Practice"))
    await ready(pilot, "PracticeScreen")


async def test_a_closed_screen_leaves_no_styles_cache_behind(tmp_path):
    """Every widget of a closed screen lets go of its styles cache (its rendered lines)."""
    heap.unpin_styles_caches()
    app = build(tmp_path, bank=make_bank(per_task=13))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await _closing_practice(pilot)
        await _answer(pilot, app.screen, 3)
        caches = [
            weakref.ref(widget._styles_cache)
            for widget in app.screen.query(QuestionView).first().walk_children(with_self=True)
        ]
        while type(app.screen).__name__ != "HomeScreen":
            await pilot.press("escape")
            await pilot.pause()
        await ready(pilot)
        gc.collect()
        assert len(caches) > 3
        assert [ref for ref in caches if ref() is not None] == []


def test_unpinned_styles_are_textuals_own():
    """The cache by colours gives what Textual's method gives (its body is called unchanged)."""
    from textual.color import Color
    from textual.style import Style

    heap.unpin_styles_caches()
    assert not heap.unpin_styles_caches()  # once is enough: the second call finds it done
    base, background = Color(10, 20, 30), Color(200, 100, 0, 0.5)
    assert StylesCache().get_inner_outer(base, background) == (
        Style(background=base + background),
        Style(background=base),
    )


def test_a_one_piece_strip_is_not_kept_inside_itself():
    heap.uncycle_strips()
    strip = Strip([Segment("ten cells.")], 10)
    assert strip.divide([10]) == [strip]
    assert [piece.cell_length for piece in strip.divide([4, 10])] == [4, 6]
    gc.collect()
    del strip
    assert gc.collect() == 0  # nothing was left in a cycle


async def test_answering_leaves_little_cyclic_garbage(tmp_path):
    """Counted over answers with the collector off: every line drawn used to be a cycle (about 1,400
    objects an answer here, 2,000 on the bundled bank; now about 480, mostly Textual restyling the
    footer's keys: a new virtual node per component class each time a key's class changes)."""
    heap.unpin_styles_caches()
    heap.uncycle_strips()
    app = build(tmp_path, bank=make_bank(per_task=13))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await open_practice(pilot)
        await _answer(pilot, app.screen, 2)  # first draws of each kind of line
        gc.collect()
        gc.disable()
        try:
            await _answer(pilot, app.screen, ANSWERS)
            garbage = gc.collect()
        finally:
            gc.enable()
    assert garbage / ANSWERS < 700, garbage


@pytest.fixture
def unsettled(monkeypatch):  # noqa: ANN201
    """`settle` as in a new process, and what it froze let go of after the test."""
    monkeypatch.setattr(heap, "_settled", False)
    monkeypatch.setattr(heap, "_frozen", False)
    monkeypatch.setattr(heap, "RETRY_S", 0.05)
    yield
    gc.unfreeze()


async def _until(pilot, done) -> bool:  # noqa: ANN001
    for _ in range(100):
        if done():
            return True
        await pilot.pause(0.02)
    return done()


async def test_settle_freezes_once_and_never_a_dialog_or_a_mode(tmp_path, unsettled, monkeypatch):
    app = build(tmp_path)
    heap._settled = True  # the app's own call once Home is complete does nothing: this test calls it
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        heap._settled = False
        app.push_screen(MessageDialog("A dialog", "over Home", [("OK", "ok", "enter")]))
        await pilot.pause()
        gc.unfreeze()
        assert not heap.settle(app)  # a dialog over Home: not now, it would be frozen with Home
        assert gc.get_freeze_count() == 0
        await pilot.press("enter")
        assert await _until(pilot, lambda: heap._settled)  # it tries again once the dialog is gone
        assert await _until(pilot, lambda: heap._frozen)  # once the modes' modules are imported
        assert gc.get_freeze_count() > 0
        # the count alone cannot say "not again": frozen objects freed by their last reference leave it
        freezes = []
        monkeypatch.setattr(gc, "freeze", lambda: freezes.append(1))
        assert not heap.settle(app)  # once per process
        await pilot.pause(0.2)
        assert freezes == []


async def test_settle_waits_for_a_mode_opened_meanwhile(tmp_path, unsettled):
    app = build(tmp_path, bank=make_bank(per_task=13))
    heap._settled = True  # the imports are done, a practice session is open when they come back
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        gc.unfreeze()
        await open_practice(pilot)
        heap._freeze(app)
        assert not heap._frozen and gc.get_freeze_count() == 0
        while type(app.screen).__name__ != "HomeScreen":
            await pilot.press("escape")
            await pilot.pause()
        assert await _until(pilot, lambda: heap._frozen)
        assert gc.get_freeze_count() > 0


async def test_the_app_settles_once_home_is_complete(tmp_path, unsettled):
    """The wiring: nothing but loading the bank and drawing Home makes the app settle its heap."""
    app = build(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        assert await _until(pilot, lambda: heap._frozen)
        assert gc.get_freeze_count() > 0


def test_geometry_and_style_caches_are_bounded_and_give_the_same_results():
    """Textual's and Rich's memoized geometry and style functions keep at most `CACHE_ENTRIES` entries
    each once bounded, and still give what the libraries' own functions give."""
    from rich.style import Style as RichStyle
    from textual.geometry import Region

    originals = {
        (owner, name): getattr(vars(owner)[name], "__wrapped__", None)
        for owner, name in heap._bounded_caches()
    }
    heap.bound_geometry_caches()
    assert heap.bound_geometry_caches() == 0  # once is enough
    caches = heap._bounded_caches()
    assert len(caches) >= 10  # Region's eleven, Style's, Scalar's ...: the libraries still memoize these
    for owner, name in caches:
        assert vars(owner)[name].cache_info().maxsize <= heap.CACHE_ENTRIES, (owner, name)
        if originals[(owner, name)] is not None:
            assert vars(owner)[name].__wrapped__ is originals[(owner, name)]  # the library's own function

    intersection = vars(Region)["intersection"]
    intersection.cache_clear()
    for x in range(1000):  # a thousand regions no screen will see again
        assert Region(x, 0, 10, 10).intersection(Region(x + 5, 5, 10, 10)) == Region(x + 5, 5, 5, 5)
    assert intersection.cache_info().currsize == heap.CACHE_ENTRIES
    bold, red = RichStyle(bold=True), RichStyle(color="red")
    assert bold + red == RichStyle(bold=True, color="red")


def test_rich_cell_lengths_are_bounded_everywhere_they_were_imported_and_give_the_same_lengths():
    """Rich's `cached_cell_len` keeps at most `CELL_LENGTHS` strings once bounded, and every module
    that imported it (Textual's under another name) calls the bounded one, which measures as Rich's."""
    from rich import cells, segment
    from textual import _cells, content

    original = getattr(cells.cached_cell_len, "__wrapped__", None)
    heap.bound_cell_lengths()
    assert heap.bound_cell_lengths() is False  # once is enough
    bounded = cells.cached_cell_len
    assert bounded.cache_info().maxsize <= heap.CELL_LENGTHS
    assert _cells.cell_len is bounded and content.cell_len is bounded and segment.cached_cell_len is bounded
    if original is not None:
        assert bounded.__wrapped__ is original  # Rich's own function
    bounded.cache_clear()
    words = [f"word{n}" for n in range(3 * heap.CELL_LENGTHS)] + ["日本語", "e\u0301", "👍🏽"]
    assert [cells.cell_len(w) for w in words] == [cells._cell_len(w, "auto") for w in words]
    assert bounded.cache_info().currsize == heap.CELL_LENGTHS


def test_give_back_collects_then_trims(monkeypatch):
    """`give_back` frees cyclic garbage before asking the C heap to return its free pages (trimming
    first would keep the pages those objects are about to free)."""
    done: list[str] = []
    monkeypatch.setattr(gc, "collect", lambda *a: done.append("collect") or 0)
    monkeypatch.setattr(heap, "_trim", lambda pad: done.append(f"trim {pad}") or 1)
    assert heap.give_back()
    assert done == ["collect", "trim 0"]
    monkeypatch.setattr(heap, "_trim", False)  # no glibc: collected, nothing trimmed
    assert not heap.give_back()
    assert done == ["collect", "trim 0", "collect"]


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="malloc_trim is glibc's")
def test_give_back_finds_glibcs_trim(monkeypatch):
    monkeypatch.setattr(heap, "_trim", None)
    assert heap.give_back()
    assert callable(heap._trim)


async def test_home_gives_back_what_a_closed_mode_used(tmp_path, monkeypatch):
    """Back home from a screen that is not kept, it is freed without waiting for the collector's own
    schedule, and the C heap is trimmed, a moment after Home is shown again; never while it starts."""
    given: list[int] = []
    real = heap.give_back
    monkeypatch.setattr(heap, "give_back", lambda: given.append(1) or real())
    app = build(tmp_path, bank=make_bank(per_task=13))
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        await pilot.pause(2 * heap.GIVE_BACK_AFTER_S)
        assert given == []  # Home's refreshes while the app starts close nothing: nothing to give back
        await _closing_practice(pilot)
        await _answer(pilot, app.screen, 1)
        practice = weakref.ref(app.screen)
        before = len(given)
        while type(app.screen).__name__ != "HomeScreen":
            await pilot.press("escape")
            await pilot.pause()
        assert await _until(pilot, lambda: len(given) > before)
        assert practice() is None  # freed by give_back's collection, not by this test's


def test_strip_caches_are_made_when_used_and_give_the_same_lines():
    """A new line holds none of its seven caches; each is made on first use, the same size as
    Textual's, and a line's crops, styles, divisions and extensions are what Textual's own give."""
    from rich.style import Style

    def uses(strip: Strip) -> list:
        cropped = strip.crop(2, 9)
        return [
            cropped.text,
            cropped is strip.crop(2, 9),  # cached
            [part.text for part in strip.divide([3, strip.cell_length])],
            strip.apply_style(Style(italic=True)).text,
            strip.extend_cell_length(30).cell_length,
            strip.crop_extend(1, 25, None).text,
            strip.simplify().text,
        ]

    segments = [Segment("hello ", Style(bold=True)), Segment("world, again")]
    before = uses(Strip(segments))
    heap.lazy_strip_caches()
    assert not heap.lazy_strip_caches()  # once
    fresh = Strip(segments)
    for name in heap.STRIP_CACHES:
        with pytest.raises(AttributeError):  # the slot itself: nothing made yet
            heap._strip_slots[name].__get__(fresh, Strip)
    assert uses(fresh) == before
    assert fresh._crop_cache._maxsize == heap.STRIP_CACHES["_crop_cache"]
    assert len(fresh._crop_cache) == 1


def test_an_unknown_strip_is_left_alone():
    """Another Textual's Strip (here: one cache of another size than expected) is not changed; in a
    process of its own, since this one's Strip is already changed."""
    code = (
        "from quizapp.tui import heap; from textual.strip import Strip; init = Strip.__init__; "
        "heap.STRIP_CACHES['_crop_cache'] = 8; "
        "print(heap.lazy_strip_caches(), Strip.__init__ is init, type(vars(Strip)['_crop_cache']).__name__)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "member_descriptor"]


def test_the_app_asks_for_one_malloc_arena_before_it_starts_and_the_environment_wins(monkeypatch, tmp_path):
    """`make_app` sets glibc's arena count before any thread exists; a `MALLOC_ARENA_MAX` the user set
    is theirs, and a C library other than glibc is left alone."""
    from quizapp.tui.app import make_app

    asked: list[int] = []
    monkeypatch.setattr(heap, "one_malloc_arena", lambda: asked.append(1) or True)
    make_app(data_dir=tmp_path / "data", cache_dir=tmp_path / "cache", fuzz=False)
    assert asked == [1]
    monkeypatch.undo()

    monkeypatch.setenv("MALLOC_ARENA_MAX", "4")
    assert heap.one_malloc_arena() is False
    monkeypatch.delenv("MALLOC_ARENA_MAX")
    monkeypatch.setattr(heap, "_glibc", lambda: False)
    assert heap.one_malloc_arena() is False


@pytest.mark.skipif(platform.libc_ver()[0] != "glibc", reason="glibc's mallopt")
def test_one_malloc_arena_is_taken_by_glibc():
    """In a fresh process (this one's arenas exist already): glibc is recognised and accepts it."""
    assert heap._glibc()
    code = "from quizapp.tui import heap; print(heap.one_malloc_arena())"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "True"
