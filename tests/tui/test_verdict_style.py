"""Issue 18: the verdict takes its right or wrong background without the stylesheet being matched again.

A `right`/`wrong` class switch made Textual re-apply the whole stylesheet to the verdict on every submit
whose verdict differed from the last one (about 0.7 ms). Counted, not timed: stylesheet applications to
the verdict. The colours are still the theme's, as the CSS rules gave them, and follow a theme change.
"""

from __future__ import annotations

from textual.color import Color
from textual.css.stylesheet import Stylesheet

from tests.tui.helpers import keys_for_right_answer, keys_for_wrong_answer
from tests.tui.test_review_ahead import practising


def _css_colours(app) -> dict[bool, Color]:  # noqa: ANN001
    """What Textual's CSS makes of the rules the verdict had, for the app's theme now."""
    sheet = Stylesheet(variables=app.get_css_variables())
    sheet.add_source(".right { background: $success 30%; } .wrong { background: $error 30%; }")
    sheet.parse()
    right, wrong = (rule.styles.background for rule in sheet.rules)
    return {True: right, False: wrong}


async def test_right_and_wrong_verdicts_in_turn_apply_no_stylesheet_to_the_verdict(tmp_path, monkeypatch):
    async with practising(tmp_path, "single") as (app, pilot):
        screen = app.screen
        verdict = screen.query_one(".verdict")
        applied: list[object] = []
        apply = Stylesheet.apply

        def noted(sheet, node, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003
            applied.append(node)
            return apply(sheet, node, *args, **kwargs)

        monkeypatch.setattr(Stylesheet, "apply", noted)
        expected = _css_colours(app)
        for right in (True, False, True, False):
            keys = keys_for_right_answer if right else keys_for_wrong_answer
            await pilot.press(*keys(screen.query_one("Choices")), "enter")
            await pilot.pause()
            assert screen.feedback.correct is right
            assert verdict not in applied  # before: once for each class switch
            assert verdict.styles.background == expected[right]
            await pilot.press("enter")
            await pilot.pause()


async def test_the_verdict_follows_a_change_of_theme(tmp_path):
    async with practising(tmp_path, "single") as (app, pilot):
        screen = app.screen
        await pilot.press(*keys_for_wrong_answer(screen.query_one("Choices")), "enter")
        await pilot.pause()
        verdict = screen.query_one(".verdict")
        assert verdict.styles.background == _css_colours(app)[False]
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        await pilot.pause()
        assert verdict.styles.background == _css_colours(app)[False]
