"""Aggregate queries behind the flow metrics: SQLite counts, groups and single-row percentile
lookups, so a board with a hundred thousand archived cards is summarised without loading it.

A period is `since`..`until` inclusive on the day a card was closed (`since` None: from the
start). Weeks are ISO weeks keyed by their Monday: `date(d, 'weekday 0', '-6 days')` moves any
day to the Sunday ending its week, then back to that week's Monday.
"""

import sqlite3
from collections.abc import Sequence
from datetime import date

from pkanban.store.schema import DAYS_TO_CLOSE

CLOSED = ("won", "lost", "cleared")
# Actions that never change a card's stage (services/cards.py, services/pipeline.py): their
# events — most of a board's history, touches above all — are not parsed for moves.
STILL_KINDS = ", ".join(
    f"'{kind}'"
    for kind in (
        "touched",
        "next step",
        "checked",
        "edited",
        "snoozed",
        "blocked",
        "unblocked",
        "noted",
        "note edited",
    )
)
ARRIVAL = "coalesce(cards.pulled, cards.created)"


def week_of(column: str) -> str:
    """SQL for the Monday of `column`'s ISO week."""
    return f"date({column}, 'weekday 0', '-6 days')"


def _period(since: date | None, until: date, *, scan: bool = False) -> tuple[str, list]:
    """The period's condition on `closed`. `scan` keeps SQLite off the `cards_closed` index
    (a unary `+`): for a query that reads columns outside the index anyway, one pass over the
    table is faster than an index hop per archived card."""
    column = "+closed" if scan else "closed"
    if since is None:
        return f"{column} <= ?", [until.isoformat()]
    return f"{column} BETWEEN ? AND ?", [since.isoformat(), until.isoformat()]


def closed_per_week(
    conn: sqlite3.Connection, since: date | None, until: date
) -> list[tuple[date, str, int]]:
    """(Monday, disposition, cards closed that week) in the period: the days are counted off
    the `cards_closed` index first, so only one row per day is moved to its week."""
    where, params = _period(since, until)
    rows = conn.execute(
        f"SELECT {week_of('closed')} AS week, disposition, sum(cards) FROM ("
        " SELECT closed, disposition, count(*) AS cards FROM cards"
        f" WHERE disposition IN ('won', 'lost', 'cleared') AND {where}"
        " GROUP BY disposition, closed"
        ") GROUP BY week, disposition",
        params,
    )
    return [(date.fromisoformat(week), disposition, count) for week, disposition, count in rows]


def first_closed(conn: sqlite3.Connection) -> date | None:
    """The earliest close date in the archive (where an all-time chart starts)."""
    row = conn.execute(
        "SELECT min(closed) FROM cards WHERE disposition IN ('won', 'lost', 'cleared')"
    ).fetchone()
    return date.fromisoformat(row[0]) if row[0] else None


def days_to_close_histogram(
    conn: sqlite3.Connection, since: date | None, until: date
) -> list[tuple[int, int]]:
    """(days from created to won, wins) in the period, ascending: percentiles are read off this
    by rank. When the period holds every win, the `cards_days_to_close` index answers alone."""
    first, last = conn.execute(
        "SELECT min(closed), max(closed) FROM cards WHERE disposition = 'won'"
    ).fetchone()
    where: str = "1"
    params: list[object] = []
    if first is not None and (
        (since is not None and since.isoformat() > first) or until.isoformat() < last
    ):
        where, params = _period(since, until)
    return conn.execute(
        f"SELECT {DAYS_TO_CLOSE} AS days, count(*) FROM cards"
        f" WHERE disposition = 'won' AND {where} GROUP BY days ORDER BY days",
        params,
    ).fetchall()


def recent_wins(
    conn: sqlite3.Connection, since: date | None, until: date, limit: int
) -> list[tuple[int, date, int]]:
    """(id, closed, days to close) of the period's most recent `limit` wins, oldest first —
    the scatter's points (a chart cannot show more dots than that anyway)."""
    where, params = _period(since, until)
    rows = conn.execute(
        f"SELECT id, closed, {DAYS_TO_CLOSE} FROM cards WHERE disposition = 'won' AND {where}"
        " ORDER BY closed DESC, id DESC LIMIT ?",
        [*params, limit],
    ).fetchall()
    return [(card_id, date.fromisoformat(closed), days) for card_id, closed, days in reversed(rows)]


