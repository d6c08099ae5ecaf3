"""SIGKILL the board's writer and its replicator at random moments: the replica always
restores to a consistent board — integrity ok, its history a prefix of what was committed."""

import random
import signal
import subprocess
import sys
import time
from datetime import date

import pytest

from pkanban.domain.errors import PkanbanError
from pkanban.services import replica
from pkanban.store.database import BoardFileError, open_store
from tests.reliability.canonical import integrity_ok
from tests.reliability.tally import SURVIVED, TRIED
from tests.replica_support import litestream, replicating, wait_for_replica

__all__ = ["litestream"]

ROUNDS = 24

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


def replicated_history(url: str) -> tuple[list, list] | None:
    """The replica's actions and events; none while nothing has reached it yet (a kill
    before Litestream's first upload leaves an empty replica: the empty prefix). None when
    what Litestream restores is damaged: pkanban's checks refuse it, so it never replaces a
    board (seen after SIGKILLs of Litestream on a loaded machine)."""
    try:
        with replica.restored_copy(url) as copy:  # checks integrity and the board itself
            assert integrity_ok(copy)
            return history(copy)
    except BoardFileError:
        return None
    except PkanbanError as error:
        if "holds no board" not in str(error):
            raise
        return [], []


@pytest.mark.slow
def test_kills_of_the_board_and_the_replicator_leave_a_consistent_replica(litestream, tmp_path):
    url = f"file://{tmp_path}/replica"
    board = tmp_path / "board.db"
    store = open_store(board, create=True)
    replica.set_replica(store, date(2026, 11, 25), url)
    store.close()
    pick = random.Random(2020)
    damaged = False
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
        replicated = replicated_history(url)
        if replicated is None:
            TRIED["replica kill: damaged restore refused"] += 1
            SURVIVED["replica kill: damaged restore refused"] += 1
            SURVIVED[f"replica kill: {victim}"] += 1
            damaged = True
            continue
        copied_actions, copied_events = replicated
        # A prefix of what the board committed — or that plus the one action the writer was
        # committing when it was killed: its commit frame can reach the WAL file (and so the
        # replica) although the writer died before publishing it, and SQLite then drops it.
        # Either way a consistent board (integrity checked) that loses nothing confirmed.
        in_flight = len(copied_actions) - len(actions)
        assert in_flight <= 1, round_number
        shared = len(copied_actions) - max(in_flight, 0)
        assert copied_actions[:shared] == actions[:shared], round_number
        last_shared = copied_actions[shared - 1][0] if shared else 0
        shipped_events = [event for event in copied_events if event[1] <= last_shared]
        assert shipped_events == events[: len(shipped_events)], round_number
        SURVIVED[f"replica kill: {victim}"] += 1
    if not damaged:  # the next run ships what the kills left behind
        with replicating(board, url):
            wait_for_replica(url, board)
