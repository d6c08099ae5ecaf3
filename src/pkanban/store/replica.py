"""The SQL replication needs: reading a board Litestream restored, and turning such a copy into
a plain file that never replicates. `services/replica.py` runs Litestream around these."""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from pkanban.store.database import Store

ActionRow = tuple[int, str, str, str]


@contextmanager
def read_only(path: Path) -> Iterator[sqlite3.Connection]:
    """A read-only connection to the board file at `path` (quoted: `#` or `?` in a folder
    name would otherwise open another file)."""
    conn = sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True)
    try:
        yield conn
    finally:
        conn.close()


def integrity(path: Path) -> str:
    """SQLite's own verdict on the file: "ok", or what is damaged."""
    with read_only(path) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def writable_copy(path: Path) -> Store:
    """A store over a restored copy, for changes made before it leaves the cache folder."""
    return Store(sqlite3.connect(path, isolation_level=None), path)


def forget_meta(path: Path, key: str) -> None:
    """Drop one setting from a restored copy and leave it in rollback-journal mode."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("DELETE FROM board_meta WHERE key = ?", [key])
        leave_wal(conn)
    finally:
        conn.close()


def leave_wal(conn: sqlite3.Connection) -> None:
    """Rollback-journal mode: a copy that is opened read-only then needs no side files."""
    conn.execute("PRAGMA journal_mode = DELETE")


def set_autocheckpoint(conn: sqlite3.Connection, *, on: bool) -> None:
    """SQLite's automatic checkpoints: off while Litestream owns the WAL, on without it."""
    conn.execute(f"PRAGMA wal_autocheckpoint = {1000 if on else 0}")


def actions_up_to(conn: sqlite3.Connection, newest: int) -> list[ActionRow]:
    """The board's actions numbered up to `newest`, oldest first."""
    query = "SELECT id, at, kind, summary FROM actions WHERE id <= ? ORDER BY id"
    return conn.execute(query, [newest]).fetchall()


def newest_action(conn: sqlite3.Connection) -> int | None:
    return conn.execute("SELECT max(id) FROM actions").fetchone()[0]


def last_change_at(conn: sqlite3.Connection) -> str | None:
    """When the board's newest action happened (ISO text), None on a board without one."""
    return conn.execute("SELECT max(at) FROM actions").fetchone()[0]
