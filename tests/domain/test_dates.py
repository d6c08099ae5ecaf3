"""The due-date grammar: what it reads, what it refuses, and that it never raises anything else."""

from __future__ import annotations

import re
import time
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pkanban.domain.dates import (
    MAX_DATE_TEXT,
    DateError,
    NotADateError,
    date_examples,
    grammar_help,
    parse_due,
    parse_iso_date,
)

TODAY = date(2026, 11, 25)
assert TODAY.weekday() == 2, "the table below assumes a Wednesday"

# Modest and deadline-free so the suite stays fast and does not flake on a busy machine.
PROPERTY = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-12-01", date(2026, 12, 1)),
        ("2026-12-1", date(2026, 12, 1)),
        ("2020-01-05", date(2020, 1, 5)),  # explicit dates may be in the past
        ("today", TODAY),
        ("  TODAY  ", TODAY),
        ("tomorrow", date(2026, 11, 26)),
        ("thu", date(2026, 11, 26)),
        ("thursday", date(2026, 11, 26)),
        ("Thurs", date(2026, 11, 26)),
        ("fri", date(2026, 11, 27)),
        ("mon", date(2026, 11, 30)),
        ("tue", date(2026, 12, 1)),
        ("wed", date(2026, 12, 2)),  # today is Wednesday: strictly after today
        ("wednesday", date(2026, 12, 2)),
        ("next tue", date(2026, 12, 1)),  # "next X" == "X"
        ("next  Wed", date(2026, 12, 2)),
        ("this wed", TODAY),  # "this X" may be today
        ("this fri", date(2026, 11, 27)),
        ("+3d", date(2026, 11, 28)),
        ("3d", date(2026, 11, 28)),
        ("+3 days", date(2026, 11, 28)),
        ("+0d", TODAY),
        ("+2w", date(2026, 12, 9)),
        ("+1m", date(2026, 12, 25)),
        ("in 3 days", date(2026, 11, 28)),
        ("in 2 weeks", date(2026, 12, 9)),
        ("in 1 month", date(2026, 12, 25)),
        ("in a week", date(2026, 12, 2)),
        ("in a month", date(2026, 12, 25)),
        ("eom", date(2026, 11, 30)),
        ("end of month", date(2026, 11, 30)),
        ("End of the Month", date(2026, 11, 30)),
        ("eow", date(2026, 11, 27)),
        ("end of week", date(2026, 11, 27)),
        ("next week", date(2026, 11, 30)),
        ("next month", date(2026, 12, 1)),
        ("dec 1", date(2026, 12, 1)),
        ("1 dec", date(2026, 12, 1)),
        ("december 1st", date(2026, 12, 1)),
        ("1st of December", date(2026, 12, 1)),
        ("Dec. 1", date(2026, 12, 1)),
        ("nov 25", TODAY),  # on or after today
        ("nov 24", date(2027, 11, 24)),
        ("jan 3rd", date(2027, 1, 3)),
        ("sept 2", date(2027, 9, 2)),
        ("dec 1 2027", date(2027, 12, 1)),
        ("december 1st, 2027", date(2027, 12, 1)),
        ("1 dec 2025", date(2025, 12, 1)),
        ("feb 29 2028", date(2028, 2, 29)),
    ],
)
def test_grammar_table(text: str, expected: date) -> None:
    assert parse_due(text, TODAY) == expected


