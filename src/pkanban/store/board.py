"""Read queries over a board: settings, stages, lanes, cards, counts, best-by.

Everything here asks SQLite for just what is needed (counts, one percentile row, a window of
cards) so the board stays fast however large the archive grows.
"""

import json
import sqlite3
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from pkanban.domain.bestby import BestBy, best_by, nearest_rank_position
from pkanban.domain.errors import NotFound
from pkanban.domain.models import Card, Lane, Settings, Stage, Touch, validated_settings
from pkanban.domain.rules import Wip, counts_toward

CARD_DATE_COLUMNS = (
    "created",
    "entered_stage",
    "last_touch",
    "next_due",
    "snoozed_until",
    "closed",
    "pulled",
    "close_by",
)


def settings(conn: sqlite3.Connection) -> Settings:
    return Settings.from_stored(_stored_settings(conn))


def store_checked_settings(conn: sqlite3.Connection) -> Settings:
    """Validate the stored settings and store them as checked (`"5"` becomes 5): for a board
    restored from a dump, which pkanban did not write."""
    checked = validated_settings(_stored_settings(conn))
    conn.execute(
        "UPDATE board_meta SET value = ? WHERE key = 'settings'", [json.dumps(checked.as_json())]
    )
    return checked


def _stored_settings(conn: sqlite3.Connection) -> dict:
    row = conn.execute("SELECT value FROM board_meta WHERE key = 'settings'").fetchone()
    return json.loads(row[0]) if row else {}


def meta_text(conn: sqlite3.Connection, key: str) -> str | None:
    """A `board_meta` value as stored (JSON text), None when the key is unset."""
    row = conn.execute("SELECT value FROM board_meta WHERE key = ?", [key]).fetchone()
    return None if row is None else row[0]


_LAYOUT_TABLES = {"stages": "stages", "lanes": "lanes"}


def ids_in_order(conn: sqlite3.Connection, table: Literal["stages", "lanes"]) -> list[int]:
    """The ids of every stage (or lane) in board order."""
    sql = f"SELECT id FROM {_LAYOUT_TABLES[table]} ORDER BY position, id"
    return [row[0] for row in conn.execute(sql)]


def id_named(conn: sqlite3.Connection, table: Literal["stages", "lanes"], name: str) -> int | None:
    """The stage (or lane) called `name`, in any case — None when there is none."""
    sql = f"SELECT id FROM {_LAYOUT_TABLES[table]} WHERE name = ? COLLATE NOCASE"
    row = conn.execute(sql, [name]).fetchone()
    return None if row is None else row[0]


def board_id(conn: sqlite3.Connection) -> str | None:
    """The board's random id (store/schema.py `ensure_board_id`), None on a board without one."""
    row = conn.execute("SELECT value FROM board_meta WHERE key = 'board_id'").fetchone()
    value = json.loads(row[0]) if row else None
    return value if isinstance(value, str) else None


def stages(conn: sqlite3.Connection) -> list[Stage]:
    return [Stage(**row) for row in _rows(conn, "SELECT * FROM stages ORDER BY position, id")]


def lanes(conn: sqlite3.Connection) -> list[Lane]:
    return [Lane(**row) for row in _rows(conn, "SELECT * FROM lanes ORDER BY position, id")]


def find_stage(conn: sqlite3.Connection, name: str) -> Stage:
    """The stage called `name` (any case), or a NotFound listing the stages there are."""
    for stage in stages(conn):
        if stage.name.casefold() == name.strip().casefold():
            return stage
    names = ", ".join(stage.name for stage in stages(conn))
    raise NotFound(f'No stage "{name}" — stages are: {names}')


def find_lane(conn: sqlite3.Connection, name: str) -> Lane:
    for lane in lanes(conn):
        if lane.name.casefold() == name.strip().casefold():
            return lane
    names = ", ".join(lane.name for lane in lanes(conn))
    raise NotFound(f'No lane "{name}" — lanes are: {names}')


def card(conn: sqlite3.Connection, card_id: int) -> Card:
    rows = _rows(conn, "SELECT * FROM cards WHERE id = ?", [card_id])
    if not rows:
        raise NotFound(
            f"No card #{card_id} — `pkanban ls` lists the open cards with their ids",
            in_app=f"No card #{card_id} — it is no longer on the board",
        )
    return card_from_row(rows[0])


