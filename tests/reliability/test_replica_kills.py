"""SIGKILL the board's writer and its replicator at random moments: every time pkanban starts
Litestream, the replica restores to a consistent board — integrity ok, its history a prefix of
what the board committed.

Between a kill and that start the replica can be ahead of the board: Litestream 0.5 ships a
commit a killed writer wrote to the WAL but never published in the wal-index, and SQLite then
drops it (Litestream's own checkpoint writes over it). pkanban finds that before it starts
Litestream again — an action the board never kept, or a damaged newest board, which a restore
refuses — and uploads a fresh snapshot; this test counts how often that happened.
"""

import random
import signal
import subprocess
import sys
import time
from datetime import date

import pytest

from pkanban.services import replica
from pkanban.store.database import BoardFileError, open_store
from tests.reliability.canonical import integrity_ok
from tests.reliability.tally import SURVIVED, TRIED
from tests.replica_support import litestream, replicating, wait_for_replica

__all__ = ["litestream"]

ROUNDS = 60  # 20 of each: the board's writer, the replicator, both

WRITER = """
import sys
from datetime import date
from pathlib import Path
from pkanban.domain.errors import PkanbanError
from pkanban.services.cards import NewCard, add_card, log_touch, move_card
from pkanban.store.database import BoardFileError, open_store

store = open_store(Path(sys.argv[1]))
today = date(2026, 11, 25)
number = 0
while True:
    number += 1
    try:
        card = add_card(store, today, NewCard(title=f"Lead {number}", value=number))
        log_touch(store, today, card.id, "call", f"Call {number}")
        if number % 3 == 0:
            move_card(store, today, card.id, stage="Contacted")
    except PkanbanError:
        pass
"""


def history(path) -> list[tuple]:
    conn = open_store(path)
    try:
        rows = conn.conn.execute("SELECT id, kind, summary FROM actions ORDER BY id").fetchall()
        events = conn.conn.execute(
            "SELECT id, action_id, entity, entity_id, after FROM events ORDER BY id"
        ).fetchall()
        return rows, events
    finally:
        conn.close()


@pytest.mark.slow
def test_kills_of_the_board_and_the_replicator_leave_a_consistent_replica(litestream, tmp_path):
    url = f"file://{tmp_path}/replica"
    board = tmp_path / "board.db"
    store = open_store(board, create=True)
    replica.set_replica(store, date(2026, 11, 25), url)
    board_id = replica.replica_setting(store.conn).board_id
    store.close()
    pick = random.Random(2020)
    for round_number in range(ROUNDS):
        victim = ("board", "replicator", "both")[round_number % 3]
        TRIED[f"replica kill: {victim}"] += 1
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(board)])
        with replicating(board, url) as replicator:
            time.sleep(pick.uniform(0.3, 1.5))
            if victim in ("board", "both"):
                writer.send_signal(signal.SIGKILL)
            if victim in ("replicator", "both"):
                replicator.send_signal(signal.SIGKILL)
            time.sleep(pick.uniform(0.0, 0.5))
            writer.kill()
            writer.wait()
        actions, events = history(board)
        shipped_beyond_the_board = not is_prefix(replicated_history(url), (actions, events))

        said = replica.check_replica(board, url, board_id)  # what pkanban does before a start

        assert bool(said) == shipped_beyond_the_board, (round_number, victim, said)
        if said:
            TRIED["replica kill: reseeded"] += 1
            SURVIVED["replica kill: reseeded"] += 1
        copied = replicated_history(url)
        assert copied is not None and is_prefix(copied, (actions, events)), round_number
        SURVIVED[f"replica kill: {victim}"] += 1
    with replicating(board, url):  # and the next run ships what the kills left behind
        wait_for_replica(url, board)


def replicated_history(url: str) -> tuple[list, list] | None:
    """The replica's actions and events from a checked restore (integrity, a pkanban board);
    none before Litestream's first upload (the empty prefix); None when the restore is
    refused as damaged."""
    if replica.replica_position(url) is None:
        return [], []
    try:
        with replica.restored_copy(url) as copy:
            assert integrity_ok(copy)
            return history(copy)
    except BoardFileError:
        return None


def is_prefix(copied: tuple[list, list] | None, committed: tuple[list, list]) -> bool:
    if copied is None:
        return False
    (copied_actions, copied_events), (actions, events) = copied, committed
    return (
        copied_actions == actions[: len(copied_actions)]
        and copied_events == events[: len(copied_events)]
    )
