"""A seller's pipeline outlives the laptop: the board streams to a Litestream replica, and the
replica restores the board exactly — the latest, or as it was at a time."""

import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from pkanban.domain.errors import PkanbanError
from pkanban.services import replica, undo
from pkanban.services.cards import NewCard, add_card, log_touch, mark_lost, mark_won, move_card
from pkanban.store.database import open_store
from tests.conftest import Shell
from tests.reliability.canonical import integrity_ok
from tests.replica_support import litestream, replicating, s3_server, wait_for_replica

__all__ = ["litestream"]

STAGES = ("Leads", "Contacted", "Discovery", "Proposal", "Negotiation")


def mixed_actions(store, today: date, count: int, seed: int) -> int:
    """`count` tries of add/move/touch/won/lost/undo, as a working day would have them;
    refused ones (a full stage, a closed card) change nothing. Returns how many committed."""
    pick = random.Random(seed)
    committed = 0
    for number in range(count):
        open_ids = [
            row[0] for row in store.conn.execute("SELECT id FROM cards WHERE disposition = 'open'")
        ]
        kind = pick.choice(["add", "add", "move", "move", "touch", "won", "lost", "undo"])
        try:
            if kind == "add" or not open_ids:
                add_card(store, today, NewCard(title=f"Prospect {number}", value=number * 100))
            elif kind == "move":
                move_card(store, today, pick.choice(open_ids), stage=pick.choice(STAGES))
            elif kind == "touch":
                log_touch(store, today, pick.choice(open_ids), "call", f"Call {number}")
            elif kind == "won":
                mark_won(store, today, pick.choice(open_ids))
            elif kind == "lost":
                mark_lost(store, today, pick.choice(open_ids), "No budget")
            else:
                undo.undo_last(store, today)
            committed += 1
        except PkanbanError:
            pass
    return committed


def board_views(shell: Shell, db: Path) -> tuple[str, str]:
    """What the seller sees: every card and the whole history, as JSON."""
    cards = shell("--db", str(db), "ls", "--all", "--json")
    history = shell("--db", str(db), "log", "--json")
    assert cards.exit_code == 0 and history.exit_code == 0
    return cards.output, history.output


def replicated_board(litestream, tmp_path, today, url: str):
    store = open_store(tmp_path / "board.db", create=True)
    replica.set_replica(store, today, url)
    return store


def test_a_replica_url_is_checked_and_never_holds_a_secret(board_shell):
    for bad, says in [
        ("http://example.com/x", "starts with one of"),
        ("s3://ab/board", "at least 3 characters"),
        ("s3://key:secret@bucket/board", "Credentials never go into the board"),
        ("s3://bucket/board?secret-access-key=abc", "Credentials never go into the board"),
        ("file://relative/path", "absolute path"),
        ("s3:///board", "names no bucket"),
        ("abs://acct@container/x?sv=2020&sig=SECRET", "Credentials never go into the board"),
        ("file:///tmp/r\u009b31m", "no spaces or control characters"),
        ("file:///tmp/r\u202eevil", "no spaces or control characters"),
    ]:
        result = board_shell("config", "set", "replica", bad)
        assert result.exit_code == 1 and says in result.output, bad


def test_setting_a_replica_is_recorded_and_undone_like_any_setting(
    litestream, board_shell, tmp_path
):
    url = f"file://{tmp_path}/replica"
    assert board_shell("config", "set", "replica", url).exit_code == 0
    assert url in board_shell("config", "show").output
    assert json.loads(board_shell("config", "show", "--json").output)["replica"] == url
    assert f"Replicate to {url}" in board_shell("log").output
    assert board_shell("undo").exit_code == 0
    assert json.loads(board_shell("config", "show", "--json").output)["replica"] is None
    assert board_shell("config", "set", "replica", url).exit_code == 0
    assert "nothing replicates" in board_shell("config", "set", "replica", "off").output


def test_without_litestream_setting_a_replica_says_how_to_install_it(board_shell, monkeypatch):
    monkeypatch.setattr(replica.sysconfig, "get_path", lambda _: "/nonexistent")
    monkeypatch.setattr(replica.sys, "executable", "/nonexistent/python")
    monkeypatch.setenv("PATH", "/nonexistent")
    result = board_shell("config", "set", "replica", "s3://bucket/board")
    assert result.exit_code == 1
    assert "uv tool install 'pkanban[replica]'" in result.output


def test_a_board_with_a_replica_leaves_checkpoints_to_litestream(litestream, tmp_path, today):
    store = replicated_board(litestream, tmp_path, today, f"file://{tmp_path}/replica")
    assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    again = store.reopen()
    assert again.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
    again.close()
    store.close()


