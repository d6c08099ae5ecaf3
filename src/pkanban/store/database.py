"""Opening a board file safely, and running each user action as one transaction.

A board is refused — untouched, byte for byte — when it is not SQLite, not a pkanban board, or
written by a newer pkanban: we inspect it read-only before opening it for writing. A new file
is created 0600 before SQLite opens it, so its `-wal`/`-shm` files are private too.
"""

import json
import os
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext, suppress
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, overload
from urllib.parse import quote

from pkanban.domain.errors import NotFound, PkanbanError
from pkanban.domain.text import clean_text
from pkanban.store.schema import (
    APP_MARKER,
    SCHEMA_VERSION,
    SEARCH_DELETE_TRIGGER,
    SEARCH_INSERT_TRIGGER,
    TALLY_DELETE_TRIGGER,
    TALLY_INSERT_TRIGGER,
    ensure_board_id,
    index_new_cards,
    migrate,
    rebuild_search,
    tally_new_cards,
    untally_cards,
)
from pkanban.store.tables import (
    CARD_RANGE,
    META_PREFIX,
    card_range_payload,
    column_names,
    meta_key,
    table_name,
)

BUSY_TIMEOUT_MS = 5000
MAX_SUMMARY = 2000  # an action's one-line summary: it quotes file names and user text
READ_ONLY = "The board file is read-only; nothing was changed"
_DELETE_CHUNK = 20_000  # cards deleted per statement when an import is undone (for progress)


_SCHEMA_KINDS = {"index": "INDEX", "trigger": "TRIGGER"}
FEW_CARDS = 50_000
"""Below this many cards, a bulk insert builds the cards' indexes again rather than add to them
(`ActionLog.insert_many`)."""


def _card_schema(
    conn: sqlite3.Connection, kind: str, name: str | None = None
) -> list[tuple[str, str, str]]:
    """(kind, name, CREATE statement) of the cards table's own indexes (not the UNIQUE
    constraint's) or of one of its triggers, as SQLite stores them — to drop and create again."""
    return conn.execute(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name = 'cards' AND type = ?"
        " AND sql NOT NULL AND (? IS NULL OR name = ?) ORDER BY name",
        [kind, name, name],
    ).fetchall()


def _extend(span: tuple[int, int] | None, first: int, last: int) -> tuple[int, int]:
    """The ids `first`…`last` added to `span` (they follow it: new ids only grow)."""
    return (first, last) if span is None else (span[0], last)


def _quote_name(name: str) -> str:
    """An identifier SQLite gave us (from sqlite_master), quoted for a DROP statement."""
    return '"' + name.replace('"', '""') + '"'


class BoardFileError(PkanbanError):
    """The file cannot be used as a board; it was left as it was."""