def decided_by_lane(
    conn: sqlite3.Connection, since: date | None, until: date, lane_ids: Sequence[int]
) -> dict[tuple[int, str], tuple[int, int]]:
    """(cards, total touches) per (lane id, won|lost) decided in the period, for each of
    `lane_ids`: filtered sums in one pass over the table, so the archive is never sorted."""
    keys = [(lane_id, kind) for lane_id in lane_ids for kind in ("won", "lost")]
    if not keys:
        return {}
    where, params = _period(since, until, scan=True)
    sums = ", ".join(
        f"count(*) FILTER (WHERE {match}), total(touch_count) FILTER (WHERE {match})"
        for match in ["lane_id = ? AND disposition = ?"] * len(keys)
    )
    row = conn.execute(
        f"SELECT {sums} FROM cards WHERE +disposition IN ('won', 'lost') AND {where}",
        [*(value for key in keys for value in (*key, *key)), *params],
    ).fetchone()
    return {key: (row[2 * n], int(row[2 * n + 1])) for n, key in enumerate(keys)}


def lost_reasons(
    conn: sqlite3.Connection, since: date | None, until: date
) -> list[tuple[str, int]]:
    """(reason as typed, cards) lost in the period; the caller merges case and spacing."""
    where, params = _period(since, until, scan=True)
    return conn.execute(
        f"SELECT lost_reason, count(*) FROM cards WHERE +disposition = 'lost' AND {where}"
        " GROUP BY lost_reason",
        params,
    ).fetchall()


def cleared_per_month(
    conn: sqlite3.Connection, since: date | None, until: date
) -> list[tuple[str, str, int, int]]:
    """(month, reason, cards, value) cleared in the period; clearance records the rule(s)
    that flagged a card in its `lost_reason`."""
    where, params = _period(since, until)
    return conn.execute(
        "SELECT substr(closed, 1, 7) AS month, trim(lost_reason) AS reason, count(*),"
        " coalesce(sum(value), 0) FROM cards"
        f" WHERE disposition = 'cleared' AND {where}"
        " GROUP BY month, reason ORDER BY month, count(*) DESC, reason",
        params,
    ).fetchall()


def open_ages(conn: sqlite3.Connection, today: date) -> list[tuple]:
    """(id, title, stage, lane, age in days) of every open card, by stage then oldest first."""
    return conn.execute(
        "SELECT cards.id, cards.title, stages.name, lanes.name,"
        " CAST(julianday(?) - julianday(cards.created) AS INTEGER) AS age"
        " FROM cards JOIN stages ON stages.id = cards.stage_id"
        " JOIN lanes ON lanes.id = cards.lane_id WHERE cards.disposition = 'open'"
        " ORDER BY stages.position, stages.id, age DESC, cards.id",
        [today.isoformat()],
    ).fetchall()


_FIRST_TOUCH = (
    "(SELECT min(touches.day) FROM touches WHERE touches.card_id = cards.id"
    f" AND touches.day >= {ARRIVAL})"
)


def speed_to_lead(
    conn: sqlite3.Connection, since: date | None, until: date
) -> list[tuple[int, int]]:
    """(days from arrival to first touch, leads), ascending, for leads that arrived in the
    period (pulled, else added) and have been touched since."""
    arrived = [f"{ARRIVAL} <= ?"]
    params: list = [until.isoformat()]
    if since is not None:
        arrived.append(f"{ARRIVAL} >= ?")
        params.append(since.isoformat())
    first_touch = (
        f"SELECT CAST(julianday(min(touches.day)) - julianday({ARRIVAL}) AS INTEGER) AS days"
        " FROM cards JOIN touches ON touches.card_id = cards.id"
        f" AND touches.day >= {ARRIVAL} WHERE cards.touch_count > 0 AND {' AND '.join(arrived)}"
        " GROUP BY cards.id"
    )
    return conn.execute(
        f"SELECT days, count(*) FROM ({first_touch}) GROUP BY days ORDER BY days", params
    ).fetchall()


