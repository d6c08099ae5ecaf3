"""What happened to cards in a period (`export --since/--until`): created, closed and moved.

A period is `since`..`until`, both days included (`since` None: from the board's first day).
A card was created or closed in it by its `created` / `closed` date; it moved in it when an
action dated in the period changed its stage (a `cards` event whose before and after stage
differ). An undo and the action it undid are not moves: together they changed nothing.
"""

import sqlite3
from dataclasses import dataclass
from datetime import date

from pkanban.domain.models import Card
from pkanban.store.board import cards_from


@dataclass(frozen=True, slots=True)
class Move:
    card_id: int
    day: date
    from_stage_id: int
    to_stage_id: int


def _bounds(since: date | None, until: date) -> dict[str, str]:
    return {"since": (since or date.min).isoformat(), "until": until.isoformat()}


def moves(conn: sqlite3.Connection, since: date | None, until: date) -> list[Move]:
    """Stage changes dated in the period, in the order they happened."""
    rows = conn.execute(
        """
        SELECT events.card_id, actions.day,
            json_extract(events.before, '$.stage_id') AS from_stage,
            json_extract(events.after, '$.stage_id') AS to_stage
        FROM actions CROSS JOIN events ON events.action_id = actions.id
        WHERE actions.day BETWEEN :since AND :until AND actions.undo_of IS NULL
            AND NOT EXISTS (SELECT 1 FROM actions AS undo WHERE undo.undo_of = actions.id)
            AND events.entity = 'cards'
            AND events.before IS NOT NULL AND events.after IS NOT NULL
            AND from_stage != to_stage
        ORDER BY events.id
        """,
        _bounds(since, until),
    )
    return [Move(card, date.fromisoformat(day), old, new) for card, day, old, new in rows]


def created_or_closed(conn: sqlite3.Connection, since: date | None, until: date) -> list[Card]:
    """Cards created or closed (won, lost, cleared) in the period, oldest first."""
    return cards_from(
        conn.execute(
            "SELECT * FROM cards WHERE created BETWEEN :since AND :until"
            " OR closed BETWEEN :since AND :until ORDER BY created, id",
            _bounds(since, until),
        )
    )