_CARD_COLUMN_TYPES = {
    "id": (int,),
    "title": (str,),
    "value": (int, type(None)),
    "probability": (int, float, type(None)),
    "lane_id": (int,),
    "stage_id": (int,),
    "position": (int, float),
    "touch_count": (int,),
    "version": (int,),
    "external_id": (str, type(None)),
}


def check_card_row(row: dict) -> Card:
    """`card_from_row` for rows from outside (a JSON dump): every column's type is checked
    first, so a damaged file is refused rather than read as a wrong card."""
    for column, types in _CARD_COLUMN_TYPES.items():
        if not isinstance(row.get(column), types) or isinstance(row.get(column), bool):
            raise ValueError(f"card {row.get('id')}: {column} {row.get(column)!r} is not valid")
    card = card_from_row(row)
    if card.disposition not in ("open", "won", "lost", "cleared"):
        raise ValueError(f"card {card.id}: disposition {card.disposition!r} is not valid")
    return card


def card_from_row(row: dict) -> Card:
    return _card(dict(row))


def _card(values: dict) -> Card:
    """A card from its row's columns by name (`values` is consumed). Most cards carry no tags
    and no checklist answers, and those need no JSON parse."""
    tags, checklist = values["tags"], values["checklist"]
    values["tags"] = () if tags == "[]" else tuple(json.loads(tags))
    values["checklist"] = {} if checklist == "{}" else json.loads(checklist)
    for column in CARD_DATE_COLUMNS:
        if values[column] is not None:
            values[column] = date.fromisoformat(values[column])
    return Card(**values)


_BOARD_ORDER = (
    "ORDER BY cards.disposition != 'open', lanes.position, stages.position, cards.position,"
    " cards.id"
)


def cards(
    conn: sqlite3.Connection,
    *,
    stage_id: int | None = None,
    lane_id: int | None = None,
    include_closed: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[Card]:
    """Cards in board order (lane, stage, position); open only unless `include_closed`."""
    where, params = _filters(stage_id, lane_id, include_closed)
    sql = (
        "SELECT cards.* FROM cards JOIN stages ON stages.id = cards.stage_id"
        f" JOIN lanes ON lanes.id = cards.lane_id WHERE {where} {_BOARD_ORDER}"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)} OFFSET {int(offset)}"
    return cards_from(conn.execute(sql, params))


def cards_with_next_step_date(conn: sqlite3.Connection) -> list[Card]:
    """Open cards that have a next step date, soonest first (the calendar's follow-ups)."""
    return cards_from(
        conn.execute(
            "SELECT * FROM cards WHERE disposition = 'open' AND next_due IS NOT NULL"
            " ORDER BY next_due, id"
        )
    )


def cards_from(cursor: sqlite3.Cursor) -> list[Card]:
    """The cards of a `SELECT cards.* …` cursor, in its order."""
    names = _names(cursor)
    return [_card(dict(zip(names, row, strict=True))) for row in cursor]


def card_lines(
    conn: sqlite3.Connection,
    *,
    stage_id: int | None = None,
    lane_id: int | None = None,
    include_closed: bool = False,
) -> list[tuple]:
    """What a card list shows, in board order, as plain rows: (id, title, lane name, stage
    name, stage shelf life, value, created, entered_stage, closed, disposition, touch_count,
    next_due, blocked_reason), dates as ISO text. Listing ten thousand cards builds no `Card`."""
    where, params = _filters(stage_id, lane_id, include_closed)
    return conn.execute(
        "SELECT cards.id, cards.title, lanes.name, stages.name, stages.shelf_life_days,"
        " cards.value, cards.created, cards.entered_stage, cards.closed, cards.disposition,"
        " cards.touch_count, cards.next_due, cards.blocked_reason"
        " FROM cards JOIN stages ON stages.id = cards.stage_id"
        f" JOIN lanes ON lanes.id = cards.lane_id WHERE {where} {_BOARD_ORDER}",
        params,
    ).fetchall()


