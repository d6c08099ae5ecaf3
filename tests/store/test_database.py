"""Opening board files: private on creation, and anything unsafe refused byte-for-byte."""

import hashlib
import os
import sqlite3
import stat

import pytest

from pkanban.store.database import BoardFileError, open_store
from pkanban.store.schema import SCHEMA_VERSION


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_new_board_and_its_wal_files_are_private_under_a_permissive_umask(tmp_path):
    old = os.umask(0o000)
    try:
        store = open_store(tmp_path / "board.db", create=True)
        store.conn.execute("SELECT 1")
    finally:
        os.umask(old)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["board.db", "board.db-shm", "board.db-wal"]
    for path in tmp_path.iterdir():
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name
    store.close()


def test_pragmas_are_set(store):
    conn = store.conn
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2
    assert conn.execute("PRAGMA busy_timeout").fetchone()[0] > 0
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


def test_a_missing_board_is_an_error_that_says_how_to_create_one(tmp_path):
    with pytest.raises(Exception, match="pkanban init"):
        open_store(tmp_path / "typo.db")
    assert not (tmp_path / "typo.db").exists()


def newer_board(path):
    store = open_store(path, create=True)
    store.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    store.close()


def foreign_sqlite(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.commit()
    conn.close()


def random_bytes(path):
    path.write_bytes(os.urandom(4096))


def text_file(path):
    path.write_text("name,value\nAcme,12000\n")


def truncated_board(path):
    store = open_store(path, create=True)
    store.close()
    path.write_bytes(path.read_bytes()[:1000])


def empty_file(path):
    path.write_bytes(b"")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (newer_board, "newer pkanban"),
        (foreign_sqlite, "not a pkanban board"),
        (random_bytes, "not a pkanban board"),
        (text_file, "not a pkanban board"),
        (truncated_board, "not a pkanban board"),
        (empty_file, "empty file"),
    ],
)
def test_unsafe_files_are_refused_and_left_byte_for_byte(tmp_path, make, message):
    path = tmp_path / "board.db"
    make(path)
    before = digest(path)
    with pytest.raises(BoardFileError, match=message):
        open_store(path)
    assert digest(path) == before


def test_a_directory_is_not_a_board(tmp_path):
    with pytest.raises(BoardFileError, match="directory"):
        open_store(tmp_path)
