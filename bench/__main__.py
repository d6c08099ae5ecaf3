"""One benchmark command: every budget of the performance issue, at several board sizes.

    uv run python -m bench            # 100 / 1,000 / 10,000 open cards, 10k / 10k / 100k archived
    uv run python -m bench --quick    # a tiny smoke run (the test suite runs this)
    uv run python -m bench --size 1m  # 10,000 open cards with 100k, then 1,000,000 archived

Each figure is printed next to its reference measured in the same run on the same machine, with
its budget and whether it was met, then how the figure grows from the smallest board to the
largest (it should stay flat where only the visible part matters). Tests never assert these
times: the machine may be shared; the table says what was measured.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import board_startup  # noqa: E402
import transfer  # noqa: E402

TODAY = board_startup.TODAY
FULL_SIZES = ((100, 10_000), (1_000, 10_000), (10_000, 100_000))
QUICK_SIZES = ((20, 200),)
MILLION_SIZES = ((10_000, 100_000), (10_000, 1_000_000))


def wall(args: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median_wall(args: list[str], repeat: int) -> float:
    return statistics.median(wall(args) for _ in range(repeat))


def build(db: Path, open_cards: int, archived: int) -> None:
    """In a child process, so the parent's memory never inflates a child's peak RSS."""
    active = max(1, open_cards // 10)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from pathlib import Path;"
        " import board_startup as b;"
        " b.build_board(Path(sys.argv[2]), open_active=int(sys.argv[3]), pool=int(sys.argv[4]),"
        " archived=int(sys.argv[5]))"
    )
    args = [str(BENCH), str(db), str(active), str(open_cards - active), str(archived)]
    subprocess.run([sys.executable, "-c", code, *args], check=True)


def moves_p95(db: Path, moves: int) -> float:
    output = subprocess.run(
        [sys.executable, board_startup.__file__, "--child", "moves", str(db), str(moves)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    fields = next(line for line in output.splitlines() if line.startswith("MOVES")).split()
    return board_startup.percentile([float(value) * 1000 for value in fields[2:]], 95)


def metrics_screen_ms(db: Path, repeat: int) -> float:
    """`m` pressed → charts painted, headless, in a child process (as every app measured here,
    so no child's peak RSS carries this parent's memory)."""
    code = (
        "import asyncio, statistics, sys; sys.path.insert(0, sys.argv[1]); sys.argv = sys.argv[:1] + sys.argv[2:];"
        " import metrics; from pathlib import Path;"
        " charts, _ = asyncio.run(metrics._screen_open_times(Path(sys.argv[1]), int(sys.argv[2])));"
        " print(statistics.median(charts) * 1000)"
    )
    output = subprocess.run(
        [sys.executable, "-c", code, str(BENCH), str(db), str(repeat)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return float(output.strip().splitlines()[-1])


def measure_size(folder: Path, open_cards: int, archived: int, runs: int, moves: int) -> dict:
    db = folder / f"board-{open_cards}-{archived}.db"
    build(db, open_cards, archived)
    board_startup.spawn("bare")  # warm the file cache for both
    board_startup.spawn("board", str(db))
    bare, board = [], []
    for _ in range(runs):
        bare.append(board_startup.spawn("bare"))
        board.append(board_startup.spawn("board", str(db)))
    pk = [sys.executable, "-m", "pkanban", "--db", str(db), "--today", TODAY.isoformat()]
    return {
        "start_bare": statistics.median(run[0] for run in bare) * 1000,
        "start_board": statistics.median(run[0] for run in board) * 1000,
        "rss_bare": max(run[1] for run in bare),
        "rss_board": max(run[1] for run in board),
        "move_p95": moves_p95(db, moves),
        "cli_floor": median_wall([sys.executable, "-c", "import pkanban.cli.main"], runs) * 1000,
        "ls": median_wall([*pk, "ls"], runs) * 1000,
        "stats": median_wall([*pk, "stats"], runs) * 1000,
        "stats_json": median_wall([*pk, "stats", "--json"], runs) * 1000,
        "triage": median_wall([*pk, "triage", "--json"], runs) * 1000,
        "clearance": median_wall([*pk, "clearance", "--dry-run"], runs) * 1000,
        # One card's own word, and a word in every card's title (the worst case: bm25 scores
        # every match), both over the whole archive.
        "search": median_wall([*pk, "search", "--all", f"{open_cards + archived // 2:06}"], runs)
        * 1000,
        "search_every": median_wall([*pk, "search", "--all", "company"], runs) * 1000,
        "metrics_screen": metrics_screen_ms(db, runs),
    }


def once(folder: Path, export_cards: int, repeat: int, with_import: bool) -> dict:
    figures = {}
    if with_import and transfer.SAMPLE.exists():
        found = dict(transfer.bench_import(folder, transfer.SAMPLE, repeat))
        figures["import"] = found["pkanban import (process)"][0] * 1000
        figures["sqlite_utils"] = found["sqlite-utils insert --csv (process)"][0] * 1000
    for fmt, (seconds, _), _size in transfer.bench_exports(folder, export_cards, repeat):
        figures[f"export_{fmt}"] = seconds * 1000
    return figures


def verdict(ok: bool) -> str:
    return "ok" if ok else "OVER"


def report(
    sizes: list[tuple[int, int]], per_size: list[dict], single: dict, export_cards: int
) -> None:
    print(
        f"\nMachine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    )
    print(f"{'what (largest board)':<40} {'figure':>10} {'reference':>22} {'budget':>18}  ")
    big = per_size[-1]
    rows = [
        (
            "start → first painted board",
            f"{big['start_board']:.0f} ms",
            f"bare app {big['start_bare']:.0f} ms",
            "≤ 1.5× bare",
            big["start_board"] <= 1.5 * big["start_bare"],
        ),
        (
            "peak RSS of the open board",
            f"{big['rss_board']:.0f} MiB",
            f"bare app {big['rss_bare']:.0f} MiB",
            "≤ bare + 60 MB",
            big["rss_board"] - big["rss_bare"] <= 60 / 1.048576,
        ),
        (
            "move key → repainted board, p95",
            f"{big['move_p95']:.1f} ms",
            "—",
            "≤ 50 ms",
            big["move_p95"] <= 50,
        ),
    ]
    for command in ("ls", "stats", "clearance"):
        label = "clearance --dry-run" if command == "clearance" else command
        rows.append(
            (
                f"pkanban {label}",
                f"{big[command]:.0f} ms",
                f"python + CLI {big['cli_floor']:.0f} ms",
                "≤ +300 ms",
                big[command] - big["cli_floor"] <= 300,
            )
        )
    for key, label in (("search", "one card's word"), ("search_every", "a word in every card")):
        rows.append(
            (
                f"pkanban search --all, {label}",
                f"{big[key]:.0f} ms",
                f"python + CLI {big['cli_floor']:.0f} ms",
                "≤ +100 ms",
                big[key] - big["cli_floor"] <= 100,
            )
        )
    if "import" in single:
        rows.append(
            (
                "import of the 8,800-row sample",
                f"{single['import']:.0f} ms",
                f"sqlite-utils {single['sqlite_utils']:.0f} ms",
                "≤ 1×",
                single["import"] <= single["sqlite_utils"],
            )
        )
    for key in sorted(k for k in single if k.startswith("export_")):
        rows.append(
            (
                f"export of {export_cards:,} cards, {key[7:]}",
                f"{single[key]:.0f} ms",
                "—",
                "≤ 500 ms",
                single[key] <= 500,
            )
        )
    for key, label in (
        ("stats_json", "pkanban stats --json"),
        ("clearance", "pkanban clearance --dry-run"),
        ("triage", "pkanban triage --json"),
    ):
        rows.append(
            (
                f"{label} (whole command)",
                f"{big[key]:.0f} ms",
                f"python + CLI {big['cli_floor']:.0f} ms",
                "≤ 500 ms",
                big[key] <= 500,
            )
        )
    rows.append(
        (
            f"metrics screen at {sizes[-1][1]:,} archived",
            f"{big['metrics_screen']:.0f} ms",
            "—",
            "≤ 500 ms",
            big["metrics_screen"] <= 500,
        )
    )
    for label, figure, reference, budget, ok in rows:
        print(f"{label:<40} {figure:>10} {reference:>22} {budget:>18}  {verdict(ok)}")

    print("\nGrowth with the board (open cards / archived):")
    header = "".join(f"{f'{o:,}/{a:,}':>16}" for o, a in sizes)
    print(f"{'what':<32}{header}{'largest ÷ smallest':>20}")
    for key, label, unit in (
        ("start_board", "start → painted board", "ms"),
        ("rss_board", "peak RSS", "MiB"),
        ("move_p95", "move p95", "ms"),
        ("ls", "pkanban ls", "ms"),
        ("stats", "pkanban stats", "ms"),
        ("stats_json", "pkanban stats --json", "ms"),
        ("triage", "pkanban triage --json", "ms"),
        ("clearance", "clearance --dry-run", "ms"),
        ("search", "search, one card's word", "ms"),
        ("search_every", "search, word in every card", "ms"),
        ("metrics_screen", "metrics screen", "ms"),
    ):
        values = [figures[key] for figures in per_size]
        cells = "".join(f"{f'{value:,.1f} {unit}':>16}" for value in values)
        print(f"{label:<32}{cells}{values[-1] / values[0]:>19.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tiny smoke run")
    parser.add_argument(
        "--size",
        choices=("standard", "1m"),
        default="standard",
        help="board sizes: standard (up to 10,000 open / 100,000 archived) or 1m (10,000 open"
        " with 100,000, then 1,000,000 archived)",
    )
    parser.add_argument("--runs", type=int, default=5, help="repeats of each timing (median)")
    options = parser.parse_args()
    # Measure as on a user's machine, where Python caches compiled bytecode (some sandboxes set
    # PYTHONDONTWRITEBYTECODE, which makes every process recompile every module it imports).
    os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
    sizes = list(
        QUICK_SIZES if options.quick else MILLION_SIZES if options.size == "1m" else FULL_SIZES
    )
    runs = 1 if options.quick else options.runs
    moves = 4 if options.quick else 50
    export_cards = 200 if options.quick else 10_000
    with tempfile.TemporaryDirectory() as folder:
        per_size = []
        for open_cards, archived in sizes:
            print(f"measuring {open_cards:,} open / {archived:,} archived …", flush=True)
            per_size.append(measure_size(Path(folder), open_cards, archived, runs, moves))
        print("measuring import and exports …", flush=True)
        single = once(
            Path(folder),
            export_cards,
            1 if options.quick else 3,
            not options.quick and options.size != "1m",
        )
    report(sizes, per_size, single, export_cards)


if __name__ == "__main__":
    main()
