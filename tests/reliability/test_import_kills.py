"""A large import, and the undo of one, SIGKILLed at random moments: the board is left exactly as
before or exactly as after — all of the file's cards or none, one `card_range` event or none —
and never corrupt."""

import random
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from pkanban.store.database import open_store
from tests.conftest import pkanban_command
from tests.reliability.canonical import dump, integrity_ok
from tests.reliability.tally import record

KILLS = 12
ROWS = 20_000


@pytest.fixture(scope="module")
def boards(tmp_path_factory) -> tuple[Path, Path, Path]:
    """An empty board, the same board after importing a file of ROWS deals, and the file."""
    folder = tmp_path_factory.mktemp("import-kills")
    crm = folder / "deals.csv"
    with crm.open("w") as deals:
        deals.write("Deal Name,Amount,Deal Stage,Create Date,Close Date\n")
        for n in range(ROWS):
            deals.write(f"Deal {n},{n * 10},Closed Won,2026-10-{1 + n % 28:02d},2026-11-01\n")
    empty = folder / "empty.db"
    open_store(empty, create=True).close()
    imported = folder / "imported.db"
    shutil.copy(empty, imported)
    subprocess.run(pkanban_command(imported, "import", str(crm)), check=True, capture_output=True)
    return empty, imported, crm


def killed_runs(tmp_path: Path, board: Path, args: list[str], name: str) -> None:
    before = dump(board)
    finished = tmp_path / "finished.db"
    shutil.copy(board, finished)
    start = time.perf_counter()
    subprocess.run(pkanban_command(finished, *args), check=True, capture_output=True)
    duration = time.perf_counter() - start
    after = dump(finished)
    assert after != before
    rng = random.Random(name)
    for attempt in range(KILLS):
        work = tmp_path / f"work{attempt}" / "board.db"
        work.parent.mkdir()
        shutil.copy(board, work)
        process = subprocess.Popen(
            pkanban_command(work, *args), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.4, 1.0) * duration)
        process.send_signal(signal.SIGKILL)
        process.wait()
        survived = integrity_ok(work) and dump(work) in (before, after)
        record(f"kill during {name}", survived)
        assert survived, f"kill {attempt} of {name} left a state between before and after"


def test_a_killed_import_leaves_all_of_the_file_or_nothing(tmp_path, boards):
    empty, _, crm = boards
    killed_runs(tmp_path, empty, ["import", str(crm)], "a large import")


def test_a_killed_undo_of_an_import_leaves_every_card_or_none(tmp_path, boards):
    _, imported, _ = boards
    killed_runs(tmp_path, imported, ["undo"], "the undo of an import")
