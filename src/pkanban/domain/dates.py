"""Dates typed by people: a strict ISO reader and a small natural grammar for due dates.

Nothing here reads the clock: every relative form is resolved against the `today` passed in, so
results are reproducible (`--today`). Nothing is guessed either: input that could mean two dates,
or no real date, raises `DateError` (a `ValueError`) whose message is a sentence saying what to
type instead; `NotADateError`, its subclass, marks text outside the grammar altogether.

Due-date grammar (`parse_due`; case-insensitive; surrounding and repeated spaces are ignored):

- `2026-12-01` (also `2026-12-1`): that date. Year first, so never ambiguous; may be in the past.
- `today`, `tomorrow`.
- `fri`, `friday` (any weekday: `mon`, `tue`/`tues`, `wed`/`weds`, `thu`/`thur`/`thurs`, `fri`,
  `sat`, `sun`, or the full name): the first such day strictly after today, so on a Friday
  `fri` is in 7 days.
- `next fri`: the same as `fri`. "next X" always means the first X after today, never today, and
  never "X of next week" (on a Monday, `next tue` is tomorrow).
- `this fri`: the first Friday on or after today (today, if today is a Friday).
- `+3d`, `3d`, `+3 days`, `in 3 days`, `+2w`, `in 2 weeks`, `in a week`, `+1m`, `in 1 month`:
  today plus a count of days (`d`, `day`, `days`), weeks (`w`, `wk`, `wks`, `week`, `weeks`) or
  months (`m`, `mo`, `mos`, `month`, `months`). Months keep the day of the month, clamped to the
  month's end: `+1m` from 31 January is 28 (or 29) February.
- `eom`, `end of month`, `end of the month`: the last day of this month (today, on that day).
- `eow`, `end of week`, `end of the week`: the first Friday after today, i.e. this week's Friday
  from Monday to Thursday and next week's Friday on Friday, Saturday and Sunday.
- `next week`: the first Monday after today.
- `next month`: the 1st of next month.
- `dec 1`, `1 dec`, `december 1st`, `1st of december`: the next 1 December on or after today
  (today, if it is 1 December). `feb 29` when the next February has no 29th is an error.
- `dec 1 2027`, `1 dec 2027`, `december 1st, 2027`: that date (4-digit year; may be past).

Always rejected, with a sentence saying what to type instead: days and months as numbers without
the year first (`02/03/2027`, `2/3`, `03.02.2027`, `12-01-2026`), bare numbers (`20260105`),
impossible dates (`feb 30`, `2026-02-30`, `2026-13-01`), results before 1900 or after 9999, empty
text, unknown words, and anything longer than 64 characters (checked before any other work, so
hostile input costs nothing). `parse_iso_date` accepts only `YYYY-MM-DD`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

MAX_DATE_TEXT = 64
MIN_YEAR = 1900
MAX_YEAR = 9999
# `--today` stays ten years clear of MAX_YEAR, so today plus any threshold is still a date.
TODAY_MAX_YEAR = 9000

MAX_YEARS_AHEAD = 10
"""A due or snooze date is at most this many years from today (`check_ahead`)."""


def example_day(today: date, days: int = 7) -> str:
    """An ISO date to show as an example, `days` after today (`--today`): never a past date."""
    return (today + timedelta(days=days)).isoformat()


def date_examples(today: date, *words: str, days: int = 7) -> str:
    """A date field's hint: `words` of the grammar, then an ISO date `days` after today."""
    return ", ".join((*words, example_day(today, days)))


def grammar_help(today: date) -> str:
    """Examples of the grammar; the ISO one is computed from today (never a past date)."""
    return f"{example_day(today)}, tomorrow, next tue, +3d or in 2 weeks"


def latest_ahead(today: date) -> date:
    return plus_months(today, 12 * MAX_YEARS_AHEAD)


