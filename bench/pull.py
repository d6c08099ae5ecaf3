"""Time `pull` (and triage) with a large pool: the service in-process and `pkanban pull` as a
fresh process.

    uv run python bench/pull.py [--pool 10000] [--archived 100000] [--repeat 7]

The active stages are left without limits and the earn rule switched off so that every pull
succeeds; each figure is a median.
"""

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import build_large_board

from pkanban.services import config, pipeline
from pkanban.store.database import open_store

TODAY = date(2026, 11, 25)


def timed(action, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pool", type=int, default=10_000)
    parser.add_argument("--archived", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "big.db"
        build_large_board(db, TODAY, pool=options.pool, archived=options.archived)
        store = open_store(db)
        config.set_setting(store, TODAY, "earn_next_lead", "off")
        for stage in ("Contacted", "Discovery", "Proposal", "Negotiation"):
            config.update_stage(store, TODAY, stage, wip_limit=None)
        print(f"board: {options.pool:,} leads in the pool, {options.archived:,} archived")
        service = timed(lambda: pipeline.pull_next_lead(store, TODAY), options.repeat)
        triage = timed(lambda: pipeline.triage_queue(store, TODAY), options.repeat)
        store.close()
        base = [sys.executable, "-m", "pkanban"]
        pk = [*base, "--db", str(db), "--today", TODAY.isoformat()]

        def run(*args):
            subprocess.run([*pk, *args], check=True, stdout=subprocess.DEVNULL)

        floor = timed(
            lambda: subprocess.run([sys.executable, "-c", "import pkanban.cli.main"], check=True),
            options.repeat,
        )
        rows = [
            ("pull_next_lead (service)", service),
            ("triage_queue (service)", triage),
            ("python + import of the CLI", floor),
            ("pkanban pull", timed(lambda: run("pull"), options.repeat)),
            ("pkanban triage", timed(lambda: run("triage"), options.repeat)),
        ]
        print(f"{'what':<30} {'median':>8}")
        for label, seconds in rows:
            print(f"{label:<30} {seconds * 1000:>6.0f}ms")


if __name__ == "__main__":
    main()
