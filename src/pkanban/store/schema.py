"""Schema and forward migrations, versioned in `PRAGMA user_version`.

Each migration takes the database from version N-1 to N inside the caller's transaction; a
file whose version is newer than `SCHEMA_VERSION` is refused before anything is written.
"""

import json
import sqlite3
import uuid
from collections.abc import Callable

from pkanban.domain.models import Settings

APP_MARKER = "pkanban"

DEFAULT_STAGES = (
    # name, kind, wip_limit, shelf_life_days, probability
    ("Leads", "pool", None, None, None),
    ("Contacted", "active", 8, 7, 0.1),
    ("Discovery", "active", 5, 21, 0.25),
    ("Proposal", "active", 4, 14, 0.5),
    ("Negotiation", "active", 3, 14, 0.75),
)
DAYS_TO_CLOSE = "CAST(julianday(closed) - julianday(created) AS INTEGER)"
DEFAULT_LANES = (("Expedite", 1), ("New business", None), ("Accounts", None))


def _create_v1(db: sqlite3.Connection) -> None:
    db.execute("CREATE TABLE board_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute(
        """CREATE TABLE stages (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('pool', 'active')),
            wip_limit INTEGER CHECK (wip_limit IS NULL OR wip_limit >= 0),
            shelf_life_days INTEGER CHECK (shelf_life_days IS NULL OR shelf_life_days >= 1),
            probability REAL CHECK (probability IS NULL OR probability BETWEEN 0 AND 1)
        )"""
    )
    db.execute(
        """CREATE TABLE lanes (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE COLLATE NOCASE,
            position INTEGER NOT NULL,
            wip_limit INTEGER CHECK (wip_limit IS NULL OR wip_limit >= 0)
        )"""
    )
    db.execute(
        """CREATE TABLE cards (
            id INTEGER PRIMARY KEY,
            title TEXT NOT NULL,
            contact_name TEXT NOT NULL DEFAULT '',
            email TEXT NOT NULL DEFAULT '',
            phone TEXT NOT NULL DEFAULT '',
            value INTEGER,
            source TEXT NOT NULL DEFAULT '',
            tags TEXT NOT NULL DEFAULT '[]',
            checklist TEXT NOT NULL DEFAULT '{}',
            probability REAL,
            lane_id INTEGER NOT NULL REFERENCES lanes(id),
            stage_id INTEGER NOT NULL REFERENCES stages(id),
            position REAL NOT NULL DEFAULT 0,
            created TEXT NOT NULL,
            entered_stage TEXT NOT NULL,
            last_touch TEXT,
            touch_count INTEGER NOT NULL DEFAULT 0,
            next_step TEXT NOT NULL DEFAULT '',
            next_due TEXT,
            blocked_reason TEXT NOT NULL DEFAULT '',
            snoozed_until TEXT,
            snooze_reason TEXT NOT NULL DEFAULT '',
            disposition TEXT NOT NULL DEFAULT 'open'
                CHECK (disposition IN ('open', 'won', 'lost', 'cleared')),
            closed TEXT,
            lost_reason TEXT NOT NULL DEFAULT '',
            pulled TEXT,
            external_id TEXT UNIQUE,
            version INTEGER NOT NULL DEFAULT 1
        )"""
    )
    db.execute("CREATE INDEX cards_open_cell ON cards (disposition, stage_id, lane_id, position)")
    db.execute("CREATE INDEX cards_closed ON cards (disposition, closed)")
    db.execute(f"CREATE INDEX cards_days_to_close ON cards (disposition, {DAYS_TO_CLOSE})")
    db.execute(
        """CREATE TABLE touches (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards(id),
            day TEXT NOT NULL,
            kind TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT ''
        )"""
    )
    db.execute("CREATE INDEX touches_card ON touches (card_id, id)")
    db.execute(
        """CREATE TABLE actions (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            day TEXT NOT NULL,
            kind TEXT NOT NULL,
            summary TEXT NOT NULL,
            undo_of INTEGER REFERENCES actions(id)
        )"""
    )
    db.execute("CREATE INDEX actions_undo_of ON actions (undo_of)")
    db.execute(
        """CREATE TABLE events (
            id INTEGER PRIMARY KEY,
            action_id INTEGER NOT NULL REFERENCES actions(id),
            entity TEXT NOT NULL,
            entity_id INTEGER,
            card_id INTEGER,
            before TEXT,
            after TEXT
        )"""
    )
    db.execute("CREATE INDEX events_action ON events (action_id)")
    db.execute("CREATE INDEX events_card ON events (card_id, id)")
    db.execute(
        "INSERT INTO board_meta (key, value) VALUES ('app', ?), ('settings', ?)",
        [APP_MARKER, json.dumps(Settings().as_json())],
    )
    ensure_board_id(db)
    for position, (name, kind, wip, shelf, probability) in enumerate(DEFAULT_STAGES):
        db.execute(
            "INSERT INTO stages (name, position, kind, wip_limit, shelf_life_days, probability)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [name, position, kind, wip, shelf, probability],
        )
    for position, (name, wip) in enumerate(DEFAULT_LANES):
        db.execute(
            "INSERT INTO lanes (name, position, wip_limit) VALUES (?, ?, ?)", [name, position, wip]
        )