@pytest.mark.slow
def test_two_hundred_actions_restore_exactly_from_a_file_replica(
    litestream, tmp_path, today, shell
):
    url = f"file://{tmp_path}/replica"
    store = replicated_board(litestream, tmp_path, today, url)
    with replicating(store.path, url):
        assert mixed_actions(store, today, 200, seed=20) > 100
        wait_for_replica(url, store.path)
    out = tmp_path / "restored.db"
    with replica.restored_copy(url) as copy:
        assert board_views(shell, copy) == board_views(shell, store.path)
    restored = shell("restore", "--from-replica", url, "-o", str(out))
    assert restored.exit_code == 0, restored.output
    cards, _ = board_views(shell, out)
    assert cards == board_views(shell, store.path)[0]
    refused = shell("restore", "--from-replica", url, "-o", str(out))
    assert refused.exit_code == 1 and "--force" in refused.output
    store.close()


@pytest.mark.slow
def test_at_restores_the_board_as_it_was_then(litestream, tmp_path, today, shell):
    url = f"file://{tmp_path}/replica"
    store = replicated_board(litestream, tmp_path, today, url)
    with replicating(store.path, url):
        mixed_actions(store, today, 40, seed=1)
        wait_for_replica(url, store.path)
        earlier = board_views(shell, store.path)
        time.sleep(1.5)
        moment = datetime.now(UTC)
        time.sleep(1.5)
        mixed_actions(store, today, 40, seed=2)
        wait_for_replica(url, store.path)
    with replica.restored_copy(url, moment) as copy:
        assert board_views(shell, copy) == earlier
    at = moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")
    out = tmp_path / "then.db"
    assert shell("restore", "--from-replica", url, "--at", at, "-o", str(out)).exit_code == 0
    assert board_views(shell, out)[0] == earlier[0]
    store.close()


@pytest.mark.slow
def test_restoring_from_the_replica_replaces_the_board_after_backing_it_up(
    litestream, tmp_path, today, shell
):
    url = f"file://{tmp_path}/replica"
    store = replicated_board(litestream, tmp_path, today, url)
    with replicating(store.path, url):
        mixed_actions(store, today, 30, seed=3)
        wait_for_replica(url, store.path)
    saved = board_views(shell, store.path)[0]
    store.close()
    assert shell("add", "A card the replica never saw").exit_code == 0
    result = shell("restore", "--from-replica", url)
    assert result.exit_code == 0, result.output
    assert "the board before the restore is in" in result.output
    assert board_views(shell, store.path)[0] == saved
    assert integrity_ok(store.path)


@pytest.mark.slow
def test_a_second_board_may_not_take_over_a_replica(litestream, tmp_path, today, shell):
    url = f"file://{tmp_path}/replica"
    store = replicated_board(litestream, tmp_path, today, url)
    with replicating(store.path, url):
        mixed_actions(store, today, 5, seed=4)
        wait_for_replica(url, store.path)
    other = tmp_path / "other.db"
    assert shell("--db", str(other), "init").exit_code == 0
    assert shell("--db", str(other), "config", "set", "replica", url).exit_code == 0
    refused = shell("--db", str(other), "replicate")
    assert refused.exit_code == 1
    assert "already holds the replica of another board" in refused.output
    replica.check_owner(url, replica.replica_setting(store.conn).board_id)
    store.close()


@pytest.mark.slow
def test_status_says_whether_the_replica_has_the_latest_change(litestream, tmp_path, today, shell):
    url = f"file://{tmp_path}/replica"
    store = replicated_board(litestream, tmp_path, today, url)
    assert replica.status(store).state == "waiting"
    with replicating(store.path, url) as process:
        replica.mark_running(store.path, process.pid)
        add_card(store, today, NewCard(title="Acme"))
        wait_for_replica(url, store.path)
        time.sleep(1.1)  # the replica's time is to the second
        now = replica.status(store)
        assert (now.state, now.running, now.lag_seconds) == ("ok", True, 0)
        assert now.badge == "⇅ 0s"
    time.sleep(1.1)
    add_card(store, today, NewCard(title="Beta"))
    waiting = json.loads(shell("replica", "status", "--json").output)
    assert waiting["state"] == "waiting" and not waiting["running"]
    assert "next run" in shell("replica", "status").output
    store.close()


def test_status_of_a_board_without_a_replica_says_how_to_set_one(board_shell):
    assert "config set replica" in board_shell("replica", "status").output


@pytest.mark.slow
def test_two_hundred_actions_restore_exactly_from_s3(
    litestream, tmp_path, today, shell, monkeypatch
):
    with s3_server(monkeypatch) as url:
        store = replicated_board(litestream, tmp_path, today, url)
        with replicating(store.path, url):
            assert mixed_actions(store, today, 200, seed=5) > 100
            wait_for_replica(url, store.path)
        with replica.restored_copy(url) as copy:
            assert board_views(shell, copy) == board_views(shell, store.path)
        store.close()


