"""A process killed in the middle of a multi-row action leaves all of it or none of it."""

import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from pkanban.store.database import open_store
from tests.reliability.tally import record

BIG_ACTION = """
import sys
from datetime import date
from pathlib import Path
from pkanban.services.cards import NewCard, insert_card
from pkanban.store.database import open_store
store = open_store(Path(sys.argv[1]))
today = date(2026, 11, 25)
with store.action("imported", "Big import", today) as log:
    print("started", flush=True)
    for n in range(3000):
        insert_card(store.conn, log, today, NewCard(title=f"Lead {n}", value=n))
print("done", flush=True)
"""


@pytest.mark.slow
def test_a_killed_multi_row_action_leaves_all_or_nothing(tmp_path):
    rng = random.Random(7)
    outcomes = set()
    for attempt in range(12):
        path = tmp_path / f"board{attempt}.db"
        open_store(path, create=True).close()
        process = subprocess.Popen(
            [sys.executable, "-c", BIG_ACTION, str(path)], stdout=subprocess.PIPE, text=True
        )
        assert process.stdout.readline().strip() == "started"
        time.sleep(rng.uniform(0.0, 0.6))
        process.send_signal(signal.SIGKILL)
        process.wait()
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        cards = conn.execute("SELECT count(*) FROM cards").fetchone()[0]
        events = conn.execute("SELECT count(*) FROM events").fetchone()[0]
        actions = conn.execute("SELECT count(*) FROM actions").fetchone()[0]
        conn.close()
        survived = (cards, events, actions) in ((0, 0, 0), (3000, 3000, 1))
        record("action killed mid-write", survived)
        assert survived, (cards, events, actions)
        outcomes.add(cards)
    assert 0 in outcomes  # at least one kill landed mid-action
