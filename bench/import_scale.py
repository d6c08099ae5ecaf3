"""Import at scale: a synthetic CRM file (the sample's columns) of `--open` open deals and
`--archived` won/lost ones, imported by `pkanban import` next to `sqlite-utils insert --csv` of
the same file and the floor (raw `sqlite3` executemany of the rows into one table, in one
transaction) — wall time and peak RSS of each process — then the board file's size next to the
sqlite-utils table's, and the time of `pkanban undo` of the import.

    uv run python bench/import_scale.py                      # 10,000 open + 1,000,000 archived
    uv run python bench/import_scale.py --archived 2000 --open 100   # a smoke run

Each contender runs once, in its own process (a 1M run takes minutes): on a shared machine say
the load, which is printed.
"""

import argparse
import csv
import os
import random
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

BIN = Path(sys.executable).parent
TODAY = date(2018, 1, 1)
HEADER = [
    "opportunity_id",
    "sales_agent",
    "product",
    "account",
    "deal_stage",
    "engage_date",
    "close_date",
    "close_value",
]
PRODUCTS = ["GTX Basic", "GTX Pro", "MG Special", "MG Advanced", "GTX Plus Pro", "GTK 500"]
BUDGET_RSS_MB = 150

# The floor: the file's rows into one table, streamed, in one transaction (a process of its own,
# so that its peak RSS is its own).
FLOOR = """
import csv, sqlite3, sys
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    rows = csv.reader(handle)
    header = next(rows)
    conn = sqlite3.connect(sys.argv[2])
    conn.execute(f"CREATE TABLE deals ({', '.join(f'c{i}' for i in range(len(header)))})")
    with conn:
        conn.executemany(f"INSERT INTO deals VALUES ({', '.join('?' for _ in header)})", rows)
"""


def write_crm_file(path: Path, open_deals: int, archived: int, seed: int = 7) -> None:
    """Won and lost deals over ten years, then open ones (engaging, or prospecting leads)."""
    rng = random.Random(seed)
    agents = [f"Agent {n}" for n in range(30)]
    accounts = [f"Account {n}" for n in range(5000)]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        for n in range(archived + open_deals):
            engaged = TODAY - timedelta(days=rng.randint(20, 3650))
            is_open = n >= archived
            stage = (
                rng.choice(["Engaging", "Prospecting"])
                if is_open
                else rng.choice(["Won", "Lost", "Lost"])
            )
            closed = "" if is_open else (engaged + timedelta(days=rng.randint(1, 19))).isoformat()
            value = rng.randint(50, 30000) if stage == "Won" else 0 if stage == "Lost" else ""
            writer.writerow(
                [
                    f"S{n:09d}",
                    rng.choice(agents),
                    rng.choice(PRODUCTS),
                    rng.choice(accounts),
                    stage,
                    engaged.isoformat() if stage != "Prospecting" else "",
                    closed,
                    value,
                ]
            )


def run(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{args[0]} failed: {process.stderr.read().decode()[-2000:]}")
    process.stderr.close()
    return elapsed, usage.ru_maxrss / 1024


def file_size(db: Path) -> int:
    """The database file after a checkpoint (its WAL folded in)."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return db.stat().st_size


def measure(folder: Path, open_deals: int, archived: int) -> list[tuple[str, str, str]]:
    crm = folder / "crm.csv"
    write_crm_file(crm, open_deals, archived)
    board = folder / "board.db"
    pk = [str(BIN / "pkanban"), "--db", str(board), "--today", TODAY.isoformat()]
    subprocess.run([*pk, "init"], check=True, stdout=subprocess.DEVNULL)
    su_db, floor_db = folder / "su.db", folder / "floor.db"
    pk_wall, pk_rss = run([*pk, "import", str(crm)])
    su_wall, su_rss = run(
        [str(BIN / "sqlite-utils"), "insert", str(su_db), "deals", str(crm), "--csv"]
    )
    floor_wall, floor_rss = run([sys.executable, "-c", FLOOR, str(crm), str(floor_db)])
    board_size, su_size = file_size(board), file_size(su_db)
    undo_wall, undo_rss = run([*pk, "undo"])
    left = sqlite3.connect(board).execute("SELECT count(*) FROM cards").fetchone()[0]
    assert left == 0, f"{left} cards left after the undo"

    def verdict(ok: bool) -> str:
        return "ok" if ok else "over"

    rows = open_deals + archived
    return [
        (f"CRM file: {rows:,} rows", f"{crm.stat().st_size / 1e6:,.0f} MB", ""),
        (
            "pkanban import",
            f"{pk_wall:,.1f} s, peak RSS {pk_rss:,.0f} MB",
            f"{pk_wall / su_wall:.2f}× sqlite-utils: {verdict(pk_wall <= su_wall)};"
            f" RSS ≤ {BUDGET_RSS_MB} MB: {verdict(pk_rss <= BUDGET_RSS_MB)};"
            f" {pk_wall / floor_wall:.1f}× the floor",
        ),
        ("sqlite-utils insert --csv", f"{su_wall:,.1f} s, peak RSS {su_rss:,.0f} MB", ""),
        ("floor: sqlite3 executemany", f"{floor_wall:,.1f} s, peak RSS {floor_rss:,.0f} MB", ""),
        (
            "board file",
            f"{board_size / 1e6:,.0f} MB",
            f"{board_size / su_size:.2f}× the sqlite-utils table ({su_size / 1e6:,.0f} MB):"
            f" {verdict(board_size <= 2 * su_size)}",
        ),
        (
            "pkanban undo of the import",
            f"{undo_wall:,.1f} s, peak RSS {undo_rss:,.0f} MB",
            f"≤ 15 s: {verdict(undo_wall <= 15)}",
        ),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--open", type=int, default=10_000, help="open deals in the file")
    parser.add_argument("--archived", type=int, default=1_000_000, help="won and lost deals")
    options = parser.parse_args()
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    print(
        f"python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version},"
        f" {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}"
    )
    with tempfile.TemporaryDirectory() as name:
        for label, figure, against in measure(Path(name), options.open, options.archived):
            print(f"{label:<30} {figure:<30} {against}")
    print(f"load afterwards {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
