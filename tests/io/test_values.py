"""Import cells: dates are read only when they cannot mean two things; amounts stay exact."""

import contextlib
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from pkanban.domain.dates import DateError
from pkanban.domain.quickadd import MoneyError
from pkanban.io.values import AmbiguousDate, parse_amount, parse_count, parse_import_date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-02-03", date(2026, 2, 3)),  # dateutil with dayfirst=True reads 2 March
        ("2026-02-03 14:05:00", date(2026, 2, 3)),
        ("2026-02-03T23:30:00Z", date(2026, 2, 3)),
        ("2026-02-03T23:30:00+02:00", date(2026, 2, 3)),
        ("2026/02/03", date(2026, 2, 3)),
        ("Feb 3, 2026", date(2026, 2, 3)),
        ("3 February 2026", date(2026, 2, 3)),
        ("03-Feb-2026", date(2026, 2, 3)),
        ("  ", None),
    ],
)
def test_unambiguous_dates_are_read_as_written(text, expected):
    assert parse_import_date(text) == expected


@pytest.mark.parametrize("text", ["02/03/2026", "13/01/2026", "1.3.2026"])
def test_numeric_day_month_dates_need_the_files_order(text):
    with pytest.raises(AmbiguousDate, match="--dates dmy or --dates mdy"):
        parse_import_date(text)


def test_the_declared_order_reads_numeric_dates_and_rejects_what_contradicts_it():
    assert parse_import_date("02/03/2026", "dmy") == date(2026, 3, 2)
    assert parse_import_date("02/03/2026 10:15 AM", "mdy") == date(2026, 2, 3)
    with pytest.raises(DateError, match="not a real date"):
        parse_import_date("13/01/2026", "mdy")
    with pytest.raises(DateError, match="two-digit year"):
        parse_import_date("02/03/26", "dmy")


@pytest.mark.parametrize(
    "text",
    [
        "20260203",
        "42795",
        "Meeting at 10 with 2 people",
        "in 2026 days",
        "2026-02-30",
        "9" * 25,
        "x" * 1_000_000,
    ],
)
def test_anything_else_is_refused_quickly_and_politely(text):
    with pytest.raises(DateError):
        parse_import_date(text)


@given(st.text(max_size=80))
def test_no_text_makes_the_date_reader_raise_anything_but_a_date_error(text):
    with contextlib.suppress(DateError):
        parse_import_date(text, "dmy")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1054", 1054),
        ("$1,054.00", 1054),
        ("12k", 12000),
        ("EUR 1,000", 1000),
        ("1 000 USD", 1000),
        ("0", 0),
        ("", None),
    ],
)
def test_amounts_are_read_in_whole_units(text, expected):
    assert parse_amount(text) == expected


@pytest.mark.parametrize("text", ["-500", "(500)", "4.500", "1.054,00", "lots"])
def test_negative_or_ambiguous_amounts_are_refused(text):
    with pytest.raises(MoneyError):
        parse_amount(text)


def test_counts_are_whole_numbers():
    assert (parse_count("12"), parse_count("12.0"), parse_count("")) == (12, 12, 0)
    with pytest.raises(ValueError):
        parse_count("1.5")
