"""Backups through SQLite's backup API (a copy of the .db alone is not a backup under WAL)."""

import os
import sqlite3
from datetime import UTC, date, datetime
from pathlib import Path
from urllib.parse import quote

from pkanban.domain.errors import PkanbanError
from pkanban.store.database import BoardFileError, Store, inspect_board
from pkanban.store.schema import SCHEMA_VERSION, migrate


def default_backup_path(store: Store) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return store.path.parent / "backups" / f"{store.path.stem}-{stamp}.db"


def backup(store: Store, destination: Path | None = None) -> Path:
    """Write a consistent copy of the board to a new private file and return its path."""
    destination = Path(destination or default_backup_path(store)).expanduser()
    if destination.exists():
        raise PkanbanError(f"{destination} already exists — choose another path")
    destination.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _create_private(destination)
    target = sqlite3.connect(destination)
    try:
        store.conn.backup(target)
    except sqlite3.Error as error:
        target.close()
        destination.unlink(missing_ok=True)
        raise PkanbanError(f"Backup to {destination} failed: {error}") from None
    target.close()
    return destination


def restore(store: Store, today: date, source: Path) -> Path:
    """Replace the board with the backup at `source`; the current board is backed up first.

    Returns the path of that safety backup. A file that is not a pkanban board is refused
    before anything is touched. The backup is first staged in a private temporary copy (migrated
    and stamped with the `restored` action there), then copied over the board in one backup
    step, so a crash leaves either the old board or the restored one, never a mix.
    """
    source = Path(source).expanduser()
    if not source.is_file():
        raise PkanbanError(f"No backup file at {source}")
    if source.resolve() == store.path.resolve():
        raise PkanbanError("That is the board itself; name a backup file")
    version = inspect_board(source)
    safety = backup(store)
    staging_path = store.path.parent / f".{store.path.stem}-restore-{os.getpid()}.db"
    staging_path.unlink(missing_ok=True)
    try:
        _create_private(staging_path)
        staging = Store(sqlite3.connect(staging_path, isolation_level=None), staging_path)
        try:
            reader = sqlite3.connect(f"file:{quote(str(source))}?mode=ro", uri=True)
            try:
                reader.backup(staging.conn)
            finally:
                reader.close()
            with staging.action("restored", f"Restored from {source.name}", today):
                if version < SCHEMA_VERSION:
                    migrate(staging.conn, version)
            staging.conn.backup(store.conn)
        finally:
            staging.close()
    except sqlite3.Error as error:
        raise BoardFileError(f"Restore from {source} failed: {error}") from None
    finally:
        staging_path.unlink(missing_ok=True)
    return safety


def _create_private(path: Path) -> None:
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as error:
        raise PkanbanError(f"Cannot write {path}: {error.strerror}") from None
