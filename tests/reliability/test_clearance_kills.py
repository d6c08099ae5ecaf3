"""A clearance killed mid-apply leaves the board exactly as before it, or exactly as after it."""

import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date, timedelta

import pytest

from pkanban.services import clearance as clearances
from pkanban.services.cards import NewCard, insert_card
from pkanban.services.demo import build_demo
from pkanban.store.database import open_store
from tests.reliability.tally import record

TODAY = date(2026, 11, 25)
TABLES = ("cards", "touches", "notes", "stages", "lanes", "board_meta")
APPLY = """
import sys
from datetime import date
from pathlib import Path
from pkanban.services import clearance as clearances
from pkanban.store.database import open_store
store = open_store(Path(sys.argv[1]))
today = date(2026, 11, 25)
plan = clearances.plan_all(clearances.find_candidates(store, today), clearances.clear("Old"))
print("started", flush=True)
clearances.apply_plan(store, today, plan)
print("done", flush=True)
"""


def dump(path):
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    rows: dict = {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}
    rows["cleared actions"] = conn.execute(
        "SELECT count(*) FROM actions WHERE kind = 'cleared'"
    ).fetchone()
    conn.close()
    return rows


def copy(source, destination):
    with sqlite3.connect(source) as reader, sqlite3.connect(destination) as writer:
        reader.backup(writer)


@pytest.mark.slow
def test_a_killed_clearance_leaves_the_board_before_or_after(tmp_path):
    original = tmp_path / "original.db"
    store = open_store(original, create=True)
    build_demo(store, TODAY)
    with store.action("imported", "Old stock", TODAY) as log:
        for n in range(3000):
            created = TODAY - timedelta(days=100 + n % 300)
            insert_card(store.conn, log, TODAY, NewCard(title=f"Old lead {n}", created=created))
    candidates = len(clearances.find_candidates(store, TODAY).candidates)
    store.close()
    assert candidates > 3000

    # The whole clearance, run the way the kills will run it, says how long it takes on this
    # machine now (loaded or not), so the kills can spread over it.
    finished = tmp_path / "finished.db"
    copy(original, finished)
    process = _start_clearance(finished)
    started = time.perf_counter()
    assert process.stdout.readline().strip() == "done"
    took = time.perf_counter() - started
    process.wait()
    before, after = dump(original), dump(finished)
    assert before != after

    moments = [took * share for share in (0.05, 0.2, 0.4, 0.6, 0.8, 0.95, 2.0, 3.0)]
    outcomes = []
    for attempt, moment in enumerate(moments):
        path = tmp_path / f"attempt{attempt}" / "board.db"
        path.parent.mkdir()
        copy(original, path)
        process = _start_clearance(path)
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = dump(path)
        record("clearance killed mid-apply", state in (before, after))
        assert state in (before, after)
        backups = list((path.parent / "backups").glob("*.db"))
        backed_up = len(backups) == 1 and _complete(backups[0], before)
        outcomes.append("after" if state == after else "backed up" if backed_up else "before")
    assert "backed up" in outcomes  # a kill landed after the backup, in the transaction
    assert "after" in outcomes


def _start_clearance(path):
    """A process clearing every stale card of the board at `path`, once it says it started."""
    process = subprocess.Popen(
        [sys.executable, "-c", APPLY, str(path)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout.readline().strip() == "started"
    return process


def _complete(backup, before) -> bool:
    """Whether a backup file is a whole copy of the board as it was (not cut off mid-copy)."""
    try:
        return dump(backup) == before
    except (sqlite3.DatabaseError, AssertionError):
        return False
