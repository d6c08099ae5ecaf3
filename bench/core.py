"""Time the scriptable core on a big board: `ls`, `stats` and a `move`.

    uv run python bench/core.py [--open 2000] [--archived 100000]

Each figure is the median wall time of a fresh `pkanban` process, next to the cost of starting
Python and importing the CLI (the floor no command can go under).
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

TODAY = date(2026, 11, 25)


def wall(args: list[str], repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--open", type=int, default=2000, help="open cards (most in the pool)")
    parser.add_argument("--archived", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "big.db"
        start = time.perf_counter()
        build_large_board(db, TODAY, pool=options.open, archived=options.archived)
        print(
            f"built {options.open:,} open + {options.archived:,} archived in {time.perf_counter() - start:.1f} s"
        )
        base = [sys.executable, "-m", "pkanban"]
        pk = [*base, "--db", str(db), "--today", TODAY.isoformat()]
        floor = wall([sys.executable, "-c", "import pkanban.cli.main"], options.repeat)
        rows = [
            ("python + import of the CLI", floor),
            ("pkanban ls", wall([*pk, "ls"], options.repeat)),
            ("pkanban ls --json", wall([*pk, "ls", "--json"], options.repeat)),
            ("pkanban stats", wall([*pk, "stats"], options.repeat)),
        ]
        move_times = []
        for n in range(options.repeat):
            target = "Leads" if n % 2 else "Contacted"
            subprocess.run(
                [*pk, "config", "stage", "Contacted", "--wip", "none"],
                check=True,
                stdout=subprocess.DEVNULL,
            )
            move_times.append(wall([*pk, "move", "1", target], 1))
        rows.append(("pkanban move", statistics.median(move_times)))
        print(f"{'what':<30} {'median':>8} {'over floor':>11}")
        for label, seconds in rows:
            print(
                f"{label:<30} {seconds * 1000:>6.0f}ms {max(0.0, seconds - floor) * 1000:>9.0f}ms"
            )


if __name__ == "__main__":
    main()
