"""Aggregate queries behind the flow metrics: SQLite counts, groups and single-row percentile
lookups, so a board with a million archived cards is summarised without loading it. What is
counted per close day comes from the archive's tallies (store/schema.py, kept in step with the
cards by triggers), so those figures cost the days of the period, not its cards.

A period is `since`..`until` inclusive on the day a card was closed (`since` None: from the
start). Weeks are ISO weeks keyed by their Monday: `date(d, 'weekday 0', '-6 days')` moves any
day to the Sunday ending its week, then back to that week's Monday.
"""

import sqlite3
from collections.abc import Sequence
from datetime import date

from pkanban.store.schema import CLOSED_EARLY, DAYS_TO_CLOSE

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


def _period(since: date | None, until: date) -> tuple[str, list]:
    """The period's condition on `closed`."""
    if since is None:
        return "closed <= ?", [until.isoformat()]
    return "closed BETWEEN ? AND ?", [since.isoformat(), until.isoformat()]


def closed_per_week(
    conn: sqlite3.Connection, since: date | None, until: date
) -> list[tuple[date, str, int]]:
    """(Monday, disposition, cards closed that week) in the period, off the close-day tally."""
    where, params = _period(since, until)
    rows = conn.execute(
        f"SELECT {week_of('closed')} AS week, disposition, sum(cards) FROM closed_tally"
        f" WHERE {where} GROUP BY week, disposition",
        params,
    )
    return [(date.fromisoformat(week), disposition, count) for week, disposition, count in rows]


def first_closed(conn: sqlite3.Connection) -> date | None:
    """The earliest close date in the archive (where an all-time chart starts)."""
    row = conn.execute("SELECT min(closed) FROM closed_tally").fetchone()
    return date.fromisoformat(row[0]) if row[0] else None


def days_to_close_histogram(
    conn: sqlite3.Connection, since: date | None, until: date
) -> list[tuple[int, int]]:
    """(days from created to won, wins) in the period, ascending: percentiles are read off this
    by rank. When the period holds every win, the all-time tally (one row per number of days)
    answers alone; otherwise the per-close-day one."""
    first, last = conn.execute("SELECT min(closed), max(closed) FROM won_tally").fetchone()
    if first is None or (
        (since is None or since.isoformat() <= first) and until.isoformat() >= last
    ):
        return conn.execute("SELECT days, cards FROM won_days_tally ORDER BY days").fetchall()
    where, params = _period(since, until)
    return conn.execute(
        f"SELECT days, sum(cards) FROM won_tally WHERE {where} GROUP BY days ORDER BY days",
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
    `lane_ids`, off the close-day tally."""
    where, params = _period(since, until)
    found = {
        (lane_id, disposition): (cards, touches)
        for lane_id, disposition, cards, touches in conn.execute(
            "SELECT lane_id, disposition, sum(cards), sum(touches) FROM closed_tally"
            f" WHERE disposition IN ('won', 'lost') AND {where} GROUP BY lane_id, disposition",
            params,
        )
    }
    return {
        (lane_id, kind): found.get((lane_id, kind), (0, 0))
        for lane_id in lane_ids
        for kind in ("won", "lost")
    }


def lost_reasons(
    conn: sqlite3.Connection, since: date | None, until: date
) -> list[tuple[str, int]]:
    """(reason as typed, cards) lost in the period; the caller merges case and spacing."""
    where, params = _period(since, until)
    return conn.execute(
        f"SELECT lost_reason, sum(cards) FROM reason_tally WHERE disposition = 'lost' AND {where}"
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
        "SELECT substr(closed, 1, 7) AS month, trim(lost_reason) AS reason, sum(cards),"
        " sum(value) FROM reason_tally"
        f" WHERE disposition = 'cleared' AND {where}"
        " GROUP BY month, reason ORDER BY month, sum(cards) DESC, reason",
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
    period (pulled, else added) and have been touched since, off the arrival-day tally."""
    arrived = ["arrived <= ?"]
    params: list = [until.isoformat()]
    if since is not None:
        arrived.append("arrived >= ?")
        params.append(since.isoformat())
    return conn.execute(
        f"SELECT days, sum(cards) FROM lead_tally WHERE {' AND '.join(arrived)}"
        " GROUP BY days ORDER BY days",
        params,
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
    current stage, then the few that moved are corrected. A closed card adds +1 on the day it
    arrived in the window and -1 on the day it closed, both counted off the tallies: the cards
    closed since the window's start that were created before it arrive on its first day, the
    others on their created day (and the rare card closed before its creation is read
    directly: it counts only when created by the window's end, as in the full scan).
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
            SELECT closed, stage_id, -sum(cards) FROM closed_tally
            WHERE closed BETWEEN :start AND :end GROUP BY closed, stage_id
            UNION ALL
            SELECT :start, stage_id, sum(cards) FROM closed_tally
            WHERE closed >= :start GROUP BY stage_id
            UNION ALL
            SELECT :start, stage_id, -sum(cards) FROM opened_tally
            WHERE created >= :start GROUP BY stage_id
            UNION ALL
            SELECT created, stage_id, sum(cards) FROM opened_tally
            WHERE created BETWEEN :start AND :end GROUP BY created, stage_id
            UNION ALL
            SELECT :start, stage_id, -count(*) FROM cards INDEXED BY cards_closed_early
            WHERE {CLOSED_EARLY} AND closed >= :start GROUP BY stage_id
            UNION ALL
            SELECT max(created, :start), stage_id, count(*) FROM cards INDEXED BY cards_closed_early
            WHERE {CLOSED_EARLY} AND closed >= :start AND created <= :end
            GROUP BY max(created, :start), stage_id
            UNION ALL
            SELECT closed, stage_id, count(*) FROM cards INDEXED BY cards_closed_early
            WHERE {CLOSED_EARLY} AND closed BETWEEN :start AND :end AND created > :end
            GROUP BY closed, stage_id
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