def waiting_for_first_touch(
    conn: sqlite3.Connection, today: date, limit: int
) -> tuple[int, list[tuple]]:
    """Open cards in active stages not touched since they arrived: how many, and the `limit`
    longest waiting as (id, title, stage, days waiting)."""
    base = (
        "FROM cards JOIN stages ON stages.id = cards.stage_id"
        " WHERE cards.disposition = 'open' AND stages.kind = 'active'"
        f" AND (cards.touch_count = 0 OR {_FIRST_TOUCH} IS NULL)"
    )
    count = conn.execute(f"SELECT count(*) {base}").fetchone()[0]
    rows = conn.execute(
        f"SELECT cards.id, cards.title, stages.name,"
        f" CAST(julianday(?) - julianday({ARRIVAL}) AS INTEGER) AS waiting {base}"
        " ORDER BY waiting DESC, cards.id LIMIT ?",
        [today.isoformat(), limit],
    ).fetchall()
    return count, rows


def stage_changes_per_week(
    conn: sqlite3.Connection, start: date, end: date
) -> dict[tuple[date, int], int]:
    """Change in open cards per (week Monday, stage id) from `start` to `end`; everything open
    on the eve of `start` is counted as arriving in `start`'s week, so running totals give the
    open cards per stage at the end of each week.

    Open spans come from card dates (created → closed), which imports and old boards fill in;
    stage moves come from the events (a `cards` event whose before/after stage differ, dated by
    its action's day). A card's stage on any past day is the stage it left in its first move
    after that day, or its current stage if it has not moved since. So only events on or after
    `start` are read (and not those of actions that never move a card, like touches): the
    history before the window costs nothing. Every card open in the window is counted in its
    current stage, then the few that moved are corrected; a closed card adds +1 and -1 in one
    pass.
    """
    bounds = {"start": start.isoformat(), "end": end.isoformat()}
    sql = f"""
        WITH moves AS MATERIALIZED (
            SELECT events.id AS event_id, events.card_id, actions.day,
                json_extract(events.before, '$.stage_id') AS from_stage,
                json_extract(events.after, '$.stage_id') AS to_stage
            FROM actions CROSS JOIN events ON events.action_id = actions.id
            JOIN cards ON cards.id = events.card_id
            WHERE actions.day >= :start AND actions.kind NOT IN ({STILL_KINDS})
                AND events.entity = 'cards'
                AND events.before IS NOT NULL AND events.after IS NOT NULL
                AND from_stage != to_stage
        ),
        first_move AS MATERIALIZED (
            SELECT card_id, from_stage, min(event_id) FROM moves GROUP BY card_id
        ),
        deltas (day, stage_id, delta) AS (
            SELECT max(created, :start) AS day, stage_id, count(*) FROM cards
            WHERE disposition = 'open' AND created <= :end
            GROUP BY day, stage_id
            UNION ALL
            SELECT CASE sign WHEN 1 THEN max(created, :start) ELSE closed END AS day,
                stage_id, sum(sign)
            FROM cards CROSS JOIN (SELECT 1 AS sign UNION ALL SELECT -1)
            WHERE disposition IN ('won', 'lost', 'cleared') AND closed >= :start
                AND created <= :end AND (sign = 1 OR closed <= :end)
            GROUP BY day, stage_id
            UNION ALL
            SELECT max(cards.created, :start) AS day, cards.stage_id, -count(*)
            FROM first_move JOIN cards ON cards.id = first_move.card_id
            WHERE cards.created <= :end GROUP BY day, cards.stage_id
            UNION ALL
            SELECT max(cards.created, :start) AS day, first_move.from_stage, count(*)
            FROM first_move JOIN cards ON cards.id = first_move.card_id
            WHERE cards.created <= :end GROUP BY day, first_move.from_stage
            UNION ALL
            SELECT day, from_stage, -count(*) FROM moves WHERE day <= :end
            GROUP BY day, from_stage
            UNION ALL
            SELECT day, to_stage, count(*) FROM moves WHERE day <= :end
            GROUP BY day, to_stage
        )
        SELECT {week_of("day")} AS week, stage_id, sum(delta) FROM deltas
        GROUP BY week, stage_id
    """
    return {
        (date.fromisoformat(week), stage_id): total
        for week, stage_id, total in conn.execute(sql, bounds)
    }