class Store:
    """One open board file: the connection, its sqlite-utils view, and transactions.

    `after_actions` are called with the store after every transaction that recorded an
    action has committed (services/calendar.py keeps the calendar file up to date this way);
    a connection `reopen`ed for a worker thread shares them.
    """

    def __init__(
        self,
        conn: sqlite3.Connection,
        path: Path,
        *,
        read_only: bool = False,
        read_only_reason: str = READ_ONLY,
        after_actions: list[Callable[["Store"], None]] | None = None,
    ):
        self.conn = conn
        self.path = path
        self.read_only = read_only
        self.read_only_reason = read_only_reason
        self.after_actions = after_actions if after_actions is not None else []
        self._acted = False

    def close(self) -> None:
        self.conn.close()

    def reopen(self) -> "Store":
        """Another connection to this same, already checked board (for a worker thread).

        Never `open_store` a board this process already has open: its checks read the file
        with plain file I/O, and closing any descriptor of a file drops every POSIX lock the
        process holds on it — SQLite's included — so another process could then checkpoint and
        delete the WAL underneath this one.
        """
        return Store(
            _connect(self.path, self.read_only),
            self.path,
            read_only=self.read_only,
            read_only_reason=self.read_only_reason,
            after_actions=self.after_actions,
        )

    def data_version(self) -> int:
        """Changes when another connection commits: cheap enough to poll for live refresh."""
        return self.conn.execute("PRAGMA data_version").fetchone()[0]

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """`BEGIN IMMEDIATE` … `COMMIT`: the write lock is taken before anything is read."""
        if self.read_only:
            raise PkanbanError(self.read_only_reason)
        _run(self.conn, "BEGIN IMMEDIATE")
        self._acted = False
        try:
            yield
            _run(self.conn, "COMMIT")
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        if self._acted:
            self._acted = False
            for listener in self.after_actions:
                listener(self)

    @contextmanager
    def page_cache(self, mebibytes: int) -> Iterator[None]:
        """A larger page cache for one large write (an import): the pages of the indexes it
        adds to in no particular order (account, external id) stay in memory instead of being
        read back from the file again and again once the board outgrows SQLite's 2 MB."""
        kept = int(self.conn.execute("PRAGMA cache_size").fetchone()[0])
        self.conn.execute(f"PRAGMA cache_size = {-1024 * int(mebibytes)}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {kept}")

    @contextmanager
    def action(
        self, kind: str, summary: str, today: date, undo_of: int | None = None
    ) -> Iterator["ActionLog"]:
        """One user action: an `actions` row and its events, in one transaction.

        Opens the transaction itself unless the caller already holds one (undo reads first).
        """
        with nullcontext() if self.conn.in_transaction else self.transaction():
            action_id = self.conn.execute(
                "INSERT INTO actions (at, day, kind, summary, undo_of) VALUES (?, ?, ?, ?, ?)",
                [_now(), today.isoformat(), kind, clean_text(summary)[:MAX_SUMMARY], undo_of],
            ).lastrowid
            assert action_id is not None  # an INSERT names its row
            self._acted = True
            log = ActionLog(self.conn, action_id)
            yield log
            log.close()