def count_open(
    conn: sqlite3.Connection,
    *,
    stage_id: int | None = None,
    lane_id: int | None = None,
    active_only: bool = False,
    excluding: int | None = None,
) -> int:
    """Open cards (in a stage, a lane); `active_only` keeps those that count toward their
    lane's limit (`domain.rules.counts_toward`)."""
    where, params = _filters(stage_id, lane_id, include_closed=False)
    if active_only:
        counted = [stage.id for stage in stages(conn) if counts_toward(stage, "lane")]
        where += f" AND stage_id IN ({', '.join('?' * len(counted))})"
        params.extend(counted)
    if excluding is not None:
        where += " AND cards.id != ?"
        params.append(excluding)
    return conn.execute(f"SELECT count(*) FROM cards WHERE {where}", params).fetchone()[0]


def count_toward_limit(
    conn: sqlite3.Connection,
    what: Literal["stage", "lane"],
    place_id: int,
    *,
    excluding: int | None = None,
) -> int:
    """The open cards that use the WIP of stage or lane `place_id` — by the domain's rule,
    `counts_toward` — leaving out card `excluding` (the one being moved)."""
    if what == "stage":
        return count_open(conn, stage_id=place_id, excluding=excluding)
    return count_open(conn, lane_id=place_id, active_only=True, excluding=excluding)


def wip_now(conn: sqlite3.Connection) -> list[Wip]:
    """Every stage's, then every lane's, open cards counting toward its limit."""
    by_stage, by_lane = open_counts(conn)
    return [
        *(Wip(s.name, "stage", by_stage.get(s.id, 0), s.wip_limit) for s in stages(conn)),
        *(Wip(lane.name, "lane", by_lane.get(lane.id, 0), lane.wip_limit) for lane in lanes(conn)),
    ]


def open_counts(conn: sqlite3.Connection) -> tuple[dict[int, int], dict[int, int]]:
    """`count_toward_limit` for every stage, and for every lane, from one count per cell."""
    by_id = {stage.id: stage for stage in stages(conn)}
    by_stage: dict[int, int] = {}
    by_lane: dict[int, int] = {}
    for stage_id, lane_id, count in conn.execute(
        "SELECT stage_id, lane_id, count(*) FROM cards WHERE disposition = 'open'"
        " GROUP BY stage_id, lane_id"
    ):
        stage = by_id[stage_id]
        if counts_toward(stage, "stage"):
            by_stage[stage_id] = by_stage.get(stage_id, 0) + count
        if counts_toward(stage, "lane"):
            by_lane[lane_id] = by_lane.get(lane_id, 0) + count
    return by_stage, by_lane


def last_positions(conn: sqlite3.Connection) -> dict[tuple[int, int], float]:
    """The last open card's position in every non-empty (stage_id, lane_id) cell."""
    return {
        (stage_id, lane_id): top or 0
        for stage_id, lane_id, top in conn.execute(
            "SELECT stage_id, lane_id, max(position) FROM cards WHERE disposition = 'open'"
            " GROUP BY stage_id, lane_id"
        )
    }


def next_position(conn: sqlite3.Connection, stage_id: int, lane_id: int) -> float:
    row = conn.execute(
        "SELECT max(position) FROM cards WHERE disposition = 'open' AND stage_id = ?"
        " AND lane_id = ?",
        [stage_id, lane_id],
    ).fetchone()
    return (row[0] or 0) + 1


def disposition_counts(conn: sqlite3.Connection) -> dict[str, int]:
    counts = dict.fromkeys(("open", "won", "lost", "cleared"), 0)
    for disposition, count in conn.execute(
        "SELECT disposition, count(*) FROM cards GROUP BY disposition"
    ):
        counts[disposition] = count
    return counts


def board_best_by(conn: sqlite3.Connection, board_settings: Settings) -> BestBy:
    """Best-by from the won archive's days-to-close tally (one row per number of days; a won
    card always has a close day): the wins, then the days at the percentile's rank."""
    wins = conn.execute("SELECT coalesce(sum(cards), 0) FROM won_days_tally").fetchone()[0]
    at_rank = None
    if wins >= board_settings.best_by_min_wins:
        rank = nearest_rank_position(wins, board_settings.best_by_percentile)
        at_rank = conn.execute(
            "SELECT days FROM (SELECT days, sum(cards) OVER (ORDER BY days) AS reached"
            " FROM won_days_tally) WHERE reached >= ? ORDER BY days LIMIT 1",
            [rank],
        ).fetchone()[0]
    return best_by(
        at_rank,
        wins,
        board_settings.best_by_percentile,
        board_settings.best_by_fallback_days,
        board_settings.best_by_min_wins,
    )


