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


def _add_card_account(db: sqlite3.Connection) -> None:
    """v2: a card belongs to an account (the company, DESIGN §2); existing cards have none yet."""
    db.execute("ALTER TABLE cards ADD COLUMN account TEXT NOT NULL DEFAULT ''")
    db.execute("CREATE INDEX cards_account ON cards (account COLLATE NOCASE, disposition)")


MIGRATIONS: tuple[Callable[[sqlite3.Connection], None], ...] = (_create_v1, _add_card_account)
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
    """Apply every migration after `from_version`; the caller holds the transaction."""
    for version in range(from_version, SCHEMA_VERSION):
        MIGRATIONS[version](db)
    db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