class ActionLog:
    """Writes to board tables that record themselves as events (before/after snapshots).

    Every change to cards, touches, stages, lanes and settings goes through here, so the
    events are complete: history, undo and replay all read them. Table and column names reach
    SQL only through the fixed map of store/tables.py (an `UnknownEntity` otherwise): undo
    passes names read from events, and a restored board's events came from a file.
    """

    def __init__(self, conn: sqlite3.Connection, action_id: int):
        self.conn = conn
        self.action_id = action_id
        self._created: list[int] = []  # [first, last] of the cards `insert_many` created
        self._unindexed: tuple[int, int] | None = None  # of those, not yet searched nor tallied
        self._aside: list[tuple[str, str, str]] = []  # what `insert_many` set aside

    def close(self) -> None:
        """End the action: write what is kept until its end (the range of created cards)."""
        self.catch_up()
        if self._created:
            first, last = self._created
            self._range_event(first, None, card_range_payload(first, last))
            self._created = []

    def insert(self, table: str, row: dict) -> dict:
        self.catch_up()
        table = table_name(table)
        columns = ", ".join(column_names(table, row))
        marks = ", ".join("?" for _ in row)
        cursor = self.conn.execute(
            f"INSERT INTO {table} ({columns}) VALUES ({marks}) RETURNING *", list(row.values())
        )
        after = dict(
            zip([column[0] for column in cursor.description], cursor.fetchone(), strict=True)
        )
        cursor.close()
        self._event(table, after["id"], None, after)
        return after

    def insert_many(self, table: str, rows: list[dict]) -> list[dict]:
        """`insert` for many new rows with the same columns (an import), from one multi-row
        INSERT … RETURNING id per chunk. Returns the rows with their ids, in order.

        New cards are recorded compactly: the action's cards created this way take consecutive
        ids, and one `card_range` event (store/tables.py) written when the action ends stands
        for all of them — their undo needs only the ids, not a snapshot each. Rows that do not
        continue the range (never, for cards inserted in one transaction) get an event each.

        Indexing each card for search and counting it into the tallies, trigger by trigger,
        took most of a large import's time: while an action only adds cards this way those two
        triggers are set aside (DDL is transactional: all or nothing) and the range is indexed
        and tallied in a few grouped statements by `catch_up`, before any other write of the
        action and at its end.

        Into a board of fewer than `FEW_CARDS` cards the cards' own indexes are set aside too
        and built again at the end, each in one sorted pass: a first import of a million rows
        otherwise spent most of its SQL time adding to them in no order (all but the external
        id's, which finds the rows already present)."""
        if not rows:
            return []
        table = table_name(table)
        columns = column_names(table, rows[0])
        if table == "cards" and not self._aside:
            self._aside = [
                *_card_schema(self.conn, "trigger", SEARCH_INSERT_TRIGGER),
                *_card_schema(self.conn, "trigger", TALLY_INSERT_TRIGGER),
            ]
            if self._few_cards():
                self._aside += _card_schema(self.conn, "index")
            for kind, name, _ in self._aside:
                self.conn.execute(f"DROP {_SCHEMA_KINDS[kind]} {_quote_name(name)}")
        one_row = f"({', '.join('?' for _ in columns)})"
        per_statement = self.conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // len(columns)
        stored: list[dict] = []
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            ids = self.conn.execute(
                f"INSERT INTO {table} ({', '.join(columns)})"
                f" VALUES {', '.join([one_row] * len(chunk))} RETURNING id",
                [row[column] for row in chunk for column in columns],
            ).fetchall()
            # A new row's id is the largest one + 1, in the order of VALUES (RETURNING's own
            # order is not promised).
            stored += [
                {"id": row_id, **row} for (row_id,), row in zip(sorted(ids), chunk, strict=True)
            ]
        if table == "cards":
            self._unindexed = _extend(self._unindexed, stored[0]["id"], stored[-1]["id"])
            if self._extends_range(stored):
                return stored
        self.catch_up()
        self.conn.executemany(
            "INSERT INTO events (action_id, entity, entity_id, card_id, before, after)"
            " VALUES (?, ?, ?, ?, NULL, ?)",
            [
                (self.action_id, table, row["id"], _card_id(table, row["id"], row), _json(row))
                for row in (self.snapshot(table, row["id"]) for row in stored)
            ],
        )
        return stored

    def catch_up(self) -> None:
        """Index and tally the cards `insert_many` wrote, and put back what it set aside —
        before anything reads the tallies or the indexes (the import's report does)."""
        if self._unindexed is not None:
            first, last = self._unindexed
            index_new_cards(self.conn, first, last)
            tally_new_cards(self.conn, first, last)
            self._unindexed = None
        for _, _, sql in self._aside:
            self.conn.execute(sql)
        self._aside = []

    def _few_cards(self) -> bool:
        counted = "SELECT count(*) FROM (SELECT 1 FROM cards LIMIT ?)"
        return int(self.conn.execute(counted, [FEW_CARDS]).fetchone()[0]) < FEW_CARDS

    def _extends_range(self, stored: list[dict]) -> bool:
        """Add new cards to the action's range if their ids continue it; False if they don't."""
        first, last = stored[0]["id"], stored[-1]["id"]
        if last - first + 1 != len(stored):
            return False
        if not self._created:
            self._created = [first, last]
            return True
        if first != self._created[1] + 1:
            return False
        self._created[1] = last
        return True

    def delete_range(
        self, first: int, last: int, progress: Callable[[int, int], None] | None = None
    ) -> None:
        """Delete the cards `first`…`last` (undoing the import that created them) a chunk at a
        time, calling `progress(done, total)`; one `card_range` event records it.

        Deleting a million cards row by row through four indexes and the search trigger takes
        a minute, so inside the same transaction (all or nothing: DDL is transactional in
        SQLite) the search rows of the range go in one statement instead of one per card, and
        when the range is most of the board the cards' own indexes are dropped and built again
        from the cards that stay. Other triggers on cards still run for every card."""
        self.catch_up()
        conn = self.conn
        total = last - first + 1
        staying = conn.execute(
            "SELECT count(*) FROM cards WHERE id < ? OR id > ?", [first, last]
        ).fetchone()[0]
        rebuilt = _card_schema(conn, "index") if total > staying else []
        kept_aside = [
            *rebuilt,
            *_card_schema(conn, "trigger", SEARCH_DELETE_TRIGGER),
            *_card_schema(conn, "trigger", TALLY_DELETE_TRIGGER),
        ]
        for kind, name, _ in kept_aside:
            conn.execute(f"DROP {_SCHEMA_KINDS[kind]} {_quote_name(name)}")
        untally_cards(conn, first, last)
        # The index reads a row's words back from the cards to take them out: for most of the
        # board, emptying it and indexing the cards that stay is quicker.
        if rebuilt:
            conn.execute("INSERT INTO search_fts (search_fts) VALUES ('delete-all')")
        else:
            conn.execute("DELETE FROM search_fts WHERE rowid BETWEEN ? AND ?", [first, last])
        for start in range(first, last + 1, _DELETE_CHUNK):
            end = min(start + _DELETE_CHUNK - 1, last)
            conn.execute("DELETE FROM cards WHERE id BETWEEN ? AND ?", [start, end])
            if progress is not None:
                progress(end - first + 1, total)
        if rebuilt:
            rebuild_search(conn)
        for _, _, sql in kept_aside:
            conn.execute(sql)
        self._range_event(first, card_range_payload(first, last), None)

    def _range_event(self, first: int, before: dict | None, after: dict | None) -> None:
        self.conn.execute(
            "INSERT INTO events (action_id, entity, entity_id, card_id, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [self.action_id, CARD_RANGE, first, first, _json(before), _json(after)],
        )

    def update(self, table: str, row_id: int, changes: dict) -> dict:
        self.catch_up()
        table = table_name(table)
        before = self.snapshot(table, row_id)
        if table == "cards":
            changes = {**changes, "version": before["version"] + 1}
        assignments = ", ".join(f"{column} = ?" for column in column_names(table, changes))
        self.conn.execute(
            f"UPDATE {table} SET {assignments} WHERE id = ?", [*changes.values(), row_id]
        )
        after = self.snapshot(table, row_id)
        self._event(table, row_id, before, after)
        return after

    def restore(self, table: str, row_id: int, row: dict | None) -> None:
        """Put a row back exactly as a snapshot had it (None: the row did not exist)."""
        self.catch_up()
        table = table_name(table)
        if row is not None:
            checked = column_names(table, row)
        before = self.snapshot(table, row_id, missing_ok=True)
        if row is None:
            self.conn.execute(f"DELETE FROM {table} WHERE id = ?", [row_id])
        elif before is None:
            columns = ", ".join(checked)
            marks = ", ".join("?" for _ in row)
            self.conn.execute(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values())
            )
        else:
            assignments = ", ".join(f"{column} = ?" for column in checked)
            self.conn.execute(
                f"UPDATE {table} SET {assignments} WHERE id = ?", [*row.values(), row_id]
            )
        self._event(table, row_id, before, row)

    def set_meta(self, key: str, value: dict | None) -> None:
        """Record a board value (None: this board has none)."""
        known = meta_key(META_PREFIX + key)
        assert known is not None  # a `board_meta:` entity always names its key, or raises
        key = known
        old = self.conn.execute("SELECT value FROM board_meta WHERE key = ?", [key]).fetchone()
        self.conn.execute(
            "INSERT OR REPLACE INTO board_meta (key, value) VALUES (?, ?)", [key, json.dumps(value)]
        )
        self._meta_event(key, json.loads(old[0]) if old else None, value)

    @overload
    def snapshot(self, table: str, row_id: int) -> dict[str, Any]: ...
    @overload
    def snapshot(self, table: str, row_id: int, *, missing_ok: bool) -> dict[str, Any] | None: ...
    def snapshot(self, table: str, row_id: int, *, missing_ok: bool = False) -> dict | None:
        table = table_name(table)
        cursor = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", [row_id])
        row = cursor.fetchone()
        if row is None:
            if missing_ok:
                return None
            raise NotFound(f"No {table.rstrip('s')} #{row_id}")
        return dict(zip([column[0] for column in cursor.description], row, strict=True))

    def _event(self, table: str, row_id: int, before: dict | None, after: dict | None) -> None:
        self.conn.execute(
            "INSERT INTO events (action_id, entity, entity_id, card_id, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            [
                self.action_id,
                table,
                row_id,
                _card_id(table, row_id, after or before),
                _json(before),
                _json(after),
            ],
        )

    def _meta_event(self, key: str, before: dict | None, after: dict | None) -> None:
        self.conn.execute(
            "INSERT INTO events (action_id, entity, entity_id, card_id, before, after)"
            " VALUES (?, ?, NULL, NULL, ?, ?)",
            [self.action_id, f"board_meta:{key}", _json(before), _json(after)],
        )


