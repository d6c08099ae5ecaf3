"""Plain-text output for humans: aligned, 80 columns, user text cleaned of control codes."""

from collections.abc import Callable, Iterable
from datetime import date

from pkanban.cli.context import say
from pkanban.domain.money import format_value
from pkanban.domain.text import cell_width, clean_text, truncate
from pkanban.services.views import CardLine, CardView

TITLE_WIDTH = 26
BLOCKED = "⊘"
"""A blocked card's mark in every table (the board's mark too)."""


def cell(text: str, width: int) -> str:
    """`text` cleaned, cut and padded to exactly `width` terminal columns."""
    if width > 0 and text.isascii() and text.isprintable():
        # Nothing to clean and one column per character: the common case, ten times faster.
        return text.ljust(width) if len(text) <= width else text[: width - 1] + "…"
    cut = truncate(clean_text(text), width)
    return cut + " " * (width - cell_width(cut))


def cached_cell(width: int) -> Callable[[str], str]:
    """`cell` at `width` for a column whose texts repeat (stage names, badges): each distinct
    text is cleaned and measured once."""
    done: dict[str, str] = {}

    def cached(text: str) -> str:
        found = done.get(text)
        if found is None:
            found = done[text] = cell(text, width)
        return found

    return cached


def print_card_table(views: Iterable[CardView], currency: str, touch_target: int) -> None:
    print_card_lines((view.line() for view in views), currency, touch_target)


def print_card_lines(lines: Iterable[CardLine], currency: str, touch_target: int) -> None:
    """Cards grouped under their lane, one aligned line each, written in one go (a board of
    ten thousand cards prints in a blink)."""
    header = " ".join(
        ("   id", cell("title", TITLE_WIDTH), cell("stage", 11), " value", cell("age", 12))
    )
    stage_cell, badge_cell, due_cell = cached_cell(11), cached_cell(12), cached_cell(7)
    money: dict[int | None, str] = {}
    shown = [header + "  t/T  due"]
    lane = None
    for line in lines:
        if line.lane != lane:
            lane = line.lane
            shown.append(clean_text(lane))
        value = money.get(line.value)
        if value is None:
            value = money[line.value] = f"{format_value(line.value, currency):>6}"
        due = due_text(line.next_due, line.overdue)
        touches = f"{line.touches}/{touch_target}"
        shown.append(
            f"{line.id:>5} {cell(line.title, TITLE_WIDTH)} {stage_cell(line.stage)} {value}"
            f" {badge_cell(line.badge.text)} {touches:>4}"
            f" {due_cell(f'{due} {BLOCKED}' if line.blocked else due)}".rstrip()
        )
    say("\n".join(shown))


def due_text(next_due: date | None, overdue: bool) -> str:
    """`12-01`, or `12-01!` when overdue: a next step's due day in a table."""
    if next_due is None:
        return ""
    return next_due.isoformat()[5:] + ("!" if overdue else "")


def print_fields(pairs: Iterable[tuple[str, object]]) -> None:
    for label, value in pairs:
        if value not in (None, "", ()):
            say(f"{label:>14}  {clean_text(str(value))}")
