"""The SQL of moving boards in and out: what an import needs to know about the cards already
here, and the whole-table reads and writes of a JSON dump and its restore.

Table names are looked up in a fixed list (the dump's tables) and columns come from the dump's
schema (io/json_dump.py), never from a file.
"""

import sqlite3

from pkanban.domain.errors import InvalidInput

_KEYS_PER_QUERY = 500  # host parameters per lookup (SQLite allows 32,766 since 3.32)


def present_keys(conn: sqlite3.Connection, keys: list[str]) -> set[str]:
    """Which of `keys` a card already carries as its re-import key (io/records.py)."""
    found: set[str] = set()
    for start in range(0, len(keys), _KEYS_PER_QUERY):
        part = keys[start : start + _KEYS_PER_QUERY]
        marks = ", ".join("?" * len(part))
        found.update(
            row[0]
            for row in conn.execute(
                f"SELECT external_id FROM cards WHERE external_id IN ({marks})", part
            )
        )
    return found


def created_days(conn: sqlite3.Connection, up_to: int | None = None) -> dict[int, str]:
    """Card number → the day it was created, for every card of the board (numbered `up_to`)."""
    return {
        number: str(created)[:10]
        for number, created in conn.execute(
            "SELECT id, created FROM cards WHERE id <= ?",
            [up_to if up_to is not None else 2**63 - 1],
        )
    }


def last_card_id(conn: sqlite3.Connection) -> int:
    """The highest card number so far (0 on a board without cards)."""
    return conn.execute("SELECT coalesce(max(id), 0) FROM cards").fetchone()[0]


class KeyLines:
    """The re-import keys an import has read so far and the line each was first on, kept in a
    temporary table (SQLite's temporary file, not memory: a file may have millions of rows).
    The table belongs to the import's transaction: it goes with a rollback, `close` drops it."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        conn.execute("DROP TABLE IF EXISTS temp.import_keys")
        conn.execute(
            "CREATE TEMP TABLE import_keys (key TEXT PRIMARY KEY, line INTEGER) WITHOUT ROWID"
        )

    def first_lines(self, keys: list[str]) -> dict[str, int]:
        """The line each of `keys` read before was first on (keys not read before are left out)."""
        found: dict[str, int] = {}
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            part = keys[start : start + _KEYS_PER_QUERY]
            marks = ", ".join("?" * len(part))
            found.update(
                self.conn.execute(
                    f"SELECT key, line FROM temp.import_keys WHERE key IN ({marks})", part
                )
            )
        return found

    def add(self, lines: dict[str, int]) -> None:
        self.conn.executemany("INSERT INTO temp.import_keys VALUES (?, ?)", lines.items())

    def close(self) -> None:
        self.conn.execute("DROP TABLE IF EXISTS temp.import_keys")


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
