"""Issue 15, item 15: the exam clock has three looks, normal, warning (under 10 minutes) and danger (under
5), each in a colour of its own in every theme the app offers; danger is not the warning colour reversed.

What is checked is what the terminal is told to draw: the style of the clock's digits on screen.
"""

from __future__ import annotations

import math

from rich.color import Color as RichColor
from rich.color import ColorType
from rich.style import Style
from textual.color import Color, rgb_to_lab

from quizapp.study import ManualClock
from quizapp.tui.screens.exam import ExamScreen
from tests.factory import START
from tests.tui.helpers import build, ready

SIZE = (80, 24)
LEVELS = {"normal": 700, "warning": 500, "danger": 200}  # seconds left: > 10 min, < 10 min, < 5 min
MIN_DELTA_E = 30  # CIE76: about where two colours stop reading as shades of one another


def key(colour: RichColor | None) -> tuple:
    """A colour as the terminal sees it: the default, one of the 8 ANSI hues (bright or not), or RGB."""
    if colour is None or colour.is_default:
        return ("default",)
    if colour.type in (ColorType.STANDARD, ColorType.WINDOWS) or (
        colour.number is not None and colour.number < 16
    ):
        return ("ansi", colour.number % 8)
    triplet = colour.get_truecolor()
    return ("rgb", (triplet.red, triplet.green, triplet.blue))


def distinct(a: tuple, b: tuple) -> bool:
    if a[0] == b[0] == "rgb":
        return math.dist(rgb_to_lab(Color(*a[1])), rgb_to_lab(Color(*b[1]))) >= MIN_DELTA_E
    return a != b


def look(style: Style, bar_background: tuple) -> tuple[tuple, tuple, tuple]:
    """(text colour, background, the colour that carries the signal: a chip's fill, else the text)."""
    fg, bg = key(style.color), key(style.bgcolor)
    if style.reverse:
        fg, bg = bg, fg
    return fg, bg, (bg if bg != bar_background else fg)


async def test_clock_colours_differ_at_each_threshold_in_every_theme(tmp_path):
    clock = ManualClock(START)
    app = build(tmp_path, clock=clock)
    async with app.run_test(size=SIZE) as pilot:
        await ready(pilot)
        session = app.coach.start_exam("full", seed=1)
        app.push_screen(ExamScreen(session))
        await ready(pilot, "ExamScreen")
        screen = app.screen
        looks: dict[str, dict[str, tuple]] = {}
        # One switch per theme, each level shown in it: a switch re-parses and re-applies the
        # stylesheet, so a level loop outside would switch themes three times as often. The clock
        # goes back for each theme: time left is the limit less the clock's reading since the start.
        for theme in sorted(app.available_themes):
            app.theme = theme
            for level, left in LEVELS.items():
                clock.advance(seconds=session.remaining() - left)
                assert math.isclose(session.remaining(), left, abs_tol=0.01)
                screen.tick()
                await pilot.pause()
                digits = screen.query_one("#clock").region
                blank = screen.query_one("#where").region  # its right padding is bare bar
                compositor = screen._compositor
                bar_background = key(compositor.get_style_at(blank.right - 1, blank.y).bgcolor)
                style = compositor.get_style_at(digits.x + 3, digits.y)  # a digit of "⏱ 08:20"
                looks.setdefault(theme, {})[level] = look(style, bar_background)
        assert len(looks) == len(app.available_themes) >= 2
        for theme, by_level in looks.items():
            normal, warning, danger = (by_level[level] for level in LEVELS)
            for (a_name, a), (b_name, b) in (
                (("normal", normal), ("warning", warning)),
                (("warning", warning), ("danger", danger)),
                (("normal", normal), ("danger", danger)),
            ):
                assert distinct(a[2], b[2]), f"{theme}: {a_name} {a} and {b_name} {b} look alike"
            for level, (fg, bg, _) in by_level.items():
                legible = fg == bg == ("default",) or distinct(fg, bg)  # the terminal's own text and paper
                assert legible, f"{theme}: the {level} clock's text is lost on its background"
