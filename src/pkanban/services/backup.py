"""Backups through SQLite's backup API (a copy of the .db alone is not a backup under WAL)."""

import json
import os
import shutil
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path

from pkanban.domain.errors import InvalidInput, PkanbanError
from pkanban.io import files
from pkanban.store import board
from pkanban.store.database import ActionLog, BoardFileError, Store, inspect_board
from pkanban.store.schema import SCHEMA_VERSION, migrate
from pkanban.store.tables import MACHINE_META_KEYS

BOARD_BEFORE = "; the board before it is in "
"""Joins a restore's summary to where the board before it was backed up (undo names it)."""


def default_backup_path(store: Store) -> Path:
    """`backups/<board>-<UTC time to the second>.db` next to the board (`backup` adds -2, -3 …
    when that name is taken, so two backups in one second are both kept)."""
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return store.path.parent / "backups" / f"{store.path.stem}-{stamp}.db"


def backup(store: Store, destination: Path | None = None, *, replace: bool = False) -> Path:
    """Write a consistent copy of the board to a new private file and return its path.

    An existing file at `destination` is replaced only with `replace` (`--force`); without a
    destination the default name is used, or the next free one after it.
    """
    if destination is None:
        destination, next_free = default_backup_path(store), True
    else:
        destination, next_free = Path(destination).expanduser(), False
    try:
        destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as error:
        folder = files.shown(destination.parent)
        raise PkanbanError(f"Cannot make the folder {folder}: {error.strerror}") from None

    def fill(_: int, temporary: Path) -> None:
        target = sqlite3.connect(temporary)
        try:
            store.conn.backup(target)
        except sqlite3.Error as error:
            raise PkanbanError(f"Backup to {files.shown(destination)} failed: {error}") from None
        finally:
            target.close()

    return files.write_file(destination, fill, replace=replace, next_free=next_free)


def restore(store: Store, today: date, source: Path) -> Path:
    """Replace the board with the backup at `source`; the current board is backed up first.

    Returns the path of that safety backup. The source is only ever read as bytes: it (and a
    `-wal` beside it, so a backup taken from a live board is complete) is copied into a private
    staging file next to the board, and SQLite opens only that copy — so no `-wal`/`-shm` is
    ever created beside the source. A copy that is not a pkanban board is refused before the
    board is touched. The staged copy is migrated and stamped with the `restored` action, then
    copied over the board in one backup step, so a crash leaves either the old board or the
    restored one, never a mix.
    """
    if store.read_only:
        raise PkanbanError(store.read_only_reason)
    source = Path(source).expanduser()
    if not source.is_file():
        raise PkanbanError(f"No backup file at {files.shown(source)}")
    if source.resolve() == store.path.resolve():
        raise PkanbanError("That is the board itself; name a backup file")
    staging_path = store.path.parent / f".{store.path.stem}-restore-{os.getpid()}.db"
    staged = [staging_path.with_name(staging_path.name + side) for side in ("", "-wal", "-shm")]
    for path in staged:
        path.unlink(missing_ok=True)
    try:
        _stage(source, staging_path)
        try:
            version = inspect_board(staging_path)
        except BoardFileError as error:
            message = str(error).replace(str(staging_path), files.shown(source))
            raise BoardFileError(message) from None
        staging = Store(sqlite3.connect(staging_path, isolation_level=None), staging_path)
        try:
            if version < SCHEMA_VERSION:
                with staging.transaction():
                    migrate(staging.conn, version)
            _check_contents(staging, today, source)
            safety = backup(store)
            summary = f"Restored from {source.name}{BOARD_BEFORE}{files.shown(safety)}"
            with staging.action("restored", summary, today) as log:
                _keep_this_machines_settings(store, staging, log)
            staging.conn.backup(store.conn)
        finally:
            staging.close()
    except sqlite3.Error as error:
        raise BoardFileError(f"Restore from {files.shown(source)} failed: {error}") from None
    finally:
        for path in [*staged, staging_path.with_name(staging_path.name + "-journal")]:
            path.unlink(missing_ok=True)
    return safety


def _check_contents(staging: Store, today: date, source: Path) -> None:
    """A backup may come from anyone: its every row is checked exactly like a JSON dump's
    (io/dump_schema.py — the services' own limits), so a file pkanban would refuse as a dump
    never becomes the board."""
    from pkanban.io import json_dump
    from pkanban.services.transfer import dump_board

    try:
        json_dump.decode(dump_board(staging, today).encode(), SCHEMA_VERSION)
    except InvalidInput as error:
        message = str(error).replace("The dump's ", "its ").replace("The dump ", "it ")
        shown = files.shown(source)
        raise InvalidInput(f"{shown} is not a board pkanban can trust: {message}") from None


def _keep_this_machines_settings(store: Store, staging: Store, log: ActionLog) -> None:
    """Where the board streams to (and other settings of this machine) stay this board's: a
    file from elsewhere must not make the board stream to a replica its author chose."""
    for key in MACHINE_META_KEYS:
        ours = board.meta_text(store.conn, key)
        if ours != board.meta_text(staging.conn, key):
            log.set_meta(key, None if ours is None else json.loads(ours))


def _stage(source: Path, staging_path: Path) -> None:
    """Copy the source file and its `-wal` (if any) into private staging files, as bytes."""
    wal = source.with_name(source.name + "-wal")
    pairs = [(source, staging_path)]
    if wal.is_file():
        pairs.append((wal, staging_path.with_name(staging_path.name + "-wal")))
    for original, copy in pairs:
        _create_private(copy)
        with original.open("rb") as reading, copy.open("wb") as writing:
            shutil.copyfileobj(reading, writing)


def _create_private(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as error:
        raise PkanbanError(f"Cannot write {path}: {error.strerror}") from None
