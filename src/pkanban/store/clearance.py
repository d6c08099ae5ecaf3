"""Clearance queries: candidate cards found by date thresholds in SQL, never by loading the board.

The SQL here selects exactly the cards the domain rules (`domain/clearance.py`) flag; the
domain then names the rules for each card. Dates are ISO text, so they compare as strings.
"""

import sqlite3
from datetime import date, timedelta

from pkanban.domain.models import Card, Settings
from pkanban.store.board import cards_from

CLEARED_KIND = "cleared"
YEARLY_SUMMARY_PREFIX = "Yearly clearance"


def _conditions(
    today: date,
    best_by_days: int,
    settings: Settings,
    rules: tuple[str, ...],
    accounts_lane_id: int | None,
) -> tuple[str, list]:
    """The WHERE clause (over `cards` joined to `stages`) for open cards any of `rules` flags."""
    clauses: list[str] = []
    params: list = []
    if "past-best-by" in rules:
        clauses.append("cards.created < ?")
        params.append((today - timedelta(days=best_by_days)).isoformat())
    if "past-shelf-life" in rules:
        clauses.append(
            "(stages.shelf_life_days IS NOT NULL"
            " AND julianday(?) - julianday(cards.entered_stage) > stages.shelf_life_days)"
        )
        params.append(today.isoformat())
    if "idle" in rules:
        clauses.append(
            "(stages.kind = 'active' AND coalesce(cards.last_touch, cards.created) < ?"
            " AND (cards.next_due IS NULL OR cards.next_due < ?))"
        )
        params += [(today - timedelta(days=settings.idle_days)).isoformat(), today.isoformat()]
    if "low-value-account" in rules and accounts_lane_id is not None:
        clauses.append("(cards.lane_id = ? AND cards.value < ?)")
        params += [accounts_lane_id, settings.low_value_threshold]
    if not clauses:
        return "0", []
    where = (
        "cards.disposition = 'open' AND (cards.snoozed_until IS NULL OR cards.snoozed_until <= ?)"
        f" AND ({' OR '.join(clauses)})"
    )
    return where, [today.isoformat(), *params]


def candidate_cards(
    conn: sqlite3.Connection,
    today: date,
    best_by_days: int,
    settings: Settings,
    rules: tuple[str, ...],
    accounts_lane_id: int | None,
) -> list[Card]:
    """Open, unsnoozed cards some of `rules` flag, in board order (lane, stage, oldest first)."""
    where, params = _conditions(today, best_by_days, settings, rules, accounts_lane_id)
    return cards_from(
        conn.execute(
            "SELECT cards.* FROM cards JOIN stages ON stages.id = cards.stage_id"
            " JOIN lanes ON lanes.id = cards.lane_id"
            f" WHERE {where} ORDER BY lanes.position, stages.position, cards.created, cards.id",
            params,
        )
    )


def count_candidates(
    conn: sqlite3.Connection,
    today: date,
    best_by_days: int,
    settings: Settings,
    rules: tuple[str, ...],
    accounts_lane_id: int | None,
) -> int:
    where, params = _conditions(today, best_by_days, settings, rules, accounts_lane_id)
    return conn.execute(
        f"SELECT count(*) FROM cards JOIN stages ON stages.id = cards.stage_id WHERE {where}",
        params,
    ).fetchone()[0]


def last_yearly_clearance(conn: sqlite3.Connection) -> date | None:
    """The day of the last yearly clearance that was applied and not undone."""
    row = conn.execute(
        "SELECT max(day) FROM actions a WHERE kind = ? AND summary LIKE ?"
        " AND NOT EXISTS (SELECT 1 FROM actions u WHERE u.undo_of = a.id)",
        [CLEARED_KIND, YEARLY_SUMMARY_PREFIX + "%"],
    ).fetchone()
    return date.fromisoformat(row[0]) if row[0] else None


def board_started(conn: sqlite3.Connection) -> date | None:
    """The day of the board's first recorded action (None: nothing has happened yet)."""
    row = conn.execute("SELECT min(day) FROM actions").fetchone()
    return date.fromisoformat(row[0]) if row[0] else None


def stage_path(conn: sqlite3.Connection, card_id: int) -> list[tuple[date, int]]:
    """The stages a card went through, from its events: (day it entered, stage id), in order."""
    path: list[tuple[date, int]] = []
    for day, stage_id in conn.execute(
        "SELECT actions.day, json_extract(events.after, '$.stage_id') FROM events"
        " JOIN actions ON actions.id = events.action_id"
        " WHERE events.card_id = ? AND events.entity = 'cards' AND events.after IS NOT NULL"
        " ORDER BY events.id",
        [card_id],
    ):
        if not path or path[-1][1] != stage_id:
            path.append((date.fromisoformat(day), stage_id))
    return path
