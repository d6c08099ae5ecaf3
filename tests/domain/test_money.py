"""Unknown is not zero: how values and their sums read."""

from hypothesis import given
from hypothesis import strategies as st

from pkanban.domain.money import format_total, format_value


def test_a_card_without_a_value_reads_as_unknown():
    assert format_value(None) == "—"
    assert format_value(0) == "$0"
    assert format_value(12_000, "€") == "€12k"


def test_a_sum_says_how_many_cards_had_no_value():
    assert format_total(151_000, 40, 12) == "$151k · 12 without a value"
    assert format_total(151_000, 40, 0) == "$151k"
    assert format_total(0, 83, 83) == "— · 83 without a value"
    assert format_total(0, 0, 0) == "$0"


def test_the_largest_value_reads_as_a_trillion_not_a_thousand_billions():
    from pkanban.domain.money import MAX_VALUE, format_money

    assert format_money(MAX_VALUE) == "$1t"
    assert format_money(5 * MAX_VALUE) == "$5t"
    assert format_money(999_999) == "$1m"
    assert format_money(999.6) == "$1k"
    assert format_money(999_499) == "$999k"


@given(st.integers(0, 10**15) | st.floats(0, 1e15, allow_nan=False))
def test_a_figure_never_shows_a_thousand_of_the_smaller_unit(value):
    from pkanban.domain.money import format_money

    shown = format_money(value)
    number, unit = shown[1:].rstrip("kmbt"), shown[-1]
    assert float(number) < 1000 or unit == "t"
    assert float(number) >= 1 or value < 0.5 or (unit not in "kmbt")


def test_a_sum_of_unknown_values_reads_unknown_not_zero():
    from pkanban.domain.money import format_known

    assert format_known(0, 1585, 1585) == "—"
    assert format_known(4_000, 3, 1) == "$4k"
    assert format_known(0, 0, 0) == "$0"