@pytest.mark.parametrize(
    ("today", "text", "expected"),
    [
        (date(2026, 11, 27), "eow", date(2026, 12, 4)),  # Friday: next week's Friday
        (date(2026, 11, 28), "eow", date(2026, 12, 4)),  # Saturday
        (date(2026, 11, 29), "eow", date(2026, 12, 4)),  # Sunday
        (date(2026, 11, 23), "eow", date(2026, 11, 27)),  # Monday: this week's Friday
        (date(2026, 11, 23), "next tue", date(2026, 11, 24)),  # Monday: tomorrow, not +8 days
        (date(2026, 11, 29), "next week", date(2026, 11, 30)),  # Sunday: tomorrow
        (date(2026, 11, 30), "next week", date(2026, 12, 7)),  # Monday: a week later
        (date(2026, 1, 31), "+1m", date(2026, 2, 28)),  # clamped to the month's end
        (date(2028, 1, 31), "in 1 month", date(2028, 2, 29)),
        (date(2026, 11, 30), "eom", date(2026, 11, 30)),
        (date(2026, 12, 15), "next month", date(2027, 1, 1)),
        (date(2027, 11, 25), "feb 29", date(2028, 2, 29)),
        (date(2026, 12, 31), "tomorrow", date(2027, 1, 1)),
    ],
)
def test_relative_to_other_days(today: date, text: str, expected: date) -> None:
    assert parse_due(text, today) == expected


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("02/03/2027", "ambiguous (2 March or 3 February?)"),
        ("02/03/2027", "YYYY-MM-DD, e.g. 2027-03-02 or 2027-02-03"),
        ("2/3", "ambiguous (2 March or 3 February?) — write it as YYYY-MM-DD"),
        ("12-01-2026", "ambiguous (12 January or 1 December?)"),
        ("03.02.2027", "ambiguous (3 February or 2 March?)"),
        ("02/03/27", "ambiguous"),
        ("13/02/2027", "write it as YYYY-MM-DD: 2027-02-13"),
        ("03/03/2027", "write it as YYYY-MM-DD: 2027-03-03"),
        ("31/02/2027", "YYYY-MM-DD, e.g. 2026-12-02"),  # a week after today
        ("2026/12/01", "YYYY-MM-DD"),
        ("2026.12.01", "YYYY-MM-DD"),
        ("feb 30", "February has at most 29 days"),
        ("31 april", "April has at most 30 days"),
        ("dec 0", "not a real date"),
        ("2026-02-30", "February 2026 has 28 days"),
        ("2026-13-01", "there is no month 13"),
        ("2026-00-10", "there is no month 0"),
        ("feb 29", "There is no 29 February in 2027 — add the year, e.g. feb 29 2028"),
        ("feb 29 2027", "February 2027 has 28 days"),
        ("1899-12-31", "outside the years 1900–9999"),
        ("dec 1 1850", "outside the years 1900–9999"),
        ("9" * 25 + "d", "too far away"),
        ("+99999999m", "too far away"),
        ("in 5000000 weeks", "too far away"),
    ],
)
def test_rejected_with_a_useful_sentence(text: str, fragment: str) -> None:
    with pytest.raises(DateError) as caught:
        parse_due(text, TODAY)
    assert fragment in str(caught.value)
    assert not isinstance(caught.value, NotADateError)


@pytest.mark.parametrize(
    "text",
    ["soonish", "", "   ", "1" * 25, "20260105", "3", "yesterday", "next", "next year",
     "this week", "-3d", "in 3 cities", "mon tue", "dec", "1st", "fri 2027"],
)  # fmt: skip
def test_not_a_date(text: str) -> None:
    with pytest.raises(NotADateError):
        parse_due(text, TODAY)


def test_unknown_word_message_lists_examples() -> None:
    with pytest.raises(DateError) as caught:
        parse_due("soonish", TODAY)
    assert str(caught.value) == (
        '"soonish" is not a date — try 2026-12-02, tomorrow, next tue, +3d or in 2 weeks'
    )  # the ISO example is a week from today, never a past date
    assert grammar_help(TODAY) in str(caught.value)


def test_control_characters_are_not_echoed() -> None:
    with pytest.raises(DateError) as caught:
        parse_due("soon\x1b[31m", TODAY)
    assert "\x1b" not in str(caught.value)


def test_today_at_the_edge_of_the_calendar_is_a_date_error_not_overflow() -> None:
    for text in ("tomorrow", "fri", "eow", "next week", "next month", "+1m", "dec 1"):
        with pytest.raises(DateError):
            parse_due(text, date.max)
    with pytest.raises(DateError, match="outside the years"):
        parse_due("today", date(1850, 1, 1))


def test_long_input_is_rejected_before_parsing() -> None:
    huge = "2026-12-01" + " " * 10_000
    started = time.perf_counter()
    for _ in range(1_000):
        with pytest.raises(NotADateError, match="too long"):
            parse_due(huge, TODAY)
    assert time.perf_counter() - started < 0.5  # about a microsecond each
    parse_due(" " * (MAX_DATE_TEXT - 5) + "today", TODAY)  # exactly at the limit is fine


@pytest.mark.parametrize(
    "text", ["2026-12-1", "02/03/2027", "today", "20261201", "2026-12-01T00:00", "1850-01-01"]
)
def test_parse_iso_date_is_strict(text: str) -> None:
    with pytest.raises(DateError):
        parse_iso_date(text)


def test_parse_iso_date_reads_iso() -> None:
    assert parse_iso_date(" 2026-11-25 ") == TODAY
    with pytest.raises(DateError, match="February 2026 has 28 days"):
        parse_iso_date("2026-02-29")
    with pytest.raises(NotADateError, match="too long"):
        parse_iso_date("x" * 10_000)


# Properties ---------------------------------------------------------------------------------