def check_ahead(when: date, today: date, what: str) -> date:
    """Refuse a due or snooze date absurdly far away (`+100000d`), naming the range."""
    latest = latest_ahead(today)
    if when > latest:
        raise DateError(
            f"{what} {when.isoformat()} is too far away: at most {MAX_YEARS_AHEAD} years"
            f" from today, until {latest.isoformat()}"
        )
    return when


_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
# Hard-coded English names: calendar.month_name and %a follow the locale.
_MONTHS = {name.lower(): i for i, name in enumerate(_MONTH_NAMES, 1)}
_MONTHS |= {name[:3].lower(): i for i, name in enumerate(_MONTH_NAMES, 1)} | {"sept": 9}
WEEKDAY_ABBR = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_WEEKDAYS = {
    **{"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3},
    **{"friday": 4, "saturday": 5, "sunday": 6},
    **{abbr.lower(): i for i, abbr in enumerate(WEEKDAY_ABBR)},
    **{"tues": 1, "weds": 2, "thur": 3, "thurs": 3},
}
_FRIDAY = 4
_MONDAY = 0

# re.ASCII: "\d" must not match other scripts' digits, which int() would happily accept.
_ISO_STRICT = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)
_ISO_LOOSE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})", re.ASCII)
_UNIT = r"(d|days?|w|wks?|weeks?|m|mos?|months?)"
_OFFSET = re.compile(rf"\+?(\d+) ?{_UNIT}", re.ASCII)
_IN_OFFSET = re.compile(rf"in (?:(\d+) ?|(an?) ){_UNIT}", re.ASCII)
_WEEKDAY = re.compile(r"(?:(next|this) )?([a-z]+)", re.ASCII)
_DAY = r"(\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,? (\d{4}))?"
_MONTH_DAY = re.compile(rf"([a-z]+)\.? {_DAY}{_YEAR}", re.ASCII)
_DAY_MONTH = re.compile(rf"{_DAY},?(?: of)? ([a-z]+)\.?{_YEAR}", re.ASCII)
_NUMERIC = re.compile(r"\d+(?:[/.-]\d+)+", re.ASCII)
_DAY_MONTH_NUMBERS = re.compile(r"(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?", re.ASCII)
_END_OF_MONTH = {"eom", "end of month", "end of the month"}
_END_OF_WEEK = {"eow", "end of week", "end of the week"}


class DateError(ValueError):
    """A date the user typed cannot be used; the message is a sentence to show them as is."""


class NotADateError(DateError):
    """The text is outside the grammar altogether (unlike an impossible or ambiguous date).

    Quick-add uses the distinction to tell step words after a date apart from a bad date.
    """


def month_day(mmdd: str) -> tuple[int, int]:
    """(month, day) of `MM-DD`, a day of a leap year (`02-29` is one); ValueError otherwise."""
    parts = mmdd.split("-")
    if len(parts) != 2 or not all(len(part) == 2 and part.isdigit() for part in parts):
        raise ValueError(f"{mmdd!r} is not MM-DD")
    month, day = int(parts[0]), int(parts[1])
    date(2000, month, day)
    return month, day


def iso_or_none(day: date | None) -> str | None:
    """`day` as `YYYY-MM-DD`, None kept as None (a date field in JSON, CSV or an event)."""
    return None if day is None else day.isoformat()


def parse_iso_date(text: str) -> date:
    """Read a strict ``YYYY-MM-DD`` date (``--today``, imports): no other form is accepted."""
    if len(text) > MAX_DATE_TEXT:
        raise NotADateError(_too_long(text))
    cleaned = text.strip()
    match = _ISO_STRICT.fullmatch(cleaned)
    if match is None:
        raise NotADateError(  # no example day: this parser has no today to suggest one from
            f"{_quote(cleaned)} is not a date in the form YYYY-MM-DD"
            " (four-digit year, two-digit month, two-digit day)"
        )
    return _make_date(*map(int, match.groups()), shown=cleaned)


