"""Files pkanban writes and reads for a seller: an export or a backup never goes through a
symlink, a device or a pipe, never replaces a file unless asked, and is whole or absent; restore
and import read their sources without leaving anything behind; a read-only board still reads."""

import os
import shutil
import sqlite3
import stat
import subprocess
from datetime import UTC, datetime

import pytest

from pkanban.cli.main import cli
from pkanban.io import files
from pkanban.services import backup as backups
from tests.conftest import pkanban_command


def leftovers(folder):
    return sorted(path.name for path in folder.iterdir() if path.name.endswith(".tmp"))


def test_an_export_through_a_symlink_is_refused_and_the_linked_file_untouched(
    board_shell, tmp_path
):
    board_shell("add", "Acme")
    precious = tmp_path / "precious.txt"
    precious.write_text("my notes")
    (tmp_path / "out.md").symlink_to(precious)

    for force in ([], ["--force"]):
        result = board_shell("export", "-o", str(tmp_path / "out.md"), *force)
        assert result.exit_code == 1
        assert "out.md is a symlink, not a file — name a new file" in result.stderr

    assert precious.read_text() == "my notes"
    assert (tmp_path / "out.md").is_symlink()
    assert not leftovers(tmp_path)


def test_an_export_to_a_fifo_is_refused_without_blocking(board_shell, db_path, tmp_path):
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)

    done = subprocess.run(
        pkanban_command(db_path, "export", "-o", str(fifo), "--force"),
        capture_output=True,
        text=True,
        timeout=60,  # opening the FIFO to write would wait for a reader forever
    )

    assert done.returncode == 1
    assert "pipe.md is a FIFO (named pipe), not a file" in done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_an_export_to_dev_null_is_refused_and_it_stays_a_device(board_shell):
    result = board_shell("export", "--format", "csv", "-o", "/dev/null", "--force")

    assert result.exit_code == 1
    assert result.stderr == "pkanban: /dev/null is a device, not a file — name a new file\n"
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)  # as root it could have become a file


def test_a_folder_is_refused_as_an_export_target(board_shell, tmp_path):
    result = board_shell("export", "-o", str(tmp_path), "--force")

    assert result.exit_code != 0
    assert "is a directory" in result.stderr or "is a folder" in result.stderr


def test_an_existing_export_is_kept_without_force_and_replaced_with_it(board_shell, tmp_path):
    board_shell("add", "Acme")
    report = tmp_path / "out.md"
    report.write_text("last week's report")

    refused = board_shell("export", "-o", str(report))
    assert refused.exit_code == 1
    assert refused.stderr == f"pkanban: {report} exists — add --force to replace it\n"
    assert report.read_text() == "last week's report"

    replaced = board_shell("export", "-o", str(report), "--force")
    assert replaced.exit_code == 0
    assert report.read_text().startswith("# Pipeline")
    assert "Acme" in report.read_text()
    assert stat.S_IMODE(report.stat().st_mode) == 0o600
    assert not leftovers(tmp_path)


@pytest.mark.parametrize("fmt", ["md", "obsidian", "csv", "json"])
def test_every_export_format_refuses_to_replace_a_file_unasked(board_shell, tmp_path, fmt):
    target = tmp_path / "out.txt"
    target.write_text("keep me")

    result = board_shell("export", "--format", fmt, "-o", str(target))

    assert result.exit_code == 1 and "add --force" in result.stderr
    assert target.read_text() == "keep me"


def test_an_existing_backup_is_kept_without_force_and_replaced_with_it(board_shell, tmp_path):
    saved = tmp_path / "monday.db"
    saved.write_text("not yet a backup")

    refused = board_shell("backup", str(saved))
    assert refused.exit_code == 1
    assert "monday.db exists — add --force to replace it" in refused.stderr
    assert saved.read_text() == "not yet a backup"

    board_shell("add", "Acme")
    assert board_shell("backup", str(saved), "--force").exit_code == 0
    assert saved.read_bytes().startswith(b"SQLite format 3\x00")
    assert "Acme" in board_shell("--db", str(saved), "ls").output
    assert not leftovers(tmp_path)


def test_a_backup_is_never_written_through_a_symlink(board_shell, tmp_path):
    precious = tmp_path / "precious.txt"
    precious.write_text("my notes")
    (tmp_path / "saved.db").symlink_to(precious)

    result = board_shell("backup", str(tmp_path / "saved.db"), "--force")

    assert result.exit_code == 1 and "is a symlink" in result.stderr
    assert precious.read_text() == "my notes"


def test_the_temporary_file_is_gone_after_a_failed_write(board_shell, tmp_path, monkeypatch):
    def disk_full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files.os, "link", disk_full)
    monkeypatch.setattr(files.os, "replace", disk_full)

    export = board_shell("export", "-o", str(tmp_path / "new.md"))
    backup = board_shell("backup", str(tmp_path / "board-copy.db"))

    assert export.exit_code == 1 and "No space left on device" in export.stderr
    assert backup.exit_code == 1
    assert not leftovers(tmp_path)
    assert not (tmp_path / "new.md").exists() and not (tmp_path / "board-copy.db").exists()


def test_two_backups_in_the_same_second_are_both_kept(board_shell, db_path, monkeypatch):
    class Frozen(datetime):
        @classmethod
        def now(cls, tz=None):
            return datetime(2026, 11, 25, 9, 30, 0, tzinfo=UTC)

    monkeypatch.setattr(backups, "datetime", Frozen)

    first = board_shell("backup")
    board_shell("add", "Acme Corp")
    second = board_shell("backup")

    folder = db_path.parent / "backups"
    assert first.output == f"Backed up to {folder / 'board-20261125-093000.db'}\n"
    assert second.output == f"Backed up to {folder / 'board-20261125-093000-2.db'}\n"
    first_cards = board_shell("--db", str(folder / "board-20261125-093000.db"), "ls", "--json")
    second_cards = board_shell("--db", str(folder / "board-20261125-093000-2.db"), "ls", "--json")
    assert "Acme Corp" not in first_cards.output
    assert "Acme Corp" in second_cards.output


