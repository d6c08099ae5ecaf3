"""A cell's last line counts the cards it cannot show, in the longest wording its column fits."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from pkanban.tui.widgets.cell import Cell, CellPalette, CellWindow


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
    said = Cell(1, 1, CellPalette())._status(window(above, below), width)
    assert f"{below:,}" in said
    assert len(said) <= max(width, len(f"↓{below:,}"))


def test_a_narrow_column_drops_words_before_numbers():
    cell = Cell(1, 1, CellPalette())
    assert cell._status(window(0, 1588), 40) == "… 1,588 more"
    assert cell._status(window(0, 1588), 9) == "… 1,588"
    assert cell._status(window(300, 1588), 40) == "↑ 300 above · ↓ 1,588 more"
    assert cell._status(window(300, 1588), 12) == "↑300 ↓1,588"
    assert cell._status(window(300, 1588), 9) == "↓1,588"