# The search index: one FTS5 row per card (rowid = card id) holding all of its searchable text
# — its own fields and every note and touch — so a query's words may match across them ("Ana"
# the contact, "budget freeze" in a touch). sqlite-utils' `enable_fts` indexes one table's
# columns row for row, which cannot do that; these triggers keep the row in step inside the
# same transaction as the change, undo included.
SEARCH_COLUMNS = ("title", "account", "people", "next_step", "reasons", "notes", "touches")
_SEARCH_COLUMNS_V2 = tuple(column for column in SEARCH_COLUMNS if column != "account")
_SEARCH_TRIGGERS = tuple(
    f"{table}_search_{when}"
    for table in ("cards", "notes", "touches")
    for when in ("ai", "au", "ad")
)


def _own_fields(row: str, account: bool) -> list[str]:
    """The card's own searchable text, per index column, as SQL over `row` (c, new …)."""
    return [
        f"{row}.title",
        *([f"{row}.account"] if account else []),
        f"{row}.contact_name || ' ' || {row}.email",
        f"{row}.next_step",
        f"{row}.blocked_reason || ' ' || {row}.lost_reason",
    ]


def _card_search_row(account: bool) -> str:
    return (
        f"SELECT c.id, {', '.join(_own_fields('c', account))},"
        " coalesce((SELECT group_concat(text, char(10)) FROM notes WHERE card_id = c.id), ''),"
        " coalesce((SELECT group_concat(text, char(10)) FROM touches WHERE card_id = c.id), '')"
        " FROM cards c"
    )


def _create_search(db: sqlite3.Connection, *, account: bool) -> None:
    """The index, its triggers and its rows, for a schema with (v3) or without (v2) accounts."""
    columns = SEARCH_COLUMNS if account else _SEARCH_COLUMNS_V2
    names = ", ".join(columns)
    own = _own_fields("new", account)
    indexed = "title, contact_name, email, next_step, blocked_reason, lost_reason"
    indexed += ", account" if account else ""

    def reindex(card: str) -> str:
        return (
            f"DELETE FROM search_fts WHERE rowid = {card};"
            f" INSERT INTO search_fts (rowid, {names}) {_card_search_row(account)}"
            f" WHERE c.id = {card};"
        )

    db.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({names},"
        " tokenize = 'unicode61 remove_diacritics 2')"
    )
    # A new card has no notes or touches yet (they reference it): its own fields are all.
    db.execute(
        "CREATE TRIGGER cards_search_ai AFTER INSERT ON cards BEGIN"
        f" INSERT INTO search_fts (rowid, {names}) VALUES (new.id, {', '.join(own)}, '', '');"
        " END"
    )
    assignments = ", ".join(
        f"{column} = {value}" for column, value in zip(columns, own, strict=False)
    )
    db.execute(
        f"CREATE TRIGGER cards_search_au AFTER UPDATE OF {indexed} ON cards"
        f" BEGIN UPDATE search_fts SET {assignments} WHERE rowid = new.id; END"
    )
    db.execute(
        "CREATE TRIGGER cards_search_ad AFTER DELETE ON cards"
        " BEGIN DELETE FROM search_fts WHERE rowid = old.id; END"
    )
    for table in ("notes", "touches"):
        db.execute(
            f"CREATE TRIGGER {table}_search_ai AFTER INSERT ON {table}"
            f" BEGIN {reindex('new.card_id')} END"
        )
        db.execute(
            f"CREATE TRIGGER {table}_search_au AFTER UPDATE ON {table}"
            f" BEGIN {reindex('old.card_id')} {reindex('new.card_id')} END"
        )
        db.execute(
            f"CREATE TRIGGER {table}_search_ad AFTER DELETE ON {table}"
            f" BEGIN {reindex('old.card_id')} END"
        )
    _rebuild_search(db, account=account)


