"""Quick add: one typed line becomes a new card's title, value, due date and next step.

Grammar (words are separated by spaces; keywords are case-insensitive):

    <title words> [value] [<date part> [next step text]]
    "<title>" [value] [<date part> [next step text]]

- The first word always belongs to the title, whatever it looks like (`3M Company 12k`).
- The value is the last word before the date part (or before the end of the line), if it looks
  like money and is not the first word: `12k`, `1.5m`, `$12,000`, `€4.5k`, `4500€`, `12,000.50`.
  Plain numbers without a currency sign, a `k`/`m` suffix or a thousands comma count only from
  100 up, so `Phase 2`, `Apollo 13` and `Windows 3.1` stay in the title (after a quoted title
  any number is the value). `Acme 12k Holdings` has no value: `12k` is not the last word.
- The date part starts at the first of these words after the first word (or anywhere after a
  quoted title):
  - `next`, followed by a weekday, `week` or `month` (`next tue`, `next week`);
  - `due`, followed by any date of `pkanban.domain.dates` (`due fri`, `due dec 1`, `due eom`);
  - `today`, `tomorrow`, or a word made of `+` and a digit (`+3d`, `+2w`, `+1m`, `+3 days`);
  - `in` followed by a count and a unit (`in 2 weeks`, `in a week`); an `in` that does not
    start a date (`Acme in 3 cities`) stays in the title;
  - any other date of the grammar without a keyword (`fri`, `friday`, `dec 1`, `2026-12-01`,
    `eom`) — but only from the tail of the line: right after the value (`Acme 12k fri call
    Ana`), or, without a value, when the date ends the line (`Acme Corp dec 1`). So a title word
    that is also a weekday or a month in the middle of a title stays there (`Acme Sun Systems
    12k`, `May Media Group`), and the first word is never a date.
  The date is the longest run of at most four words there that reads as a date, and everything
  after it is the next step (`Follow up` when nothing follows: a due date is always the day of
  a next step). Nothing is guessed: if the words after `next`, `due`, `today`,
  `tomorrow` or `+…` (or a bare date after the value) are not a date, or a date is impossible or
  ambiguous, DateError is raised. A line that only ends in something date-like but impossible
  (`Windows 3.1`, `Acme feb 30`) keeps it in the title, which the preview shows.
- To keep a word such as `next`, `due` or `200` in the title, put the title in double quotes:
  `"Next Gen Labs" 12k due fri`. After a quoted title only a value and a date part may follow.
- Titles keep their exact text, spacing and case; so does the next step. Lines longer than 500
  characters are refused.

Money (`parse_value`): an optional currency sign (`$ € £ ¥`, before or after), digits with
optional thousands commas and decimals, and an optional `k` (thousand) or `m` (million) suffix,
case-insensitive. The result is whole currency units, rounded half up (`12,000.50` → 12,001).
A dot followed by exactly three digits without a thousands comma (`4.500`) could be a decimal
point or a European thousands separator, so it is refused. Values of a trillion and up are
refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from pkanban.domain.dates import (
    WEEKDAY_ABBR,
    DateError,
    NotADateError,
    grammar_help,
    parse_due,
)
from pkanban.domain.errors import MoneyError, QuickAddError
from pkanban.domain.money import MAX_VALUE

MAX_LINE_LENGTH = 500
MIN_PLAIN_VALUE = 100
MAX_DATE_WORDS = 4
_MAX_MONEY_TEXT = 32

_MONEY = re.compile(
    r"""
    (?P<pre>[$€£¥])?
    (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    (?P<suffix>[km])?
    (?P<post>[$€£¥])?
    """,
    re.ASCII | re.IGNORECASE | re.VERBOSE,
)
# Shaped like an amount but possibly malformed ("1,5m"): parse_value then says what is wrong.
_MONEY_SHAPE = re.compile(r"[$€£¥]?\d[\d.,]*[km]?[$€£¥]?", re.ASCII | re.IGNORECASE)
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?", re.ASCII)
_AMBIGUOUS_DOT = re.compile(r"\d+\.\d{3}", re.ASCII)
_PLUS_OFFSET = re.compile(r"\+\d", re.ASCII)
_SIGNS = "$€£¥"
_MULTIPLIERS = {"": 1, "k": 1_000, "m": 1_000_000}
_WORD = re.compile(r"\S+")
DEFAULT_STEP = "Follow up"
"""The next step of a line that names a due date and nothing after it."""
_EXAMPLE = "Acme Corp 12k next tue call Ana"


@dataclass(frozen=True)
class QuickAdd:
    """What a quick-add line means; ``notes`` say what was interpreted, to show before saving."""

    title: str
    value: int | None = None
    due: date | None = None
    next_step: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Word:
    text: str
    start: int
    end: int


def parse_value(text: str) -> int:
    """Read an amount such as ``12k``, ``$12,000`` or ``1.5m`` as whole currency units."""
    return _read_money(text)[0]


def parse_quick_add(line: str, today: date) -> QuickAdd:
    """Split a quick-add line into title, value, due date and next step (module docstring)."""
    if len(line) > MAX_LINE_LENGTH:
        raise QuickAddError(
            f"That line is too long ({len(line)} characters, at most {MAX_LINE_LENGTH}) — "
            f"type a short title, e.g. {_EXAMPLE}"
        )
    quoted_title, words = _split_quoted_title(line)
    first_free = 0 if quoted_title is not None else 1  # an unquoted first word is always title
    date_at = min(
        next(
            (i for i in range(first_free, len(words)) if _starts_date(words, i, today)), len(words)
        ),
        _bare_date_at(words, first_free, quoted_title is not None, today),
    )
    head = words[first_free:date_at]
    value: int | None = None
    notes: list[str] = []
    if head and _is_value_word(head[-1].text, any_plain=quoted_title is not None):
        value, note = _read_money(head[-1].text)
        notes.append(note)
        head = head[:-1]
    if quoted_title is None:
        title = line[words[0].start : (head or words[:1])[-1].end] if words else ""
    elif head:
        raise QuickAddError(
            f'After a quoted title only a value and a date may follow, not "{head[0].text}"'
            f" — e.g. {_EXAMPLE}"
        )
    else:
        title = quoted_title
    if not title:
        raise QuickAddError(f"A card needs a title — e.g. {_EXAMPLE}")
    due, next_step = None, None
    if date_at < len(words):
        try:
            due, step_at = _read_date_part(words, date_at, today)
        except NotADateError as error:
            raise NotADateError(
                f'{error} (to keep "{words[date_at].text}" in the title, put the title in double '
                'quotes, e.g. "Next Gen Labs" 12k)'
            ) from None
        notes.append(f"due read as {WEEKDAY_ABBR[due.weekday()]} {due.isoformat()}")
        if step_at < len(words):
            next_step = line[words[step_at].start : words[-1].end]
            notes.append(f'next step read as "{next_step}"')
        else:  # a due date is the day of a next step: a line naming only the day follows up
            next_step = DEFAULT_STEP
            notes.append(f'next step "{DEFAULT_STEP}" (no words after the date)')
    return QuickAdd(title, value, due, next_step, tuple(notes))


def _split_quoted_title(line: str) -> tuple[str | None, list[_Word]]:
    """Return the quoted title (None if the line does not start with one) and the other words."""
    opening = line.find('"')
    closing = line.find('"', opening + 1)
    if opening == -1 or line[:opening].strip() or closing == -1:
        return None, _words(line, 0)
    return line[opening + 1 : closing].strip(), _words(line, closing + 1)


def _words(line: str, offset: int) -> list[_Word]:
    return [_Word(m.group(), m.start(), m.end()) for m in _WORD.finditer(line, offset)]


def _starts_date(words: list[_Word], i: int, today: date) -> bool:
    """Whether the date part starts at word ``i``; an ``in`` only if a date really follows."""
    word = words[i].text.lower()
    if word in {"next", "due", "today", "tomorrow"} or _PLUS_OFFSET.match(word):
        return True
    if word != "in":
        return False
    try:
        _read_date_part(words, i, today)
    except NotADateError:
        return False
    return True


def _bare_date_at(words: list[_Word], first_free: int, quoted: bool, today: date) -> int:
    """Where a date without a keyword starts: right after the value, or (no value) the earliest
    word from which the rest of the line is a date; ``len(words)`` when there is none."""
    for i in range(max(first_free, 1), len(words)):
        if i - 1 < first_free or not _is_value_word(words[i - 1].text, any_plain=quoted):
            continue
        try:
            _read_date_part(words, i, today)
        except NotADateError:
            continue
        return i
    for i in range(max(first_free, len(words) - MAX_DATE_WORDS), len(words)):
        if (i == 0 and not quoted) or _is_value_word(words[i].text, any_plain=quoted):
            continue  # `Acme 3m` is a value of 3,000,000, not a date in 3 months
        try:
            parse_due(" ".join(word.text for word in words[i:]), today)
        except DateError:
            continue
        return i
    return len(words)


def _read_date_part(words: list[_Word], i: int, today: date) -> tuple[date, int]:
    """Read the date starting at word ``i``; return it and the index of the first step word.

    The longest run of words that reads as a date wins, so ``dec 1 2027`` keeps its year. A run
    that is date-like but wrong (``feb 30``, ``2/3``) stops the search: falling back to a
    shorter reading would be a guess.
    """
    keyword = words[i].text.lower()
    start = i + 1 if keyword == "due" else i
    shortest = 2 if keyword in {"next", "in"} else 1
    if len(words) - start < shortest:
        raise NotADateError(f'"{words[i].text}" needs a date after it — try {grammar_help(today)}')
    end = min(len(words), start + MAX_DATE_WORDS)
    while True:
        phrase = " ".join(word.text for word in words[start:end])
        try:
            return parse_due(phrase, today), end
        except NotADateError:
            if end == start + shortest:
                raise  # the shortest run's message names just the words at fault
            end -= 1


def _is_value_word(word: str, *, any_plain: bool) -> bool:
    """Whether a word is meant as the card's value (it may still be malformed money).

    Plain numbers below 100 are title words (``Phase 2``) unless the title was quoted; words
    marked as money (sign, suffix, comma) count even when malformed, so that ``1,5m`` gets an
    error instead of silently joining the title.
    """
    if _PLAIN_NUMBER.fullmatch(word):
        return any_plain or bool(_AMBIGUOUS_DOT.fullmatch(word)) or Decimal(word) >= MIN_PLAIN_VALUE
    marked = word[0] in _SIGNS or word[-1] in _SIGNS or word[-1] in "kKmM" or "," in word
    return marked and bool(_MONEY_SHAPE.fullmatch(word))


def _read_money(text: str) -> tuple[int, str]:
    """Parse an amount; return it with a note saying how it was read."""
    shown = text.strip()
    match = _MONEY.fullmatch(shown) if len(shown) <= _MAX_MONEY_TEXT else None
    if match is None or (match["pre"] and match["post"]):
        raise MoneyError(
            f'"{shown[:_MAX_MONEY_TEXT]}" is not an amount — try 12000, 12,000, $12k or 1.5m'
        )
    number, suffix = match["number"], (match["suffix"] or "").lower()
    multiplier = _MULTIPLIERS[suffix]
    if "," not in number and _AMBIGUOUS_DOT.fullmatch(number):
        as_decimal = (Decimal(number) * multiplier).normalize()
        as_thousands = (Decimal(number.replace(".", "")) * multiplier).normalize()
        raise MoneyError(
            f'"{shown}" is ambiguous ({as_decimal:,f} or {as_thousands:,f}?) — '
            f"write it as {as_decimal:f} or {as_thousands:f}"
        )
    exact = Decimal(number.replace(",", "")) * multiplier
    if exact > MAX_VALUE:  # before quantize, which fails past Decimal's 28-digit precision
        raise MoneyError(f'"{shown}" is more than {MAX_VALUE:,} — check the amount')
    value = int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))
    if value > MAX_VALUE:  # 999999999999.5 rounds up past it
        raise MoneyError(f'"{shown}" is more than {MAX_VALUE:,} — check the amount')
    note = f"value read as {value:,}"
    if exact != value:
        note += f" (rounded from {exact:,f})"
    return value, note
