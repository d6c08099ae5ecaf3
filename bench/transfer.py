"""Time import and export: the CRM sample against `sqlite-utils insert`, and each export format
on a 10,000-card board.

    uv run python bench/transfer.py [--repeat 5] [--cards 10000] [--csv PATH]

Import: a fresh board each run. `pkanban import` and `sqlite-utils insert --csv` are timed the
same way (a fresh process, wall time, median), next to the in-process service time and the floor
(`sqlite3` executemany of the raw rows into one table, in-process). Export: `export_board`
in-process on a board built by importing a generated 10,000-row CSV (so every card has its
event, as on a real board); budget 0.5 s per format.
"""

import argparse
import csv
import io
import os
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from pkanban.services.transfer import EXPORT_FORMATS, export_board, import_csv
from pkanban.store.database import open_store

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT.parent / "shared" / "data" / "crm-sales-opportunities" / "sales_pipeline.csv"
SAMPLE_DAY = date(2018, 1, 1)
TODAY = date(2026, 11, 25)
BIN = Path(sys.executable).parent
PYTHON_FLOOR = [sys.executable, "-c", "import pkanban.cli.main"]


def median_of(repeat: int, run) -> tuple[float, float]:
    """Median wall time and median CPU time of `run` (which returns its wall time); CPU time
    counts this process and its children, so it is steadier than wall time on a busy machine."""
    walls, cpus = [], []
    for _ in range(repeat):
        before = _cpu()
        walls.append(run())
        cpus.append(_cpu() - before)
    return statistics.median(walls), statistics.median(cpus)


def _cpu() -> float:
    mine = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return mine.ru_utime + mine.ru_stime + children.ru_utime + children.ru_stime


def fresh_board(folder: Path, name: str) -> Path:
    path = folder / name
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    open_store(path, create=True).close()
    return path


def wall(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def bench_import(folder: Path, csv_path: Path, repeat: int) -> list[tuple[str, float]]:
    def service() -> float:
        store = open_store(fresh_board(folder, "service.db"))
        start = time.perf_counter()
        report = import_csv(store, SAMPLE_DAY, csv_path)
        elapsed = time.perf_counter() - start
        assert report.imported, report.refusal
        store.close()
        return elapsed

    def cli() -> float:
        db = fresh_board(folder, "cli.db")
        pk = [str(BIN / "pkanban"), "--db", str(db), "--today", SAMPLE_DAY.isoformat()]
        return wall([*pk, "import", str(csv_path)])

    def sqlite_utils() -> float:
        db = folder / "su.db"
        db.unlink(missing_ok=True)
        return wall([str(BIN / "sqlite-utils"), "insert", str(db), "deals", str(csv_path), "--csv"])

    def floor() -> float:
        db = folder / "floor.db"
        db.unlink(missing_ok=True)
        start = time.perf_counter()
        with csv_path.open(newline="", encoding="utf-8") as handle:
            rows = list(csv.reader(handle))
        conn = sqlite3.connect(db)
        marks = ", ".join("?" for _ in rows[0])
        conn.execute(f"CREATE TABLE deals ({', '.join(f'c{i}' for i in range(len(rows[0])))})")
        with conn:
            conn.executemany(f"INSERT INTO deals VALUES ({marks})", rows[1:])
        conn.close()
        return time.perf_counter() - start

    runs = {
        "python + import of the CLI": lambda: wall(PYTHON_FLOOR),
        "pkanban import (process)": cli,
        "sqlite-utils insert --csv (process)": sqlite_utils,
        "import_csv service (in-process)": service,
        "sqlite3 executemany floor (in-process)": floor,
    }
    # Interleaved (one run of each per round), so a busy moment hurts every contender alike.
    samples: dict[str, list[tuple[float, float]]] = {label: [] for label in runs}
    for _ in range(repeat):
        for label, run in runs.items():
            samples[label].append(median_of(1, run))
    return [
        (label, tuple(statistics.median(column) for column in zip(*found, strict=True)))
        for label, found in samples.items()
    ]


def generated_csv(count: int) -> bytes:
    """A pipeline of `count` deals: 70 % archived (won/lost), the rest open in every stage."""
    rng = random.Random(7)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", "title", "stage", "value", "created", "closed", "contact", "next step"])
    stages = ["Prospecting", "Contacted", "Discovery", "Proposal", "Negotiation"]
    for n in range(count):
        created = TODAY - timedelta(days=rng.randint(30, 1500))
        roll = rng.random()
        stage = "Won" if roll < 0.4 else "Lost" if roll < 0.7 else rng.choice(stages)
        closed = created + timedelta(days=rng.randint(5, 25)) if roll < 0.7 else None
        writer.writerow(
            [
                f"D{n}",
                f"Company {n} | <b>#{n}</b>",
                stage,
                rng.randint(1, 90) * 1000,
                created.isoformat(),
                closed.isoformat() if closed else "",
                f"Contact {n}",
                "Call back" if roll > 0.7 else "",
            ]
        )
    return out.getvalue().encode()


def bench_exports(folder: Path, count: int, repeat: int) -> list[tuple[str, tuple, int]]:
    csv_path = folder / "generated.csv"
    csv_path.write_bytes(generated_csv(count))
    store = open_store(fresh_board(folder, "export.db"))
    report = import_csv(store, TODAY, csv_path)
    assert report.imported == count, report.refusal
    results = []
    for fmt in EXPORT_FORMATS:
        sizes = []

        def run(fmt=fmt, sizes=sizes) -> float:
            start = time.perf_counter()
            text = export_board(store, TODAY, fmt)
            elapsed = time.perf_counter() - start
            sizes.append(len(text.encode()))
            return elapsed

        results.append((fmt, median_of(repeat, run), sizes[-1]))
    store.close()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--cards", type=int, default=10_000)
    parser.add_argument("--csv", type=Path, default=SAMPLE, help="CSV to import (the CRM sample)")
    options = parser.parse_args()
    versions = f"python {sys.version.split()[0]}, SQLite {sqlite3.sqlite_version}"
    print(f"{versions}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if options.csv.is_file():
            rows = sum(1 for _ in csv.reader(options.csv.open(newline="", encoding="utf-8"))) - 1
            print(f"\nImport of {options.csv.name} ({rows:,} rows), median of {options.repeat}")
            print(f"  {'':<42} {'wall':>7}    {'CPU':>7}")
            found = bench_import(folder, options.csv, options.repeat)
            for label, (seconds, cpu) in found:
                print(f"  {label:<42} {seconds * 1000:>7.0f} ms {cpu * 1000:>7.0f} ms")
            walls = {label: seconds for label, (seconds, _) in found}
            ratio = walls["pkanban import (process)"] / walls["sqlite-utils insert --csv (process)"]
            verdict = "ok" if ratio <= 1 else "OVER the 1× budget"
            print(f"  pkanban import takes {ratio:.2f}× the time of sqlite-utils insert: {verdict}")
        else:
            print(f"\n{options.csv} not found: import benchmark skipped")
        print(f"\nExport of a {options.cards:,}-card board, median of {options.repeat}")
        print(f"  {'':<10} {'wall':>7}    {'CPU':>7}")
        for fmt, (seconds, cpu), size in bench_exports(folder, options.cards, options.repeat):
            verdict = "ok" if seconds <= 0.5 else "OVER the 0.5 s budget"
            print(
                f"  {fmt:<10} {seconds * 1000:>7.0f} ms {cpu * 1000:>7.0f} ms"
                f"  {size / 1e6:>5.1f} MB  {verdict}"
            )


if __name__ == "__main__":
    main()