def _rebuild_search(db: sqlite3.Connection, *, account: bool) -> None:
    names = ", ".join(SEARCH_COLUMNS if account else _SEARCH_COLUMNS_V2)
    db.execute("DELETE FROM search_fts")
    db.execute(f"INSERT INTO search_fts (rowid, {names}) {_card_search_row(account)}")


def rebuild_search(db: sqlite3.Connection) -> None:
    """Index every card from scratch (on the current schema: from the `search_source` view)."""
    db.execute("INSERT INTO search_fts (search_fts) VALUES ('rebuild')")


SEARCH_INSERT_TRIGGER = "cards_search_ai"
SEARCH_DELETE_TRIGGER = "cards_search_bd"


def index_new_cards(db: sqlite3.Connection, first: int, last: int) -> None:
    """Index the new cards `first`…`last` in one statement: what `cards_search_ai` does per
    card, for a bulk insert that set it aside (store/database.py `insert_many`)."""
    db.execute(
        f"INSERT INTO search_fts (rowid, {', '.join(SEARCH_COLUMNS)})"
        f" {_card_search_row(True)} WHERE c.id BETWEEN ? AND ?",
        [first, last],
    )


def _add_notes_and_search(db: sqlite3.Connection) -> None:
    """v2: dated notes on cards, and the full-text index over everything a card holds."""
    db.execute(
        """CREATE TABLE notes (
            id INTEGER PRIMARY KEY,
            card_id INTEGER NOT NULL REFERENCES cards(id),
            day TEXT NOT NULL,
            text TEXT NOT NULL,
            edited TEXT
        )"""
    )
    db.execute("CREATE INDEX notes_card ON notes (card_id, id)")
    _create_search(db, account=False)


def _add_card_account(db: sqlite3.Connection) -> None:
    """v3: a card belongs to an account (the company, DESIGN §2); existing cards have none
    yet. Search finds cards by their account too: the index is made again with it."""
    db.execute("ALTER TABLE cards ADD COLUMN account TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX cards_account ON cards (account COLLATE NOCASE, disposition)")
    for trigger in _SEARCH_TRIGGERS:
        db.execute(f"DROP TRIGGER {trigger}")
    db.execute("DROP TABLE search_fts")
    _create_search(db, account=True)


def _add_close_by(db: sqlite3.Connection) -> None:
    """v4: a card takes an expected close date (an ISO day, or NULL: none expected)."""
    db.execute("ALTER TABLE cards ADD COLUMN close_by TEXT")


# v5: the archive's tallies. Counts of closed cards per close day and per what the metrics
# group by, kept in step with `cards` by triggers inside the same transaction as the change —
# services, undo, restore and imports alike — so the metrics read a few thousand rows instead
# of the whole archive. They are derived: dumps leave them out and `rebuild_tallies` makes
# them again from `cards`. A card is tallied once it is won, lost or cleared with a close day.
# `opened_tally` holds the created day of cards closed on or after it; the rare card closed
# "before" its creation (made with a later --today) is read from `cards` through the small
# `cards_closed_early` index instead.
_TALLIES: dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...], str]] = {
    # table: ((key column, its value from a card row `r`), ...), ((sum column, per card), ...),
    # which closed cards count
    "closed_tally": (
        (
            ("closed", "r.closed"),
            ("disposition", "r.disposition"),
            ("lane_id", "r.lane_id"),
            ("stage_id", "r.stage_id"),
        ),
        (("cards", "1"), ("touches", "r.touch_count")),
        "1",
    ),
    "reason_tally": (
        (
            ("closed", "r.closed"),
            ("disposition", "r.disposition"),
            ("lost_reason", "r.lost_reason"),
        ),
        (("cards", "1"), ("value", "coalesce(r.value, 0)")),
        "r.disposition IN ('lost', 'cleared')",
    ),
    "won_tally": (
        (
            ("closed", "r.closed"),
            ("days", "CAST(julianday(r.closed) - julianday(r.created) AS INTEGER)"),
        ),
        (("cards", "1"),),
        "r.disposition = 'won' AND julianday(r.closed) IS NOT NULL"
        " AND julianday(r.created) IS NOT NULL",
    ),
    "won_days_tally": (
        (("days", "CAST(julianday(r.closed) - julianday(r.created) AS INTEGER)"),),
        (("cards", "1"),),
        "r.disposition = 'won' AND julianday(r.closed) IS NOT NULL"
        " AND julianday(r.created) IS NOT NULL",
    ),
    "opened_tally": (
        (("created", "r.created"), ("stage_id", "r.stage_id")),
        (("cards", "1"),),
        "r.closed >= r.created",
    ),
}
# Speed to lead (days from a lead's arrival — pulled, else added — to its first touch on or
# after it) per arrival day: `lead_tally` holds one count per (arrival day, days) for every
# card with touches counted and a touch since it arrived. Unlike the tallies above a card's
# share depends on its touches too, so it is kept by triggers on both tables: a change to a
# card's arrival or touch count, or to one of its touches (logged, undone, restored), takes
# the card's share out as it was and puts it back as it is now.
LEAD_TALLY = "lead_tally"
TALLY_TABLES = (*_TALLIES, LEAD_TALLY)
_TALLIED = "disposition, closed, created, lane_id, stage_id, touch_count, lost_reason, value"
CLOSED_EARLY = "disposition IN ('won', 'lost', 'cleared') AND closed < created"


