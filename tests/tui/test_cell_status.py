"""A cell's last line counts the cards it cannot show, in the longest wording its column fits."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from pkanban.tui.widgets.cell import CellWindow, column_spans, status_line


def window(above: int, below: int) -> CellWindow:
    return CellWindow(
        cards=(),
        offset=above,
        total=above + below,
        selected=None,
        card_height=2,
        touch_target=7,
        currency="$",
        today=date(2026, 11, 25),
    )


@given(above=st.integers(0, 10**7), below=st.integers(1, 10**7), width=st.integers(1, 60))
def test_the_hidden_count_fits_its_column_and_keeps_the_count_below(above, below, width):
    said = status_line(window(above, below), width)
    assert f"{below:,}" in said
    assert len(said) <= max(width, len(f"↓{below:,}"))


def test_a_narrow_column_drops_words_before_numbers():
    assert status_line(window(0, 1588), 40) == "… 1,588 more"
    assert status_line(window(0, 1588), 9) == "… 1,588"
    assert status_line(window(300, 1588), 40) == "↑ 300 above · ↓ 1,588 more"
    assert status_line(window(300, 1588), 12) == "↑300 ↓1,588"
    assert status_line(window(300, 1588), 9) == "↓1,588"


@given(width=st.integers(0, 500), count=st.integers(1, 12))
def test_the_columns_tile_the_lane_and_differ_by_at_most_one_column(width, count):
    spans = column_spans(width, count)
    assert len(spans) == count
    assert [x for x, _ in spans] == [0, *(x + size for x, size in spans[:-1])]
    assert sum(size for _, size in spans) == width
    assert max(size for _, size in spans) - min(size for _, size in spans) <= 1
