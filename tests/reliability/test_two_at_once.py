"""Two processes doing 500 mixed operations each on one board: every operation applies or is
refused with a sentence (never "database is locked"), nothing is lost, WIP is never exceeded."""

import json
import subprocess
import sys
from collections import Counter

from pkanban.store import board
from pkanban.store.database import open_store
from tests.reliability.tally import record

WORKER = r"""
import json, random, sqlite3, sys
from datetime import date
from pathlib import Path
from pkanban.domain.errors import PkanbanError
from pkanban.services import cards as actions
from pkanban.store.database import open_store

path, seed = Path(sys.argv[1]), int(sys.argv[2])
rng = random.Random(seed)
store = open_store(path)
today = date(2026, 11, 25)
stages = ["Leads", "Contacted", "Discovery", "Proposal", "Negotiation"]
lanes = ["Expedite", "New business", "Accounts"]
outcomes, added, crashes = {}, [], []
for n in range(500):
    ids = [r[0] for r in store.conn.execute("SELECT id FROM cards WHERE disposition = 'open'")]
    kind = rng.choice(["add", "add", "move", "move", "move", "touch", "won", "lost"])
    try:
        if kind == "add" or not ids:
            kind = "add"
            card = actions.add_card(store, today, actions.NewCard(
                title=f"P{seed}-{n}", stage=rng.choice(stages), lane=rng.choice(lanes)))
            added.append(card.id)
        elif kind == "move":
            actions.move_card(store, today, rng.choice(ids), rng.choice(stages), rng.choice(lanes))
        elif kind == "touch":
            actions.log_touch(store, today, rng.choice(ids), "call", "hi")
        elif kind == "won":
            actions.mark_won(store, today, rng.choice(ids))
        else:
            actions.mark_lost(store, today, rng.choice(ids), "price")
        outcomes[f"{kind} applied"] = outcomes.get(f"{kind} applied", 0) + 1
    except PkanbanError as refusal:
        outcomes[f"{kind} refused"] = outcomes.get(f"{kind} refused", 0) + 1
    except sqlite3.Error as error:
        crashes.append(repr(error))
print(json.dumps({"outcomes": outcomes, "added": added, "crashes": crashes}))
"""


def test_two_processes_share_a_board_safely(tmp_path):
    path = tmp_path / "board.db"
    open_store(path, create=True).close()
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(path), str(seed)], stdout=subprocess.PIPE, text=True
        )
        for seed in (1, 2)
    ]
    reports = [json.loads(worker.communicate(timeout=300)[0]) for worker in workers]
    totals = Counter()
    for report in reports:
        totals.update(report["outcomes"])
        assert report["crashes"] == []
    assert sum(totals.values()) == 1000
    store = open_store(path)
    added = [card_id for report in reports for card_id in report["added"]]
    present = {row[0] for row in store.conn.execute("SELECT id FROM cards")}
    assert set(added) <= present and len(added) == len(set(added))
    for stage in board.stages(store.conn):
        if stage.wip_limit is not None:
            assert board.count_open(store.conn, stage_id=stage.id) <= stage.wip_limit
    for lane in board.lanes(store.conn):
        if lane.wip_limit is not None:
            assert board.count_open(store.conn, lane_id=lane.id, active_only=True) <= lane.wip_limit
    applied = sum(count for kind, count in totals.items() if kind.endswith("applied"))
    actions_logged = store.conn.execute("SELECT count(*) FROM actions").fetchone()[0]
    assert actions_logged == applied
    store.close()
    for _ in range(1000):
        record("concurrent operation")
