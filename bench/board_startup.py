"""The board at scale: start-up, move latency and memory, next to a bare Textual app.

    uv run python bench/board_startup.py [--runs 5] [--moves 50]

Builds a board with 2,000 open cards in the active stages, 10,000 leads in the pool and
100,000 archived cards (direct SQL in one transaction: a fixture, not a user action; the WIP
limits are lifted so the big active stages are legal and every benchmark move succeeds), then:

(a) process start → first painted board, for `pkanban` (the real CLI entry point) and for a
    bare Textual app with one Static, each started the same way: a fresh Python process running
    this file with `--child`, headless at 160×48, stopping at the first frame that shows the
    board (the bare app: its first frame). Budget: ≤ 1.5× the bare app.
(b) a move keystroke (`L`, then `H` back: Leads ↔ Contacted) → the next frame on screen, p95
    of `--moves` moves, in one headless app. Budget: p95 ≤ 50 ms.
(c) peak RSS of each child (`os.wait4`). Budget: ≤ bare app + 60 MB.

Not part of the tests: it prints a table.
"""

import argparse
import gc
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

TODAY = date(2026, 11, 25)
SIZE = (160, 48)
OPEN_ACTIVE = 2_000
POOL = 10_000
ARCHIVED = 100_000
FRAME_TIMEOUT = 5.0


