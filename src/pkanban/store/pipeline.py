"""Read queries for pull, ranking and triage: only the rows and columns each one needs.

The pool can hold tens of thousands of leads, so a pull reads them as light tuples (no model
validation per row) and the triage reads full cards only for the few that can be in its queue.
"""

import json
import sqlite3
from datetime import date
from typing import NamedTuple

from pkanban.domain.models import Card
from pkanban.domain.ranking import RECENT_WINS, TypicalValue, typical_value
from pkanban.store import board


class PoolLead(NamedTuple):
    """A pool card as much as ranking and pulling need (satisfies `ranking.Rankable`)."""

    id: int
    value: int | None
    probability: float | None
    checklist: dict[str, bool]
    created: date
    entered_stage: date
    stage_id: int
    lane_id: int


def board_typical_value(conn: sqlite3.Connection) -> TypicalValue:
    """Median value of the most recent won deals (an indexed read of at most `RECENT_WINS`
    rows); of the open cards while no win has a value."""
    won = conn.execute(
        "SELECT value FROM cards WHERE disposition = 'won' AND value > 0"
        " ORDER BY closed DESC, id DESC LIMIT ?",
        [RECENT_WINS],
    ).fetchall()
    if won:
        return typical_value([row[0] for row in won], "won")
    open_values = conn.execute(
        "SELECT value FROM cards WHERE disposition = 'open' AND value > 0"
    ).fetchall()
    return typical_value([row[0] for row in open_values], "open")


_PULLABLE = (
    "disposition = 'open' AND stage_id IN (SELECT id FROM stages WHERE kind = 'pool')"
    " AND blocked_reason = '' AND (snoozed_until IS NULL OR snoozed_until <= ?)"
)


def pullable_lane_counts(conn: sqlite3.Connection, today: date) -> dict[int, int]:
    """Leads that could be pulled today (in a pool, not blocked or snoozed), per lane."""
    rows = conn.execute(
        f"SELECT lane_id, count(*) FROM cards WHERE {_PULLABLE} GROUP BY lane_id",
        [today.isoformat()],
    )
    return dict(rows.fetchall())


def pool_leads(conn: sqlite3.Connection, lane_ids: list[int], today: date) -> list[PoolLead]:
    """The leads that could be pulled today in the given lanes, as light tuples."""
    if not lane_ids:
        return []
    marks = ", ".join("?" for _ in lane_ids)
    rows = conn.execute(
        "SELECT id, value, probability, checklist, created, entered_stage, stage_id, lane_id"
        f" FROM cards WHERE {_PULLABLE} AND lane_id IN ({marks})",
        [today.isoformat(), *lane_ids],
    )
    return [
        PoolLead(
            card_id,
            value,
            probability,
            {} if checklist == "{}" else json.loads(checklist),
            date.fromisoformat(created),
            date.fromisoformat(entered_stage),
            stage_id,
            lane_id,
        )
        for card_id, value, probability, checklist, created, entered_stage, stage_id, lane_id in (
            rows
        )
    ]


def count_pool(conn: sqlite3.Connection, lane_id: int | None = None) -> int:
    sql = (
        "SELECT count(*) FROM cards WHERE disposition = 'open'"
        " AND stage_id IN (SELECT id FROM stages WHERE kind = 'pool')"
    )
    params = []
    if lane_id is not None:
        sql += " AND lane_id = ?"
        params.append(lane_id)
    return conn.execute(sql, params).fetchone()[0]


def pulled_leads_to_check(conn: sqlite3.Connection, today: date) -> list[Card]:
    """Open pulled cards in active stages that may still owe work (the domain decides)."""
    return _cards(
        conn,
        "disposition = 'open' AND pulled IS NOT NULL"
        " AND stage_id IN (SELECT id FROM stages WHERE kind = 'active')"
        " AND (last_touch IS NULL OR last_touch < pulled OR next_due < ?)",
        [today.isoformat()],
    )


def triage_candidates(conn: sqlite3.Connection, today: date) -> list[Card]:
    """Every card that could be in today's triage: a superset the domain filters.

    Active-stage cards are few (WIP limits); pool cards only when a follow-up is due, their
    expected close date has passed, or they are blocked, so a large pool is not read.
    """
    day = today.isoformat()
    return _cards(
        conn,
        "disposition = 'open' AND (snoozed_until IS NULL OR snoozed_until <= ?)"
        " AND (stage_id IN (SELECT id FROM stages WHERE kind = 'active')"
        " OR next_due <= ? OR close_by < ? OR blocked_reason != '')",
        [day, day, day],
    )


def _cards(conn: sqlite3.Connection, where: str, params: list) -> list[Card]:
    return board.cards_from(conn.execute(f"SELECT * FROM cards WHERE {where} ORDER BY id", params))