def test_restore_leaves_no_side_files_beside_the_source(board_shell, tmp_path):
    board_shell("add", "Acme")
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    saved = shelf / "saved.db"
    board_shell("backup", str(saved))
    board_shell("add", "Initech")

    result = board_shell("restore", str(saved))

    assert result.exit_code == 0, result.output
    assert sorted(path.name for path in shelf.iterdir()) == ["saved.db"]
    titles = board_shell("ls").output
    assert "Acme" in titles and "Initech" not in titles


def test_restore_from_a_copy_of_a_live_board_includes_its_wal(board_shell, db_path, tmp_path):
    """A board copied with its `-wal` while open: the restored board has the WAL's changes."""
    board_shell("add", "Acme")
    live = sqlite3.connect(db_path)
    live.execute("PRAGMA wal_autocheckpoint = 0")
    live.execute("UPDATE cards SET title = 'Acme Corporation'")
    live.commit()
    shelf = tmp_path / "shelf"
    shelf.mkdir()
    shutil.copy(db_path, shelf / "copy.db")
    shutil.copy(f"{db_path}-wal", shelf / "copy.db-wal")
    live.close()
    board_shell("add", "Initech")

    result = board_shell("restore", str(shelf / "copy.db"))

    assert result.exit_code == 0, result.output
    assert "Acme Corporation" in board_shell("ls").output
    assert sorted(path.name for path in shelf.iterdir()) == ["copy.db", "copy.db-wal"]


LEADS = "Deal Name,Amount\nAcme Corp,12000\nInitech,4500\n"


def test_import_dash_reads_the_csv_from_stdin(board_shell, db_path):
    result = board_shell.runner.invoke(
        cli,
        ["--db", str(db_path), "--today", board_shell.today.isoformat(), "import", "-"],
        input=LEADS,
    )

    assert result.exit_code == 0, result.output
    assert "stdin" in result.output
    listed = board_shell("ls").output
    assert "Acme Corp" in listed and "Initech" in listed


def test_import_dev_stdin_reads_the_stream(board_shell, db_path):
    done = subprocess.run(
        pkanban_command(db_path, "import", "/dev/stdin", "--dry-run"),
        input=LEADS,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert done.returncode == 0, done.stderr
    assert "No file" not in done.stderr
    assert "2" in done.stdout and "stdin" in done.stdout


def test_import_of_a_folder_is_still_refused(board_shell, tmp_path):
    result = board_shell("import", str(tmp_path))

    assert result.exit_code != 0
    assert "folder" in result.stderr or "directory" in result.stderr


def test_a_board_we_may_not_write_opens_read_only(board_shell, db_path, tmp_path, monkeypatch):
    """Simulated: as root the permission bits of a 0555 folder are ignored, so `os.access`
    says no here; the read-only-filesystem test below runs the real thing where it can."""
    board_shell("add", "Acme")
    real_access = os.access

    def no_writes(path, mode, **kwargs):
        return False if mode & os.W_OK else real_access(path, mode, **kwargs)

    monkeypatch.setattr(os, "access", no_writes)

    listed = board_shell("ls")
    shown = board_shell("show", "1")
    stats = board_shell("stats")
    export = board_shell("export", "-o", str(tmp_path / "report.md"))
    add = board_shell("add", "Initech")

    assert listed.exit_code == 0 and "Acme" in listed.output
    assert shown.exit_code == 0 and stats.exit_code == 0
    assert export.exit_code == 0 and "Acme" in (tmp_path / "report.md").read_text()
    assert add.exit_code == 1
    assert add.stderr == "pkanban: The board file is read-only; nothing was changed\n"
    monkeypatch.undo()
    assert "Initech" not in board_shell("ls").output


def _read_only_mounts_work() -> bool:
    if not shutil.which("unshare"):
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs none /mnt && mount -o remount,ro /mnt"],
        capture_output=True,
    )
    return probe.returncode == 0


@pytest.mark.skipif(
    not _read_only_mounts_work(),
    reason="needs `unshare -rm` to mount a read-only folder (root ignores a 0555 folder's bits)",
)
def test_a_board_on_a_read_only_filesystem_reads_and_refuses_writes(board_shell, db_path, tmp_path):
    board_shell("add", "Acme")
    folder = tmp_path / "read-only"
    folder.mkdir()
    board_shell("backup", str(folder / "board.db"))  # a closed board: no -wal, no -shm
    script = (
        f'mount --bind "{folder}" "{folder}" && mount -o remount,bind,ro "{folder}"'
        " && for args in 'ls' 'show 1' 'stats' 'export -o {out}' 'add Initech'; do"
        ' {command} $args; echo "rc=$?"; done'
    )
    command = " ".join(f'"{part}"' for part in pkanban_command(folder / "board.db"))
    out = tmp_path.parent / f"{tmp_path.name}-report.md"
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", script.format(command=command, out=out)],
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.stdout.count("rc=0") == 4, done.stdout + done.stderr
    assert "Acme" in done.stdout and "Acme" in out.read_text()
    assert "The board file is read-only; nothing was changed" in done.stderr
    assert sorted(path.name for path in folder.iterdir()) == ["board.db"]
    out.unlink()
