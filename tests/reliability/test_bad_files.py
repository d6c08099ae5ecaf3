"""Bad files and a full disk: one clear line, exit 1, the file left byte-for-byte, no traceback."""

import hashlib
import os
import resource
import sqlite3
import stat
import subprocess
from pathlib import Path

import pytest

from pkanban.services.demo import build_demo
from pkanban.store.database import open_store
from pkanban.store.schema import SCHEMA_VERSION
from tests.conftest import TODAY, pkanban_command
from tests.reliability.tally import record


def run(db: Path, *args: str, **kwargs) -> subprocess.CompletedProcess:
    command = pkanban_command(db, *args)
    return subprocess.run(command, capture_output=True, text=True, **kwargs)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"


def make_board(path: Path) -> None:
    store = open_store(path, create=True)
    build_demo(store, TODAY)
    store.close()


def truncated(path):
    make_board(path)
    path.write_bytes(path.read_bytes()[: 3 * 4096 + 100])


def random_bytes(path):
    path.write_bytes(os.urandom(64 * 1024))


def empty(path):
    path.write_bytes(b"")


def directory(path):
    path.mkdir()


def newer(path):
    make_board(path)
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()


def foreign(path):
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (body TEXT)")
    conn.execute("INSERT INTO notes VALUES ('mine')")
    conn.commit()
    conn.close()


def csv_file(path):
    path.write_text("title,value\nAcme,1\n")


BAD = [truncated, random_bytes, empty, directory, newer, foreign, csv_file]


@pytest.mark.parametrize("make", BAD, ids=[m.__name__ for m in BAD])
@pytest.mark.parametrize("command", [("ls",), ("add", "Acme"), ("stats",), ("undo",)])
def test_a_bad_file_is_refused_with_one_line_and_left_as_it_was(tmp_path, make, command):
    path = tmp_path / "board.db"
    make(path)
    before = digest(path)
    result = run(path, *command)
    lines = result.stderr.strip().splitlines()
    survived = (
        result.returncode == 1
        and len(lines) == 1
        and lines[0].startswith("pkanban: ")
        and "Traceback" not in result.stderr
        and digest(path) == before
        and sorted(p.name for p in tmp_path.iterdir()) == ["board.db"]
    )
    record("bad board file", survived)
    assert survived, result.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_a_read_only_board_reads_but_refuses_writes(tmp_path):
    path = tmp_path / "board.db"
    make_board(path)
    path.chmod(0o400)
    before = digest(path)
    assert run(path, "ls").returncode == 0
    result = run(path, "add", "Acme")
    assert result.returncode == 1 and "read-only" in result.stderr
    assert digest(path) == before


def limit_file_size(size: int):
    def apply():
        resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))

    return apply


def test_a_disk_that_fills_up_mid_write_changes_nothing(tmp_path):
    path = tmp_path / "board.db"
    make_board(path)
    before = digest(path)
    # Writes past 40 KiB into any file fail (EFBIG), as on a disk that fills up mid-write:
    # the write-ahead log runs out of room after a few pages of this big card.
    result = run(
        path, "add", "x" * 1900, "--next", "y" * 19000, preexec_fn=limit_file_size(40 * 1024)
    )
    survived = (
        result.returncode == 1
        and "Traceback" not in result.stderr
        and len(result.stderr.strip().splitlines()) == 1
        and "nothing was changed" in result.stderr
    )
    ok = run(path, "ls", "--json")
    survived = survived and ok.returncode == 0 and "x" * 1900 not in ok.stdout
    record("disk full mid-write", survived)
    assert survived, result.stderr
    assert digest(path) == before or ok.returncode == 0


@pytest.mark.parametrize("umask", [0o000, 0o022])
def test_everything_holding_contacts_is_created_private(tmp_path, umask):
    old = os.umask(umask)
    try:
        db = tmp_path / "board.db"
        assert run(db, "init").returncode == 0
        assert run(db, "add", "Acme", "--email", "ana@acme.test").returncode == 0
        assert run(db, "backup").returncode == 0
        assert run(db, "backup", str(tmp_path / "mine.db")).returncode == 0
    finally:
        os.umask(old)
    created = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert {p.name for p in created} >= {"board.db", "mine.db"}
    for path in created:
        mode = stat.S_IMODE(path.stat().st_mode)
        record("private file", mode == 0o600)
        assert mode == 0o600, (path, oct(mode))
