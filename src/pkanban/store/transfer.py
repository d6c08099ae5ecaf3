"""The SQL of moving boards in and out: what an import needs to know about the cards already
here, and the whole-table reads and writes of a JSON dump and its restore.

Table names are looked up in a fixed list (the dump's tables) and columns come from the dump's
schema (io/json_dump.py), never from a file.
"""

import sqlite3

from pkanban.domain.errors import InvalidInput


def external_ids(conn: sqlite3.Connection) -> set[str]:
    """Every re-import key a card carries (io/records.py)."""
    return {
        row[0] for row in conn.execute("SELECT external_id FROM cards WHERE external_id NOT NULL")
    }


def created_days(conn: sqlite3.Connection) -> dict[int, str]:
    """Card number → the day it was created, for every card of the board."""
    return {
        number: str(created)[:10]
        for number, created in conn.execute("SELECT id, created FROM cards")
    }


def board_meta(conn: sqlite3.Connection) -> dict[str, str]:
    """The board's values (`board_meta`) as stored: JSON text by key."""
    return {key: value for key, value in conn.execute("SELECT key, value FROM board_meta")}


def set_board_meta(conn: sqlite3.Connection, key: str, value: str) -> None:
    """Store one board value as it was dumped (a restore: its history is the dump's)."""
    conn.execute("INSERT OR REPLACE INTO board_meta (key, value) VALUES (?, ?)", [key, value])


def all_rows(conn: sqlite3.Connection, table: str) -> list[dict]:
    """Every row of one of the dump's tables, by id."""
    table = _known(table)
    cursor = conn.execute(f"SELECT * FROM {table} ORDER BY id")
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor]


def content_counts(conn: sqlite3.Connection) -> tuple[int, int]:
    """(cards, actions): a board with neither is empty, ready for a restore."""
    return conn.execute(
        "SELECT (SELECT count(*) FROM cards), (SELECT count(*) FROM actions)"
    ).fetchone()


def clear_places(conn: sqlite3.Connection) -> None:
    """Remove an empty board's stages and lanes, so a dump brings its own."""
    conn.execute("DELETE FROM stages")
    conn.execute("DELETE FROM lanes")


def insert_rows(
    conn: sqlite3.Connection, table: str, columns: tuple[str, ...], rows: list[dict]
) -> None:
    """Rows checked by the dump's schema, by its fixed table and column names."""
    table = _known(table)
    marks = ", ".join("?" for _ in columns)
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    for row in rows:
        try:
            conn.execute(sql, [row[column] for column in columns])
        except sqlite3.IntegrityError as error:
            raise InvalidInput(f"The dump's {table} #{row['id']} does not fit: {error}") from None


def placed(conn: sqlite3.Connection) -> dict[str, dict[str, int]]:
    """Cards by disposition and stage (in board order), as an import report shows them."""
    found: dict[str, dict[str, int]] = {}
    for disposition, stage, count in conn.execute(
        "SELECT disposition, stages.name, count(*) FROM cards JOIN stages ON stages.id ="
        " cards.stage_id GROUP BY disposition, stages.name ORDER BY stages.position"
    ):
        found.setdefault(disposition, {})[stage] = count
    return found


def won_value(conn: sqlite3.Connection) -> int:
    """The value of every card ever won."""
    return conn.execute(
        "SELECT coalesce(sum(value), 0) FROM cards WHERE disposition = 'won'"
    ).fetchone()[0]


# The tables a dump holds, in the order a restore writes them.
DUMP_TABLES = ("stages", "lanes", "cards", "touches", "notes", "actions", "events")


def _known(table: str) -> str:
    """Our own spelling of one of the dump's tables (anything else is a bug: StopIteration)."""
    return next(known for known in DUMP_TABLES if known == table)


def created_range_unchanged(conn: sqlite3.Connection, first: int, last: int) -> bool:
    """Whether the cards `first`…`last` are all there as they were created: never changed
    (version 1), and without touches or notes."""
    count, pristine = conn.execute(
        "SELECT count(*), coalesce(sum(version = 1), 0) FROM cards WHERE id BETWEEN ? AND ?",
        [first, last],
    ).fetchone()
    if count != last - first + 1 or pristine != count:
        return False
    for sql in (
        "SELECT 1 FROM touches WHERE card_id BETWEEN ? AND ? LIMIT 1",
        "SELECT 1 FROM notes WHERE card_id BETWEEN ? AND ? LIMIT 1",
    ):
        if conn.execute(sql, [first, last]).fetchone():
            return False
    return True
