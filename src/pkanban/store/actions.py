"""Read queries over the action log (`actions` and their `events`): what undo works from."""

import sqlite3


def last_undoable_action(conn: sqlite3.Connection) -> tuple[int, str, str] | None:
    """The newest action that is neither an undo nor undone, and not older than the last
    restore: `(id, summary, kind)`, None when there is nothing to undo."""
    return conn.execute(
        "SELECT id, summary, kind FROM actions a WHERE kind NOT IN ('undo', 'restored')"
        " AND NOT EXISTS (SELECT 1 FROM actions u WHERE u.undo_of = a.id)"
        " AND a.id > coalesce((SELECT max(id) FROM actions WHERE kind = 'restored'), 0)"
        " ORDER BY id DESC LIMIT 1"
    ).fetchone()


def last_restore_summary(conn: sqlite3.Connection) -> str | None:
    """The newest restore's summary (undo stops there), None on a board never restored."""
    row = conn.execute(
        "SELECT summary FROM actions WHERE kind = 'restored' ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return None if row is None else row[0]


def action_events(conn: sqlite3.Connection, action_id: int) -> list[tuple]:
    """An action's events, newest first: `(entity, entity_id, before, after)` each."""
    return conn.execute(
        "SELECT entity, entity_id, before, after FROM events WHERE action_id = ? ORDER BY id DESC",
        [action_id],
    ).fetchall()


def last_action_id(conn: sqlite3.Connection) -> int:
    """The newest action's id (0 on a board with none)."""
    return conn.execute("SELECT coalesce(max(id), 0) FROM actions").fetchone()[0]
