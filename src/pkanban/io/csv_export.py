"""CSV export: one row per card (open first, then the archive), every field, spreadsheet-safe.

Text cells that a spreadsheet would run as a formula get a leading `'` (`csv_cell`); values,
counts and probabilities are written as numbers; dates as `YYYY-MM-DD`; tags joined with `, `.
`pkanban import` reads the file back (it recognises these columns and drops the `'` markers).

`pkanban_id` (`<board id>/<card number>`) says which card of which board a row is, so that
importing the file again is safe: into the board that wrote it, every card is recognised as
already there (nothing changes); into another board, the cards are created once and recognised
on the next import (by `external_id` when the card came from a CRM, else by `pkanban_id`).
"""

import csv
import io

from pkanban.domain.dates import iso_or_none
from pkanban.domain.views import CardView
from pkanban.io.escape import csv_cell

COLUMNS = (
    "id",
    "title",
    "account",
    "lane",
    "stage",
    "status",
    "value",
    "probability",
    "contact",
    "email",
    "phone",
    "source",
    "tags",
    "created",
    "entered_stage",
    "last_touch",
    "touches",
    "next_step",
    "next_due",
    "blocked",
    "snoozed_until",
    "snooze_reason",
    "closed",
    "lost_reason",
    "age_days",
    "stage_age_days",
    "idle_days",
    "badge",
    "external_id",
    "pkanban_id",
)


def render(views: list[CardView], board_id: str | None) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(
        [csv_cell(value) for value in _row(view, board_id)] for view in views
    )  # None → ""
    return out.getvalue()


def _row(view: CardView, board_id: str | None) -> tuple:
    card = view.card
    return (
        card.id,
        card.title,
        card.account,
        view.lane.name,
        view.stage.name,
        card.disposition,
        card.value,
        card.probability,
        card.contact_name,
        card.email,
        card.phone,
        card.source,
        ", ".join(card.tags),
        iso_or_none(card.created),
        iso_or_none(card.entered_stage),
        iso_or_none(card.last_touch),
        card.touch_count,
        card.next_step,
        iso_or_none(card.next_due),
        card.blocked_reason,
        iso_or_none(card.snoozed_until),
        card.snooze_reason,
        iso_or_none(card.closed),
        card.lost_reason,
        view.age_days,
        view.stage_age_days,
        view.idle_days,
        view.badge.text,
        card.external_id,
        f"{board_id}/{card.id}" if board_id else None,
    )
