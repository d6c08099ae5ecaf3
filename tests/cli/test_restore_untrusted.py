"""A backup file may come from anyone: `restore` checks every row like a dump's, and never
takes the file's replica (its author would receive every later change)."""

import json
import sqlite3

import pytest


@pytest.fixture
def planted(shell, tmp_path):
    """A board file as an attacker would hand it over."""
    evil = tmp_path / "evil.db"
    shell("--db", str(evil), "init")
    shell("--db", str(evil), "add", "Bait")
    return evil


def board(shell, db):
    return shell("--db", str(db), "ls", "--all", "--json").output


@pytest.mark.parametrize(
    ("sql", "says"),
    [
        ("UPDATE stages SET wip_limit = 'abc' WHERE id = 2", "stages #2 has a bad wip_limit"),
        ("UPDATE cards SET value = -500", "cards #1 has a bad value"),
        (
            "UPDATE board_meta SET value = json_set(value, '$.idle_days', 1000000)"
            " WHERE key = 'settings'",
            "idle_days",
        ),
        (
            "UPDATE board_meta SET value = json_set(value, '$.currency', char(27) || '[31m')"
            " WHERE key = 'settings'",
            "currency",
        ),
    ],
)
def test_a_backup_with_rows_pkanban_would_refuse_is_not_restored(
    shell, tmp_path, planted, sql, says
):
    conn = sqlite3.connect(planted)
    conn.execute(sql)
    conn.commit()
    conn.close()
    shell("init")
    shell("add", "Mine")
    before = board(shell, shell.db_path)

    refused = shell("restore", str(planted))

    assert refused.exit_code == 1
    assert "is not a board pkanban can trust" in refused.stderr and says in refused.stderr
    assert board(shell, shell.db_path) == before


def test_a_restored_file_never_brings_its_own_replica(shell, tmp_path, planted):
    assert (
        shell("--db", str(planted), "config", "set", "replica", f"file://{tmp_path}/x").exit_code
        == 0
    )
    shell("init")

    restored = shell("restore", str(planted))

    assert restored.exit_code == 0, restored.output
    assert json.loads(shell("config", "show", "--json").output)["replica"] is None
    assert json.loads(board(shell, shell.db_path))[0]["title"] == "Bait"
