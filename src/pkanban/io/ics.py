"""The calendar export (.ics): the seller's follow-ups where their phone's calendar sees them.

One VTODO per open card that has a next step date (DUE on that day), and the yearly clearance
review as an all-day VEVENT. Every UID is stable — `card-<id>@<board id>`,
`yearly-review@<board id>` — and a card's SEQUENCE is its version, so a calendar that imports
the file again (or subscribes to it) updates its entries instead of adding copies.

The document is built with `icalendar`, which escapes `,` `;` `\\` and line breaks in text
values and folds long lines: no title can add a property, a VTODO or a VEVENT.
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from pkanban.domain.models import Card
from pkanban.domain.text import clean_text

PRODID = "-//pkanban//follow-ups//EN"


@dataclass(frozen=True)
class DueCard:
    """An open card with a next step date, and the names the calendar entry shows."""

    card: Card
    stage: str
    lane: str


@dataclass(frozen=True)
class Review:
    """The yearly clearance review: its day, and whether it is owed already."""

    day: date
    owed_since: date | None = None


def render(
    cards: list[DueCard],
    review: Review | None,
    board_id: str,
    currency: str,
    touch_target: int,
    stamp: datetime | None = None,
) -> str:
    """The calendar as text (CRLF lines, as RFC 5545 wants them)."""
    from icalendar import Calendar, Event, Todo

    stamp = stamp or datetime.now(UTC).replace(microsecond=0)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "pkanban follow-ups")
    for due in cards:
        card = due.card
        todo = Todo()
        todo.add("uid", card_uid(card.id, board_id))
        todo.add("dtstamp", stamp)
        todo.add("sequence", card.version)
        todo.add("due", card.next_due)
        todo.add("summary", summary(card))
        todo.add("description", _description(due, currency, touch_target))
        todo.add("status", "NEEDS-ACTION")
        calendar.add_component(todo)
    if review is not None:
        event = Event()
        event.add("uid", f"yearly-review@{board_id}")
        event.add("dtstamp", stamp)
        event.add("dtstart", review.day)
        event.add("dtend", review.day + timedelta(days=1))
        title = "Yearly clearance review"
        if review.owed_since is not None:
            title += f" (owed since {review.owed_since.isoformat()})"
        event.add("summary", title)
        event.add(
            "description",
            "Judge low-value accounts and clear dead stock: pkanban clearance --mode yearly",
        )
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical().decode("utf-8")


def card_uid(card_id: int, board_id: str) -> str:
    return f"card-{card_id}@{board_id}"


def summary(card: Card) -> str:
    step = clean_text(card.next_step).strip() or "Follow up"
    return f"{step} — {clean_text(card.title).strip()}"


def _description(due: DueCard, currency: str, touch_target: int) -> str:
    card = due.card
    lines = [
        f"Value: {'unknown' if card.value is None else f'{currency}{card.value:,}'}",
        f"Stage: {clean_text(due.stage)} · {clean_text(due.lane)}",
        f"Touches: {card.touch_count}/{touch_target}",
    ]
    contact = " · ".join(
        clean_text(part).strip() for part in (card.contact_name, card.email, card.phone) if part
    )
    if contact:
        lines.append(f"Contact: {contact}")
    lines.append(f"pkanban show {card.id}")
    return "\n".join(lines)