def _tallied(table: str, row: str) -> str:
    """SQL: whether the card `row` (new, old, c) counts in `table`."""
    condition = _TALLIES[table][2]
    return (
        f"({row}.disposition IN ('won', 'lost', 'cleared') AND {row}.closed IS NOT NULL"
        f" AND {condition.replace('r.', f'{row}.')})"
    )


def _add_tally(table: str, row: str) -> str:
    keys, sums, _ = _TALLIES[table]
    columns = ", ".join(name for name, _ in (*keys, *sums))
    values = ", ".join(value.replace("r.", f"{row}.") for _, value in (*keys, *sums))
    key_names = ", ".join(name for name, _ in keys)
    updates = ", ".join(f"{name} = {name} + excluded.{name}" for name, _ in sums)
    return (
        f"INSERT INTO {table} ({columns}) SELECT {values} WHERE {_tallied(table, row)}"
        f" ON CONFLICT ({key_names}) DO UPDATE SET {updates};"
    )


def _remove_tally(table: str, row: str) -> str:
    keys, sums, _ = _TALLIES[table]
    match = " AND ".join(f"{name} = {value.replace('r.', f'{row}.')}" for name, value in keys)
    updates = ", ".join(
        f"{name} = {name} - {value.replace('r.', f'{row}.')}" for name, value in sums
    )
    return (
        f"UPDATE {table} SET {updates} WHERE {match} AND {_tallied(table, row)};"
        f" DELETE FROM {table} WHERE {match} AND cards = 0;"
    )


def _lead_share(row: str, touches: str, source: str = "") -> str:
    """SQL: the (arrival day, days to first touch) of card `row` (new, old, or `c` read by
    `source`) — no row when it does not count — given the SQL of the days of its touches."""
    arrived = f"coalesce({row}.pulled, {row}.created)"
    first = f"(SELECT min(day) FROM ({touches}) WHERE day >= {arrived})"
    days = f"CAST(julianday({first}) - julianday({arrived}) AS INTEGER)"
    where = source or "WHERE"
    return f"SELECT {arrived} AS arrived, {days} AS days {where} {row}.touch_count > 0"


def _card_touches(card: str) -> str:
    return f"SELECT day FROM touches WHERE card_id = {card}"


def _lead_add(share: str) -> str:
    return (
        f"INSERT INTO {LEAD_TALLY} (arrived, days, cards) SELECT arrived, days, 1"
        f" FROM ({share}) WHERE days IS NOT NULL AND arrived IS NOT NULL"
        " ON CONFLICT (arrived, days) DO UPDATE SET cards = cards + 1;"
    )


def _lead_remove(share: str) -> str:
    match = f"(arrived, days) IN (SELECT arrived, days FROM ({share}))"
    return (
        f"UPDATE {LEAD_TALLY} SET cards = cards - 1 WHERE {match};"
        f" DELETE FROM {LEAD_TALLY} WHERE {match} AND cards = 0;"
    )


