"""Clearance queries: candidate cards found by date thresholds in SQL, never by loading the board.

The SQL here selects exactly the cards the domain rules (`domain/clearance.py`) flag; the
domain then names the rules for each card. Dates are ISO text, so they compare as strings.
"""

import json
import sqlite3
from datetime import date, timedelta

from pkanban.domain.clearance import YEARLY_SUMMARY_PREFIX, AccountFigures
from pkanban.domain.models import Card, Settings
from pkanban.store.board import cards_from

CLEARED_KIND = "cleared"
# A card's account as the clearance groups it (domain.clearance.account_name): stored text is
# already trimmed, so the title stands in for a missing account as it is.
ACCOUNT = "(CASE WHEN cards.account != '' THEN cards.account ELSE cards.title END)"
WON_WINDOW_DAYS = 365


def account_figures(conn: sqlite3.Connection, today: date) -> list[AccountFigures]:
    """Worth and effort of every account that has open cards, by its exact name (the domain
    merges spellings): one GROUP BY over open cards and the wins of the last 12 months."""
    since = (today - timedelta(days=WON_WINDOW_DAYS)).isoformat()
    rows = conn.execute(
        f"SELECT {ACCOUNT} AS name,"
        " sum(cards.disposition = 'open'),"
        " coalesce(sum(CASE WHEN cards.disposition = 'open' THEN cards.value END), 0),"
        " sum(cards.disposition = 'open' AND cards.value IS NULL),"
        " coalesce(sum(CASE WHEN cards.disposition = 'open' THEN cards.touch_count END), 0),"
        " coalesce(sum(CASE WHEN cards.disposition = 'won' THEN cards.value END), 0),"
        " sum(cards.disposition = 'won')"
        " FROM cards WHERE cards.disposition = 'open'"
        " OR (cards.disposition = 'won' AND cards.closed > ? AND cards.closed <= ?)"
        " GROUP BY name",
        [since, today.isoformat()],
    )
    return [AccountFigures(*row) for row in rows]


def _conditions(
    today: date,
    best_by_days: int,
    settings: Settings,
    rules: tuple[str, ...],
    account_names: list[str] | None,
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
    if "low-value-account" in rules and account_names:
        clauses.append(f"{ACCOUNT} IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(account_names))
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
    account_names: list[str] | None,
) -> list[Card]:
    """Open, unsnoozed cards some of `rules` flag, in board order (lane, stage, oldest first)."""
    where, params = _conditions(today, best_by_days, settings, rules, account_names)
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
    account_names: list[str] | None,
) -> int:
    where, params = _conditions(today, best_by_days, settings, rules, account_names)
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
