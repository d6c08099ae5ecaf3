"""A canonical dump of a board file: everything a user could see, minus wall-clock stamps."""

import sqlite3
from pathlib import Path

TABLES = ("cards", "touches", "notes", "stages", "lanes", "board_meta")


def dump(path: Path) -> dict:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        state = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
        state["actions"] = conn.execute(
            "SELECT id, day, kind, summary, undo_of FROM actions ORDER BY id"
        ).fetchall()
        state["events"] = conn.execute(
            "SELECT id, action_id, entity, entity_id, card_id, before, after FROM events ORDER BY id"
        ).fetchall()
        return state
    finally:
        conn.close()


def integrity_ok(path: Path) -> bool:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