def _lead_of_card(card: str, touches: str) -> str:
    """The share of the card whose id is `card`, read from `cards` (none if it is gone)."""
    return _lead_share("c", touches, f"FROM cards AS c WHERE c.id = {card} AND")


def _add_lead_tally(db: sqlite3.Connection) -> None:
    db.execute(
        f"CREATE TABLE {LEAD_TALLY} (arrived NOT NULL, days INTEGER NOT NULL,"
        " cards INTEGER NOT NULL, PRIMARY KEY (arrived, days)) WITHOUT ROWID"
    )
    # A change to a card: its touches are as they were, only the card's own row differs.
    # Only a card with touches has a share: a new card (an import's million) has none yet,
    # and a deleted one has lost them first (they reference it), so the body rarely runs.
    before = _lead_share("old", _card_touches("old.id"))
    after = _lead_share("new", _card_touches("new.id"))
    touched = "EXISTS (SELECT 1 FROM touches WHERE card_id = {}.id)"
    db.execute(
        f"CREATE TRIGGER cards_lead_ai AFTER INSERT ON cards WHEN {touched.format('new')}"
        f" BEGIN {_lead_add(after)} END"
    )
    db.execute(
        f"CREATE TRIGGER cards_lead_ad AFTER DELETE ON cards WHEN {touched.format('old')}"
        f" BEGIN {_lead_remove(before)} END"
    )
    changed = " OR ".join(
        f"old.{column} IS NOT new.{column}" for column in ("id", "pulled", "created", "touch_count")
    )
    db.execute(
        "CREATE TRIGGER cards_lead_au AFTER UPDATE OF id, pulled, created, touch_count ON cards"
        f" WHEN ({changed}) AND ({touched.format('old')} OR {touched.format('new')})"
        f" BEGIN {_lead_remove(before)} {_lead_add(after)} END"
    )
    # A change to a touch: the card is as it was; its touches without the new row (or with
    # the old one) are as they were.
    without_new = "SELECT day FROM touches WHERE card_id = new.card_id AND id != new.id"
    with_old = f"{_card_touches('old.card_id')} UNION ALL SELECT old.day"
    db.execute(
        "CREATE TRIGGER touches_lead_ai AFTER INSERT ON touches BEGIN"
        f" {_lead_remove(_lead_of_card('new.card_id', without_new))}"
        f" {_lead_add(_lead_of_card('new.card_id', _card_touches('new.card_id')))} END"
    )
    db.execute(
        "CREATE TRIGGER touches_lead_ad AFTER DELETE ON touches BEGIN"
        f" {_lead_remove(_lead_of_card('old.card_id', with_old))}"
        f" {_lead_add(_lead_of_card('old.card_id', _card_touches('old.card_id')))} END"
    )
    # An edited touch (its day, or even its card): out before the change, back in after it.
    other = "CASE WHEN new.card_id != old.card_id THEN new.card_id END"
    db.execute(
        "CREATE TRIGGER touches_lead_bu BEFORE UPDATE OF card_id, day ON touches BEGIN"
        f" {_lead_remove(_lead_of_card('old.card_id', _card_touches('old.card_id')))}"
        f" {_lead_remove(_lead_of_card(other, _card_touches(other)))} END"
    )
    db.execute(
        "CREATE TRIGGER touches_lead_au AFTER UPDATE OF card_id, day ON touches BEGIN"
        f" {_lead_add(_lead_of_card('old.card_id', _card_touches('old.card_id')))}"
        f" {_lead_add(_lead_of_card(other, _card_touches(other)))} END"
    )


def _add_tallies(db: sqlite3.Connection) -> None:
    """v5: the archive's tallies, their triggers and their rows."""
    for table, (keys, sums, _) in _TALLIES.items():
        columns = ", ".join(
            [f"{name} NOT NULL" for name, _ in keys]
            + [f"{name} INTEGER NOT NULL" for name, _ in sums]
        )
        key_names = ", ".join(name for name, _ in keys)
        db.execute(f"CREATE TABLE {table} ({columns}, PRIMARY KEY ({key_names})) WITHOUT ROWID")
    db.execute(f"CREATE INDEX cards_closed_early ON cards (closed) WHERE {CLOSED_EARLY}")
    adds = " ".join(_add_tally(table, "new") for table in _TALLIES)
    removes = " ".join(_remove_tally(table, "old") for table in _TALLIES)
    db.execute(f"CREATE TRIGGER cards_tallies_ai AFTER INSERT ON cards BEGIN {adds} END")
    db.execute(f"CREATE TRIGGER cards_tallies_ad AFTER DELETE ON cards BEGIN {removes} END")
    db.execute(
        f"CREATE TRIGGER cards_tallies_au AFTER UPDATE OF {_TALLIED} ON cards"
        f" BEGIN {removes} {adds} END"
    )
    _add_lead_tally(db)
    rebuild_tallies(db)


