"""Cell values from CRM exports: dates, amounts and counts, read strictly and never guessed.

Dates (`parse_import_date`), whatever the order option:

- ISO `2017-03-01`, with or without a time and zone (`2017-03-01 14:05:00`,
  `2017-03-01T14:05:00Z`, `…+02:00`): the date as written (the time and zone are dropped, not
  converted — a CRM writes the day the user saw).
- Year first with `/` or `.`: `2017/03/01`, `2017.03.01`.
- A month name and a four-digit year: `Mar 1, 2017`, `1 March 2017`, `01-Mar-2017`.
- Numbers day and month first (`01/03/2017`, `1.3.2017`, optionally followed by a time) only
  when the import says how the file writes them: `dmy` or `mdy`. Without it such a date is an
  `AmbiguousDate`, even when only one reading exists, because the file's convention is unknown
  and dateutil-style guessing is exactly how 2 March becomes 3 February.
- Two-digit years, bare numbers (`20170301`, Excel serials), empty-looking junk: refused.
"""

import re
from datetime import date
from typing import Literal

from pkanban.domain.dates import DateError, parse_due
from pkanban.domain.quickadd import MoneyError, parse_value

DateOrder = Literal["iso", "dmy", "mdy"]
MAX_CELL_TEXT = 64

_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2}|UTC|GMT)?)?",
    re.ASCII | re.IGNORECASE,
)
_YEAR_FIRST = re.compile(r"(\d{4})([/.])(\d{1,2})\2(\d{1,2})", re.ASCII)
_TIME = r"(?:,?[T ]+\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp][Mm])?)?"
_NUMERIC = re.compile(rf"(\d{{1,2}})([/.-])(\d{{1,2}})\2(\d{{2,4}}){_TIME}", re.ASCII)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)?"
_NAMED = re.compile(
    rf"(?:{_ORDINAL}[ -](?:of )?[a-z]+\.?,?[ -]\d{{4}}"
    rf"|[a-z]+\.?[ -]{_ORDINAL},?[ -]\d{{4}}){_TIME}",
    re.ASCII | re.IGNORECASE,
)
_CURRENCY_CODE = re.compile(r"^[A-Z]{3}\s*|\s*[A-Z]{3}$")


class AmbiguousDate(DateError):
    """A numeric date whose day/month order the file does not declare."""


def parse_import_date(text: str, order: DateOrder = "iso") -> date | None:
    """Read a date cell (module docstring); None for a blank cell, DateError if unreadable."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if len(cleaned) > MAX_CELL_TEXT:
        raise DateError(f"a date of {len(cleaned):,} characters is not a date")
    if match := _ISO.fullmatch(cleaned):
        return _make(int(match[1]), int(match[2]), int(match[3]), cleaned)
    if match := _YEAR_FIRST.fullmatch(cleaned):
        return _make(int(match[1]), int(match[3]), int(match[4]), cleaned)
    if match := _NUMERIC.fullmatch(cleaned):
        return _numeric(match, order, cleaned)
    if _NAMED.fullmatch(cleaned):
        without_time = re.sub(rf"{_TIME}$", "", cleaned)
        # The pattern guarantees a month word and a four-digit year, so nothing is relative.
        return parse_due(re.sub(r"[-\s]+", " ", without_time), date(2000, 1, 1))
    raise DateError(f'"{_shown(cleaned)}" is not a date we read — use YYYY-MM-DD')


def _numeric(match: re.Match, order: DateOrder, shown: str) -> date:
    first, second, year_text = int(match[1]), int(match[3]), match[4]
    if order == "iso":
        raise AmbiguousDate(
            f'"{_shown(shown)}" could be day/month or month/day — say which with'
            " --dates dmy or --dates mdy"
        )
    if len(year_text) != 4:
        raise DateError(f'"{_shown(shown)}" has a two-digit year — write the year in full')
    day, month = (first, second) if order == "dmy" else (second, first)
    return _make(int(year_text), month, day, shown)


def _make(year: int, month: int, day: int, shown: str) -> date:
    if not 1900 <= year <= 9999:
        raise DateError(f'"{_shown(shown)}" is outside the years 1900–9999')
    try:
        return date(year, month, day)
    except ValueError:
        raise DateError(f'"{_shown(shown)}" is not a real date') from None


def parse_amount(text: str) -> int | None:
    """Read a value cell (`1054`, `$1,054.00`, `12k`, `EUR 1,000`) as whole units; blank → None."""
    cleaned = text.strip()
    if not cleaned:
        return None
    if len(cleaned) > MAX_CELL_TEXT:
        raise MoneyError(f"a value of {len(cleaned):,} characters is not an amount")
    if cleaned.startswith(("-", "(")):
        raise MoneyError(f'"{_shown(cleaned)}" is negative — a deal value is 0 or more')
    number = _CURRENCY_CODE.sub("", cleaned).replace(" ", "").replace("\u00a0", "")
    return parse_value(number)


def parse_count(text: str) -> int:
    """A whole count such as a number of activities (`12`, `12.0`); blank → 0."""
    cleaned = text.strip()
    if not cleaned:
        return 0
    if re.fullmatch(r"\d{1,9}(?:\.0+)?", cleaned, re.ASCII) is None:
        raise ValueError(f'"{_shown(cleaned)}" is not a whole number')
    return int(float(cleaned))


def _shown(text: str) -> str:
    """Echo a cell in a message: printable characters only, cut short."""
    printable = "".join(ch if ch.isprintable() else "?" for ch in text)
    return printable if len(printable) <= 40 else printable[:39] + "…"