def count_past_best_by(conn: sqlite3.Connection, today: date, best_by_days: int) -> int:
    cutoff = (today - timedelta(days=best_by_days)).isoformat()
    return conn.execute(
        "SELECT count(*) FROM cards WHERE disposition = 'open' AND created < ?", [cutoff]
    ).fetchone()[0]


def count_expected_to_close(conn: sqlite3.Connection, first: date, last: date) -> int:
    """Open cards whose expected close date falls in `first`..`last` (both included)."""
    return conn.execute(
        "SELECT count(*) FROM cards WHERE disposition = 'open' AND close_by BETWEEN ? AND ?",
        [first.isoformat(), last.isoformat()],
    ).fetchone()[0]


def touches(conn: sqlite3.Connection, card_id: int) -> list[Touch]:
    sql = "SELECT * FROM touches WHERE card_id = ? ORDER BY day, id"
    return [
        Touch(**{**row, "day": date.fromisoformat(row["day"])})
        for row in _rows(conn, sql, [card_id])
    ]


def history(conn: sqlite3.Connection, card_id: int | None = None, limit: int = 50) -> list[dict]:
    """Newest-first actions (optionally only those touching one card, the import that created
    it included: a `card_range` event, store/tables.py)."""
    if card_id is None:
        action_rows = _rows(conn, "SELECT * FROM actions ORDER BY id DESC LIMIT ?", [limit])
    else:
        action_rows = _rows(
            conn,
            "SELECT * FROM actions WHERE id IN (SELECT action_id FROM events WHERE card_id = ?"
            " UNION SELECT events.action_id FROM actions AS imports"
            " CROSS JOIN events ON events.action_id = imports.id"
            " WHERE imports.kind = 'imported' AND events.entity = 'card_range'"
            " AND ? BETWEEN events.entity_id AND json_extract(events.after, '$.last'))"
            " ORDER BY id DESC LIMIT ?",
            [card_id, card_id, limit],
        )
    for action in action_rows:
        action["undone"] = (
            conn.execute("SELECT 1 FROM actions WHERE undo_of = ?", [action["id"]]).fetchone()
            is not None
        )
    return action_rows


@dataclass(frozen=True)
class CardMatch:
    """Which open cards a board filter keeps: each word must appear in the title, account,
    contact, email, next step or source (any case, for ASCII letters), each tag must be on the
    card, and each of `accounts` must appear in its account."""

    words: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    accounts: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.words or self.tags or self.accounts)

    def sql(self) -> tuple[str, list]:
        """An `AND …` clause over `cards` (empty when the filter keeps everything)."""
        clauses, params = [], []
        any_column = " OR ".join(f"cards.{column} LIKE ? ESCAPE '\\'" for column in _SEARCHED)
        for word in self.words:
            clauses.append(f"({any_column})")
            params.extend([_like_pattern(word)] * len(_SEARCHED))
        for tag in self.tags:
            clauses.append(
                "EXISTS (SELECT 1 FROM json_each(cards.tags)"
                " WHERE json_each.value = ? COLLATE NOCASE)"
            )
            params.append(tag)
        for account in self.accounts:
            clauses.append("cards.account LIKE ? ESCAPE '\\'")
            params.append(_like_pattern(account))
        return "".join(f" AND {clause}" for clause in clauses), params


def _like_pattern(word: str) -> str:
    """`%word%` with LIKE's own wildcards escaped, so `100%` or `a_b` match literally."""
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


_SEARCHED = ("title", "account", "contact_name", "email", "next_step", "source")


@dataclass(frozen=True)
class CellTotals:
    """Open cards in one stage × lane cell: how many, their value, and their value weighted by
    win probability (the card's own, else the stage's; None when neither is set)."""

    count: int
    value: int
    weighted: float | None
    unvalued: int = 0  # cards with no value: left out of `value`, never counted as 0