def rebuild_tallies(db: sqlite3.Connection) -> None:
    """Count every closed card into the tallies from scratch."""
    for table, (keys, sums, _) in _TALLIES.items():
        columns = ", ".join(name for name, _ in (*keys, *sums))
        key_values = ", ".join(value.replace("r.", "c.") for _, value in keys)
        totals = ", ".join(f"sum({value.replace('r.', 'c.')})" for _, value in sums)
        db.execute(f"DELETE FROM {table}")
        db.execute(
            f"INSERT INTO {table} ({columns}) SELECT {key_values}, {totals} FROM cards AS c"
            f" WHERE {_tallied(table, 'c')} GROUP BY {key_values}"
        )
    db.execute(f"DELETE FROM {LEAD_TALLY}")
    shares = _lead_share("c", _card_touches("c.id"), "FROM cards AS c WHERE")
    db.execute(
        f"INSERT INTO {LEAD_TALLY} (arrived, days, cards) SELECT arrived, days, count(*)"
        f" FROM ({shares}) WHERE days IS NOT NULL AND arrived IS NOT NULL GROUP BY arrived, days"
    )


TALLY_INSERT_TRIGGER = "cards_tallies_ai"


def tally_new_cards(db: sqlite3.Connection, first: int, last: int) -> None:
    """Count the new cards `first`…`last` into the tallies, one grouped upsert per tally:
    what `cards_tallies_ai` does per card, for a bulk insert that set it aside."""
    for table, (keys, sums, _) in _TALLIES.items():
        columns = ", ".join(name for name, _ in (*keys, *sums))
        key_values = ", ".join(value.replace("r.", "c.") for _, value in keys)
        totals = ", ".join(f"sum({value.replace('r.', 'c.')})" for _, value in sums)
        updates = ", ".join(f"{name} = {name} + excluded.{name}" for name, _ in sums)
        db.execute(
            f"INSERT INTO {table} ({columns}) SELECT {key_values}, {totals} FROM cards AS c"
            f" WHERE c.id BETWEEN ? AND ? AND {_tallied(table, 'c')} GROUP BY {key_values}"
            f" ON CONFLICT ({', '.join(name for name, _ in keys)}) DO UPDATE SET {updates}",
            [first, last],
        )


def _search_from_view(db: sqlite3.Connection) -> None:
    """v5 (with the tallies): the index stops keeping a copy of every card's text. It reads
    the text back — for snippets and to take a row's words out — from the `search_source`
    view (an FTS5 external-content table). Taking words out needs the text as it was indexed,
    so each change takes them out *before* it, while the view still shows the old text, and
    puts them back after it."""
    for trigger in _SEARCH_TRIGGERS:
        db.execute(f"DROP TRIGGER {trigger}")
    db.execute("DROP TABLE search_fts")
    names = ", ".join(SEARCH_COLUMNS)
    db.execute(f"CREATE VIEW search_source (id, {names}) AS {_card_search_row(True)}")
    db.execute(
        f"CREATE VIRTUAL TABLE search_fts USING fts5({names}, content = 'search_source',"
        " content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2')"
    )

    def take_out(card: str, when: str = "") -> str:
        return f"DELETE FROM search_fts WHERE rowid = {card}{when};"

    def put_back(card: str, when: str = "") -> str:
        return (
            f"INSERT INTO search_fts (rowid, {names}) SELECT id, {names} FROM search_source"
            f" WHERE id = {card}{when};"
        )

    indexed = "title, account, contact_name, email, next_step, blocked_reason, lost_reason"
    moved = " AND new.card_id IS NOT old.card_id"
    triggers = {
        "cards_search_ai": ("AFTER INSERT ON cards", put_back("new.id")),
        "cards_search_bu": (f"BEFORE UPDATE OF {indexed} ON cards", take_out("old.id")),
        "cards_search_au": (f"AFTER UPDATE OF {indexed} ON cards", put_back("new.id")),
        SEARCH_DELETE_TRIGGER: ("BEFORE DELETE ON cards", take_out("old.id")),
    }
    for table in ("notes", "touches"):
        triggers |= {
            f"{table}_search_bi": (f"BEFORE INSERT ON {table}", take_out("new.card_id")),
            f"{table}_search_ai": (f"AFTER INSERT ON {table}", put_back("new.card_id")),
            f"{table}_search_bu": (
                f"BEFORE UPDATE ON {table}",
                take_out("old.card_id") + take_out("new.card_id", moved),
            ),
            f"{table}_search_au": (
                f"AFTER UPDATE ON {table}",
                put_back("old.card_id") + put_back("new.card_id", moved),
            ),
            f"{table}_search_bd": (f"BEFORE DELETE ON {table}", take_out("old.card_id")),
            f"{table}_search_ad": (f"AFTER DELETE ON {table}", put_back("old.card_id")),
        }
    for name, (when, body) in triggers.items():
        db.execute(f"CREATE TRIGGER {name} {when} BEGIN {body} END")
    rebuild_search(db)