def parse_today(text: str) -> date:
    """The day to work as (`--today`): strict ISO, in the years MIN_YEAR–TODAY_MAX_YEAR."""
    day = parse_iso_date(text)
    if day.year > TODAY_MAX_YEAR:
        raise DateError(
            f"{_quote(text.strip())} is too far ahead to work as today: the years"
            f" {MIN_YEAR}–{TODAY_MAX_YEAR} work"
        )
    return day


def parse_due(text: str, today: date) -> date:
    """Read a date typed by a user in the grammar of the module docstring, relative to ``today``."""
    if len(text) > MAX_DATE_TEXT:
        raise NotADateError(_too_long(text, today))
    shown = " ".join(text.split())
    if not shown:
        raise NotADateError(f"No date given — try {grammar_help(today)}")
    try:
        result = _parse_normalised(shown.lower(), shown, today)
    except DateError:
        raise
    except (OverflowError, ValueError):  # date arithmetic past year 9999
        raise DateError(
            f"{_quote(shown)} is too far away: dates must fall in the years {MIN_YEAR}–{MAX_YEAR}"
        ) from None
    if not MIN_YEAR <= result.year <= MAX_YEAR:
        raise DateError(f"{_quote(shown)} falls outside the years {MIN_YEAR}–{MAX_YEAR}")
    return result


def _parse_normalised(norm: str, shown: str, today: date) -> date:
    """Dispatch on the lower-cased, space-collapsed text; ``shown`` is echoed in messages."""
    fixed = _fixed_phrase(norm, today)
    if fixed is not None:
        return fixed
    if match := _WEEKDAY.fullmatch(norm):
        qualifier, word = match.groups()
        if word in _WEEKDAYS:
            return _next_weekday(today, _WEEKDAYS[word], allow_today=qualifier == "this")
    if match := _ISO_LOOSE.fullmatch(norm):
        return _make_date(*map(int, match.groups()), shown=shown)
    if match := _OFFSET.fullmatch(norm):
        return _add(today, int(match[1]), match[2])
    if match := _IN_OFFSET.fullmatch(norm):
        return _add(today, int(match[1]) if match[1] else 1, match[3])
    if (match := _MONTH_DAY.fullmatch(norm)) and match[1] in _MONTHS:
        return _month_day(_MONTHS[match[1]], int(match[2]), match[3], today, shown)
    if (match := _DAY_MONTH.fullmatch(norm)) and match[2] in _MONTHS:
        return _month_day(_MONTHS[match[2]], int(match[1]), match[3], today, shown)
    if _NUMERIC.fullmatch(norm):
        raise DateError(_ambiguous(norm, shown, today))
    raise NotADateError(f"{_quote(shown)} is not a date — try {grammar_help(today)}")


def _fixed_phrase(norm: str, today: date) -> date | None:
    """The keyword forms, whose meaning depends only on today."""
    if norm == "today":
        return today
    if norm == "tomorrow":
        return today + timedelta(days=1)
    if norm in _END_OF_MONTH:
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    if norm in _END_OF_WEEK:
        return _next_weekday(today, _FRIDAY, allow_today=False)
    if norm == "next week":
        return _next_weekday(today, _MONDAY, allow_today=False)
    if norm == "next month":
        return plus_months(today.replace(day=1), 1)
    return None


def plus_months(day: date, months: int) -> date:
    """`day` moved by whole months, kept within the month (31 January + 1 month is 28 or 29
    February). dateutil is imported here, not with the module: it is not needed to draw the
    board, and it costs ~3 ms of the board's start-up (README, Performance)."""
    from dateutil.relativedelta import relativedelta

    return day + relativedelta(months=months)


def _next_weekday(today: date, weekday: int, *, allow_today: bool) -> date:
    days = (weekday - today.weekday()) % 7
    if days == 0 and not allow_today:
        days = 7
    return today + timedelta(days=days)


