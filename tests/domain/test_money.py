"""Unknown is not zero: how values and their sums read."""

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