def _smaller_card_indexes(db: sqlite3.Connection) -> None:
    """v5: the board's cell index holds the open cards only (every query of it asks for
    `disposition = 'open'`), not the whole archive; days to close are read from the tallies
    now (best-by, metrics), so their index over every card goes."""
    db.execute("DROP INDEX IF EXISTS cards_days_to_close")
    db.execute("DROP INDEX IF EXISTS cards_open_cell")
    db.execute(
        "CREATE INDEX cards_open_cell ON cards (stage_id, lane_id, position)"
        " WHERE disposition = 'open'"
    )


def _v5(db: sqlite3.Connection) -> None:
    """v5: the archive's tallies, and a smaller file for a large archive."""
    _add_tallies(db)
    _search_from_view(db)
    _smaller_card_indexes(db)


TALLY_DELETE_TRIGGER = "cards_tallies_ad"


def untally_cards(db: sqlite3.Connection, first: int, last: int) -> None:
    """Take the cards `first`…`last` out of the tallies, one grouped update per tally: what
    `cards_tallies_ad` does per card, for a range delete that set it aside."""
    for table, (keys, sums, _) in _TALLIES.items():
        key_values = ", ".join(f"{value.replace('r.', 'c.')} AS {name}" for name, value in keys)
        totals = ", ".join(f"sum({value.replace('r.', 'c.')}) AS {name}" for name, value in sums)
        match = " AND ".join(f"{table}.{name} = g.{name}" for name, _ in keys)
        grouped = ", ".join(str(position) for position in range(1, len(keys) + 1))
        db.execute(
            f"UPDATE {table} SET {', '.join(f'{n} = {table}.{n} - g.{n}' for n, _ in sums)}"
            f" FROM (SELECT {key_values}, {totals} FROM cards AS c WHERE c.id BETWEEN ? AND ?"
            f" AND {_tallied(table, 'c')} GROUP BY {grouped})"
            f" AS g WHERE {match}",
            [first, last],
        )
        db.execute(f"DELETE FROM {table} WHERE cards = 0")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (
    _create_v1,
    _add_notes_and_search,
    _add_card_account,
    _add_close_by,
    _v5,
)
SCHEMA_VERSION = len(MIGRATIONS)


def ensure_board_id(db: sqlite3.Connection) -> bool:
    """Give the board its random id (`board_meta.board_id`) unless it has one; True if added.

    The id tells pkanban's own CSV export apart from another board's: card #5 of this board
    and card #5 of another are different cards (see io/records.py)."""
    if db.execute("SELECT 1 FROM board_meta WHERE key = 'board_id'").fetchone():
        return False
    db.execute(
        "INSERT INTO board_meta (key, value) VALUES ('board_id', ?)", [json.dumps(uuid.uuid4().hex)]
    )
    return True


def migrate(db: sqlite3.Connection, from_version: int) -> None:
    """Apply every migration after `from_version`; the caller holds the transaction.

    The version is read again inside it: another process may have migrated the file between
    the caller's look and its write lock.
    """
    from_version = max(from_version, db.execute("PRAGMA user_version").fetchone()[0])
    for version in range(from_version, SCHEMA_VERSION):
        MIGRATIONS[version](db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