def _add(today: date, count: int, unit: str) -> date:
    """Add a count of days, weeks or months (overflow is turned into DateError by the caller)."""
    if unit.startswith("d"):
        return today + timedelta(days=count)
    if unit.startswith("w"):
        return today + timedelta(weeks=count)
    return plus_months(today, count)


def _month_day(month: int, day: int, year_text: str | None, today: date, shown: str) -> date:
    """A named month and a day: that year if given, else the next occurrence on or after today."""
    longest = calendar.monthrange(2000, month)[1]  # 2000 is a leap year: February has 29
    if not 1 <= day <= longest:
        raise DateError(
            f"{_quote(shown)} is not a real date: {_MONTH_NAMES[month - 1]} has at most "
            f"{longest} days"
        )
    if year_text is not None:
        return _make_date(int(year_text), month, day, shown=shown)
    year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
    if year <= MAX_YEAR and day > calendar.monthrange(year, month)[1]:
        raise DateError(
            f"There is no {day} {_MONTH_NAMES[month - 1]} in {year} — add the year, "
            f"e.g. {_MONTH_NAMES[month - 1][:3].lower()} {day} {_next_leap_year(year)}"
        )
    return _make_date(year, month, day, shown=shown)


def _next_leap_year(year: int) -> int:
    while not calendar.isleap(year):
        year += 1
    return year


def _make_date(year: int, month: int, day: int, *, shown: str) -> date:
    """Build a date or say precisely why it does not exist."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise DateError(f"{_quote(shown)} falls outside the years {MIN_YEAR}–{MAX_YEAR}")
    if not 1 <= month <= 12:
        raise DateError(f"{_quote(shown)} is not a real date: there is no month {month}")
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise DateError(
            f"{_quote(shown)} is not a real date: {_MONTH_NAMES[month - 1]} {year} has "
            f"{days_in_month} days"
        )
    return date(year, month, day)


def _ambiguous(norm: str, shown: str, today: date) -> str:
    """Explain why numbers with separators are refused, naming the possible readings."""
    use_iso = f"write it as YYYY-MM-DD, e.g. {example_day(today)}"
    match = _DAY_MONTH_NUMBERS.fullmatch(norm)
    if match is None:
        return f"{_quote(shown)} is not a form we read — {use_iso}"
    first, second = int(match[1]), int(match[2])
    year = int(match[3]) if match[3] is not None and len(match[3]) == 4 else None
    readings = [
        (d, m)
        for d, m in {(first, second), (second, first)}
        if 1 <= m <= 12 and 1 <= d <= calendar.monthrange(year or 2000, m)[1]
    ]
    readings.sort(key=lambda reading: reading != (first, second))  # day-first reading first
    if len(readings) == 2:
        words = " or ".join(f"{d} {_MONTH_NAMES[m - 1]}" for d, m in readings)
        examples = (
            ""
            if year is None
            else ", e.g. " + " or ".join(f"{year}-{m:02d}-{d:02d}" for d, m in readings)
        )
        return f"{_quote(shown)} is ambiguous ({words}?) — write it as YYYY-MM-DD{examples}"
    if len(readings) == 1 and year is not None:
        d, m = readings[0]
        return (
            f"{_quote(shown)} is not a form we read, to avoid mixing up days and months — "
            f"write it as YYYY-MM-DD: {year}-{m:02d}-{d:02d}"
        )
    return f"{_quote(shown)} is not a form we read, to avoid mixing up days and months — {use_iso}"


def _too_long(text: str, today: date | None = None) -> str:
    return (
        f"That date is too long ({len(text)} characters, at most {MAX_DATE_TEXT}) — "
        f"try {grammar_help(today) if today else 'YYYY-MM-DD'}"
    )


def _quote(text: str) -> str:
    """Echo user text in a message without letting control characters through."""
    return '"' + "".join(ch if ch.isprintable() else "?" for ch in text) + '"'


def working_days_after(today: date, days: int) -> date:
    """The day `days` working days (Monday to Friday) after `today`: a follow-up's default."""
    day = today
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day
