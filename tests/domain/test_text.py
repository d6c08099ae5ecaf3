"""Text the board measures and cuts must line up with how Textual lays it out (rich's cells)."""

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len

from pkanban.domain.text import cell_width, clean_text, truncate

TITLES = st.text(
    alphabet=st.sampled_from(
        ["a", "Z", " ", "漢", "é", "\u0301", "\u200b", "\u200d", "👨", "👩", "🇫", "🇷"]
    ),
    max_size=30,
)


def test_a_zwj_family_and_a_zero_width_space_measure_as_textual_draws_them():
    assert cell_width("👨\u200d👩\u200d👧") == 2
    assert cell_width("a\u200bb") == 2


@given(TITLES)
def test_every_title_measures_as_rich_does(title):
    assert cell_width(title) == cell_len(title)


@given(TITLES, st.integers(min_value=0, max_value=20))
def test_a_cut_title_fits_its_width_and_keeps_a_prefix(title, width):
    cut = truncate(title, width)
    assert cell_len(cut) <= width
    assert cut == title or title.startswith(cut.removesuffix("…"))


def test_line_breaks_inside_a_title_read_as_spaces():
    assert clean_text("Acme\rCorp\u2028Ltd\x85Inc") == "Acme Corp Ltd Inc"
    assert clean_text("Call\rback\u2029Friday", multiline=True) == "Call\nback\nFriday"


def test_a_count_reads_with_its_noun_in_the_right_number():
    from pkanban.domain.text import counted

    assert counted(1, "card") == "1 card"
    assert counted(0, "card") == "0 cards"
    assert counted(1589, "card") == "1,589 cards"
    assert counted(2, "touched lead") == "2 touched leads"
