"""Option text is wrapped once per width and remembered (a keypress redraws every option), but an
option's text styled differently (marked right or wrong) must never come back with another's style."""

from __future__ import annotations

from rich.text import Text

from quizapp.tui.widgets.hanging import Hanging

BODY = "Vector search over Amazon Titan Text Embeddings V2 vectors of each article's text"


def _styles(visual: Hanging, width: int) -> set[str]:
    return {str(span.style) for span in visual.at(width).spans}


def test_the_same_text_keeps_its_own_style_at_the_same_width():
    plain = Hanging([(Text("( ) A. "), Text(BODY))])
    right = Hanging([(Text("(•) A. "), Text(BODY, style="green"))])
    assert "green" not in _styles(plain, 40)
    assert "green" in _styles(right, 40)
    assert "green" not in _styles(Hanging([(Text("( ) A. "), Text(BODY))]), 40)


def test_a_wrapped_row_hangs_under_its_text():
    rows = Hanging([(Text("( ) A. "), Text(BODY))]).at(40).plain.split("\n")
    assert len(rows) > 1 and all(row.startswith(" " * len("( ) A. ")) for row in rows[1:])


def test_the_remembered_wraps_are_bounded_and_the_newest_stay():
    """A long session wraps the options of hundreds of questions; only the newest few dozen wraps are
    kept (the question on screen), the oldest let go first, and a text let go wraps the same again."""
    from quizapp.tui.widgets import hanging

    hanging._WRAPS.clear()
    first = Hanging([(Text("( ) A. "), Text(f"{BODY} 0"))]).at(30).plain
    for n in range(1, 3 * hanging._MOST_WRAPS):
        Hanging([(Text("( ) A. "), Text(f"{BODY} {n}"))]).at(30)
        assert len(hanging._WRAPS) <= hanging._MOST_WRAPS
    newest = [key[0] for key in hanging._WRAPS]
    assert newest[-1] == f"{BODY} {3 * hanging._MOST_WRAPS - 1}"
    assert f"{BODY} 0" not in newest
    assert Hanging([(Text("( ) A. "), Text(f"{BODY} 0"))]).at(30).plain == first