@contextmanager
def reading(conn: sqlite3.Connection) -> Iterator[None]:
    """One consistent snapshot of the board while others write (an export, the calendar): a
    read transaction, unless the caller already holds one."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


def open_store(path: Path, *, create: bool = False, read_only_reason: str | None = None) -> Store:
    """Open (or, with `create`, make) the board at `path`, refusing anything unsafe to touch.

    A board we may not write (a read-only file, folder or filesystem) opens read-only: reading
    commands work and every action says the file is read-only. `read_only_reason` opens it
    read-only whatever its permissions, and is what every action then says (a replica view).
    """
    path = Path(path).expanduser()
    if path.is_dir():
        raise BoardFileError(f"{path} is a directory, not a board file")
    if not path.exists():
        if not create:
            raise NotFound(
                f"No board at {path} — create one with `pkanban init` (or try `pkanban demo`)"
            )
        _create_private_file(path)
        version = 0
    else:
        if create:
            raise BoardFileError(f"{path} already exists; open it without `init`")
        version = inspect_board(path)
    read_only = read_only_reason is not None or not (
        os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)
    )
    if read_only and version < SCHEMA_VERSION:
        raise BoardFileError(
            f"{path} was written by an older pkanban and is read-only — make it writable once"
            " so that it can be upgraded"
        )
    conn = _connect(path, read_only)
    store = Store(conn, path, read_only=read_only, read_only_reason=read_only_reason or READ_ONLY)
    if version < SCHEMA_VERSION:
        if version:
            _back_up_before_migrating(conn, path)
        with store.transaction():
            migrate(store.conn, version)
    if (
        not read_only
        and not conn.execute("SELECT 1 FROM board_meta WHERE key = 'board_id'").fetchone()
    ):
        with store.transaction():
            ensure_board_id(store.conn)
    return store


def _back_up_before_migrating(conn: sqlite3.Connection, path: Path) -> Path:
    """Copy the board as it is to `backups/<board>-before-v<N>-<UTC time>.db` (private, never
    over another file) before a migration changes it in place."""
    folder = path.parent / "backups"
    folder.mkdir(mode=0o700, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    for number in range(1, 1000):
        suffix = "" if number == 1 else f"-{number}"
        target = folder / f"{path.stem}-before-v{SCHEMA_VERSION}-{stamp}{suffix}.db"
        try:
            os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, 0o600))
        except FileExistsError:
            continue
        except OSError as error:
            raise BoardFileError(
                f"Cannot back up {path} before upgrading it: {error.strerror}"
            ) from None
        copy = sqlite3.connect(target)
        try:
            conn.backup(copy)
        finally:
            copy.close()
        return target
    raise BoardFileError(f"Cannot back up {path} before upgrading it: too many backups this second")


def _create_private_file(path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as error:
        raise BoardFileError(f"Cannot create {path}: {error.strerror}") from None
    os.chmod(path, 0o600)


def inspect_board(path: Path) -> int:
    """Check an existing file read-only and return its schema version, or refuse it."""
    if path.stat().st_size == 0:
        raise BoardFileError(f"{path} is an empty file, not a pkanban board")
    with path.open("rb") as file:
        if file.read(16) != b"SQLite format 3\x00":
            raise BoardFileError(f"{path} is not a pkanban board (not an SQLite database)")
    side_files = [path.with_name(path.name + suffix) for suffix in ("-wal", "-shm")]
    existing = {side for side in side_files if side.exists()}
    try:
        return _read_version(path)
    except BoardFileError:
        # A read-only look at a WAL file leaves empty -wal/-shm behind: tidy what we made.
        for side in side_files:
            if side not in existing and side.exists() and side.stat().st_size <= 32768:
                side.unlink(missing_ok=True)
        raise


def _read_version(path: Path) -> int:
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
    except sqlite3.Error as error:
        raise BoardFileError(f"Cannot open {path}: {error}") from None
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise BoardFileError(
                f"{path} was written by a newer pkanban (schema {version}, this one knows"
                f" {SCHEMA_VERSION}) — upgrade pkanban to open it"
            )
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        marker = None
        if "board_meta" in tables:
            marker = conn.execute("SELECT value FROM board_meta WHERE key = 'app'").fetchone()
        if version == 0 or marker is None or marker[0] != APP_MARKER:
            raise BoardFileError(f"{path} is an SQLite database but not a pkanban board")
        return version
    except sqlite3.DatabaseError as error:
        text = str(error)
        if "locked" in text:
            raise BoardFileError(f"{path} is locked by another program; try again") from None
        if "not a database" in text or "malformed" in text:
            raise BoardFileError(f"{path} is not a pkanban board (damaged or not SQLite)") from None
        raise BoardFileError(f"Cannot read {path}: {text}") from None
    finally:
        conn.close()


def _connect(path: Path, read_only: bool = False) -> sqlite3.Connection:
    uri = _read_only_uri(path) if read_only else f"file:{quote(str(path))}?mode=rw"
    conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA synchronous = FULL")
    with suppress(sqlite3.OperationalError):  # a read-only file keeps its mode; reads still work
        conn.execute("PRAGMA journal_mode = WAL")
    if _replicating(conn):
        conn.execute("PRAGMA wal_autocheckpoint = 0")
    return conn


def _replicating(conn: sqlite3.Connection) -> bool:
    """Whether the board streams to a replica: Litestream then owns checkpoints (one from us
    makes it lose its place and upload a whole new snapshot), so ours are turned off."""
    try:
        row = conn.execute(
            "SELECT json_extract(value, '$.url') FROM board_meta WHERE key = 'replica'"
        ).fetchone()
    except sqlite3.Error:  # a board being created has no board_meta yet
        return False
    return bool(row and row[0])


def _read_only_uri(path: Path) -> str:
    """Read-only access that works even where SQLite cannot create its `-wal`/`-shm` files.

    A WAL board in a folder we cannot write (read-only filesystem, or no write permission) can
    only be read as `immutable`: plain `mode=ro` needs the `-shm` file. That is safe then, as
    no one can be writing it — a writer would need a `-wal` beside it, and when there is one we
    read through it with plain `mode=ro`.
    """
    uri = f"file:{quote(str(path))}?mode=ro"
    side_files_possible = os.access(path.parent, os.W_OK)
    if not side_files_possible and not path.with_name(path.name + "-wal").exists():
        uri += "&immutable=1"
    return uri


def _run(conn: sqlite3.Connection, statement: str) -> None:
    try:
        conn.execute(statement)
    except sqlite3.OperationalError as error:
        if "locked" in str(error) or "busy" in str(error):
            raise PkanbanError("The board is busy in another window; try again") from None
        raise


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _card_id(table: str, row_id: int, row: dict | None) -> int | None:
    """The card an event is about, so a card's history is one indexed lookup."""
    return row_id if table == "cards" else (row or {}).get("card_id")


# One encoder for every snapshot: `json.dumps` with options builds a new one per call.
_SNAPSHOT_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)


def _json(row: dict | None) -> str | None:
    return None if row is None else _SNAPSHOT_ENCODER.encode(row)
