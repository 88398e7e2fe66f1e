"""The exam's answered meter: a fixed width, so a new count is a repaint and never a layout."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from quizapp.tui.widgets.meter import BAR_CELLS, meter_text


@given(st.integers(min_value=1, max_value=500).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))))
def test_meter_width_never_changes(case: tuple[int, int]) -> None:
    done, total = case
    text = meter_text(done, total)
    assert text.cell_len == BAR_CELLS + 5
    assert text.plain.endswith(f"{round(done / total * 100)}%")


def test_meter_fills_in_whole_cells() -> None:
    assert meter_text(0, 65).plain == "━" * BAR_CELLS + "   0%"
    assert meter_text(65, 65).plain == "━" * BAR_CELLS + " 100%"
    half = meter_text(33, 66, "bold", "dim")
    assert [span.end - span.start for span in half.spans][:2] == [BAR_CELLS // 2, BAR_CELLS // 2]
