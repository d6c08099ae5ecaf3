"""Quick add: splitting one line into title, value, due date and next step without guessing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from pkanban.domain.dates import DateError, NotADateError, parse_due
from pkanban.domain.quickadd import (
    MAX_LINE_LENGTH,
    MAX_VALUE,
    MoneyError,
    QuickAdd,
    QuickAddError,
    parse_quick_add,
    parse_value,
)

TODAY = date(2026, 11, 25)  # a Wednesday
PROPERTY = settings(max_examples=200, deadline=None)


@pytest.mark.parametrize(
    ("line", "title", "value", "due", "next_step"),
    [
        ("Acme Corp 12k next tue call Ana", "Acme Corp", 12_000, date(2026, 12, 1), "call Ana"),
        ("Globex $4,500", "Globex", 4_500, None, None),
        ("Initech", "Initech", None, None, None),
        ("Acme 12k tomorrow send deck", "Acme", 12_000, date(2026, 11, 26), "send deck"),
        ("Acme 12k +3d demo", "Acme", 12_000, date(2026, 11, 28), "demo"),
        ("Acme 12k +3 days demo", "Acme", 12_000, date(2026, 11, 28), "demo"),
        ("Acme 12k in 2 weeks follow up", "Acme", 12_000, date(2026, 12, 9), "follow up"),
        ("Acme today", "Acme", None, TODAY, "Follow up"),
        ("Acme NEXT Week", "Acme", None, date(2026, 11, 30), "Follow up"),
        ("Acme due dec 1 2027 renewal", "Acme", None, date(2027, 12, 1), "renewal"),
        ("Acme due eom", "Acme", None, date(2026, 11, 30), "Follow up"),
        ("Acme 1.5m due 1 dec", "Acme", 1_500_000, date(2026, 12, 1), "Follow up"),
        ("3M Company 12k", "3M Company", 12_000, None, None),  # the first word is always title
        ("3M", "3M", None, None, None),
        ("12k", "12k", None, None, None),
        ("Acme 3M", "Acme", 3_000_000, None, None),
        ("Acme Phase 2", "Acme Phase 2", None, None, None),  # plain numbers below 100 stay
        ("Apollo 13 500", "Apollo 13", 500, None, None),
        ("Windows 3.1", "Windows 3.1", None, None, None),
        ("Acme 2.0.1", "Acme 2.0.1", None, None, None),
        ("Acme 12k Holdings", "Acme 12k Holdings", None, None, None),  # value must be last
        ("Acme in 3 cities 12k", "Acme in 3 cities", 12_000, None, None),
        ("Tomorrow Labs 5k", "Tomorrow Labs", 5_000, None, None),
        ("Acme  Corp   12k  next tue   call  Ana", "Acme  Corp", 12_000, date(2026, 12, 1),
         "call  Ana"),
        ('"Next Gen Labs" 12k due fri', "Next Gen Labs", 12_000, date(2026, 11, 27), "Follow up"),
        ('"Acme Phase 2" next week', "Acme Phase 2", None, date(2026, 11, 30), "Follow up"),
        ('"Acme" 50', "Acme", 50, None, None),  # after a quoted title any number is the value
        ('"Acme', '"Acme', None, None, None),  # no closing quote: plain text
        ('Big "Deal" Co', 'Big "Deal" Co', None, None, None),
        ("Müller & Söhne [GmbH] €4.5k", "Müller & Söhne [GmbH]", 4_500, None, None),
        # a date without a keyword, from the tail of the line: after the value, or ending it
        ("Acme 12k fri call Ana", "Acme", 12_000, date(2026, 11, 27), "call Ana"),
        ("Acme 12k mon", "Acme", 12_000, date(2026, 11, 30), "Follow up"),
        ("Acme 12k friday call Ana", "Acme", 12_000, date(2026, 11, 27), "call Ana"),
        ("Acme 12k dec 1 send deck", "Acme", 12_000, date(2026, 12, 1), "send deck"),
        ("Acme 12k 2026-12-03 demo", "Acme", 12_000, date(2026, 12, 3), "demo"),
        ("Acme 12k next tue", "Acme", 12_000, date(2026, 12, 1), "Follow up"),
        ("Acme Corp fri", "Acme Corp", None, date(2026, 11, 27), "Follow up"),
        ("Acme Corp dec 1", "Acme Corp", None, date(2026, 12, 1), "Follow up"),
        ("Acme Sun Systems 12k", "Acme Sun Systems", 12_000, None, None),  # mid-title: kept
        ("Acme Sun Systems 12k sat", "Acme Sun Systems", 12_000, date(2026, 11, 28), "Follow up"),
        ("May Media Group", "May Media Group", None, None, None),
        ("Sun", "Sun", None, None, None),  # the first word is never a date
        ("Acme feb 30", "Acme feb 30", None, None, None),  # impossible at the tail: title
    ],
)  # fmt: skip
def test_quick_add_table(
    line: str, title: str, value: int | None, due: date | None, next_step: str | None
) -> None:
    result = parse_quick_add(line, TODAY)
    assert (result.title, result.value, result.due, result.next_step) == (
        title,
        value,
        due,
        next_step,
    )


def test_notes_say_what_was_interpreted() -> None:
    assert parse_quick_add("Acme Corp 12k next tue call Ana", TODAY) == QuickAdd(
        title="Acme Corp",
        value=12_000,
        due=date(2026, 12, 1),
        next_step="call Ana",
        notes=(
            "value read as 12,000",
            "due read as Tue 2026-12-01",
            'next step read as "call Ana"',
        ),
    )
    assert parse_quick_add("Initech", TODAY).notes == ()
    assert parse_quick_add("Acme 12,000.50", TODAY).notes == (
        "value read as 12,001 (rounded from 12,000.50)",
    )


@pytest.mark.parametrize(
    ("line", "error", "fragment"),
    [
        ("Acme Next Gen", NotADateError, '"Next Gen" is not a date'),
        ("Acme Next Gen", NotADateError, "put the title in double quotes"),
        ("Acme next blorp call Ana", NotADateError, '"next blorp" is not a date'),
        ("Acme due", NotADateError, '"due" needs a date after it'),
        ("Acme due soonish", NotADateError, '"soonish" is not a date'),
        ("Acme 12k +1 Partners", NotADateError, '"+1" is not a date'),
        ("Acme due 02/03/2027 call", DateError, "ambiguous (2 March or 3 February?)"),
        ("Acme due 2/3", DateError, "YYYY-MM-DD"),
        ("Acme due feb 30 call", DateError, "February has at most 29 days"),
        ("Acme due feb 29 2027 x", DateError, "February 2027 has 28 days"),  # never falls back
        ("Acme 4.500", MoneyError, "ambiguous (4.5 or 4,500?)"),
        ("Acme 1.500k next tue", MoneyError, "ambiguous (1,500 or 1,500,000?)"),
        ("Acme 1,5m", MoneyError, "is not an amount"),
        ("Acme 5000000m", MoneyError, "more than 999,999,999,999"),
        ("Acme 1000000m", MoneyError, "more than 999,999,999,999"),  # a trillion is one too many
        ("Acme 999999999999.5", MoneyError, "more than 999,999,999,999"),  # once rounded
        ("", QuickAddError, "needs a title"),
        ("   ", QuickAddError, "needs a title"),
        ('"" 12k', QuickAddError, "needs a title"),
        ('"Acme" and co', QuickAddError, 'not "and"'),
        ("x" * (MAX_LINE_LENGTH + 1), QuickAddError, "too long"),
    ],
)
def test_refused_with_a_sentence(line: str, error: type[ValueError], fragment: str) -> None:
    with pytest.raises(error) as caught:
        parse_quick_add(line, TODAY)
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12000", 12_000),
        ("12,000", 12_000),
        ("12k", 12_000),
        ("12K", 12_000),
        ("1.5m", 1_500_000),
        ("1.5M", 1_500_000),
        ("$12,000", 12_000),
        ("€4.5k", 4_500),
        ("4500€", 4_500),
        ("£1,234,567", 1_234_567),
        ("¥0", 0),
        ("12,000.50", 12_001),  # half rounds up
        ("12,000.49", 12_000),
        ("0.5", 1),
        (".5k", 500),
        ("2.25", 2),
        ("1.0001k", 1_000),
        (" 7 ", 7),
        ("999999999999", MAX_VALUE),
    ],
)
def test_parse_value(text: str, expected: int) -> None:
    assert parse_value(text) == expected


@pytest.mark.parametrize(
    "text",
    ["", "abc", "12,00", "1,5", "1,2345", "12kk", "$12k$", "-5", "1e5", "12 k", "1.2.3", "k",
     "$", "4.500", "12.000k", "1000000000001", "1" + "0" * 28, "9" * 40, "١٢"],
)  # fmt: skip
def test_parse_value_refuses_garbage(text: str) -> None:
    with pytest.raises(MoneyError):
        parse_value(text)


# Properties ---------------------------------------------------------------------------------

_TRIGGERS = {"next", "due", "today", "tomorrow", "in"}
# Letters (any script), punctuation, symbols and spaces, but no digits: nothing money-like.
# Double quotes are left out because a leading quote marks a quoted title (tested above).
_title_text = st.text(
    alphabet=st.characters(categories=("L", "P", "S", "Zs"), exclude_characters='"'),
    min_size=1,
    max_size=120,
)


_DATE_WORDS = {
    *("mon", "tue", "tues", "wed", "weds", "thu", "thur", "thurs", "fri", "sat", "sun"),
    *("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    *("eom", "eow"),
}


def _plain_title(text: str) -> bool:
    """No keyword anywhere, and no bare date at its end (a date there is read as the due)."""
    words = text.split()
    return (
        bool(words)
        and not any(word.lower() in _TRIGGERS for word in words)
        and (words[-1].lower() not in _DATE_WORDS)
    )


_weekday_word = st.sampled_from(sorted(_DATE_WORDS - {"eom", "eow"}))
_title_word = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ&.-", min_size=1
)


@PROPERTY
@given(
    first=_title_word,
    middle=st.lists(st.one_of(_title_word, _weekday_word), max_size=5),
    last=_title_word,
    weekday=_weekday_word,
)
def test_weekday_words_inside_a_title_stay_and_the_one_after_the_value_is_the_due(
    first: str, middle: list[str], last: str, weekday: str
) -> None:
    words = [first, *middle, last]
    assume(not any(word.lower() in _TRIGGERS | _DATE_WORDS | {"this"} for word in (first, last)))
    assume(not any(word.lower() in _TRIGGERS | {"this"} for word in middle))
    title = " ".join(words)
    result = parse_quick_add(f"{title} 12k {weekday} call Ana", TODAY)
    assert result.title == title
    assert result.value == 12_000
    assert result.due is not None and result.due.weekday() == parse_due(weekday, TODAY).weekday()
    assert TODAY < result.due <= TODAY + timedelta(days=7)
    assert result.next_step == "call Ana"


@PROPERTY
@given(
    title=_title_text,
    when=st.sampled_from(
        ["fri", "friday", "mon", "dec 1", "next tue", "+3d", "in 2 weeks", "tomorrow", "eom"]
    ),
)
def test_every_date_the_help_lists_ends_a_title_as_its_due(title: str, when: str) -> None:
    assume(_plain_title(title) and title.split()[-1].lower() not in {"this", "of", "end", "the"})
    assume(not title.split()[-1][-1:].isdigit())
    result = parse_quick_add(f"{title} {when}", TODAY)
    assert result.title == title.strip()
    assert result.due == parse_due(when, TODAY)


@PROPERTY
@given(title=_title_text)
def test_titles_without_values_or_dates_survive_verbatim(title: str) -> None:
    assume(_plain_title(title))
    assert parse_quick_add(title, TODAY) == QuickAdd(title=title.strip())


@PROPERTY
@given(
    title=_title_text,
    value=st.integers(100, 10**9),
    days=st.integers(0, 3_000),
    step=_title_text,
)
def test_title_value_date_and_step_come_apart(title: str, value: int, days: int, step: str) -> None:
    assume(_plain_title(title) and step.strip())
    line = f"{title} {value:,} +{days}d {step}"
    assume(len(line) <= MAX_LINE_LENGTH)
    result = parse_quick_add(line, TODAY)
    assert result.title == title.strip()
    assert result.value == value
    assert result.due == TODAY + timedelta(days=days)
    assert result.next_step == step.strip()


@PROPERTY
@given(value=st.integers(0, MAX_VALUE))
def test_value_round_trips_through_common_spellings(value: int) -> None:
    assert parse_value(str(value)) == value
    assert parse_value(f"{value:,}") == value
    assert parse_value(f"${value:,}") == value
    if value <= MAX_VALUE // 1000:
        assert parse_value(f"{value}k") == value * 1000


@PROPERTY
@given(line=st.text(max_size=MAX_LINE_LENGTH))
def test_only_value_errors_escape(line: str) -> None:
    try:
        result = parse_quick_add(line, TODAY)
    except ValueError as error:
        assert isinstance(error, DateError | MoneyError | QuickAddError)
        return
    assert result.title