def build_board(path: Path, *, open_active: int, pool: int, archived: int) -> None:
    """The benchmark board, written with executemany inside one transaction."""
    from pkanban.store.database import open_store

    rng = random.Random(2026)
    store = open_store(path, create=True)
    conn = store.conn
    stages = conn.execute("SELECT id, kind FROM stages ORDER BY position").fetchall()
    lanes = [row[0] for row in conn.execute("SELECT id FROM lanes WHERE wip_limit IS NULL")]
    pool_stage = next(stage_id for stage_id, kind in stages if kind == "pool")
    active = [stage_id for stage_id, kind in stages if kind == "active"]
    rows = []

    def card(stage_id, created, disposition="open", closed=None):
        number = len(rows) + 1
        rows.append(
            (
                f"Company {number:06}",
                rng.choice((2, 5, 9, 12, 25, 60)) * 1000,
                rng.choice(lanes),
                stage_id,
                number,
                created.isoformat(),
                (closed or created).isoformat(),
                rng.randint(0, 8),
                disposition,
                closed and closed.isoformat(),
            )
        )

    for _ in range(open_active):
        card(rng.choice(active), TODAY - timedelta(rng.randint(1, 200)))
    for _ in range(pool):
        card(pool_stage, TODAY - timedelta(rng.randint(1, 400)))
    for _ in range(archived):
        closed = TODAY - timedelta(rng.randint(1, 1500))
        disposition = rng.choice(("won", "won", "lost", "lost", "cleared"))
        card(rng.choice(active), closed - timedelta(rng.randint(5, 200)), disposition, closed)
    with store.transaction():
        conn.execute("UPDATE stages SET wip_limit = NULL")
        conn.execute("UPDATE lanes SET wip_limit = NULL")
        conn.executemany(
            "INSERT INTO cards (title, value, lane_id, stage_id, position, created,"
            " entered_stage, touch_count, disposition, closed)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    store.close()


# ---------------------------------------------------------------- child processes


def _report(line: str) -> None:
    os.write(1, (line + "\n").encode())


def _patch_app_for_headless_timing(first_frame_ready) -> None:
    """Run every App headless at SIZE and report (then exit) at the first frame for which
    `first_frame_ready(app)` holds. Only the benchmark child does this."""
    from textual.app import App

    display, run = App._display, App.run

    def timed_display(self, screen, renderable) -> None:
        display(self, screen, renderable)
        done = getattr(self, "_bench_done", False)
        if renderable is not None and not done and first_frame_ready(self):
            self._bench_done = True
            _report(f"PAINTED {time.time():.6f}")
            self.call_later(self.exit)

    def headless_run(self, *args, **kwargs):
        return run(self, *args, **{**kwargs, "headless": True, "size": SIZE})

    App._display = timed_display
    App.run = headless_run


def child_board(db: str) -> None:
    """`pkanban --db DB --today …` through the console script's entry point, until the board is
    painted. The entry point pauses the garbage collector before anything is imported; the
    timing patch imports Textual before it, so the child pauses it first, as the script would
    have."""

    def board_painted(app) -> bool:
        from pkanban.tui.widgets.cell import LaneCells

        return any(
            window is not None
            for lane in app.screen.query(LaneCells)
            for window in lane.windows.values()
        )

    gc.disable()
    _patch_app_for_headless_timing(board_painted)
    from pkanban.__main__ import main

    sys.argv = ["pkanban", "--db", db, "--today", TODAY.isoformat()]
    try:
        main()
    except SystemExit as leaving:
        if leaving.code:
            raise


def child_bare() -> None:
    """A Textual app with one Static, until its first frame."""
    _patch_app_for_headless_timing(lambda app: True)
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    class Bare(App):
        def compose(self) -> ComposeResult:
            yield Static("Hello")

    Bare().run()


def child_imports() -> None:
    """How much of the start-up is imports: Textual's, then pkanban's on top."""
    start = time.perf_counter()
    import textual.app
    import textual.widgets  # noqa: F401

    textual_done = time.perf_counter()
    import pkanban.cli.main
    import pkanban.tui.app  # noqa: F401

    done = time.perf_counter()
    _report(f"IMPORTS {textual_done - start:.6f} {done - textual_done:.6f}")


def child_moves(db: str, moves: int) -> None:
    """Press L / H alternately on the selected lead; time each keystroke to the first frame
    drawn after the cells were handed their new windows (`LaneCells.show`)."""
    import asyncio

    from textual.app import App

    from pkanban.store.database import open_store
    from pkanban.tui.app import PkanbanApp
    from pkanban.tui.widgets.cell import LaneCells

    frames: list[float] = []
    shown: list[float] = []
    display, show = App._display, LaneCells.show

    def recorded_display(self, screen, renderable) -> None:
        display(self, screen, renderable)
        if renderable is not None:
            frames.append(time.perf_counter())

    def recorded_show(self, stage_id, window) -> None:
        show(self, stage_id, window)
        shown.append(time.perf_counter())

    App._display = recorded_display
    LaneCells.show = recorded_show
    store = open_store(Path(db))

    async def run() -> list[float]:
        app = PkanbanApp(store, TODAY)
        latencies = []
        async with app.run_test(size=SIZE) as pilot:
            await pilot.pause()
            await pilot.press("j")  # from the empty Expedite lane to the New business leads
            for number in range(moves):
                shown.clear()
                start = time.perf_counter()
                await pilot.press("L" if number % 2 == 0 else "H")
                while not shown or not frames or frames[-1] < shown[-1]:
                    if time.perf_counter() - start > FRAME_TIMEOUT:
                        raise SystemExit(f"no frame after move {number + 1}")
                    await asyncio.sleep(0.0005)
                latencies.append(next(f for f in frames if f >= shown[-1]) - start)
                await pilot.pause(0.05)
        return latencies

    def moves_so_far() -> int:
        return store.conn.execute("SELECT count(*) FROM actions WHERE kind = 'moved'").fetchone()[0]

    before = moves_so_far()
    latencies = asyncio.run(run())
    moved = moves_so_far() - before
    if moved != moves:
        raise SystemExit(f"only {moved} of {moves} moves happened")
    store.close()
    _report(f"MOVES {moved} " + " ".join(f"{latency:.6f}" for latency in latencies))


# ---------------------------------------------------------------- the parent


def spawn(*args: str) -> tuple[float, float]:
    """Run a child; return (seconds from spawn to its first painted frame, peak RSS in MiB)."""
    start = time.time()
    process = subprocess.Popen(
        [sys.executable, __file__, "--child", *args],
        stdout=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    )
    output = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    painted = [line for line in output.splitlines() if line.startswith("PAINTED")]
    if process.returncode != 0 or not painted:
        raise SystemExit(f"child {args} failed (exit {process.returncode}):\n{output}")
    return float(painted[0].split()[1]) - start, usage.ru_maxrss / 1024


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, round(p / 100 * len(ordered) + 0.5) - 1))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="start-ups of each app (median)")
    parser.add_argument("--moves", type=int, default=50)
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        which, *rest = options.child
        if which == "build":
            build_board(Path(rest[0]), open_active=OPEN_ACTIVE, pool=POOL, archived=ARCHIVED)
        elif which == "board":
            child_board(rest[0])
        elif which == "bare":
            child_bare()
        elif which == "imports":
            child_imports()
        else:
            child_moves(rest[0], int(rest[1]))
        return

    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "big.db"
        started = time.perf_counter()
        # Built in a child: a parent holding the board in memory would inflate the children's
        # peak RSS (fork).
        subprocess.run([sys.executable, __file__, "--child", "build", str(db)], check=True)
        print(
            f"board: {OPEN_ACTIVE:,} open in active stages, {POOL:,} in the pool,"
            f" {ARCHIVED:,} archived (built in {time.perf_counter() - started:.1f} s)"
        )
        board_runs, bare_runs = [], []
        spawn("bare")  # warm the OS file cache for both
        spawn("board", str(db))
        for _ in range(options.runs):
            bare_runs.append(spawn("bare"))
            board_runs.append(spawn("board", str(db)))
        imports = []
        for _ in range(options.runs):
            output = subprocess.run(
                [sys.executable, __file__, "--child", "imports"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            imports.append([float(value) * 1000 for value in output.split()[1:]])
        moves_output = subprocess.run(
            [sys.executable, __file__, "--child", "moves", str(db), str(options.moves)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    fields = next(line for line in moves_output.splitlines() if line.startswith("MOVES")).split()
    moved, latencies = int(fields[1]), [float(value) * 1000 for value in fields[2:]]

    bare_start = statistics.median(run[0] for run in bare_runs) * 1000
    board_start = statistics.median(run[0] for run in board_runs) * 1000
    bare_rss = max(run[1] for run in bare_runs)
    board_rss = max(run[1] for run in board_runs)
    p95 = percentile(latencies, 95)
    rows = [
        ("start → first painted frame, bare app", f"{bare_start:,.0f} ms", ""),
        (
            "start → first painted board, pkanban",
            f"{board_start:,.0f} ms",
            f"{board_start / bare_start:.2f}× bare (budget ≤ 1.5×)",
        ),
        (
            "  of which imports: Textual",
            f"{statistics.median(row[0] for row in imports):,.0f} ms",
            "(both apps)",
        ),
        (
            "  of which imports: pkanban on top",
            f"{statistics.median(row[1] for row in imports):,.0f} ms",
            "(CLI, click, services, the board screen)",
        ),
        ("peak RSS, bare app", f"{bare_rss:,.1f} MiB", ""),
        (
            "peak RSS, pkanban",
            f"{board_rss:,.1f} MiB",
            f"+{board_rss - bare_rss:,.1f} MiB (budget ≤ +60 MB)",
        ),
        (
            f"move key → repainted board ({moved} moves)",
            f"p50 {statistics.median(latencies):,.1f} ms",
            f"p95 {p95:,.1f} ms, max {max(latencies):,.1f} ms (budget p95 ≤ 50 ms)",
        ),
    ]
    print(f"runs: {options.runs} start-ups each (median; RSS max), {SIZE[0]}×{SIZE[1]} headless")
    width = max(len(row[0]) for row in rows)
    for label, figure, note in rows:
        print(f"  {label:<{width}}  {figure:>12}  {note}")


if __name__ == "__main__":
    main()
