"""What one card looks like on the board, as lines of (text, role) parts.

A card is two lines in a wide column (title; value · badge · touches · due) and three in a
narrow one (title; value · badge; touches · due). Roles name component classes of the cell
(`cell--badge-stale`, `cell--due-overdue` …) so colours come from the stylesheet and the theme;
every fact also carries text (`⚠ 25d/21d`, `overdue 3d`, `⊘`) so the card reads without colour.
"""

from datetime import date

from pkanban.domain.dates import WEEKDAY_ABBR
from pkanban.domain.money import format_value
from pkanban.domain.text import cell_width, truncate
from pkanban.services.views import CardView
from pkanban.tui.text import plain

Part = tuple[str, str]
"""A piece of a line and its role ("" for none)."""

BLOCKED_MARK = "⊘ "
NO_NEXT_STEP = "no next step"


def card_lines(
    view: CardView, width: int, height: int, touch_target: int, currency: str, today: date
) -> list[list[Part]]:
    """The card's lines, each cut to `width` columns."""
    card = view.card
    title: list[Part] = [(plain(card.title), "title")]
    if card.blocked_reason:
        title.insert(0, (BLOCKED_MARK, "blocked"))
    value = [(format_value(card.value, currency), "value")]
    badge = [(view.badge.text, f"badge-{view.badge.level}")]
    target_met = card.touch_count >= touch_target
    touches = [(f"{card.touch_count}/{touch_target}", "touches-done" if target_met else "touches")]
    due = [due_part(card.next_due, today)] if card.next_due is not None else []
    if view.no_next_step:
        due = [(NO_NEXT_STEP, "due-overdue")]
    if height <= 2:
        facts = [value, badge, touches, due]
        return [fit(title, width), fit(spaced(facts), width)]
    return [
        fit(title, width),
        fit(spaced([value, badge]), width),
        fit(spaced([touches, due]), width),
    ]


def due_part(due: date, today: date) -> Part:
    """The next step's due date in words relative to today; overdue says so in text too."""
    days = (due - today).days
    if days < 0:
        return (f"overdue {-days}d", "due-overdue")
    if days == 0:
        return ("due today", "due-today")
    if days < 7:
        return (f"due {WEEKDAY_ABBR[due.weekday()]}", "due")
    if due.year == today.year:
        return (f"due {due:%m-%d}", "due")
    return (f"due {due.isoformat()}", "due")


def spaced(groups: list[list[Part]]) -> list[Part]:
    """Join non-empty groups of parts with a space."""
    parts: list[Part] = []
    for group in (group for group in groups if group):
        if parts:
            parts.append((" ", ""))
        parts.extend(group)
    return parts


def fit(parts: list[Part], width: int) -> list[Part]:
    """Cut a line of parts to `width` columns; the part that overflows ends in an ellipsis."""
    kept: list[Part] = []
    used = 0
    for text, role in parts:
        size = cell_width(text)
        if used + size > width:
            kept.append((truncate(text, width - used), role))
            break
        kept.append((text, role))
        used += size
    return kept
