"""Time the flow metrics on a big board: 100,000 archived cards, with a move and touch history.

    uv run python bench/metrics.py [--open 2000] [--archived 100000] [--history 20000]

`build_large_board` writes cards only (no events), so this adds `--history` cards' worth of
realistic activity over the last two years — each such card moved twice and touched three times,
as events and touches exactly like the services write them — because the cumulative flow reads
the move events and speed to lead reads the touches. Prints the median wall and CPU time of 5
`flow_metrics` calls: all history (the cumulative flow then covers the last 26 weeks), one year,
and ten years (the cumulative flow then reads every move event of the ten years); then the
metrics screen's open time in the TUI, from the key press to the charts drawn.
"""

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from build import build_large_board

from pkanban.services.metrics import flow_metrics
from pkanban.store.database import open_store

TODAY = date(2026, 11, 25)


def add_history(path: Path, today: date, cards: int, seed: int = 2) -> int:
    """Give `cards` recently closed or open cards a history: created 1–180 days ago, moved
    Contacted → Discovery → Proposal and touched three times (events with full snapshots)."""
    rng = random.Random(seed)
    store = open_store(path)
    conn = store.conn
    stage = {name: sid for sid, name in conn.execute("SELECT id, name FROM stages")}
    columns = [row[1] for row in conn.execute("PRAGMA table_info(cards)")]
    ids = [
        row[0] for row in conn.execute("SELECT id FROM cards ORDER BY random() LIMIT ?", [cards])
    ]
    events, touches, actions = [], [], []
    action_id = conn.execute("SELECT coalesce(max(id), 0) FROM actions").fetchone()[0]
    with store.transaction():
        for card_id in ids:
            row = dict(
                zip(
                    columns,
                    conn.execute("SELECT * FROM cards WHERE id = ?", [card_id]).fetchone(),
                    strict=True,
                )
            )
            created = today - timedelta(rng.randint(20, 730))
            days = sorted(created + timedelta(rng.randint(0, 19)) for _ in range(5))
            row.update(
                created=created.isoformat(), stage_id=stage["Contacted"], pulled=created.isoformat()
            )
            for n, day in enumerate(days):
                action_id += 1
                actions.append(
                    (
                        action_id,
                        day.isoformat() + "T09:00:00+00:00",
                        day.isoformat(),
                        "moved" if n in (1, 3) else "touched",
                        "history",
                    )
                )
                before = dict(row)
                if n in (1, 3):
                    row["stage_id"] = stage["Discovery" if n == 1 else "Proposal"]
                    row["entered_stage"] = day.isoformat()
                else:
                    touches.append((card_id, day.isoformat(), "call", "bench"))
                    row["touch_count"] += 1
                    row["last_touch"] = day.isoformat()
                row["version"] += 1
                events.append(
                    (action_id, "cards", card_id, card_id, json.dumps(before), json.dumps(row))
                )
            if row["disposition"] != "open":
                row["closed"] = max(row["closed"], days[-1].isoformat())
            conn.execute(
                "UPDATE cards SET created = ?, pulled = ?, stage_id = ?, entered_stage = ?,"
                " touch_count = ?, last_touch = ?, closed = ? WHERE id = ?",
                [
                    row["created"],
                    row["pulled"],
                    row["stage_id"],
                    row["entered_stage"],
                    row["touch_count"],
                    row["last_touch"],
                    row["closed"],
                    card_id,
                ],
            )
        conn.executemany(
            "INSERT INTO actions (id, at, day, kind, summary) VALUES (?, ?, ?, ?, ?)", actions
        )
        conn.executemany(
            "INSERT INTO events (action_id, entity, entity_id, card_id, before, after)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            events,
        )
        conn.executemany(
            "INSERT INTO touches (card_id, day, kind, text) VALUES (?, ?, ?, ?)", touches
        )
    conn.execute("ANALYZE")
    store.close()
    return len(events)


def medians(call, repeat: int) -> tuple[float, float]:
    """Median wall time and median CPU time of this process (the machine may be shared)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        call()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu)


async def _screen_open_times(db: Path, repeat: int) -> tuple[list[float], list[float]]:
    """Seconds from pressing `m` on the board to the charts drawn, and to every figure in
    (the tables' too), headless at 160x48."""
    from pkanban.tui.app import PkanbanApp

    store = open_store(db)
    to_charts, to_all = [], []
    try:
        app = PkanbanApp(store, TODAY)
        async with app.run_test(size=(160, 48)) as pilot:
            await pilot.pause()
            for _ in range(repeat):
                start = time.perf_counter()
                await pilot.press("m")
                while app.screen.charts is None:
                    await asyncio.sleep(0.005)
                await pilot.pause()  # the charts are painted
                to_charts.append(time.perf_counter() - start)
                await app.workers.wait_for_complete()
                await pilot.pause()
                assert app.screen.figures is not None
                to_all.append(time.perf_counter() - start)
                await pilot.press("escape")
                await pilot.pause()
    finally:
        store.close()
    return to_charts, to_all


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--open", type=int, default=2000, help="open cards (most in the pool)")
    parser.add_argument("--archived", type=int, default=100_000)
    parser.add_argument("--history", type=int, default=20_000, help="cards given moves and touches")
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "big.db"
        start = time.perf_counter()
        build_large_board(db, TODAY, pool=options.open, archived=options.archived)
        events = add_history(db, TODAY, options.history)
        print(
            f"built {options.open:,} open + {options.archived:,} archived cards,"
            f" {events:,} history events in {time.perf_counter() - start:.1f} s"
        )
        store = open_store(db)
        rows = [
            ("flow_metrics (all history)", lambda: flow_metrics(store, TODAY)),
            (
                "flow_metrics --since 1 year",
                lambda: flow_metrics(store, TODAY, since=TODAY - timedelta(days=365)),
            ),
            (
                "flow_metrics --since 10 years",
                lambda: flow_metrics(store, TODAY, since=TODAY - timedelta(days=3650)),
            ),
        ]
        print(f"{'what':<34} {'wall':>8} {'cpu':>8}   (median of {options.repeat})")
        for label, call in rows:
            wall, cpu = medians(call, options.repeat)
            print(f"{label:<34} {wall * 1000:>6.0f}ms {cpu * 1000:>6.0f}ms")
        to_charts, to_all = asyncio.run(_screen_open_times(db, options.repeat))
        for label, times in (("charts drawn", to_charts), ("all figures", to_all)):
            print(f"{'metrics screen: m → ' + label:<34} {statistics.median(times) * 1000:>6.0f}ms")
        store.close()


if __name__ == "__main__":
    main()