_todays = st.dates(min_value=date(1900, 1, 1), max_value=date(9000, 12, 31))
_date_ish = st.text(alphabet="0123456789/-.+ dwmkin aeoctsfruhy,", max_size=40)


@PROPERTY
@given(text=st.text(max_size=200) | _date_ish, today=_todays)
def test_only_date_errors_escape(text: str, today: date) -> None:
    try:
        result = parse_due(text, today)
    except DateError:
        return
    assert date(1900, 1, 1) <= result <= date(9999, 12, 31)


@PROPERTY
@given(text=st.text(max_size=80) | _date_ish)
def test_parse_iso_date_only_raises_date_errors(text: str) -> None:
    try:
        result = parse_iso_date(text)
    except DateError:
        return
    assert result.isoformat() == text.strip()


_weekday_names = st.sampled_from(
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun", "monday", "friday", "sunday"]
)
_units = st.sampled_from(["d", "days", "w", "weeks", "m", "months"])
_relative = st.one_of(
    st.sampled_from(["today", "tomorrow", "eom", "eow", "next week", "next month", "in a week"]),
    _weekday_names,
    _weekday_names.map("next {}".format),
    _weekday_names.map("this {}".format),
    st.tuples(st.integers(0, 500), _units).map(lambda nu: f"+{nu[0]}{nu[1]}"),
    st.tuples(st.integers(0, 500), _units).map(lambda nu: f"in {nu[0]} {nu[1]}"),
    st.sampled_from(["dec 1", "1 jan", "march 31st", "jul 4"]),
)


@PROPERTY
@given(text=_relative, today=_todays)
def test_relative_forms_never_land_before_today(text: str, today: date) -> None:
    assert parse_due(text, today) >= today


@PROPERTY
@given(text=_weekday_names, today=_todays)
def test_weekday_is_within_the_next_seven_days_and_never_today(text: str, today: date) -> None:
    result = parse_due(text, today)
    assert today < result <= today + timedelta(days=7)
    assert parse_due(f"next {text}", today) == result


@PROPERTY
@given(day=st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)), today=_todays)
def test_iso_round_trips(day: date, today: date) -> None:
    assert parse_due(day.isoformat(), today) == day
    assert parse_iso_date(day.isoformat()) == day


@PROPERTY
@given(days=st.integers(0, 100_000), today=_todays)
def test_plus_days_adds_days(days: int, today: date) -> None:
    assert parse_due(f"+{days}d", today) == today + timedelta(days=days)
    assert parse_due(f"in {days} days", today) == today + timedelta(days=days)


@PROPERTY
@given(text=st.text(min_size=MAX_DATE_TEXT + 1, max_size=1_000))
def test_long_inputs_are_rejected(text: str) -> None:
    with pytest.raises(NotADateError, match="too long"):
        parse_due(text, TODAY)


@PROPERTY
@given(first=st.integers(1, 31), second=st.integers(1, 31), year=st.integers(1900, 2100))
def test_numeric_day_month_forms_are_always_refused(first: int, second: int, year: int) -> None:
    forms = (f"{first}/{second}/{year}", f"{first:02d}/{second:02d}", f"{first}.{second}.{year}")
    for text in forms:
        with pytest.raises(DateError, match="YYYY-MM-DD"):
            parse_due(text, TODAY)


@pytest.mark.parametrize("today", [date(2026, 12, 6), date(2031, 2, 27)])
def test_a_date_hint_never_suggests_a_past_day(today: date) -> None:
    """On 2026-12-06 the hint used to say `e.g. 2026-12-01`: it follows today (`--today`)."""
    with pytest.raises(DateError) as refused:
        parse_due("31/02/2027", today)
    suggested = date.fromisoformat(str(refused.value).rsplit("e.g. ", 1)[1])
    assert suggested > today
    assert date.fromisoformat(date_examples(today, "tomorrow").split(", ")[-1]) > today


@pytest.mark.parametrize("text", ["yesterday-ish", "02/03/2026", "2026-12-1x", "next week"])
def test_a_strict_date_hint_describes_the_form_without_a_fixed_day(text: str) -> None:
    """`--today` and imports read strict dates with no today to compute an example from: the
    hint used to say `e.g. 2026-12-01`, a past day from 2026-12-02 on. It describes the form."""
    with pytest.raises(DateError) as refused:
        parse_iso_date(text)
    message = str(refused.value)
    assert "YYYY-MM-DD (four-digit year, two-digit month, two-digit day)" in message
    assert not re.search(r"\d{4}-\d{2}-\d{2}", message.replace(text, ""))
