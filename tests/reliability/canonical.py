"""A canonical dump of a board file: everything a user could see, minus wall-clock stamps (a
restore's summary names its safety backup, a file named by the clock in the board's folder)."""

import sqlite3
from pathlib import Path

from pkanban.services.backup import BOARD_BEFORE

TABLES = ("cards", "touches", "notes", "stages", "lanes", "board_meta")


def dump(path: Path) -> dict:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        state = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
        state["actions"] = [
            (id_, day, kind, summary.split(BOARD_BEFORE)[0], undo_of)
            for id_, day, kind, summary, undo_of in conn.execute(
                "SELECT id, day, kind, summary, undo_of FROM actions ORDER BY id"
            )
        ]
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