@pytest.mark.slow
def test_a_replica_that_holds_a_touch_the_board_lost_is_reseeded_before_it_streams_again(
    litestream, tmp_path, today
):
    """A writer killed mid-commit can leave a touch in the WAL that Litestream ships and SQLite
    then drops; the board reuses its action number for the next card. Before Litestream runs
    again, pkanban notices the replica holds an action the board never kept and reseeds it."""
    url = f"file://{tmp_path}/replica"
    store = replicated_board(litestream, tmp_path, today, url)
    card = add_card(store, today, NewCard(title="Acme", value=1200))
    before_the_touch = tmp_path / "before.db"
    with sqlite3.connect(before_the_touch) as copy:
        store.conn.backup(copy)
    log_touch(store, today, card.id, "call", "Asked for the budget")
    with replicating(store.path, url):
        wait_for_replica(url, store.path)
    touch_id = store.conn.execute("SELECT max(id) FROM actions").fetchone()[0]
    with sqlite3.connect(before_the_touch) as copy:  # SQLite drops the unpublished touch
        copy.backup(store.conn)
    add_card(store, today, NewCard(title="Globex", value=800))  # takes the touch's number
    assert store.conn.execute("SELECT max(id) FROM actions").fetchone()[0] == touch_id
    board_id = replica.replica_setting(store.conn).board_id

    said = replica.check_replica(store.path, url, board_id)

    assert f"action #{touch_id} (touched), which this board does not hold" in said
    with replicating(store.path, url):
        wait_for_replica(url, store.path)
    assert replica.check_replica(store.path, url, board_id) == ""
    store.close()


def test_a_replica_is_a_prefix_of_the_board_only_when_every_action_it_holds_is_the_boards(
    tmp_path, today
):
    store = open_store(tmp_path / "Q4 deals #1?" / "board.db", create=True)
    add_card(store, today, NewCard(title="Acme"))
    shipped = sqlite3.connect(":memory:")
    store.conn.backup(shipped)
    add_card(store, today, NewCard(title="Globex"))
    assert replica.diverged_action(store.path, shipped) == ""  # behind is fine

    store.conn.execute("DELETE FROM events WHERE action_id = (SELECT max(id) FROM actions)")
    store.conn.execute("DELETE FROM actions WHERE id = (SELECT max(id) FROM actions)")
    assert replica.diverged_action(store.path, shipped) == ""  # still a prefix

    log_touch(store, today, 1, "call", "Asked for the budget")  # takes the dropped number
    newest = store.conn.execute("SELECT max(id) FROM actions").fetchone()[0]
    store.conn.backup(shipped)
    store.conn.execute("DELETE FROM events WHERE action_id = ?", [newest])
    store.conn.execute("DELETE FROM actions WHERE id = ?", [newest])
    assert replica.diverged_action(store.path, shipped) == f"action #{newest} (touched)"
    shipped.close()
    store.close()


def test_a_damaged_newest_replica_is_refused_with_the_way_out(tmp_path, monkeypatch):
    """Litestream restores a file that is not an intact board (its newest state was damaged by
    a write that never committed): nothing is installed, and the sentence says what to do."""

    def damaged_restore(*args, timeout=120):
        output = Path(args[args.index("-o") + 1])
        output.write_bytes(b"SQLite format 3\x00" + b"\x00" * 4080)
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(replica, "_run", damaged_restore)
    with pytest.raises(PkanbanError) as refused, replica.restored_copy("file:///tmp/replica"):
        pass
    assert "earlier moment with `--at`" in str(refused.value)
    assert "file:///tmp/replica" in str(refused.value)


@pytest.mark.slow
def test_pkanban_replicate_streams_every_change_until_ctrl_c(litestream, tmp_path, today, shell):
    """The command a systemd unit or a second terminal runs: it says where it replicates, the
    board's status sees it running, every change reaches the replica, and Ctrl+C stops it."""
    url = f"file://{tmp_path}/replica"
    store = replicated_board(litestream, tmp_path, today, url)
    process = subprocess.Popen(
        [sys.executable, "-m", "pkanban", "--db", str(store.path), "replicate"],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        said = process.stderr.readline()
        assert said.startswith("Replicating ") and "(Ctrl+C stops)" in said, said
        mixed_actions(store, today, 20, seed=9)
        wait_for_replica(url, store.path)
        running = json.loads(shell("--db", str(store.path), "replica", "status", "--json").output)
        assert running["running"] is True
        process.send_signal(signal.SIGINT)
        assert process.wait(15) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    stopped = json.loads(shell("--db", str(store.path), "replica", "status", "--json").output)
    assert stopped["running"] is False
    assert "Traceback" not in process.stderr.read()
    store.close()