def cell_totals(
    conn: sqlite3.Connection,
    match: CardMatch | None = None,
    cells: set[tuple[int, int]] | None = None,
) -> dict[tuple[int, int], CellTotals]:
    """Totals for every non-empty (stage_id, lane_id) cell in one GROUP BY over open cards —
    or, with `cells`, for just those cells (each read through the `cards_open_cell` index)."""
    where, params = (match or CardMatch()).sql()
    sql = (
        "SELECT cards.stage_id, cards.lane_id, count(*), coalesce(sum(cards.value), 0),"
        " sum(cards.value * coalesce(cards.probability, stages.probability)),"
        " count(*) - count(cards.value)"
        " FROM cards JOIN stages ON stages.id = cards.stage_id"
        f" WHERE cards.disposition = 'open'{where}"
    )
    if cells is None:
        # Read in the open cells' index order: no sort for the GROUP BY (SQLite's own choice,
        # the `disposition` index then a temporary B-tree, took twice as long at 10,000 open).
        whole = sql.replace("FROM cards JOIN", "FROM cards INDEXED BY cards_open_cell JOIN", 1)
        queries = [(whole + " GROUP BY cards.stage_id, cards.lane_id", params)]
    else:
        cell_sql = sql + " AND cards.stage_id = ? AND cards.lane_id = ?"
        queries = [(cell_sql, [*params, stage_id, lane_id]) for stage_id, lane_id in cells]
    return {
        (stage_id, lane_id): CellTotals(count, value, weighted, unvalued)
        for query, values in queries
        for stage_id, lane_id, count, value, weighted, unvalued in conn.execute(query, values)
        if count
    }


def cell_cards(
    conn: sqlite3.Connection,
    stage_id: int,
    lane_id: int,
    *,
    limit: int,
    offset: int = 0,
    match: CardMatch | None = None,
) -> list[Card]:
    """A window of one cell's open cards in board order (position, id), read through the
    `cards_open_cell` index so a cell of thousands costs no more than the rows shown."""
    where, params = (match or CardMatch()).sql()
    sql = (
        "SELECT * FROM cards WHERE disposition = 'open' AND stage_id = ? AND lane_id = ?"
        f"{where} ORDER BY position, id LIMIT ? OFFSET ?"
    )
    return cards_from(
        conn.execute(sql, [stage_id, lane_id, *params, max(0, limit), max(0, offset)])
    )


def cell_index(conn: sqlite3.Connection, card: Card, match: CardMatch | None = None) -> int:
    """How many open cards come before `card` in its cell (its 0-based place in `cell_cards`)."""
    where, params = (match or CardMatch()).sql()
    sql = (
        "SELECT count(*) FROM cards WHERE disposition = 'open' AND stage_id = ? AND lane_id = ?"
        f" AND (position < ? OR (position = ? AND id < ?)){where}"
    )
    values = [card.stage_id, card.lane_id, card.position, card.position, card.id, *params]
    return conn.execute(sql, values).fetchone()[0]


def cards_of_last_action(conn: sqlite3.Connection) -> list[int]:
    """The ids of the cards the newest action changed that the board still holds (an undo
    selects the card it restored; the undo of an add restored none, it took the card away)."""
    sql = (
        "SELECT DISTINCT entity_id FROM events WHERE entity = 'cards'"
        " AND action_id = (SELECT max(id) FROM actions)"
        " AND entity_id IN (SELECT id FROM cards) ORDER BY entity_id"
    )
    return [row[0] for row in conn.execute(sql)]


def has_history(conn: sqlite3.Connection) -> bool:
    """Whether the board has ever held a card (open or archived): an empty board is a first run."""
    return conn.execute("SELECT 1 FROM cards LIMIT 1").fetchone() is not None


def _filters(stage_id: int | None, lane_id: int | None, include_closed: bool) -> tuple[str, list]:
    clauses, params = ["1"], []
    if not include_closed:
        clauses.append("cards.disposition = 'open'")
    if stage_id is not None:
        clauses.append("cards.stage_id = ?")
        params.append(stage_id)
    if lane_id is not None:
        clauses.append("cards.lane_id = ?")
        params.append(lane_id)
    return " AND ".join(clauses), params


def _rows(conn: sqlite3.Connection, sql: str, params: list | None = None) -> list[dict]:
    cursor = conn.execute(sql, params or [])
    names = _names(cursor)
    return [dict(zip(names, row, strict=True)) for row in cursor]


def _names(cursor: sqlite3.Cursor) -> list[str]:
    """The cursor's column names, interned: a dataclass built with `**row` then matches each
    keyword by identity instead of comparing strings (twice as fast for a 29-field `Card`)."""
    return [sys.intern(column[0]) for column in cursor.description]
