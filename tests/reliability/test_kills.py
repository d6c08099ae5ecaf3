"""Kill anywhere: real `pkanban` processes SIGKILLed at random moments leave the board exactly
as it was before the action or exactly as after it — never in between — and never corrupt."""

import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from pkanban.services import cards as actions
from pkanban.services.backup import backup
from pkanban.services.demo import build_demo
from pkanban.store.database import open_store
from tests.conftest import TODAY, pkanban_command
from tests.reliability.canonical import dump, integrity_ok
from tests.reliability.tally import record

KILLS_PER_ACTION = 20


def pkanban(db: Path, *args: str) -> list[str]:
    return pkanban_command(db, *args)


@pytest.fixture(scope="module")
def demo_board(tmp_path_factory) -> Path:
    """A demo board with one extra touched card and a backup to restore, closed cleanly."""
    folder = tmp_path_factory.mktemp("base")
    path = folder / "base.db"
    store = open_store(path, create=True)
    build_demo(store, TODAY)
    backup(store, folder / "saved.db")
    card = actions.add_card(store, TODAY, actions.NewCard(title="Fresh lead"))
    actions.log_touch(store, TODAY, card.id, "call", "hello")
    store.close()
    with (folder / "deals.csv").open("w") as deals:
        deals.write("Deal Name,Amount,Deal Stage,Create Date\n")
        for n in range(4000):
            deals.write(f"Imported deal {n},{n * 10},Leads,2026-10-{1 + n % 28:02d}\n")
    return path


ACTIONS = {
    "move": ("move", "1", "Contacted"),
    "touch": (
        "touch",
        "22",
        "--kind",
        "call",
        "--text",
        "x" * 5000,
        "--next",
        "Call",
        "--due",
        "+3d",
    ),
    "undo": ("undo",),
    "restore": ("restore", "{saved}"),
    "import": ("import", "{folder}/deals.csv"),
    "clearance": ("--today", "2027-03-01", "clearance", "--apply", "--yes"),
}


def timed_run(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


@pytest.mark.parametrize("name", sorted(ACTIONS))
def test_a_killed_action_leaves_the_board_before_or_after(tmp_path, demo_board, name):
    saved = demo_board.parent / "saved.db"
    args = [a.format(saved=saved, folder=demo_board.parent) for a in ACTIONS[name]]
    before = dump(demo_board)
    finished = tmp_path / "finished.db"
    shutil.copy(demo_board, finished)
    duration = timed_run(pkanban(finished, *args))
    after = dump(finished)
    assert after != before
    rng = random.Random(name)
    for attempt in range(KILLS_PER_ACTION):
        work = tmp_path / f"work{attempt}" / "board.db"
        work.parent.mkdir()
        shutil.copy(demo_board, work)
        process = subprocess.Popen(
            pkanban(work, *args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.5, 1.1) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        state = dump(work)
        survived = integrity_ok(work) and state in (before, after)
        record(f"kill during {name}", survived)
        assert survived, f"kill {attempt} of {name} left a state between before and after"
