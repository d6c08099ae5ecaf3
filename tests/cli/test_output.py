"""The table cells of `ls` and `clearance`: the ASCII shortcut cuts and pads exactly like the
general path (clean, measure, cut), and hostile text is still cleaned."""

from hypothesis import given
from hypothesis import strategies as st

from pkanban.cli.output import cached_cell, cell
from pkanban.domain.text import cell_width, clean_text, truncate


def general_cell(text: str, width: int) -> str:
    cut = truncate(clean_text(text), width)
    return cut + " " * (width - cell_width(cut))


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text(), st.integers(0, 30))
def test_every_cell_is_the_general_cell(text, width):
    assert cell(text, width) == general_cell(text, width)


def test_cells_are_cut_with_an_ellipsis_and_padded_to_their_width():
    assert cell("Acme", 6) == "Acme  "
    assert cell("Acme Corporation", 6) == "Acme …"
    assert cell("株式会社", 6) == "株式… "
    assert cell("Evil \x1b[31mred\x1b[0m", 10) == "Evil red  "


def test_a_cached_cell_is_the_cell():
    stage = cached_cell(11)
    for text in ("Leads", "Proposal long name", "Leads", "Ünïcode\x07"):
        assert stage(text) == cell(text, 11)
